"""What contribution validation takes and gives: inputs, results with positions, the report.

Terms are pyoxigraph terms throughout (the contribution is parsed by pyoxigraph and the
published graph answers through the store seam in pyoxigraph terms).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

Term = ox.NamedNode | ox.BlankNode | ox.Literal
SEVERITY_ORDER = {"Violation": 0, "Warning": 1, "Info": 2}
CHECKS_NS = "https://w3id.org/icpc-kg/checks#"
DEFAULT_MAX_BYTES = 10 * 1024 * 1024  # the input cap: far above any hand-written contribution


@dataclass(frozen=True)
class ContributionInput:
    """One submitted document: a file, or bytes (stdin, an HTTP body) with a source name.

    ``format`` is a format name, alias or media type (see :func:`icpc_kg.rdfio.format_named`);
    without it, the file's extension decides.
    """

    source: str
    data: bytes | None = None
    format: str | None = None

    @classmethod
    def from_path(cls, path: str | Path, format: str | None = None) -> ContributionInput:
        return cls(str(path), None, format)

    @classmethod
    def from_bytes(cls, data: bytes, format: str, source: str = "<stdin>") -> ContributionInput:
        return cls(source, data, format)


@dataclass(frozen=True)
class Position:
    """Where something is written in a submitted file (line and column are 1-based)."""

    source: str
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        where = self.source
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return where


@dataclass(frozen=True)
class TripleDiff:
    """What a contribution changes about a resource the graph already has.

    ``add``: the contribution's triples about it that the graph does not hold.
    ``remove``: the graph's asserted triples about it (graph/inferred left out) that the
    contribution replaces: values of properties the shapes allow once (``sh:maxCount 1``), or
    once per language (``sh:uniqueLang``), for which the contribution gives another value.
    Build merges a contribution as a graph of its own, so a curator deletes these by hand
    when the change is accepted; until then the shapes report both values.
    """

    add: tuple[ox.Triple, ...] = ()
    remove: tuple[ox.Triple, ...] = ()


@dataclass(frozen=True)
class DuplicateCandidate:
    """An existing entity that a contribution resource probably duplicates."""

    iri: str
    label: str
    score: float  # 0-100, rapidfuzz similarity of the closest names (100 for an acronym)
    reason: str  # "name" | "name+date" | "acronym"


@dataclass(frozen=True)
class ContributionResult:
    """One finding about a contribution resource, from the shapes or from a contribution check."""

    severity: str  # Violation | Warning | Info
    rule_id: str
    focus: Term
    path: ox.NamedNode | None
    value: Term | None
    messages: dict[str, str] = field(hash=False, compare=False)
    constraint: str  # IRI of the SHACL constraint component, or of the check
    shape: str | None  # IRI of the source shape (None for a blank-node shape)
    position: Position | None = None
    diff: TripleDiff | None = None
    candidate: DuplicateCandidate | None = None

    def message(self, lang: str = "en") -> str:
        for key in (lang, "en", ""):
            if key in self.messages:
                return self.messages[key]
        return next(iter(self.messages.values()), self.rule_id)

    def sort_key(self) -> tuple[object, ...]:
        where = self.position
        return (
            where.source if where else "~",
            where.line or 0 if where else 0,
            where.column or 0 if where else 0,
            SEVERITY_ORDER[self.severity],
            self.rule_id,
            str(self.path or ""),
            str(self.value or ""),
        )


@dataclass(frozen=True)
class InputSummary:
    source: str
    format: str
    triples: int
    sha256: str


@dataclass(frozen=True)
class ContributionResource:
    """A subject of the contribution, where it is first described, whether the graph
    already has it, and the classes the contribution gives it."""

    term: Term
    position: Position | None
    existing: bool
    types: tuple[str, ...] = ()


@dataclass
class ContributionReport:
    inputs: list[InputSummary]
    resources: list[ContributionResource]
    results: list[ContributionResult]

    @property
    def conforms(self) -> bool:
        """No violation (warnings and infos allowed)."""
        return not any(r.severity == "Violation" for r in self.results)

    def passes(self, strict: bool = False) -> bool:
        """Conforms, and with ``strict`` has no warning either."""
        blocking = ("Violation", "Warning") if strict else ("Violation",)
        return not any(r.severity in blocking for r in self.results)

    def exit_code(self, strict: bool = False) -> int:
        return 0 if self.passes(strict) else 1

    def counts(self) -> dict[str, int]:
        counted = Counter(r.severity for r in self.results)
        return {name: counted.get(name, 0) for name in SEVERITY_ORDER}

    def sorted_results(self) -> list[ContributionResult]:
        return sorted(self.results, key=ContributionResult.sort_key)

    def results_for(self, term: Term) -> list[ContributionResult]:
        return [r for r in self.sorted_results() if r.focus == term]
