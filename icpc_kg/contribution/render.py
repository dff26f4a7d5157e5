"""A contribution report as text, JSON or a SHACL validation report in Turtle.

Text (``--format text``): results grouped by resource, one line each::

    contribution.ttl:14:5  Violation  DanglingReference  icpc:organizer  id:org/nobody  message

then a verdict line with the counts. ``-`` stands for a missing property or value.

JSON (``--format json``, and the body of POST /validate)::

    {
      "conforms": bool,            # no violation
      "passes": bool,              # conforms, and with strict no warning either
      "strict": bool,
      "counts": {"Violation": n, "Warning": n, "Info": n},
      "inputs": [{"source", "format", "triples", "sha256"}],
      "resources": [{"id": TERM, "position": POSITION, "existing": bool,
                     "types": [IRI],       # the classes the contribution states
                     "results": n}],
      "results": [{
        "severity": "Violation" | "Warning" | "Info",
        "ruleId": str,                        # stable: shape rule or contribution check
        "focusNode": TERM, "resultPath": IRI | null, "value": TERM | null,
        "message": {"en": str, "fr": str},
        "sourceConstraintComponent": IRI, "sourceShape": IRI | null,
        "position": POSITION,
        "diff": {"add": [NT], "remove": [NT]},                    # ExistingResource only
        "candidate": {"iri", "label", "score", "reason"}          # LikelyDuplicate only
      }]
    }

where TERM is a SPARQL 1.1 results JSON term (``{"type": "uri", "value": ...}``), POSITION is
``{"source", "line", "column"}`` or null, and NT is one triple in N-Triples.

Turtle (``--format turtle``): a standard ``sh:ValidationReport``; each result also carries
``checks:source``, ``checks:line`` and ``checks:column`` where known, ``checks:candidate``
for a likely duplicate, and ``checks:adds`` / ``checks:removes`` (N-Triples lines) for a
diff. The contribution checks' ``sh:sourceConstraintComponent`` is their IRI in
``https://w3id.org/icpc-kg/checks#``.
"""

from __future__ import annotations

import json
from typing import Any

import pyoxigraph as ox

from icpc_kg.contribution.messages import VERDICT
from icpc_kg.contribution.model import (
    CHECKS_NS,
    ContributionReport,
    ContributionResource,
    ContributionResult,
    Position,
    Term,
)
from icpc_kg.results import display_term, term_json
from icpc_kg.terminal import printable
from icpc_kg.vocab import PREFIXES, shrink

SH = "http://www.w3.org/ns/shacl#"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
XSD = "http://www.w3.org/2001/XMLSchema#"
MAX_CELL = 60


def _cut(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MAX_CELL else text[: MAX_CELL - 1] + "…"


def _term_text(term: Term | None) -> str:
    """A term as written in Turtle, with prefixed names."""
    if term is None:
        return "-"
    if isinstance(term, ox.NamedNode):
        return shrink(term.value)
    if isinstance(term, ox.Literal):
        quoted = json.dumps(term.value, ensure_ascii=False)
        if term.language:
            return f"{quoted}@{term.language}"
        if term.datatype.value != XSD + "string":
            return f"{quoted}^^{shrink(term.datatype.value)}"
        return quoted
    return display_term(term)


def _plural(count: int, words: tuple[str, str]) -> str:
    return f"{count} {words[0] if count == 1 else words[1]}"


def verdict(report: ContributionReport, lang: str = "en", strict: bool = False) -> str:
    words = VERDICT.get(lang, VERDICT["en"])
    if report.passes(strict):
        state = words["conforms_strict"] if strict else words["conforms"]
    else:
        state = words["fails_strict"] if strict and report.conforms else words["fails"]
    counts = report.counts()
    parts = ", ".join(_plural(counts[name], words[name]) for name in counts)  # type: ignore[arg-type]
    sources = ", ".join(i.source for i in report.inputs)
    resources = _plural(len(report.resources), words["resources"])  # type: ignore[arg-type]
    colon = words["colon"]
    return f"{sources}{colon}{state}{colon}{parts} ({resources} {words['checked']})"


def render_text(report: ContributionReport, lang: str = "en", strict: bool = False) -> str:
    words = VERDICT.get(lang, VERDICT["en"])
    lines: list[str] = []
    fallback = report.inputs[0].source if report.inputs else "-"
    listed = set()
    for resource in report.resources:
        results = report.results_for(resource.term)
        listed.add(resource.term)
        if not results:
            continue
        lines.append(_heading(resource, words))
        for result in results:
            lines.append("  " + _result_line(result, lang, fallback))
            lines.extend(_detail_lines(result))
    others = [r for r in report.sorted_results() if r.focus not in listed]
    for result in others:
        lines.append("  " + _result_line(result, lang, fallback))
    if lines:
        lines.append("")
    lines.append(verdict(report, lang, strict))
    # Values quoted from the document may hold control characters: shown escaped.
    return "\n".join(printable(line, keep="\t") for line in lines) + "\n"


def _heading(resource: ContributionResource, words: dict[str, Any]) -> str:
    """``id:event/x  (new)``; a blank node is named by its class: ``[ a icpc:Seminar ]``."""
    if isinstance(resource.term, ox.BlankNode):
        kinds = " , ".join(shrink(t) for t in resource.types)
        return f"[ a {kinds} ]" if kinds else "[ ]"
    state = words["existing"] if resource.existing else words["new"]
    return f"{display_term(resource.term)}  ({state})"


def _result_line(result: ContributionResult, lang: str, fallback: str) -> str:
    where = str(result.position) if result.position else fallback
    return "  ".join(
        (
            where,
            result.severity,
            result.rule_id,
            _term_text(result.path),
            _cut(_term_text(result.value)),
            result.message(lang),
        )
    )


def _detail_lines(result: ContributionResult) -> list[str]:
    out = []
    if result.diff is not None:
        for sign, triples in (("+", result.diff.add), ("-", result.diff.remove)):
            for t in triples:
                value = _cut(_term_text(t.object))  # type: ignore[arg-type]
                out.append(f"      {sign} {_term_text(t.predicate)} {value}")
    if result.candidate is not None:
        out.append(f"      = <{result.candidate.iri}>")
    return out


# --- JSON ------------------------------------------------------------------------------------


def _position_json(position: Position | None) -> dict[str, Any] | None:
    if position is None:
        return None
    return {"source": position.source, "line": position.line, "column": position.column}


def _ntriple(triple: ox.Triple) -> str:
    return f"{triple.subject} {triple.predicate} {triple.object} ."


def result_json(result: ContributionResult) -> dict[str, Any]:
    out: dict[str, Any] = {
        "severity": result.severity,
        "ruleId": result.rule_id,
        "focusNode": term_json(result.focus),
        "resultPath": result.path.value if result.path is not None else None,
        "value": term_json(result.value) if result.value is not None else None,
        "message": dict(sorted(result.messages.items())),
        "sourceConstraintComponent": result.constraint,
        "sourceShape": result.shape,
        "position": _position_json(result.position),
    }
    if result.diff is not None:
        out["diff"] = {
            "add": [_ntriple(t) for t in result.diff.add],
            "remove": [_ntriple(t) for t in result.diff.remove],
        }
    if result.candidate is not None:
        candidate = result.candidate
        out["candidate"] = {
            "iri": candidate.iri,
            "label": candidate.label,
            "score": candidate.score,
            "reason": candidate.reason,
        }
    return out


def report_json(report: ContributionReport, strict: bool = False) -> dict[str, Any]:
    counted = {r.term: len(report.results_for(r.term)) for r in report.resources}
    return {
        "conforms": report.conforms,
        "passes": report.passes(strict),
        "strict": strict,
        "counts": report.counts(),
        "inputs": [
            {"source": i.source, "format": i.format, "triples": i.triples, "sha256": i.sha256}
            for i in report.inputs
        ],
        "resources": [
            {
                "id": term_json(r.term),
                "position": _position_json(r.position),
                "existing": r.existing,
                "types": list(r.types),
                "results": counted[r.term],
            }
            for r in report.resources
        ],
        "results": [result_json(r) for r in report.sorted_results()],
    }


def render_json(report: ContributionReport, strict: bool = False) -> str:
    return json.dumps(report_json(report, strict), ensure_ascii=False, indent=2) + "\n"


# --- Turtle ----------------------------------------------------------------------------------


def report_triples(report: ContributionReport) -> list[ox.Triple]:
    """The report as a standard ``sh:ValidationReport`` graph."""
    sh = lambda name: ox.NamedNode(SH + name)  # noqa: E731
    checks = lambda name: ox.NamedNode(CHECKS_NS + name)  # noqa: E731
    node = ox.BlankNode("report")
    out = [
        ox.Triple(node, RDF_TYPE, sh("ValidationReport")),
        ox.Triple(
            node,
            sh("conforms"),
            ox.Literal(str(report.conforms).lower(), datatype=ox.NamedNode(XSD + "boolean")),
        ),
    ]
    for index, result in enumerate(report.sorted_results()):
        r = ox.BlankNode(f"result{index}")
        out += [
            ox.Triple(node, sh("result"), r),
            ox.Triple(r, RDF_TYPE, sh("ValidationResult")),
            ox.Triple(r, sh("focusNode"), result.focus),
            ox.Triple(r, sh("resultSeverity"), sh(result.severity)),
            ox.Triple(r, sh("sourceConstraintComponent"), ox.NamedNode(result.constraint)),
        ]
        if result.shape is not None:
            out.append(ox.Triple(r, sh("sourceShape"), ox.NamedNode(result.shape)))
        if result.path is not None:
            out.append(ox.Triple(r, sh("resultPath"), result.path))
        if result.value is not None:
            out.append(ox.Triple(r, sh("value"), result.value))
        for lang, text in sorted(result.messages.items()):
            literal = ox.Literal(text, language=lang) if lang else ox.Literal(text)
            out.append(ox.Triple(r, sh("resultMessage"), literal))
        if result.position is not None:
            out.append(ox.Triple(r, checks("source"), ox.Literal(result.position.source)))
            for name, number in (
                ("line", result.position.line),
                ("column", result.position.column),
            ):
                if number is not None:
                    out.append(
                        ox.Triple(
                            r,
                            checks(name),
                            ox.Literal(str(number), datatype=ox.NamedNode(XSD + "integer")),
                        )
                    )
        if result.candidate is not None:
            out.append(ox.Triple(r, checks("candidate"), ox.NamedNode(result.candidate.iri)))
        if result.diff is not None:
            for name, triples in (("adds", result.diff.add), ("removes", result.diff.remove)):
                out.extend(ox.Triple(r, checks(name), ox.Literal(_ntriple(t))) for t in triples)
    return out


def render_turtle(report: ContributionReport) -> str:
    prefixes = {"sh": SH, "checks": CHECKS_NS, **PREFIXES}
    data = ox.serialize(report_triples(report), format=ox.RdfFormat.TURTLE, prefixes=prefixes)
    return (data or b"").decode("utf-8")


RENDERERS = {
    "text": lambda report, lang, strict: render_text(report, lang, strict),
    "json": lambda report, lang, strict: render_json(report, strict),
    "turtle": lambda report, lang, strict: render_turtle(report),
}
