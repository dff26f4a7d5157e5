"""The build as publish sees it: each named graph of dist/dataset.nq plus graph/shapes from
dist/shapes.ttl, with its triple count and digest, cut into request-sized chunks.

Blank nodes are why chunks are not simply every N lines. A blank node label means the same
node only within one request, and the build's blank nodes are shared between graphs (a
passage's selector is described in its data graph and typed in graph/inferred). So the
triples that mention blank nodes are grouped into *components* (triples connected through
blank nodes, across graphs), a component always travels in one request, and graphs that
share a component form one *unit* that is uploaded, and skipped when unchanged, together.
Triples without blank nodes are spooled to a file per graph and streamed in chunks.

A graph's digest is the sha256 of its N-Triples lines in the build's order (sorted, blank
nodes labelled from their content, so the same content always gives the same digest); for
graph/shapes it is the sha256 of dist/shapes.ttl, which the build writes canonically.
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import pyoxigraph as ox

from icpc_kg.dumps import DATASET_NQ, SHAPES_TTL
from icpc_kg.errors import ProjectError
from icpc_kg.load import SHAPES_GRAPH

# One line of N-Triples and the graph it belongs to; an atom is what must travel together.
Line = tuple[str, str]  # (graph IRI, N-Triples line ending in "\n")
Atom = tuple[Line, ...]


@dataclass
class LocalGraph:
    """One named graph of the build."""

    name: str
    triples: int = 0
    digest: str = ""
    spool: Path | None = None  # its lines without blank nodes, one per line


@dataclass
class Component:
    """Triples connected through blank nodes; they go into the store in one request."""

    lines: list[Line] = field(default_factory=list)

    @property
    def graphs(self) -> frozenset[str]:
        return frozenset(g for g, _ in self.lines)

    @property
    def size(self) -> int:
        return sum(len(line) for _, line in self.lines)


@dataclass
class Chunk:
    """What one request carries: atoms that never split, and whether they hold blank nodes."""

    atoms: list[Atom]
    blank: bool

    @property
    def graphs(self) -> set[str]:
        return {graph for atom in self.atoms for graph, _ in atom}

    @property
    def triples(self) -> int:
        return sum(len(atom) for atom in self.atoms)

    @property
    def size(self) -> int:
        return sum(len(line) for atom in self.atoms for _, line in atom)


@dataclass
class Unit:
    """Graphs that share blank nodes: uploaded and swapped together."""

    graphs: tuple[str, ...]
    components: list[Component]

    @property
    def label(self) -> str:
        return " + ".join(short_name(g) for g in self.graphs)


@dataclass
class LocalDataset:
    """The built dataset, ready to upload; :meth:`close` removes its spool files."""

    version: str  # sha256 of dist/dataset.nq: the graph version icpc-kg serve uses
    graphs: dict[str, LocalGraph]
    components: list[Component]
    folder: Path

    def close(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)

    def __enter__(self) -> LocalDataset:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def units(self, split_shared: bool = False) -> list[Unit]:
        """The graphs grouped into units, sorted by their first graph. With ``split_shared``
        (a store that cannot insert a blank node into two graphs in one request), every
        component is cut into one per graph and every graph is a unit of its own."""
        components = self.components
        if split_shared:
            components = [
                Component([line for line in c.lines if line[0] == graph])
                for c in components
                for graph in sorted(c.graphs)
            ]
        parent = {name: name for name in self.graphs}

        def root(name: str) -> str:
            while parent[name] != name:
                parent[name] = parent[parent[name]]
                name = parent[name]
            return name

        for component in components:
            first, *rest = sorted(component.graphs)
            for other in rest:
                parent[root(other)] = root(first)
        members: defaultdict[str, list[str]] = defaultdict(list)
        for name in sorted(self.graphs):
            members[root(name)].append(name)
        owned: defaultdict[str, list[Component]] = defaultdict(list)
        for component in components:
            owned[root(next(iter(component.graphs)))].append(component)
        return sorted(
            (Unit(tuple(names), owned[key]) for key, names in members.items()),
            key=lambda u: u.graphs[0],
        )

    def chunks(self, unit: Unit, max_bytes: Callable[[], int]) -> Iterator[Chunk]:
        """The unit's triples in chunks of about ``max_bytes()`` (asked before each chunk, so
        a limit lowered after an HTTP 413 applies to the rest; a component larger than the
        limit is a chunk of its own): first each graph's lines without blank nodes, then the
        components, packed by the set of graphs they touch."""
        for name in unit.graphs:
            spool = self.graphs[name].spool
            if spool is None:
                continue
            with open(spool, encoding="utf-8") as handle:
                atoms: list[Atom] = []
                size = 0
                for line in handle:
                    atoms.append(((name, line),))
                    size += len(line)
                    if size >= max_bytes():
                        yield Chunk(atoms, blank=False)
                        atoms, size = [], 0
                if atoms:
                    yield Chunk(atoms, blank=False)
        by_graphs: defaultdict[frozenset[str], list[Component]] = defaultdict(list)
        for component in unit.components:
            by_graphs[component.graphs].append(component)
        for graphs in sorted(by_graphs, key=sorted):
            atoms, size = [], 0
            for component in by_graphs[graphs]:
                if atoms and size + component.size > max_bytes():
                    yield Chunk(atoms, blank=True)
                    atoms, size = [], 0
                atoms.append(tuple(component.lines))
                size += component.size
            if atoms:
                yield Chunk(atoms, blank=True)

    def triples_of(self, name: str) -> Iterator[ox.Triple]:
        """Every triple of the local graph ``name`` (blank nodes keep the build's labels)."""
        spool = self.graphs[name].spool
        if spool is not None:
            for quad in ox.parse(path=str(spool), format=ox.RdfFormat.N_TRIPLES):
                yield ox.Triple(quad.subject, quad.predicate, quad.object)
        lines = "".join(line for c in self.components for g, line in c.lines if g == name)
        if lines:
            for quad in ox.parse(lines, format=ox.RdfFormat.N_TRIPLES):
                yield ox.Triple(quad.subject, quad.predicate, quad.object)


def short_name(graph: str) -> str:
    """``graph/strategic-seminars`` for ``https://w3id.org/icpc-kg/graph/strategic-seminars``."""
    marker = "/graph/"
    return graph[graph.rfind(marker) + 1 :] if marker in graph else graph


class _Reader:
    """Collects quads into graphs, spool files and blank-node components."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.graphs: dict[str, LocalGraph] = {}
        self.hashers: dict[str, hashlib._Hash] = {}
        self.handles: dict[str, IO[str]] = {}
        self.parent: dict[str, str] = {}
        self.blank_lines: list[tuple[str, str, str]] = []  # (graph, line, one blank label)

    def _root(self, label: str) -> str:
        parent = self.parent
        parent.setdefault(label, label)
        while parent[label] != label:
            parent[label] = parent[parent[label]]
            label = parent[label]
        return label

    def add(self, graph: str, subject: object, predicate: object, obj: object, salt: str) -> None:
        line = f"{subject} {predicate} {obj} .\n"
        local = self.graphs.get(graph)
        if local is None:
            local = self.graphs[graph] = LocalGraph(graph)
            self.hashers[graph] = hashlib.sha256()
        local.triples += 1
        self.hashers[graph].update(line.encode("utf-8"))
        blanks = [salt + term.value for term in (subject, obj) if type(term) is ox.BlankNode]
        if not blanks:
            handle = self.handles.get(graph)
            if handle is None:
                local.spool = self.folder / f"{len(self.handles)}.nt"
                handle = self.handles[graph] = open(  # noqa: SIM115 (closed in finish)
                    local.spool, "w", encoding="utf-8"
                )
            handle.write(line)
            return
        first = self._root(blanks[0])
        if len(blanks) == 2:
            other = self._root(blanks[1])
            if other != first:
                self.parent[other] = first
        self.blank_lines.append((graph, line, blanks[0]))

    def finish(self, digests: dict[str, str]) -> tuple[dict[str, LocalGraph], list[Component]]:
        for handle in self.handles.values():
            handle.close()
        for name, local in self.graphs.items():
            local.digest = digests.get(name) or self.hashers[name].hexdigest()
        grouped: defaultdict[str, Component] = defaultdict(Component)
        for graph, line, label in self.blank_lines:
            grouped[self._root(label)].lines.append((graph, line))
        return self.graphs, list(grouped.values())


def read_build(out_dir: Path, version: str | None = None) -> LocalDataset:
    """The graphs of the build in ``out_dir`` (dataset.nq and shapes.ttl), spooled into a
    temporary folder."""
    nquads = out_dir / DATASET_NQ
    if not nquads.is_file():
        raise ProjectError(f"{nquads}: missing; run icpc-kg build first")
    folder = Path(tempfile.mkdtemp(prefix="icpc-kg-publish-"))
    reader = _Reader(folder)
    digest = hashlib.sha256()
    try:
        for quad in ox.parse(path=str(nquads), format=ox.RdfFormat.N_QUADS):
            graph = quad.graph_name
            if not isinstance(graph, ox.NamedNode):
                raise ProjectError(
                    f"{nquads}: a triple outside any named graph ({quad}); rebuild with "
                    "icpc-kg build"
                )
            reader.add(graph.value, quad.subject, quad.predicate, quad.object, "")
        digests: dict[str, str] = {}
        shapes = out_dir / SHAPES_TTL
        if shapes.is_file():
            data = shapes.read_bytes()
            for triple in ox.parse(data, format=ox.RdfFormat.TURTLE, rename_blank_nodes=True):
                reader.add(SHAPES_GRAPH, triple.subject, triple.predicate, triple.object, "s")
            digests[SHAPES_GRAPH] = hashlib.sha256(data).hexdigest()
        graphs, components = reader.finish(digests)
    except SyntaxError as error:
        shutil.rmtree(folder, ignore_errors=True)
        raise ProjectError(f"{out_dir}: a build file does not parse ({error}); rebuild") from None
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    if version is None:
        with open(nquads, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        version = digest.hexdigest()
    return LocalDataset(version, graphs, components, folder)
