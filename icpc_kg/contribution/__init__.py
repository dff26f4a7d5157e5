"""Checking a contribution before it is merged (``icpc-kg validate``, POST /validate) and
adding it to the project (``icpc-kg add``).

    report = validate_contribution([ContributionInput.from_path("new.ttl")], store, project)
    report.conforms, report.exit_code(strict=False)
    render_text(report, lang="fr"), render_json(report), render_turtle(report)

Modules: :mod:`.inputs` (parsing, size cap), :mod:`.locate` (file:line:col), :mod:`.published`
(the graph around the contribution, through the store), :mod:`.checks` and :mod:`.duplicates`
(the contribution checks), :mod:`.validate` (the whole run), :mod:`.render` (text, JSON,
Turtle), :mod:`.add` (writing into data/contributions/).

Names are imported on first use, so that the command line starts fast.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_EXPORTS = {
    "DEFAULT_MAX_BYTES": "icpc_kg.contribution.model",
    "ContributionInput": "icpc_kg.contribution.model",
    "ContributionReport": "icpc_kg.contribution.model",
    "ContributionResource": "icpc_kg.contribution.model",
    "ContributionResult": "icpc_kg.contribution.model",
    "DuplicateCandidate": "icpc_kg.contribution.model",
    "Position": "icpc_kg.contribution.model",
    "TripleDiff": "icpc_kg.contribution.model",
    "validate_contribution": "icpc_kg.contribution.validate",
    "check_contribution": "icpc_kg.contribution.validate",
    "add_contribution": "icpc_kg.contribution.add",
    "render_text": "icpc_kg.contribution.render",
    "render_json": "icpc_kg.contribution.render",
    "render_turtle": "icpc_kg.contribution.render",
    "report_json": "icpc_kg.contribution.render",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
