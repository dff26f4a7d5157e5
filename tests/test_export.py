"""icpc_kg.export: the context, round trips (rdflib, pyld, oxigraph), determinism, the frames'
nesting, the schema.org profile, and the fast paths' agreement with pyld."""

from __future__ import annotations

import json
import random
import re
from typing import Any

import pyoxigraph as ox
import pytest
import rdflib
from pyld import jsonld
from rdflib.compare import isomorphic
from rdflib.namespace import OWL, RDF, RDFS

from icpc_kg import __version__
from icpc_kg.errors import InputError, UnknownChoiceError, UnsafeInputError
from icpc_kg.export import (
    CONTEXT_URL,
    EXPORT_FORMATS,
    FRAMES_DIR,
    PROFILES,
    SCHEMA_CONTEXT,
    check_export_options,
    compact,
    compactor_for,
    embed_blank_nodes,
    expand_triples,
    export_dataset,
    frame_names,
    frame_nodes,
    jsonld_document,
    load_frame,
    offline_document_loader,
    profile_quads,
    read_context_document,
    sort_arrays,
)
from icpc_kg.load import LoadedDataset
from icpc_kg.project import Project
from icpc_kg.rdfio import FORMATS, load_project_context, parse_rdf, triples_to_rdflib
from icpc_kg.vocab import ICPC, SCHEMA

ID = "https://w3id.org/icpc-kg/id/"
PYLD_FRAME_OPTIONS = {"omitDefault": True, "omitGraph": False, "pruneBlankNodeIdentifiers": True}

# Everything a JSON-LD serialiser can get wrong, in one graph: language tags, plain strings that
# look like blank nodes or compact IRIs, every date datatype, integers JSON cannot carry
# exactly or in their lexical form, an integer under a language-map property, IRIs equal to a
# namespace or outside every prefix, a term whose name is also an icpc: local name, literals
# where the context expects IRIs, blank-node chains, a shared blank node, a cycle, a blank
# node used as a type, and rdf:type with a literal.
EDGE_CASES = """
@prefix schema: <http://schema.org/> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix icpc: <https://w3id.org/icpc-kg/ontology#> . @prefix ex: <http://example.org/> .
<https://w3id.org/icpc-kg/id/event/x> a icpc:Seminar , ex:Thing , schema:Event ;
    schema:name "X"@en-GB , "Y"@en , "Z"@fr , "plain" , 5 , "schema:name" , "_:b0" ;
    schema:startDate "1998"^^xsd:gYear , "1998-11"^^xsd:gYearMonth , "1998-11-02"^^xsd:date ,
        "2018-02-28T10:00:00-05:00"^^xsd:dateTime ;
    schema:position "007"^^xsd:integer , 3 , -4 , 123456789012345678901234567890 , 1.5 , true ,
        "2"^^xsd:positiveInteger ;
    schema:location <https://w3id.org/icpc-kg/id/place/y> , "a literal location" ;
    schema:url <urn:isbn:123> , <http://schema.org/> , <https://w3id.org/icpc-kg/id/> ,
        <https://w3id.org/icpc-kg/ontology#> , <http://example.org/a?b=c#d> ;
    schema:familyName "Plain" ; schema:givenName "Tagged"@en ;
    ex:p [ ex:q [ ex:r "deep" ] ] , _:shared ;
    ex:s _:shared ;
    ex:cycle _:c1 ;
    icpc:name "an icpc: IRI whose local name is a term" ;
    icpc:notInTheOntology "reached through @vocab" ;
    icpc:pointKind icpc:Trend , "a literal kind" ;
    icpc:organizer <https://w3id.org/icpc-kg/id/org/z> ;
    a "a literal type" .
<https://w3id.org/icpc-kg/id/org/z> schema:name "Z org"@en .
_:c1 ex:next _:c2 . _:c2 ex:next _:c1 .
_:shared ex:label "shared" .
_:orphan ex:label "orphan" ; a _:btype .
"""


def edge_case_quads() -> list[ox.Quad]:
    return [
        ox.Quad(t.subject, t.predicate, t.object)
        for t in ox.parse(EDGE_CASES.encode(), format=ox.RdfFormat.TURTLE)
    ]


@pytest.fixture(scope="module")
def context_document() -> dict[str, Any]:
    return read_context_document()


@pytest.fixture(scope="module")
def full_quads(assembled: LoadedDataset) -> list[ox.Quad]:
    return profile_quads(assembled, "full")


@pytest.fixture(scope="module")
def full_export(assembled: LoadedDataset) -> bytes:
    return export_dataset(assembled, "jsonld")


def graph_of(quads: list[ox.Quad] | list[ox.Triple]) -> rdflib.Graph:
    """The quads as an rdflib graph whose literals are in rdflib's canonical lexical form
    ("007" -> "7"), as rdflib's own parsers write them: isomorphic() compares lexical forms."""
    graph = rdflib.Graph()
    for s, p, o in triples_to_rdflib(quads):
        if isinstance(o, rdflib.Literal):
            o = rdflib.Literal(str(o), lang=o.language, datatype=o.datatype)
        graph.add((s, p, o))
    return graph


def same_triples(left: list[ox.Quad], right: list[ox.Quad]) -> bool:
    """Isomorphic as graphs (graph names dropped), by RDFC-1.0 in pyoxigraph: the quick check
    for the syntaxes besides JSON-LD; the JSON-LD round trips use rdflib's isomorphic."""

    def canonical(quads: list[ox.Quad]) -> set[ox.Quad]:
        dataset = ox.Dataset(ox.Quad(q.subject, q.predicate, q.object) for q in quads)
        dataset.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
        return set(dataset)

    return canonical(left) == canonical(right)


def inline_context(document: dict[str, Any], context_document: dict[str, Any]) -> dict[str, Any]:
    if document["@context"] == CONTEXT_URL:
        return {**document, "@context": context_document["@context"]}
    return document


def parsed_by_rdflib(data: bytes, context_document: dict[str, Any]) -> rdflib.Graph:
    """rdflib's own JSON-LD parser, given the context inline (it would fetch the URL)."""
    document = inline_context(json.loads(data), context_document)
    return rdflib.Graph().parse(data=json.dumps(document), format="json-ld")


def parsed_by_pyld(data: bytes, context_document: dict[str, Any]) -> rdflib.Graph:
    """pyld's toRdf with the offline loader, as N-Quads read by rdflib."""
    options = {
        "format": "application/n-quads",
        "documentLoader": offline_document_loader(context_document),
    }
    nquads = jsonld.to_rdf(json.loads(data), options)
    graph = rdflib.Graph()
    for s, p, o, _ in rdflib.Dataset().parse(data=nquads, format="nquads").quads():
        graph.add((s, p, o))
    return graph


def parsed_by_oxigraph(data: bytes, context_document: dict[str, Any]) -> rdflib.Graph:
    return graph_of(parse_rdf(data, FORMATS["jsonld"], context=context_document["@context"]))


def iter_nodes(value: Any) -> Any:
    if isinstance(value, dict):
        yield value
        for item in value.values():
            yield from iter_nodes(item)
    elif isinstance(value, list):
        for item in value:
            yield from iter_nodes(item)


def top(document: dict[str, Any], node_id: str) -> dict[str, Any]:
    (node,) = [n for n in document["@graph"] if n["@id"] == node_id]
    return node


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


# --------------------------------------------------------------------------------------------
# The context
# --------------------------------------------------------------------------------------------


def test_context_states_the_package_version_and_its_url(context_document: dict) -> None:
    assert context_document["version"] == __version__
    assert context_document["url"] == CONTEXT_URL
    assert context_document["@context"]["@version"] == 1.1


def test_every_ontology_term_has_a_short_name(project: Project, context_document: dict) -> None:
    ontology = rdflib.Graph().parse(project.ontology_dir / "icpc.ttl")
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.NamedIndividual)
    terms = {str(s) for kind in kinds for s in ontology.subjects(RDF.type, kind) if str(s) in ICPC}
    assert len(terms) > 90
    compactor = compactor_for(context_document["@context"])
    assert compactor is not None
    local = {t: t[len(ICPC) :] for t in terms}
    missing = sorted(t for t in terms if getattr(compactor.terms.get(local[t]), "iri", "") != t)
    assert missing == []


def test_the_data_reads_with_short_names(full_export: bytes) -> None:
    """Every property and type of the data's resources has a short name, except
    schema:isPartOf, whose short name is icpc:isPartOf's (the data asserts both)."""
    resources = [n for n in json.loads(full_export)["@graph"] if n["@id"].startswith("id:")]
    assert len(resources) > 200
    prefixed_keys: set[str] = set()
    prefixed_types: set[str] = set()
    for resource in resources:
        for node in iter_nodes(resource):
            prefixed_keys.update(k for k in node if ":" in k)
            if "@value" not in node:
                prefixed_types.update(t for t in as_list(node.get("@type", [])) if ":" in t)
    assert prefixed_keys == {"schema:isPartOf"}
    assert prefixed_types == set()


def test_the_context_uses_only_what_the_fast_compactor_implements(
    context_document: dict,
) -> None:
    # Otherwise every export silently falls back to pyld, about 20 times slower.
    assert compactor_for(context_document["@context"]) is not None
    assert compactor_for(SCHEMA_CONTEXT) is not None


def test_dates_keep_their_datatypes_and_iris_are_coerced(context_document: dict) -> None:
    terms = context_document["@context"]
    for name in ("startDate", "endDate", "datePublished", "date"):
        assert isinstance(terms[name], str)  # no datatype coercion: the datatypes vary
    for name in ("location", "organizer", "coOrganizer", "hasEventPart", "inSeries", "theme"):
        assert terms[name]["@type"] == "@id"
    for name in ("name", "prefLabel", "acronym", "description"):
        assert terms[name]["@container"] == "@language"


def test_the_export_embeds_its_context_so_rdflib_expands_it_unaided(
    full_export: bytes, full_quads: list[ox.Quad], context_document: dict
) -> None:
    """rdflib's parser gets the file as it is: it would have to fetch a context the document
    only named (and the published URL does not resolve)."""
    assert json.loads(full_export)["@context"] == context_document["@context"]
    parsed = rdflib.Graph().parse(data=full_export, format="json-ld")
    assert isomorphic(parsed, graph_of(full_quads))


def test_with_a_context_url_the_document_names_it(
    assembled: LoadedDataset, project: Project, full_quads: list[ox.Quad]
) -> None:
    named = export_dataset(assembled, "jsonld", context_url=CONTEXT_URL)
    assert json.loads(named)["@context"] == CONTEXT_URL
    context = load_project_context(project.context_file)
    parsed = parse_rdf(named, FORMATS["jsonld"], source="export.jsonld", context=context)
    assert same_triples(parsed, full_quads)
    framed = export_dataset(assembled, "jsonld", "events", context_url="https://example.org/c")
    assert json.loads(framed)["@context"] == "https://example.org/c"


@pytest.mark.parametrize(
    ("fmt", "frame", "profile", "url", "message"),
    [
        ("turtle", None, "full", CONTEXT_URL, "only JSON-LD names a context"),
        ("jsonld", None, "schema", CONTEXT_URL, "carries its own small context inline"),
        ("jsonld", None, "full", "context.jsonld", "needs an absolute http(s) URL"),
        ("jsonld", None, "full", "file:///etc/passwd", "needs an absolute http(s) URL"),
        ("jsonld", None, "full", "https://exa mple.org/", "needs an absolute http(s) URL"),
    ],
)
def test_a_context_url_that_cannot_apply_is_refused(
    fmt: str, frame: str | None, profile: str, url: str, message: str
) -> None:
    with pytest.raises(InputError, match=re.escape(message)):
        check_export_options(fmt, frame, profile, url)


def test_the_document_loader_serves_only_the_project_context(context_document: dict) -> None:
    loader = offline_document_loader(context_document)
    assert loader(CONTEXT_URL)["document"] == context_document
    with pytest.raises(jsonld.JsonLdError):
        loader("https://example.org/context.jsonld")
    remote = {"@context": "https://example.org/context.jsonld", "name": "x"}
    with pytest.raises(jsonld.JsonLdError):
        jsonld.expand(remote, {"documentLoader": loader})


# --------------------------------------------------------------------------------------------
# Round trips
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("parse", [parsed_by_rdflib, parsed_by_pyld])
def test_expanding_the_full_export_gives_back_the_asserted_graph(
    parse: Any, full_export: bytes, full_quads: list[ox.Quad], context_document: dict
) -> None:
    assert isomorphic(parse(full_export, context_document), graph_of(full_quads))


@pytest.mark.parametrize("parse", [parsed_by_rdflib, parsed_by_pyld, parsed_by_oxigraph])
@pytest.mark.parametrize("profile", PROFILES)
def test_edge_cases_round_trip(parse: Any, profile: str, context_document: dict) -> None:
    quads = edge_case_quads()
    data = json.dumps(jsonld_document(quads, profile)).encode()
    assert isomorphic(parse(data, context_document), graph_of(quads))


def test_the_schema_export_round_trips_too(
    assembled: LoadedDataset, context_document: dict
) -> None:
    data = export_dataset(assembled, "jsonld", profile="schema")
    expected = graph_of(profile_quads(assembled, "schema"))
    assert isomorphic(parsed_by_pyld(data, context_document), expected)
    assert isomorphic(parsed_by_rdflib(data, context_document), expected)


def test_the_full_profile_is_every_asserted_graph(assembled: LoadedDataset) -> None:
    quads = profile_quads(assembled, "full")
    graphs = {q.graph_name.value for q in quads}
    expected = {g.name for g in assembled.graphs if g.kind != "inferred"}
    assert graphs == expected
    assert "https://w3id.org/icpc-kg/graph/inferred" not in graphs


@pytest.mark.parametrize("fmt", [f for f in EXPORT_FORMATS if f != "jsonld"])
def test_rdf_formats_parse_back_to_the_same_graph(
    fmt: str, assembled: LoadedDataset, full_quads: list[ox.Quad]
) -> None:
    data = export_dataset(assembled, fmt)
    parsed = parse_rdf(data, FORMATS[fmt])
    assert same_triples(parsed, full_quads)
    if FORMATS[fmt].has_graphs:  # one named graph per source file
        assert {q.graph_name.value for q in parsed} == {q.graph_name.value for q in full_quads}


def test_readable_shapes(full_export: bytes) -> None:
    document = json.loads(full_export)
    event = top(document, "id:event/policing-for-prevention-1998-montreal")
    assert event["@type"] == "Seminar"
    assert event["name"] == {"en": "First Policing for Prevention seminar"}
    assert event["startDate"] == {"@type": "xsd:gYearMonth", "@value": "1998-11"}
    assert event["location"] == "id:place/montreal"
    assert event["edition"] == 1
    passage = top(document, "id:passage/lunch-seminars-16-46")
    selectors = sorted(passage["hasSelector"], key=lambda s: s["@type"])
    assert selectors[0] == {"@type": "TextPositionSelector", "start": 16, "end": 46}
    assert selectors[1]["@type"] == "TextQuoteSelector"
    assert not any(str(n.get("@id", "")).startswith("_:") for n in iter_nodes(document))


# --------------------------------------------------------------------------------------------
# Determinism
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", EXPORT_FORMATS)
def test_two_exports_are_byte_identical(fmt: str, assembled: LoadedDataset) -> None:
    assert export_dataset(assembled, fmt) == export_dataset(assembled, fmt)


@pytest.mark.parametrize(
    ("profile", "frame"), [("full", None), ("schema", None), ("full", "events")]
)
def test_jsonld_ignores_quad_order_and_blank_node_labels(
    profile: str, frame: str | None, assembled: LoadedDataset
) -> None:
    quads = profile_quads(assembled, profile)
    shuffled = list(quads)
    random.Random(7).shuffle(shuffled)
    relabel: dict[str, ox.BlankNode] = {}

    def fresh(term: Any) -> Any:
        if isinstance(term, ox.BlankNode):
            return relabel.setdefault(term.value, ox.BlankNode())
        return term

    relabelled = [ox.Quad(fresh(q.subject), q.predicate, fresh(q.object)) for q in shuffled]
    assert jsonld_document(relabelled, profile, frame) == jsonld_document(quads, profile, frame)


def test_shared_blank_nodes_get_canonical_labels() -> None:
    quads = edge_case_quads()
    shuffled = list(reversed(quads))
    assert jsonld_document(shuffled) == jsonld_document(quads)
    labels = {n["@id"] for n in jsonld_document(quads)["@graph"] if n["@id"].startswith("_:")}
    assert labels and all(label.startswith("_:c14n") for label in labels)


# --------------------------------------------------------------------------------------------
# The fast paths give what pyld gives
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("profile", PROFILES)
def test_compaction_equals_pyld_on_the_bundled_graph(
    profile: str, assembled: LoadedDataset, context_document: dict
) -> None:
    nodes = embed_blank_nodes(expand_triples(profile_quads(assembled, profile)))
    reference = CONTEXT_URL if profile == "full" else SCHEMA_CONTEXT
    options = {"graph": True, "documentLoader": offline_document_loader(context_document)}
    expected = jsonld.compact(nodes, reference, options)
    assert sort_arrays(compact(nodes, reference, context_document)) == sort_arrays(expected)


def test_compaction_equals_pyld_on_edge_cases_except_numbers_in_language_maps(
    context_document: dict,
) -> None:
    quads = [q for q in edge_case_quads() if q.object != ox.Literal("5", datatype=_INTEGER)]
    nodes = embed_blank_nodes(expand_triples(quads))
    for reference in (CONTEXT_URL, SCHEMA_CONTEXT):
        options = {"graph": True, "documentLoader": offline_document_loader(context_document)}
        expected = jsonld.compact(nodes, reference, options)
        assert sort_arrays(compact(nodes, reference, context_document)) == sort_arrays(expected)


_INTEGER = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")


def test_an_integer_name_stays_outside_the_language_map(context_document: dict) -> None:
    # pyld would write {"name": {"en": "a", "@none": 5}}, which does not expand again.
    quads = [
        ox.Quad(
            ox.NamedNode(ID + "event/x"),
            ox.NamedNode(SCHEMA + "name"),
            ox.Literal("a", language="en"),
        ),
        ox.Quad(
            ox.NamedNode(ID + "event/x"),
            ox.NamedNode(SCHEMA + "name"),
            ox.Literal("5", datatype=_INTEGER),
        ),
    ]
    (node,) = jsonld_document(quads)["@graph"]
    assert node["name"] == {"en": "a"}
    assert node["schema:name"] == 5


@pytest.mark.parametrize(("profile", "name"), [(p, n) for p in PROFILES for n in frame_names(p)])
def test_framing_in_chunks_equals_pyld_framing_everything(
    profile: str, name: str, assembled: LoadedDataset, context_document: dict
) -> None:
    nodes = expand_triples(profile_quads(assembled, profile))
    frame = load_frame(name, profile)
    options = {**PYLD_FRAME_OPTIONS, "documentLoader": offline_document_loader(context_document)}
    expected = sort_arrays(jsonld.frame(nodes, frame, options))
    assert sort_arrays(frame_nodes(nodes, frame, context_document)) == expected


def test_an_iri_that_reads_as_a_compact_iri_is_refused() -> None:
    quads = [
        ox.Quad(ox.NamedNode(ID + "event/x"), ox.NamedNode(SCHEMA + "url"), ox.NamedNode("id:x"))
    ]
    with pytest.raises(InputError, match="compact IRI with the prefix 'id'"):
        jsonld_document(quads)


# --------------------------------------------------------------------------------------------
# Frames
# --------------------------------------------------------------------------------------------


def test_frame_files_name_their_profile_context() -> None:
    for profile in PROFILES:
        for name in frame_names(profile):
            frame = json.loads((FRAMES_DIR / profile / f"{name}.jsonld").read_text("utf-8"))
            assert frame["@context"] == (CONTEXT_URL if profile == "full" else SCHEMA_CONTEXT)
    assert frame_names("full") == ["events", "organisations", "people", "publications", "themes"]
    assert frame_names("schema") == ["events", "organisations", "people", "publications"]


@pytest.mark.parametrize(
    ("frame", "root"),
    [("events", "Event"), ("organisations", "Organization"), ("publications", "Publication")],
)
def test_a_frame_lists_every_subclass_of_its_root(
    frame: str, root: str, assembled: LoadedDataset
) -> None:
    subclasses = {
        r["c"].value
        for r in assembled.store.query(
            f"SELECT ?c WHERE {{ ?c <{RDFS.subClassOf}> <{ICPC}{root}> }}",
            use_default_graph_as_union=True,
        )
        if r["c"].value.startswith(str(ICPC))
    }
    listed = {str(ICPC) + t for t in load_frame(frame)["@type"]}
    assert subclasses <= listed


@pytest.fixture(scope="module")
def framed(assembled: LoadedDataset) -> dict[str, dict[str, Any]]:
    return {
        name: json.loads(export_dataset(assembled, "jsonld", frame=name))
        for name in frame_names("full")
    }


def test_events_frame_nests_place_organisers_parts_series_and_themes(
    framed: dict, context_document: dict
) -> None:
    events = framed["events"]
    assert events["@context"] == context_document["@context"]
    washington = top(events, "id:event/policing-for-prevention-2001-washington")
    assert washington["location"]["name"] == {"en": "Washington DC", "fr": "Washington"}
    co_organisers = {o["@id"]: o for o in washington["coOrganizer"]}
    assert len(co_organisers) == 4
    assert co_organisers["id:org/iacp"]["name"] == {
        "en": "International Association of Chiefs of Police"
    }
    assert co_organisers["id:org/iacp"]["acronym"] == {"en": "IACP"}
    assert all("name" in o and "statedIn" not in o for o in co_organisers.values())
    assert washington["organizer"]["acronym"] == {"en": "ICPC", "fr": "CIPC"}
    assert washington["inSeries"]["name"] == {"en": "Policing for Prevention seminars"}
    assert {t["prefLabel"]["en"] for t in washington["theme"]} >= {"Partnership"}
    assert all(isinstance(p, str) for p in washington["statedIn"])  # references only

    montreal = top(events, "id:event/policing-for-prevention-1998-montreal")
    assert montreal["location"]["containedInPlace"]["name"]["en"] == "Canada"

    conference = top(events, "id:event/coordination-mini-conference-2018")
    parts = sorted(as_list(conference["hasEventPart"]), key=lambda p: p["position"])
    assert [p["presenter"]["name"]["@none"] for p in parts] == [
        "René-André Brisebois",
        "Pier-Alexandre Lemaire",
    ]


def test_every_event_is_a_top_level_entry_of_the_events_frame(
    framed: dict, assembled: LoadedDataset
) -> None:
    events = {
        r["e"].value
        for r in assembled.store.query(
            f"SELECT ?e WHERE {{ ?e a <{ICPC}Event> }}", use_default_graph_as_union=True
        )
    }
    listed = {ID + n["@id"].removeprefix("id:") for n in framed["events"]["@graph"]}
    assert listed == events


def test_publications_frame_nests_parts_publisher_funder_and_event(framed: dict) -> None:
    publications = framed["publications"]
    kit = top(publications, "id:publication/role-of-the-police-in-crime-prevention-tool-kit")
    assert len(kit["hasPart"]) == 6
    assert "Creating Change" in {p["name"]["en"] for p in kit["hasPart"]}
    assert kit["publisher"]["acronym"]["en"] == "ICPC"
    guide = top(publications, "id:publication/coordination-guide")
    assert guide["funder"]["name"] == {"en": "Motorola Solutions Foundation"}
    report = top(
        publications, "id:publication/role-of-the-police-in-crime-prevention-synthesis-report"
    )
    assert report["followsEvent"]["location"]["name"]["en"] == "Montreal"


def test_people_frame_nests_memberships_roles_and_presentations(framed: dict) -> None:
    person = top(framed["people"], "id:person/pier-alexandre-lemaire")
    membership = person["hasMembership"]
    assert membership["organization"]["acronym"] == {"en": "ICPC", "fr": "CIPC"}
    roles = {r["prefLabel"]["en"] for r in membership["role"]}
    assert roles == {"Analyst", "Project Officer"}
    assert membership["roleTitle"] == {"en": "Analyst and Project Officer"}
    assert person["presented"]["eventPartOf"]["@id"] == "id:event/coordination-mini-conference-2018"


def test_organisations_frame_nests_what_they_organised_and_funded(framed: dict) -> None:
    organisations = framed["organisations"]
    icpc = top(organisations, "id:org/icpc")
    organised = {e["@id"] for e in icpc["organized"]}
    assert "id:event/policing-for-prevention-2001-washington" in organised
    assert "id:event/coordination-mini-conference-2018" in organised
    assert icpc["memberships"]["member"]["@id"] == "id:person/pier-alexandre-lemaire"
    iacp = top(organisations, "id:org/iacp")
    assert iacp["coOrganized"]["name"] == {"en": "Third Policing for Prevention seminar"}
    motorola = top(organisations, "id:org/motorola-solutions-foundation")
    assert motorola["funded"]["@id"] == "id:publication/coordination-guide"


def test_themes_frame_is_a_skos_tree(framed: dict) -> None:
    scheme = top(framed["themes"], "id:scheme/themes")
    policing = next(
        c for c in scheme["hasTopConcept"] if c["@id"] == "id:theme/policing-and-prevention"
    )
    change = next(
        c for c in policing["narrower"] if c["@id"] == "id:theme/police-organisational-change"
    )
    assert change["narrower"]["prefLabel"]["en"] == "Creating and managing change"
    agenda = top(framed["themes"], "id:scheme/agenda-themes")
    assert len(agenda["hasTopConcept"]) == 6


def test_a_frame_can_be_restricted_to_one_resource(assembled: LoadedDataset) -> None:
    iri = ID + "event/policing-for-prevention-2001-washington"
    document = jsonld_document(profile_quads(assembled, "schema"), "schema", "events", ids=[iri])
    (event,) = document["@graph"]
    assert event["@id"] == iri
    assert {o["name"] for o in event["organizer"]} >= {
        "International Association of Chiefs of Police"
    }
    assert "Washington DC" in event["location"]["name"]


# --------------------------------------------------------------------------------------------
# The schema.org profile
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def schema_export(assembled: LoadedDataset) -> bytes:
    return export_dataset(assembled, "jsonld", profile="schema")


def test_schema_profile_has_only_schema_org_terms(
    schema_export: bytes, context_document: dict
) -> None:
    graph = parsed_by_pyld(schema_export, context_document)
    assert len(graph) > 300
    for _, p, o in graph:
        assert str(p).startswith(str(SCHEMA)) or (p == RDF.type and str(o).startswith(str(SCHEMA)))
    document = json.loads(schema_export)
    for node in iter_nodes(document["@graph"]):
        for key in node:
            assert key.startswith("@") or (":" not in key and "/" not in key), key


def test_schema_profile_describes_every_event_for_search_engines(
    schema_export: bytes, assembled: LoadedDataset
) -> None:
    document = json.loads(schema_export)
    assert document["@context"] == SCHEMA_CONTEXT
    by_id = {n["@id"]: n for n in document["@graph"]}
    rows = assembled.store.query(
        f"SELECT ?e (SAMPLE(?d) AS ?start) WHERE {{ ?e a <{ICPC}Event> "
        f"OPTIONAL {{ ?e <{SCHEMA}startDate> ?d }} }} GROUP BY ?e",
        use_default_graph_as_union=True,
    )
    events = 0
    for row in rows:
        node = by_id[row["e"].value]
        assert "Event" in as_list(node["@type"])
        assert node["name"]
        if row["start"] is not None:
            assert node["startDate"]["@value"] == row["start"].value
        events += 1
    assert events == 13
    washington = by_id[ID + "event/policing-for-prevention-2001-washington"]
    assert washington["location"] == {"@id": ID + "place/washington-dc"}
    assert len(washington["organizer"]) == 5  # icpc:organizer and icpc:coOrganizer, inferred
    person = by_id[ID + "person/pier-alexandre-lemaire"]
    assert person["familyName"] == "Lemaire"
    assert person["jobTitle"] == "Analyst and Project Officer"


# --------------------------------------------------------------------------------------------
# Errors
# --------------------------------------------------------------------------------------------


def test_an_unknown_profile_lists_the_valid_ones(assembled: LoadedDataset) -> None:
    with pytest.raises(UnknownChoiceError, match=r"unknown profile 'web'; use one of full, schema"):
        export_dataset(assembled, "jsonld", profile="web")


def test_an_unknown_frame_lists_the_valid_ones(assembled: LoadedDataset) -> None:
    with pytest.raises(UnknownChoiceError) as raised:
        export_dataset(assembled, "jsonld", frame="venues")
    assert raised.value.valid == frame_names("full")
    assert "events, organisations, people, publications, themes" in str(raised.value)
    with pytest.raises(UnknownChoiceError, match="for the schema profile"):
        export_dataset(assembled, "jsonld", frame="themes", profile="schema")


def test_a_frame_needs_jsonld(assembled: LoadedDataset) -> None:
    with pytest.raises(InputError, match="--format jsonld"):
        export_dataset(assembled, "turtle", frame="events")


def test_a_remote_context_in_a_frame_is_refused(context_document: dict) -> None:
    frame = {"@context": "https://example.org/context.jsonld", "@type": "Event"}
    with pytest.raises(UnsafeInputError):
        frame_nodes([], frame, context_document)
