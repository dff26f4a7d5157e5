"""OWL 2 RL entailments of a large dataset: what :func:`icpc_kg.reason.infer` gives, faster.

``reason.infer`` hands every triple to reasonable, whose cost is mostly converting terms to
and from rdflib (about 10 µs a triple: 30 s at a million triples). Two ways to hand it less,
each exact under a condition checked first; the tests compare both with ``reason.infer``.

Templates, when the schema uses only single-premise constructs (rdfs:subClassOf,
subPropertyOf, domain, range, owl:inverseOf, equivalentClass and equivalentProperty,
symmetric properties; declarations and annotations). Then every OWL 2 RL rule that fires on a
data triple needs no other data triple, so what a triple entails depends only on its
predicate (for rdf:type, its class) and on the kinds of its subject and object. reasonable
works out, in one small run over the schema, what one triple of each such *signature*
entails, with placeholders for subject and object; those templates are then filled in for
every triple. ``icpc_kg``'s own ontology is of this kind (it avoids property chains and
restrictions on purpose).

Leaving out inert triples, otherwise, when nothing can make two terms owl:sameAs (sameAs
rewrites triples whatever their predicate). A rule then only fires on rdf:type, on a triple
whose predicate some schema triple names, or on a schema triple; the other triples
(schema:description, oa:exact: most literal-valued ones) entail nothing, except that
reasonable types the subject of every triple as owl:Thing, so one triple per subject stays.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pyoxigraph as ox

from icpc_kg.reason import infer

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
RDF_TYPE = RDF + "type"
SCHEMA_NAMESPACES = (RDF, RDFS, OWL)

# Schema triples of single-premise rules (cax-sco, cax-eqc, prp-spo1, prp-eqp, prp-dom,
# prp-rng, prp-inv, prp-symp and the scm-* rules between them).
AXIOM_PREDICATES = frozenset(
    RDFS + name for name in ("subClassOf", "subPropertyOf", "domain", "range")
) | frozenset(OWL + name for name in ("inverseOf", "equivalentClass", "equivalentProperty"))
# Schema predicates that no rule reads: ordinary triples for the templates.
ANNOTATION_PREDICATES = frozenset(
    (RDFS + "label", RDFS + "comment", RDFS + "seeAlso", RDFS + "isDefinedBy")
) | frozenset(
    OWL + name
    for name in (
        "versionInfo",
        "versionIRI",
        "priorVersion",
        "backwardCompatibleWith",
        "incompatibleWith",
        "deprecated",
        "imports",
    )
)
# rdf:type objects that declare, and (SymmetricProperty) one single-premise characteristic.
DECLARATIONS = frozenset(
    (RDFS + "Class", RDF + "Property", RDFS + "Resource", RDFS + "Datatype", RDFS + "Literal")
) | frozenset(
    OWL + name
    for name in (
        "Class",
        "Thing",
        "Nothing",
        "ObjectProperty",
        "DatatypeProperty",
        "AnnotationProperty",
        "OntologyProperty",
        "NamedIndividual",
        "Ontology",
        "DeprecatedClass",
        "DeprecatedProperty",
        "SymmetricProperty",
    )
)
# What can make two terms owl:sameAs.
SAME_AS_PREDICATES = tuple(
    OWL + name
    for name in (
        "sameAs",
        "hasKey",
        "maxCardinality",
        "maxQualifiedCardinality",
        "cardinality",
        "qualifiedCardinality",
    )
)
SAME_AS_TYPES = (OWL + "FunctionalProperty", OWL + "InverseFunctionalProperty")
PLACEHOLDER = "urn:x-icpc-kg:placeholder:"


def entailments(quads: list[ox.Quad], store: ox.Store) -> list[ox.Triple]:
    """What OWL 2 RL (reasonable) entails from the union of ``quads`` and does not state:
    the same triples as ``reason.infer(quads)``. ``store`` holds the same quads (it answers
    the conditions' questions quickly)."""
    split = split_schema(quads)
    if split is not None:
        return _by_templates(*split)
    needed, left_out = reasoner_input(quads, store)
    return [t for t in infer(needed) if t not in left_out]


# --------------------------------------------------------------------------------------------
# Templates
# --------------------------------------------------------------------------------------------


def split_schema(quads: Iterable[ox.Quad]) -> tuple[list[ox.Triple], list[ox.Triple]] | None:
    """(schema triples, data triples), or None when the schema uses a construct whose rules
    join two data triples (or anything else this module does not know)."""
    schema: list[ox.Triple] = []
    data: list[ox.Triple] = []
    for q in quads:
        predicate = q.predicate.value
        if predicate == RDF_TYPE:
            obj = q.object
            if isinstance(obj, ox.NamedNode) and obj.value.startswith(SCHEMA_NAMESPACES):
                if obj.value not in DECLARATIONS:
                    return None
                schema.append(q.triple)
            else:
                data.append(q.triple)
        elif predicate in AXIOM_PREDICATES:
            if not isinstance(q.object, ox.NamedNode):
                return None  # a class expression: a restriction, a union...
            schema.append(q.triple)
        elif predicate.startswith(SCHEMA_NAMESPACES) and predicate not in ANNOTATION_PREDICATES:
            return None
        else:
            data.append(q.triple)
    return schema, data


def _kind(term: Any) -> Any:
    kind = type(term)
    if kind is ox.NamedNode:
        return "i"
    if kind is ox.BlankNode:
        return "b"
    return ("l", term.datatype.value, term.language is not None)


def _role(term: Any, subject_slot: Any, object_slot: Any) -> Any:
    """ "S" or "O" for a template's placeholders, else the term itself."""
    if term == subject_slot:
        return "S"
    if object_slot is not None and term == object_slot:
        return "O"
    return term


def _by_templates(schema: list[ox.Triple], data: list[ox.Triple]) -> list[ox.Triple]:
    type_node = ox.NamedNode(RDF_TYPE)
    groups: dict[tuple[Any, ...], list[ox.Triple]] = {}
    for t in data:
        if t.predicate == type_node:
            key: tuple[Any, ...] = (_kind(t.subject), t.object)  # the class: its superclasses
        else:
            key = (_kind(t.subject), t.predicate, _kind(t.object))
        group = groups.get(key)
        if group is None:
            groups[key] = [t]
        else:
            group.append(t)
    examples = {key: group[0] for key, group in groups.items()}

    # One example triple per signature, its subject (and non-literal object) replaced by
    # placeholders that no other template shares.
    placeholder_of: dict[Any, tuple[Any, ...]] = {}
    slots: dict[tuple[Any, ...], tuple[Any, Any]] = {}
    runs: list[ox.Triple] = []
    for index, (key, example) in enumerate(examples.items()):
        subject: Any = (
            ox.NamedNode(f"{PLACEHOLDER}s{index}")
            if isinstance(example.subject, ox.NamedNode)
            else ox.BlankNode(f"icpckgs{index}")
        )
        placeholder_of[subject] = key
        obj: Any = example.object
        if example.predicate != type_node:
            if isinstance(obj, ox.NamedNode):
                obj = ox.NamedNode(f"{PLACEHOLDER}o{index}")
                placeholder_of[obj] = key
            elif isinstance(obj, ox.BlankNode):
                obj = ox.BlankNode(f"icpckgo{index}")
                placeholder_of[obj] = key
            # A literal object stays as it is (rules that look at a literal's value entail
            # only triples about the literal, which no one keeps); it is swapped below.
        slots[key] = (subject, obj if example.predicate != type_node else None)
        runs.append(ox.Triple(subject, example.predicate, obj))

    templates: dict[tuple[Any, ...], list[tuple[Any, ox.NamedNode, Any]]] = {k: [] for k in slots}
    out: set[ox.Triple] = set()
    for triple in infer(schema + runs):
        owner = placeholder_of.get(triple.subject) or placeholder_of.get(triple.object)
        if owner is None:
            out.add(triple)  # entailed by the schema alone
            continue
        subject_slot, object_slot = slots[owner]
        templates[owner].append(
            (
                _role(triple.subject, subject_slot, object_slot),
                triple.predicate,
                _role(triple.object, subject_slot, object_slot),
            )
        )

    add = out.add
    for key, group in groups.items():
        template = templates[key]
        if not template:
            continue
        for t in group:
            slot = {"S": t.subject, "O": t.object}
            for s, p, o in template:
                subject = slot[s] if type(s) is str else s
                if type(subject) is not ox.Literal:
                    add(ox.Triple(subject, p, slot[o] if type(o) is str else o))
    asserted = set(schema)
    asserted.update(data)
    return [t for t in out if t not in asserted]


# --------------------------------------------------------------------------------------------
# Inert triples
# --------------------------------------------------------------------------------------------


def reasoner_input(quads: list[ox.Quad], store: ox.Store) -> tuple[list[ox.Quad], set[ox.Triple]]:
    """The quads the reasoner needs, and the triples it can do without (see the module's
    docstring); every quad when something can make two terms the same."""
    rdf_type = ox.NamedNode(RDF_TYPE)
    for predicate in SAME_AS_PREDICATES:
        if next(iter(store.quads_for_pattern(None, ox.NamedNode(predicate), None)), None):
            return quads, set()
    for cls in SAME_AS_TYPES:
        if next(iter(store.quads_for_pattern(None, rdf_type, ox.NamedNode(cls))), None):
            return quads, set()
    schema_terms: set[Any] = set()
    for q in quads:
        predicate = q.predicate.value
        if predicate == RDF_TYPE:
            if isinstance(q.object, ox.NamedNode) and q.object.value.startswith(SCHEMA_NAMESPACES):
                schema_terms.update((q.subject, q.object))
        elif predicate.startswith(SCHEMA_NAMESPACES):
            schema_terms.update((q.subject, q.predicate, q.object))
    kept: list[ox.Quad] = []
    left_out: list[ox.Quad] = []
    subjects: set[Any] = set()
    for q in quads:
        if q.predicate in schema_terms or q.predicate.value.startswith(SCHEMA_NAMESPACES):
            kept.append(q)
            subjects.add(q.subject)
        else:
            left_out.append(q)
    for q in left_out:
        if q.subject not in subjects:
            kept.append(q)
            subjects.add(q.subject)
    return kept, {q.triple for q in left_out}
