"""SPARQL results as objects, and their serialisations.

SELECT gives a :class:`SelectResult`, ASK an :class:`AskResult`, CONSTRUCT and DESCRIBE a
:class:`GraphResult`, whatever engine ran the query (the embedded store, a worker process or a
remote endpoint). Each serialises to the standard formats (SPARQL 1.1 results JSON, XML, CSV,
TSV; Turtle, N-Triples, JSON-LD, RDF/XML, TriG, N-Quads) and to an aligned text table.
Results are capped: a result that hit its cap says so (``truncated``).
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from typing import Any
from xml.sax.saxutils import escape as xml_escape
from xml.sax.saxutils import quoteattr

import pyoxigraph as ox

from icpc_kg.errors import UnsupportedFormatError
from icpc_kg.rdfio import FORMATS, XSD_STRING, RdfFormatInfo
from icpc_kg.vocab import ID, PREFIXES, shrink

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple


@dataclass
class SelectResult:
    variables: list[str]
    rows: list[tuple[Term | None, ...]] = field(default_factory=list)
    truncated: bool = False

    kind = "select"

    def __len__(self) -> int:
        return len(self.rows)

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        # Sent from query workers: pickling pyoxigraph terms one object at a time cost
        # 30-140 us per row at 1M; as SPARQL TSV text, parsed back by pyoxigraph, it is a
        # few us (terms written in N-Triples syntax round-trip exactly, blank node labels too).
        body = _rows_as_tsv(self.rows) if self.variables else None
        if body is None:
            return (SelectResult, (self.variables, self.rows, self.truncated))
        return (_select_from_tsv, (self.variables, body, self.truncated))

    def dicts(self) -> list[dict[str, Term]]:
        """Each row as ``{variable: term}``, unbound variables left out."""
        return [
            {v: t for v, t in zip(self.variables, row, strict=True) if t is not None}
            for row in self.rows
        ]

    def column(self, variable: str) -> list[Term | None]:
        index = self.variables.index(variable)
        return [row[index] for row in self.rows]


@dataclass
class AskResult:
    value: bool
    truncated: bool = False

    kind = "ask"


@dataclass
class GraphResult:
    triples: list[ox.Triple] = field(default_factory=list)
    truncated: bool = False

    kind = "graph"

    def __len__(self) -> int:
        return len(self.triples)

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        body = ox.serialize(self.triples, format=ox.RdfFormat.N_TRIPLES) or b""
        return (_graph_from_ntriples, (body, self.truncated))


def _rows_as_tsv(rows: list[tuple[Term | None, ...]]) -> bytes | None:
    """The rows as SPARQL TSV (without its header); None when a term has no TSV form (a
    quoted triple)."""
    lines = []
    for row in rows:
        if any(type(t) is ox.Triple for t in row):
            return None
        lines.append("\t".join("" if t is None else str(t) for t in row))
    return "\n".join(lines).encode("utf-8")


def _select_from_tsv(variables: list[str], body: bytes, truncated: bool) -> SelectResult:
    header = "\t".join(f"?{v}" for v in variables).encode("utf-8")
    parsed = ox.parse_query_results(header + b"\n" + body, format=ox.QueryResultsFormat.TSV)
    width = len(variables)
    rows = [tuple(solution[i] for i in range(width)) for solution in parsed]  # type: ignore[union-attr]
    return SelectResult(variables, rows, truncated)


def _graph_from_ntriples(body: bytes, truncated: bool) -> GraphResult:
    quads = ox.parse(body, format=ox.RdfFormat.N_TRIPLES)
    return GraphResult([ox.Triple(q.subject, q.predicate, q.object) for q in quads], truncated)


QueryResult = SelectResult | AskResult | GraphResult

# Result formats: name -> media type.
TABULAR_FORMATS = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "table": "text/plain",
}
GRAPH_FORMATS = {
    "turtle": "text/turtle",
    "ntriples": "application/n-triples",
    "jsonld": "application/ld+json",
    "rdfxml": "application/rdf+xml",
    "trig": "application/trig",
    "nquads": "application/n-quads",
    "table": "text/plain",
}


def collect(raw: Any, max_rows: int | None = None) -> QueryResult:
    """Turn a pyoxigraph query answer into a result object, keeping at most ``max_rows``."""
    if isinstance(raw, ox.QueryBoolean):
        return AskResult(bool(raw))
    if isinstance(raw, ox.QuerySolutions):
        variables = [v.value for v in raw.variables]
        rows: list[tuple[Term | None, ...]] = []
        truncated = False
        for solution in raw:
            if max_rows is not None and len(rows) >= max_rows:
                truncated = True
                break
            rows.append(tuple(solution[i] for i in range(len(variables))))
        return SelectResult(variables, rows, truncated)
    triples: list[ox.Triple] = []
    truncated = False
    for triple in raw:
        if max_rows is not None and len(triples) >= max_rows:
            truncated = True
            break
        triples.append(triple)
    return GraphResult(triples, truncated)


def formats_for(result: QueryResult) -> dict[str, str]:
    return GRAPH_FORMATS if isinstance(result, GraphResult) else TABULAR_FORMATS


def serialize_result(
    result: QueryResult, fmt: str, prefixes: dict[str, str] | None = None
) -> bytes:
    """``result`` in format ``fmt`` (a name from TABULAR_FORMATS or GRAPH_FORMATS)."""
    allowed = formats_for(result)
    if fmt not in allowed:
        kind = "CONSTRUCT/DESCRIBE" if isinstance(result, GraphResult) else "SELECT/ASK"
        raise UnsupportedFormatError(
            f"format {fmt!r} does not apply to {kind} results; use one of {', '.join(allowed)}"
        )
    if fmt == "table":
        return render_table(result, prefixes).encode("utf-8")
    if isinstance(result, GraphResult):
        return _serialize_graph(result, FORMATS[fmt], prefixes)
    writers = {"json": _json, "xml": _xml, "csv": _csv, "tsv": _tsv}
    return writers[fmt](result)


def _serialize_graph(
    result: GraphResult, info: RdfFormatInfo, prefixes: dict[str, str] | None
) -> bytes:
    """Triples grouped by subject; in Turtle and TriG, resources of the graph are written
    relative to ``{base}id/`` (``<event/x>``), other IRIs with the usual prefixes."""
    triples = sorted(
        dict.fromkeys(result.triples),
        key=lambda t: (str(t.subject), str(t.predicate), str(t.object)),
    )
    chosen = {
        k: v
        for k, v in (prefixes if prefixes is not None else PREFIXES).items()
        if k not in ("id", "graph")
    }
    use = used_prefixes(triples, chosen)
    items: list[Any] = triples
    if info.has_graphs and info.name != "jsonld":
        items = [ox.Quad(t.subject, t.predicate, t.object) for t in triples]
    if info.name in ("turtle", "trig"):
        return ox.serialize(items, format=info.oxigraph, prefixes=use, base_iri=str(ID)) or b""
    if info.name in ("jsonld", "rdfxml"):
        return ox.serialize(items, format=info.oxigraph, prefixes=use) or b""
    return ox.serialize(items, format=info.oxigraph) or b""


def used_prefixes(triples: list[ox.Triple], prefixes: dict[str, str]) -> dict[str, str]:
    """The prefixes whose namespace some IRI of ``triples`` falls in."""
    iris = {
        term.value
        for triple in triples
        for term in (triple.subject, triple.predicate, triple.object)
        if isinstance(term, ox.NamedNode)
    }
    iris |= {t.object.datatype.value for t in triples if isinstance(t.object, ox.Literal)}
    return {
        prefix: namespace
        for prefix, namespace in prefixes.items()
        if any(iri.startswith(namespace) for iri in iris)
    }


# --- SPARQL 1.1 Query Results JSON -------------------------------------------------------------


def term_json(term: Term) -> dict[str, Any]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out: dict[str, Any] = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    return {
        "type": "triple",
        "value": {
            "subject": term_json(term.subject),
            "predicate": term_json(term.predicate),
            "object": term_json(term.object),
        },
    }


def _json(result: QueryResult) -> bytes:
    if isinstance(result, AskResult):
        body: dict[str, Any] = {"head": {}, "boolean": result.value}
    else:
        assert isinstance(result, SelectResult)
        body = {
            "head": {"vars": result.variables},
            "results": {
                "bindings": [{v: term_json(t) for v, t in row.items()} for row in result.dicts()]
            },
        }
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


# --- SPARQL Query Results XML ------------------------------------------------------------------


def _term_xml(term: Term) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{xml_escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{xml_escape(term.value)}</bnode>"
    if isinstance(term, ox.Literal):
        if term.language:
            lang = quoteattr(term.language)
            return f"<literal xml:lang={lang}>{xml_escape(term.value)}</literal>"
        if term.datatype.value != XSD_STRING:
            return (
                f"<literal datatype={quoteattr(term.datatype.value)}>"
                f"{xml_escape(term.value)}</literal>"
            )
        return f"<literal>{xml_escape(term.value)}</literal>"
    return (
        f"<triple><subject>{_term_xml(term.subject)}</subject><predicate>"
        f"{_term_xml(term.predicate)}</predicate><object>{_term_xml(term.object)}</object></triple>"
    )


def _xml(result: QueryResult) -> bytes:
    out = io.StringIO()
    out.write('<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">')
    if isinstance(result, AskResult):
        out.write(f"<head/><boolean>{'true' if result.value else 'false'}</boolean></sparql>")
        return out.getvalue().encode("utf-8")
    assert isinstance(result, SelectResult)
    out.write("<head>")
    for variable in result.variables:
        out.write(f"<variable name={quoteattr(variable)}/>")
    out.write("</head><results>")
    for row in result.dicts():
        out.write("<result>")
        for variable, term in row.items():
            out.write(f"<binding name={quoteattr(variable)}>{_term_xml(term)}</binding>")
        out.write("</result>")
    out.write("</results></sparql>")
    return out.getvalue().encode("utf-8")


# --- SPARQL 1.1 Query Results CSV and TSV ------------------------------------------------------


def _csv_value(term: Term | None) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Literal):
        return term.value
    return str(term)


def _csv(result: QueryResult) -> bytes:
    if isinstance(result, AskResult):
        return b"_askResult\r\n" + (b"true" if result.value else b"false") + b"\r\n"
    assert isinstance(result, SelectResult)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(result.variables)
    for row in result.rows:
        writer.writerow([_csv_value(t) for t in row])
    return out.getvalue().encode("utf-8")


def _tsv(result: QueryResult) -> bytes:
    if isinstance(result, AskResult):
        return b"?_askResult\n" + (b"true" if result.value else b"false") + b"\n"
    assert isinstance(result, SelectResult)
    lines = ["\t".join(f"?{v}" for v in result.variables)]
    for row in result.rows:
        lines.append("\t".join("" if t is None else str(t) for t in row))
    return ("\n".join(lines) + "\n").encode("utf-8")


# --- text table ----------------------------------------------------------------------------------


def display_term(term: Term | None, prefixes: dict[str, str] | None = None) -> str:
    """A term as a person reads it: prefixed names, literals without quotes, @lang kept."""
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        return shrink(term.value, prefixes)
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Literal):
        text = term.value.replace("\n", " ")
        return f"{text}@{term.language}" if term.language else text
    return str(term)


def render_table(
    result: QueryResult, prefixes: dict[str, str] | None = None, max_width: int = 60
) -> str:
    """An aligned text table, cells longer than ``max_width`` cut with an ellipsis."""
    if isinstance(result, AskResult):
        return ("yes" if result.value else "no") + "\n"
    if isinstance(result, GraphResult):
        header = ["subject", "predicate", "object"]
        cells = [
            [
                display_term(t.subject, prefixes),
                display_term(t.predicate, prefixes),
                display_term(t.object, prefixes),
            ]
            for t in result.triples
        ]
    else:
        header = list(result.variables)
        cells = [[display_term(t, prefixes) for t in row] for row in result.rows]
    cut = [[_cut(cell, max_width) for cell in row] for row in cells]
    widths = [len(h) for h in header]
    for row in cut:
        widths = [max(w, len(c)) for w, c in zip(widths, row, strict=True)]
    lines = [
        "  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)).rstrip(),
        "  ".join("-" * w for w in widths),
    ]
    lines.extend(
        "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in cut
    )
    count = len(cut)
    noun = "triple" if isinstance(result, GraphResult) else "row"
    lines.append(
        f"({count} {noun}{'' if count == 1 else 's'}{', truncated' if result.truncated else ''})"
    )
    return "\n".join(lines) + "\n"


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"
