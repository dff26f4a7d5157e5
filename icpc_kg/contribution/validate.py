"""Validate a contribution against the published graph and the ontology, both read-only.

    documents ──parse──▶ contribution ──▶ IRIs it describes or points at
    store ──two SPARQL queries──▶ one-hop slice of the published graph around those IRIs,
                                  with the types (inferred ones too) of what the slice points at
    ontology (project files) + slice + contribution ──OWL 2 RL──▶ + inferences
    ──SHACL (focus: the contribution's resources)──▶ shape results, less those a resource the
                                  graph already has gets without the contribution
    + contribution checks (:mod:`.checks`) + likely duplicates (:mod:`.duplicates`, via the store)
    ──▶ ContributionReport, every result placed at file:line:col

The published graph is never loaded or re-validated whole: the work grows with the size of
the contribution, not of the graph (the duplicate check's index of names aside, read once per
store). Nothing is written anywhere.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace

import pyoxigraph as ox
import rdflib

from icpc_kg.contribution.checks import CheckContext, defines_vocabulary, run_checks
from icpc_kg.contribution.duplicates import Duplicate, contribution_entities, find_duplicates
from icpc_kg.contribution.inputs import DEFAULT_MAX_BYTES, Contribution, read_contribution
from icpc_kg.contribution.knowledge import RDF_TYPE, Knowledge, knowledge_for
from icpc_kg.contribution.messages import LIKELY_DUPLICATE
from icpc_kg.contribution.model import (
    ContributionInput,
    ContributionReport,
    ContributionResource,
    ContributionResult,
    InputSummary,
    Term,
)
from icpc_kg.contribution.published import PublishedSlice, fetch_slice
from icpc_kg.entail import reasoner_input
from icpc_kg.executor import DEFAULT_TIMEOUT
from icpc_kg.guards import DEFAULT_LIMITS, InputLimits
from icpc_kg.load import INFERRED_GRAPH, GraphSource, LoadedDataset
from icpc_kg.project import Project
from icpc_kg.rdfio import from_rdflib, to_rdflib
from icpc_kg.reason import infer
from icpc_kg.results import display_term
from icpc_kg.shacl import ShaclResult, validate_dataset
from icpc_kg.store import Store
from icpc_kg.vocab import DEFAULT_BASE, graph_iri

SHAPES_NS = DEFAULT_BASE + "shapes#"
SLICE_GRAPH = graph_iri("published-slice")
CONTRIBUTION_GRAPH = graph_iri("contribution")
# The shape that checks identifiers; the contribution checks say the same more precisely.
DATA_IRI_SHAPE = SHAPES_NS + "DataIri"


def validate_contribution(
    inputs: list[ContributionInput],
    store: Store,
    project: Project,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    timeout: float | None = DEFAULT_TIMEOUT,
    base: str = DEFAULT_BASE,
    limits: InputLimits = DEFAULT_LIMITS,
) -> ContributionReport:
    """Parse ``inputs`` and check them against the graph in ``store`` and the ontology and
    shapes of ``project``. Raises :class:`~icpc_kg.errors.InputError` for unusable input and
    :class:`~icpc_kg.errors.StoreError` / ``QueryError`` when the store fails."""
    knowledge = knowledge_for(project)
    contribution = read_contribution(inputs, max_bytes, knowledge.context, limits)
    return check_contribution(contribution, store, knowledge, timeout=timeout, base=base)


def check_contribution(
    contribution: Contribution,
    store: Store,
    knowledge: Knowledge,
    *,
    timeout: float | None = DEFAULT_TIMEOUT,
    base: str = DEFAULT_BASE,
) -> ContributionReport:
    """The report on an already parsed ``contribution`` (see :func:`validate_contribution`)."""
    subjects = contribution.subjects()
    id_base = base + "id/"
    iris = {s.value for s in subjects if isinstance(s, ox.NamedNode)} | {
        t.object.value
        for t in contribution.triples
        if isinstance(t.object, ox.NamedNode) and t.object.value.startswith(id_base)
    }
    published = fetch_slice(store, iris, timeout)
    # A contribution cannot change the ontology (that is reported), so it is checked under
    # the published one: its vocabulary triples are left out of reasoning and shapes.
    data = [t for t in contribution.triples if not defines_vocabulary(t, base)]
    dataset, inferred = local_dataset(knowledge, published, data)
    types = _types(subjects, [*contribution.triples, *published.triples(), *inferred])

    asserted = _types(subjects, contribution.triples)
    resources = [
        ContributionResource(
            s,
            contribution.position(s),
            isinstance(s, ox.NamedNode) and s.value in published.existing,
            tuple(sorted(asserted.get(s, ()))),
        )
        for s in subjects
    ]
    context = CheckContext(contribution, published, knowledge, types, base)
    checked = run_checks(context)
    flagged = {r.focus for r in checked if r.rule_id in ("IriOutsideBase", "BlankNodeEntity")}
    own = set(subjects)
    shape_results = [
        _from_shacl(r, contribution)
        for r in _shape_results(dataset, knowledge, subjects)
        if from_rdflib(r.focus) in own
        and not (str(r.shape) == DATA_IRI_SHAPE and from_rdflib(r.focus) in flagged)
    ]
    shape_results = _without_published_results(
        shape_results, knowledge, published, [r.term for r in resources if r.existing]
    )
    # Resources the graph already has are not new: only new ones can duplicate another.
    new = {r.term for r in resources if not r.existing}
    entities = [
        e for e in contribution_entities(contribution.triples, types, knowledge) if e.term in new
    ]
    own_iris = {s.value for s in subjects if isinstance(s, ox.NamedNode)}
    duplicates = [
        _from_duplicate(d, context)
        for d in find_duplicates(entities, store, own_iris, knowledge, timeout)
    ]
    inputs = [
        InputSummary(p.source, p.format.name, len(p.triples), p.sha256) for p in contribution.inputs
    ]
    return ContributionReport(inputs, resources, [*shape_results, *checked, *duplicates])


def local_dataset(
    knowledge: Knowledge, published: PublishedSlice, contribution: list[ox.Triple]
) -> tuple[LoadedDataset, list[ox.Triple]]:
    """A small dataset: ontology + slice + contribution, with their OWL 2 RL inferences
    (without ``contribution``: the graph as published, around the same resources)."""
    dataset = LoadedDataset(ox.Store())
    by_graph: dict[str, list[ox.Quad]] = defaultdict(list)
    for quad in knowledge.ontology:
        by_graph[quad.graph_name.value].append(quad)  # type: ignore[union-attr]
    for name, quads in by_graph.items():
        dataset.add_graph(GraphSource(name, "ontology", None, len(quads)), quads)
    for name, kind, triples in (
        (SLICE_GRAPH, "data", published.asserted),
        (CONTRIBUTION_GRAPH, "contribution", contribution),
    ):
        graph = ox.NamedNode(name)
        dataset.add_graph(
            GraphSource(name, kind, None, len(triples)),
            [ox.Quad(t.subject, t.predicate, t.object, graph) for t in triples],
        )
    # Inferred here from the asserted triples (triples no rule can fire on left out of the
    # reasoner's input: icpc_kg.entail.reasoner_input). Of the published graph/inferred, only
    # the types are taken: a resource may owe its type to a triple outside the slice (the
    # range of a property pointing at it).
    needed, inert = reasoner_input(list(dataset.quads()), dataset.store)
    entailed = [t for t in infer(needed) if t not in inert]
    published_types = [t for t in published.inferred if t.predicate.value == RDF_TYPE]
    inferred = list(dict.fromkeys([*without_restatements(entailed, dataset), *published_types]))
    graph = ox.NamedNode(INFERRED_GRAPH)
    dataset.add_graph(
        GraphSource(INFERRED_GRAPH, "inferred", None, len(inferred)),
        [ox.Quad(t.subject, t.predicate, t.object, graph) for t in inferred],
    )
    return dataset, inferred


def without_restatements(inferred: list[ox.Triple], dataset: LoadedDataset) -> list[ox.Triple]:
    """``inferred`` less the literals that restate a stated value in another lexical form.

    The reasoner hands literals back in canonical form ("1998-11-15T10:00:00Z" comes back as
    "...+00:00", "01" as "1"), which would otherwise count as a second value of the property
    and break sh:maxCount and sh:uniqueLang."""
    out = []
    for triple in inferred:
        obj = triple.object
        if isinstance(obj, ox.Literal):
            stated = dataset.store.quads_for_pattern(triple.subject, triple.predicate, None, None)
            value = to_rdflib(obj)
            if any(
                isinstance(q.object, ox.Literal) and value.eq(to_rdflib(q.object))  # type: ignore[attr-defined]
                for q in stated
            ):
                continue
        out.append(triple)
    return out


def _types(subjects: list[Term], triples: list[ox.Triple]) -> dict[Term, set[str]]:
    wanted = set(subjects)
    types: dict[Term, set[str]] = defaultdict(set)
    for t in triples:
        if (
            t.subject in wanted
            and t.predicate.value == RDF_TYPE
            and isinstance(t.object, ox.NamedNode)
        ):
            types[t.subject].add(t.object.value)  # type: ignore[index]
    return types


def _shape_results(
    dataset: LoadedDataset, knowledge: Knowledge, subjects: list[Term]
) -> list[ShaclResult]:
    focus: list[rdflib.term.Node] = [to_rdflib(s) for s in subjects]
    return validate_dataset(dataset, knowledge.shapes, focus).results


def _without_published_results(
    results: list[ContributionResult],
    knowledge: Knowledge,
    published: PublishedSlice,
    existing: list[Term],
) -> list[ContributionResult]:
    """Leave out the results a resource the graph already has gets without the contribution:
    they are the published graph's own (its build report lists them), not the contribution's."""
    if not existing:
        return results
    dataset, _ = local_dataset(knowledge, published, [])
    before = {_key(r) for r in _shape_results(dataset, knowledge, existing)}
    return [r for r in results if (r.focus, r.rule_id, r.path, r.value) not in before]


def _key(result: ShaclResult) -> tuple[object, ...]:
    path = from_rdflib(result.path) if isinstance(result.path, rdflib.URIRef) else None
    value = from_rdflib(result.value) if result.value is not None else None
    return (from_rdflib(result.focus), result.rule_id, path, value)


def _from_shacl(result: ShaclResult, contribution: Contribution) -> ContributionResult:
    focus = from_rdflib(result.focus)
    path = from_rdflib(result.path) if isinstance(result.path, rdflib.URIRef) else None
    value = from_rdflib(result.value) if result.value is not None else None
    return ContributionResult(
        severity=result.severity,
        rule_id=result.rule_id,
        focus=focus,
        path=path,
        value=value,
        messages=dict(result.messages),
        constraint=str(result.constraint),
        shape=str(result.shape) if isinstance(result.shape, rdflib.URIRef) else None,
        position=contribution.position(focus, path, value),
    )


_REASONS = {
    "acronym": ("same acronym", "même sigle"),
    "name": ("similar name ({score:g}%)", "nom proche ({score:g} %)"),
    "name+date": (
        "similar name ({score:g}%) and overlapping dates",
        "nom proche ({score:g} %) et dates qui se recouvrent",
    ),
}


def _from_duplicate(duplicate: Duplicate, context: CheckContext) -> ContributionResult:
    candidate = duplicate.candidate
    en, fr = _REASONS[candidate.reason]
    result = context.result(
        LIKELY_DUPLICATE,
        duplicate.entity,
        ox.NamedNode(duplicate.predicate),
        duplicate.value,
        candidate=display_term(ox.NamedNode(candidate.iri)),
        label=candidate.label,
        reason_en=en.format(score=candidate.score),
        reason_fr=fr.format(score=candidate.score),
    )
    return replace(result, candidate=candidate)
