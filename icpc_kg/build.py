"""``icpc-kg build``: load ontology/ and data/, reason, validate, and write dist/.

:func:`assemble` is the first half (load + OWL 2 RL reasoning) and is what every consumer of
the reasoned graph (query, serve, validate) uses when it works from the project's files.
"""

from __future__ import annotations

import pyoxigraph as ox

from icpc_kg.load import INFERRED_GRAPH, GraphSource, LoadedDataset, load_project
from icpc_kg.project import Project
from icpc_kg.reason import Engine, infer
from icpc_kg.vocab import DEFAULT_BASE


def assemble(
    project: Project, base: str = DEFAULT_BASE, engine: Engine = "reasonable"
) -> LoadedDataset:
    """The project's graphs plus graph/inferred, in one in-memory store."""
    dataset = load_project(project, base)
    inferred = infer(dataset.quads(), engine)
    graph = ox.NamedNode(INFERRED_GRAPH)
    dataset.add_graph(
        GraphSource(INFERRED_GRAPH, "inferred", None, len(inferred)),
        (ox.Quad(t.subject, t.predicate, t.object, graph) for t in inferred),
    )
    return dataset
