"""The checks a contribution gets on top of the shapes, each with a stable rule id.

DanglingReference   Violation  a project IRI that neither the contribution nor the graph
                               describes
ExistingResource    Info       a resource the graph already has; the contribution only adds
                    Warning    ... or it replaces values the shapes allow once (a diff)
IriOutsideBase      Violation  a subject IRI outside {base}id/
OntologyTermChange  Violation  a triple that defines or changes an ontology or shape term
BlankNodeEntity     Violation  an icpc-typed entity written as a blank node
OwlImports          Warning    owl:imports (never followed)
UnknownTerm         Violation  an icpc: term the ontology does not declare
LikelyDuplicate     Warning    see :mod:`icpc_kg.contribution.duplicates`
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import pyoxigraph as ox
from rapidfuzz import process

from icpc_kg.contribution.inputs import Contribution
from icpc_kg.contribution.knowledge import RDF_TYPE, SH, Knowledge
from icpc_kg.contribution.messages import (
    BLANK_NODE_ENTITY,
    DANGLING_REFERENCE,
    EXISTING_RESOURCE_ADDS,
    EXISTING_RESOURCE_CHANGES,
    IRI_OUTSIDE_BASE,
    ONTOLOGY_TERM_CHANGE,
    OWL_IMPORTS,
    UNKNOWN_TERM,
    Rule,
)
from icpc_kg.contribution.model import ContributionResult, Position, Term, TripleDiff
from icpc_kg.contribution.published import PublishedSlice
from icpc_kg.results import display_term
from icpc_kg.vocab import DEFAULT_BASE, ICPC

OWL = "http://www.w3.org/2002/07/owl#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"

# Declaring one of these types makes the subject a vocabulary term, not data.
TERM_TYPES = frozenset(
    {RDFS + "Class", RDFS + "Datatype", RDF + "Property"}
    | {
        OWL + name
        for name in (
            "Class",
            "ObjectProperty",
            "DatatypeProperty",
            "AnnotationProperty",
            "OntologyProperty",
            "Ontology",
            "Restriction",
            "FunctionalProperty",
            "InverseFunctionalProperty",
            "TransitiveProperty",
            "SymmetricProperty",
            "AsymmetricProperty",
            "ReflexiveProperty",
            "IrreflexiveProperty",
            "AllDisjointClasses",
            "AllDisjointProperties",
            "DeprecatedClass",
            "DeprecatedProperty",
        )
    }
)
# Stating one of these says something about a vocabulary term.
TERM_PREDICATES = frozenset(
    {RDFS + name for name in ("subClassOf", "subPropertyOf", "domain", "range")}
    | {
        OWL + name
        for name in (
            "equivalentClass",
            "equivalentProperty",
            "inverseOf",
            "propertyChainAxiom",
            "disjointWith",
            "complementOf",
            "unionOf",
            "intersectionOf",
            "oneOf",
            "onProperty",
            "onClass",
            "onDatatype",
            "someValuesFrom",
            "allValuesFrom",
            "hasValue",
            "hasSelf",
            "hasKey",
            "disjointUnionOf",
            "propertyDisjointWith",
            "minCardinality",
            "maxCardinality",
            "cardinality",
            "minQualifiedCardinality",
            "maxQualifiedCardinality",
            "qualifiedCardinality",
            "withRestrictions",
        )
    }
)


@dataclass
class CheckContext:
    contribution: Contribution
    published: PublishedSlice
    knowledge: Knowledge
    types: dict[Term, set[str]]  # each contribution subject's classes, inferred ones included
    base: str = DEFAULT_BASE

    @property
    def id_base(self) -> str:
        return self.base + "id/"

    @property
    def vocabulary_bases(self) -> tuple[str, ...]:
        return vocabulary_bases(self.base)

    def result(
        self,
        rule: Rule,
        focus: Term,
        path: ox.NamedNode | None = None,
        value: Term | None = None,
        position: Position | None = None,
        **details: object,
    ) -> ContributionResult:
        names: dict[str, object] = {
            "focus": display_term(focus),
            "path": display_term(path) if path is not None else "",
            "value": display_term(value) if value is not None else "",
            "base": self.id_base,
        }
        names.update({k: v for k, v in details.items() if isinstance(v, (str, int, float))})
        return ContributionResult(
            severity=rule.severity,
            rule_id=rule.rule_id,
            focus=focus,
            path=path,
            value=value,
            messages=rule.messages(**names),
            constraint=rule.iri,
            shape=rule.iri,
            position=position or self.contribution.position(focus, path, value),
            diff=details.get("diff"),  # type: ignore[arg-type]
        )


def vocabulary_bases(base: str = DEFAULT_BASE) -> tuple[str, ...]:
    """Where the ontology's and the shapes' terms live."""
    return (base + "ontology", base + "shapes")


def defines_vocabulary(triple: ox.Triple, base: str = DEFAULT_BASE) -> bool:
    """Whether ``triple`` defines or changes an ontology or shape term."""
    subject, predicate, obj = triple.subject, triple.predicate.value, triple.object
    if isinstance(subject, ox.NamedNode) and subject.value.startswith(vocabulary_bases(base)):
        return True
    if predicate == OWL + "imports":
        return False
    if predicate in TERM_PREDICATES or predicate.startswith(SH):
        return True
    return (
        predicate == RDF_TYPE
        and isinstance(obj, ox.NamedNode)
        and (obj.value in TERM_TYPES or obj.value.startswith(SH))
    )


def ontology_term_changes(context: CheckContext) -> list[ContributionResult]:
    return [
        context.result(ONTOLOGY_TERM_CHANGE, t.subject, t.predicate, t.object)  # type: ignore[arg-type]
        for t in context.contribution.triples
        if defines_vocabulary(t, context.base)
    ]


def iris_outside_base(context: CheckContext) -> list[ContributionResult]:
    return [
        context.result(IRI_OUTSIDE_BASE, subject)
        for subject in context.contribution.subjects()
        if isinstance(subject, ox.NamedNode)
        and not subject.value.startswith(context.id_base)
        and not subject.value.startswith(context.vocabulary_bases)
    ]


def blank_node_entities(context: CheckContext) -> list[ContributionResult]:
    out = []
    for subject in context.contribution.subjects():
        if not isinstance(subject, ox.BlankNode):
            continue
        icpc_types = sorted(t for t in context.types.get(subject, ()) if t.startswith(str(ICPC)))
        if icpc_types:
            asserted = [
                t.object.value
                for t in context.contribution.triples
                if t.subject == subject
                and t.predicate.value == RDF_TYPE
                and isinstance(t.object, ox.NamedNode)
                and t.object.value in icpc_types
            ]
            kind = display_term(ox.NamedNode((asserted or icpc_types)[0]))
            out.append(context.result(BLANK_NODE_ENTITY, subject, kind=kind))
    return out


def owl_imports(context: CheckContext) -> list[ContributionResult]:
    return [
        context.result(OWL_IMPORTS, t.subject, t.predicate, t.object)  # type: ignore[arg-type]
        for t in context.contribution.triples
        if t.predicate.value == OWL + "imports"
    ]


def unknown_terms(context: CheckContext) -> list[ContributionResult]:
    known = context.knowledge.terms
    names = {term.rsplit("#", 1)[-1]: term for term in known}
    out = []
    for t in context.contribution.triples:
        for term in (t.predicate, t.object):
            if (
                isinstance(term, ox.NamedNode)
                and term.value.startswith(str(ICPC))
                and term.value not in known
            ):
                local = term.value.rsplit("#", 1)[-1]
                match = process.extractOne(local, list(names), score_cutoff=70)
                suggestion = display_term(ox.NamedNode(names[match[0]])) if match else ""
                out.append(
                    context.result(
                        UNKNOWN_TERM,
                        t.subject,  # type: ignore[arg-type]
                        t.predicate,
                        term,
                        hint_en=f" (did you mean {suggestion}?)" if suggestion else "",
                        hint_fr=f" (vouliez-vous dire {suggestion} ?)" if suggestion else "",
                    )
                )
    return out


def dangling_references(context: CheckContext) -> list[ContributionResult]:
    described = {s.value for s in context.contribution.subjects() if isinstance(s, ox.NamedNode)}
    known = described | context.published.existing
    return [
        context.result(
            DANGLING_REFERENCE,
            t.subject,  # type: ignore[arg-type]
            t.predicate,
            t.object,
            position=context.contribution.value_position(t.subject, t.predicate, t.object),  # type: ignore[arg-type]
        )
        for t in context.contribution.triples
        if isinstance(t.object, ox.NamedNode)
        and t.object.value.startswith(context.id_base)
        and t.object.value not in known
    ]


def _comparable(triple: ox.Triple, about: dict[Term, list[ox.Triple]]) -> object:
    """A triple's identity for the diff; a blank-node value compares by what it says."""
    if isinstance(triple.object, ox.BlankNode):
        said = frozenset(
            (t.predicate, t.object)
            for t in about.get(triple.object, [])
            if not isinstance(t.object, ox.BlankNode)
        )
        return (triple.predicate, said)
    return (triple.predicate, triple.object)


def _slot(triple: ox.Triple, knowledge: Knowledge) -> tuple[str, str | None] | None:
    """The value slot a triple fills when the shapes allow one value there, else None."""
    predicate = triple.predicate.value
    if predicate in knowledge.single_valued:
        return (predicate, None)
    if predicate in knowledge.per_language and isinstance(triple.object, ox.Literal):
        return (predicate, triple.object.language or "")
    return None


def resource_diff(subject: ox.NamedNode, context: CheckContext) -> TripleDiff:
    contributed = [t for t in context.contribution.triples if t.subject == subject]
    published = context.published.asserted_about(subject)
    mine: dict[Term, list[ox.Triple]] = defaultdict(list)
    for t in context.contribution.triples:
        mine[t.subject].append(t)  # type: ignore[index]
    theirs: dict[Term, list[ox.Triple]] = defaultdict(list)
    for t in context.published.asserted:
        theirs[t.subject].append(t)  # type: ignore[index]
    have = {_comparable(t, theirs) for t in published}
    give = {_comparable(t, mine) for t in contributed}
    slots = {_slot(t, context.knowledge) for t in contributed} - {None}
    add = tuple(t for t in contributed if _comparable(t, mine) not in have)
    remove = tuple(
        t
        for t in published
        if _slot(t, context.knowledge) in slots and _comparable(t, theirs) not in give
    )
    return TripleDiff(add, remove)


def existing_resources(context: CheckContext) -> list[ContributionResult]:
    out = []
    for subject in context.contribution.subjects():
        if (
            isinstance(subject, ox.NamedNode)
            and subject.value in context.published.existing
            and not subject.value.startswith(context.vocabulary_bases)
        ):
            diff = resource_diff(subject, context)
            rule = EXISTING_RESOURCE_CHANGES if diff.remove else EXISTING_RESOURCE_ADDS
            out.append(
                context.result(
                    rule,
                    subject,
                    diff=diff,
                    added=len(diff.add),
                    removed=len(diff.remove),
                )
            )
    return out


CHECKS = (
    ontology_term_changes,
    iris_outside_base,
    blank_node_entities,
    owl_imports,
    unknown_terms,
    dangling_references,
    existing_resources,
)


def run_checks(context: CheckContext) -> list[ContributionResult]:
    results: list[ContributionResult] = []
    for check in CHECKS:
        results.extend(check(context))
    return results
