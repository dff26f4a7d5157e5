"""A SHACL-SPARQL query made ready to run: prefixes (5.2.1), $PATH, constants, the pre-binding
rules, and the query that evaluates it for every focus node at once.

Pre-binding (appendix of the spec) joins the focus node into every basic graph pattern of the
query. The engine gets the same answers in one query per constraint for all focus nodes: the
store evaluates the query ``LATERAL`` to each focus node, which substitutes ``$this``
everywhere in it, nested groups and subqueries included (as fast as joining the focus nodes in
at the top, which is exact only for some queries: see benchmarks/README.md). Constants
(``$currentShape``, the parameters of a constraint component) are written into the query;
``$shapesGraph`` becomes the name of the shapes graph in the store when the run has one.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox
import rdflib
from rdflib.namespace import OWL, SH
from rdflib.term import Node

from icpc_kg.errors import ShaclFailure
from icpc_kg.rdfio import from_rdflib
from icpc_kg.shacl.run import SHAPES_GRAPH_MARKER
from icpc_kg.shacl.shapes import label
from icpc_kg.shacl.sparql.syntax import (
    Analysis,
    analyse,
    expand,
    lateral_exists,
    replace_path,
    substitute,
)

_CHECK_GRAPH = "urn:x-icpc-kg:shacl:shapes-graph"


def declared_prefixes(g: rdflib.Graph, holder: Node, where: str) -> dict[str, str]:
    """The prefixes of ``sh:prefixes/owl:imports*/sh:declare`` from ``holder``; a failure
    when one prefix gets two namespaces."""
    prefixes: dict[str, str] = {}
    seen: set[Node] = set()
    todo = list(g.objects(holder, SH.prefixes))
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        todo.extend(g.objects(node, OWL.imports))
        for declaration in g.objects(node, SH.declare):
            prefix = g.value(declaration, SH.prefix)
            namespace = g.value(declaration, SH.namespace)
            if prefix is None or namespace is None:
                raise ShaclFailure(
                    f"{where}: a prefix declaration needs sh:prefix and sh:namespace"
                )
            name, iri = str(prefix), str(namespace)
            if prefixes.get(name, iri) != iri:
                raise ShaclFailure(
                    f"{where}: the prefix '{name}:' is declared for two namespaces "
                    f"({prefixes[name]} and {iri})"
                )
            prefixes[name] = iri
    return prefixes


@dataclass(frozen=True)
class PreparedQuery:
    """A query with prefixes expanded, $PATH and constants substituted; ``$this`` (and
    ``$value`` for an ASK validator) left as variables."""

    text: str
    analysis: Analysis
    where: str


def sparql_constant(node: Node, name: str, where: str) -> str:
    if isinstance(node, rdflib.BNode):
        raise ShaclFailure(
            f"{where}: ${name} would be pre-bound to the blank node {node.n3()}, which a query "
            "cannot name: give it an IRI"
        )
    return str(from_rdflib(node))


def prepare(
    g: rdflib.Graph,
    holder: Node,
    text: str,
    prebound: set[str],
    constants: dict[str, Node],
    path: str | None,
) -> PreparedQuery:
    """Ready ``text`` (the sh:select or sh:ask of ``holder``) to run."""
    where = label(holder)
    expanded = expand(text, declared_prefixes(g, holder, where), where)
    if path is not None:
        expanded = replace_path(expanded, path, where)
    values = {name: sparql_constant(node, name, where) for name, node in constants.items()}
    values["shapesGraph"] = SHAPES_GRAPH_MARKER
    analysis = analyse(expanded, prebound | {"shapesGraph", "currentShape"}, where)
    substituted = substitute(expanded, values)
    _check_syntax(substituted, where)
    # The analysis is of the text before the constants went in: recompute the offsets.
    analysis = analyse(substituted, prebound - set(constants), where)
    return PreparedQuery(substituted, analysis, where)


def _check_syntax(text: str, where: str) -> None:
    """A failure if the query does not parse (5.2.1: the processor MUST produce one)."""
    try:
        ox.Store().query(text.replace(SHAPES_GRAPH_MARKER, f"<{_CHECK_GRAPH}>"))
    except SyntaxError as error:
        raise ShaclFailure(f"{where}: the SPARQL query does not parse: {error}") from None


def select_for_focus(prepared: PreparedQuery, focus: str) -> str:
    """A SELECT giving the query's solutions for every focus node of ``focus`` (a group that
    binds ?this), each with ?this bound: the store evaluates the query LATERAL to each focus
    node, substituting ``$this`` everywhere in it (nested groups, subqueries), as the spec's
    pre-binding does."""
    text = prepared.text
    analysis = prepared.analysis
    # LATERAL substitutes ?this in the query only if the query returns it.
    if analysis.star is not None:
        names = " ".join(f"?{name}" for name in sorted(analysis.variables | {"this"}))
        text = text[: analysis.star[0]] + names + text[analysis.star[1] :]
    elif not analysis.projects_this:
        text = text[: analysis.projection_at] + " ?this" + text[analysis.projection_at :]
    return f"SELECT * WHERE {{ {focus} LATERAL {{ {lateral_exists(text)} }} }}"


def ask_for_values(prepared: PreparedQuery, values: str) -> str:
    """A SELECT of the (?this, ?value) rows of ``values`` for which the ASK query is false."""
    analysis = prepared.analysis
    if analysis.modifiers:
        raise ShaclFailure(f"{prepared.where}: an ASK validator may not have solution modifiers")
    body = prepared.text[analysis.where_open : analysis.where_close]
    return lateral_exists(
        f"SELECT DISTINCT ?this ?value WHERE {{ {values} FILTER NOT EXISTS {{ {body} }} }}"
    )
