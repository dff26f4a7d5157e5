"""Where triples were written, in every syntax: exact positions, or none rather than wrong."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from icpc_kg.contribution.locate import SourceMap, Spot, locate
from icpc_kg.rdfio import format_named, load_project_context, parse_rdf

ID = "https://w3id.org/icpc-kg/id/"
SCHEMA = "http://schema.org/"
EVENT = ox.NamedNode(ID + "event/x")
NAME = ox.NamedNode(SCHEMA + "name")
LOCATION = ox.NamedNode(SCHEMA + "location")
MONTREAL = ox.NamedNode(ID + "place/montreal")
CONTEXT = load_project_context(Path(__file__).resolve().parent.parent / "ontology/context.jsonld")


def source_map(text: str, fmt: str) -> tuple[SourceMap, list[ox.Triple]]:
    data = text.encode("utf-8")
    quads = parse_rdf(data, format_named(fmt), context=CONTEXT)
    triples = [ox.Triple(q.subject, q.predicate, q.object) for q in quads]
    return SourceMap(locate(data, fmt, CONTEXT), triples), triples


TURTLE = """\
@base <https://w3id.org/icpc-kg/id/> .
@prefix schema: <http://schema.org/> .
# a comment with <event/x> and "a string"
<event/x> a <https://w3id.org/icpc-kg/ontology#Seminar> ;
    schema:name "Séminaire \\"x\\""@fr , \"\"\"Long
name\"\"\"@en ;
    schema:location <place/montreal> .
"""


def test_turtle_positions_of_subject_predicate_and_value() -> None:
    where, _ = source_map(TURTLE, "turtle")
    assert where.subject(EVENT) == Spot(4, 1)
    assert where.predicate(EVENT, NAME) == Spot(5, 5)
    assert where.value(EVENT, NAME, ox.Literal('Séminaire "x"', language="fr")) == Spot(5, 17)
    assert where.value(EVENT, NAME, ox.Literal("Long\nname", language="en")) == Spot(5, 40)
    assert where.value(EVENT, LOCATION, MONTREAL) == Spot(7, 21)


def test_trig_and_n_quads_positions() -> None:
    trig = f'GRAPH <http://g> {{\n  <{EVENT.value}> <{NAME.value}> "x" .\n}}\n'
    where, _ = source_map(trig, "trig")
    assert where.value(EVENT, NAME, ox.Literal("x")) == Spot(2, 66)
    nquads = (
        f'<{EVENT.value}> <{NAME.value}> "x" <http://g> .\n'
        f"<{EVENT.value}> <{LOCATION.value}> <{MONTREAL.value}> .\n"
    )
    where, _ = source_map(nquads, "nquads")
    assert where.subject(EVENT) == Spot(1, 1)
    assert where.value(EVENT, LOCATION, MONTREAL) == Spot(2, 68)


def test_blank_nodes_are_paired_by_what_they_say() -> None:
    text = (
        "@prefix oa: <http://www.w3.org/ns/oa#> .\n"
        f'<{ID}passage/p> oa:hasSelector [ oa:exact "one" ] ,\n'
        '    [ oa:exact "two" ] .\n'
    )
    where, triples = source_map(text, "turtle")
    selectors = {t.object.value: t.subject for t in triples if t.predicate.value.endswith("exact")}
    assert where.subject(selectors["one"]) == Spot(2, 56)
    assert where.subject(selectors["two"]) == Spot(3, 5)


JSONLD = """\
{
  "@context": "https://w3id.org/icpc-kg/context.jsonld",
  "@id": "id:event/x",
  "name": { "en": "X", "fr": "Le X" },
  "location": "id:place/montreal",
  "http://schema.org/description": "plain IRI key"
}
"""


def test_json_ld_positions_with_the_project_context() -> None:
    where, _ = source_map(JSONLD, "jsonld")
    assert where.subject(EVENT) == Spot(3, 3)
    assert where.predicate(EVENT, NAME) == Spot(4, 3)
    assert where.value(EVENT, NAME, ox.Literal("Le X", language="fr")) == Spot(4, 30)
    assert where.value(EVENT, LOCATION, MONTREAL) == Spot(5, 15)
    assert where.predicate(EVENT, ox.NamedNode(SCHEMA + "description")) == Spot(6, 3)


RDFXML = """\
<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
    xmlns:schema="http://schema.org/" xml:base="https://w3id.org/icpc-kg/id/">
  <rdf:Description rdf:about="event/x" schema:alternateName="X">
    <schema:name xml:lang="en">X</schema:name>
    <schema:location rdf:resource="place/montreal"/>
  </rdf:Description>
</rdf:RDF>
"""


def test_rdf_xml_positions_are_the_elements() -> None:
    where, _ = source_map(RDFXML, "rdfxml")
    assert where.subject(EVENT) == Spot(4, 3)
    assert where.value(EVENT, NAME, ox.Literal("X", language="en")) == Spot(5, 5)
    assert where.value(EVENT, LOCATION, MONTREAL) == Spot(6, 5)
    assert where.predicate(EVENT, ox.NamedNode(SCHEMA + "alternateName")) == Spot(4, 3)


@pytest.mark.parametrize(
    ("text", "fmt"),
    [
        # RDF 1.2 triple terms: the reader does not follow them.
        (f"<{EVENT.value}> <{NAME.value}> <<( <http://a> <http://b> <http://c> )>> .\n", "turtle"),
        # A scoped context the reader does not follow.
        (
            '{"@context": {"p": {"@id": "http://p", "@context": {}}}, '
            '"@id": "http://s", "p": {"@id": "http://o"}}',
            "jsonld",
        ),
    ],
)
def test_no_position_rather_than_a_wrong_one(text: str, fmt: str) -> None:
    where, triples = source_map(text, fmt)
    for t in triples:
        if isinstance(t.subject, ox.NamedNode) and t.subject.value in ("http://s", EVENT.value):
            assert where.value(t.subject, t.predicate, t.object) is None
