"""Validating data that is already in a pyoxigraph store: what ``build``, ``validate``, ``add``
and ``extract`` use (:func:`validate_dataset`), and what the rdflib entry point
:func:`icpc_kg.shacl.validate` runs once it has put the data into a store of its own.

The store keeps some literals rewritten (:mod:`icpc_kg.shacl.written`); a caller that loaded
the data hands over the registry of written forms (``originals``) so that term-sensitive
constraints judge the literals as written.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Literal

import pyoxigraph as ox
from rdflib.term import Node

from icpc_kg.errors import ShaclFailure
from icpc_kg.literals import LiteralOriginals
from icpc_kg.load import LoadedDataset
from icpc_kg.rdfio import triples_to_rdflib
from icpc_kg.shacl.engine import Evaluator
from icpc_kg.shacl.plan import Plan, plan_for_quads
from icpc_kg.shacl.reference import validate_graph
from icpc_kg.shacl.report import ShaclReport
from icpc_kg.shacl.run import Run, focus_terms
from icpc_kg.shacl.written import Written

Engine = Literal["auto", "sparql", "pyshacl"]


def graph_arguments(store: ox.Store, graph_names: list[str]) -> dict[str, Any]:
    """How queries see the data graph: the union of the named graphs when they are exactly
    the store's (measured as fast as one copied default graph), else the listed graphs; no
    names means the store's default graph."""
    if not graph_names:
        return {}
    named = {g.value for g in store.named_graphs() if isinstance(g, ox.NamedNode)}
    default_empty = not any(store.quads_for_pattern(None, None, None, ox.DefaultGraph()))
    if named == set(graph_names) and default_empty:
        return {"use_default_graph_as_union": True}
    return {"default_graph": [ox.NamedNode(n) for n in graph_names]}


def validate_store(
    store: ox.Store,
    graph_names: list[str],
    plan: Plan,
    focus_nodes: Iterable[Node] | None = None,
    originals: LiteralOriginals | None = None,
    *,
    shapes_graph: str | None = None,
    graph_args: dict[str, Any] | None = None,
    max_depth: int = 15,
    abort_on_first: bool = False,
    workers: int = 2,
) -> ShaclReport:
    """Validate the union of ``graph_names`` in ``store`` (the default graph if none) against
    ``plan``; with ``focus_nodes``, only those of them that are IRIs or literals.
    ``shapes_graph`` names the shapes graph in the store, for queries that use $shapesGraph."""
    focus = None
    if focus_nodes is not None:
        focus = focus_terms(focus_nodes)
        if not focus:
            return ShaclReport()
    args = graph_args if graph_args is not None else graph_arguments(store, graph_names)
    graphs: list[ox.NamedNode | ox.DefaultGraph] = args.get("default_graph") or (
        [ox.NamedNode(n) for n in graph_names] if graph_names else [ox.DefaultGraph()]
    )
    written = Written(originals, graphs, plan.target_literals())
    run = Run(store, args, focus, written, shapes_graph)
    evaluator = Evaluator(plan, run, max_depth)
    return ShaclReport(evaluator.validate(workers, abort_on_first))


def validate_dataset(
    dataset: LoadedDataset,
    shapes_quads: Iterable[ox.Quad],
    focus_nodes: Iterable[Node] | None = None,
    engine: Engine = "auto",
    originals: LiteralOriginals | None = None,
) -> ShaclReport:
    """Validate the union of every graph of ``dataset`` (ontology, data, inferred) against
    the shapes; with ``focus_nodes``, only those nodes; ``originals``: the written forms of
    the literals the store rewrote when the dataset was loaded.

    ``engine``: "auto" (the default) and "sparql" run the project's engine on the dataset's
    store; "pyshacl" runs the reference engine on an rdflib copy. Shapes that use what the
    engine does not run (SHACL-AF rules, node expressions, SHACL-JS) go to pyshacl under
    "auto" and fail under "sparql", naming the feature.
    """
    quads = list(shapes_quads)
    focus = list(focus_nodes) if focus_nodes is not None else None
    if engine == "pyshacl":
        return validate_graph(triples_to_rdflib(dataset.quads()), triples_to_rdflib(quads), focus)
    plan = plan_for_quads(quads)
    if plan.unsupported:
        if engine == "sparql":
            raise ShaclFailure(
                "the SHACL engine does not run "
                + "; ".join(plan.unsupported)
                + ": use the auto or pyshacl engine"
            )
        return validate_graph(triples_to_rdflib(dataset.quads()), plan.g, focus)
    return validate_store(dataset.store, dataset.graph_names(), plan, focus, originals)
