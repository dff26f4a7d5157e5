"""The build output folder: dumps in five syntaxes, a VoID description and a checksum file.

    dataset.trig, dataset.nq   every named graph: one per content file, plus graph/inferred
    graph.ttl, graph.nt        the union of those graphs as triples (duplicates merged)
    graph.jsonld               the same union as expanded JSON-LD (``icpc-kg export`` compacts)
    shapes.ttl                 the SHACL shapes the build validated against (not in the dumps)
    void.ttl                   a VoID description: counts, subsets per graph, dump links
    SHA256SUMS                 ``sha256sum -c``-compatible checksums of every other file

The same dataset always gives the same bytes. Quads are written sorted (by graph, then by
their N-Triples form, the order of ``LC_ALL=C sort``), and blank nodes already carry
labels derived from their content (see :func:`icpc_kg.build.blank_node_labels`), so the big
dumps need no RDFC-1.0 canonicalisation, which on a million quads costs more than everything
else in this module together. The small files (shapes, VoID) go through
:func:`icpc_kg.rdfio.serialize_quads`, which does canonicalise.

A folder is written in full into a temporary sibling and then swapped in
(:func:`replace_folder`), so a reader never sees half of it.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from subprocess import PIPE

import pyoxigraph as ox

from icpc_kg.errors import ProjectError
from icpc_kg.fileio import file_sha256
from icpc_kg.rdfio import FORMATS, serialize_quads
from icpc_kg.vocab import DEFAULT_BASE, PREFIXES, shrink

DATASET_TRIG = "dataset.trig"
DATASET_NQ = "dataset.nq"
GRAPH_TTL = "graph.ttl"
GRAPH_NT = "graph.nt"
GRAPH_JSONLD = "graph.jsonld"
SHAPES_TTL = "shapes.ttl"
VOID_TTL = "void.ttl"
CHECKSUMS = "SHA256SUMS"

# Each dump, its syntax and the W3C format IRI that VoID uses for void:feature.
DUMPS: dict[str, tuple[str, str]] = {
    DATASET_TRIG: ("trig", "http://www.w3.org/ns/formats/TriG"),
    DATASET_NQ: ("nquads", "http://www.w3.org/ns/formats/N-Quads"),
    GRAPH_TTL: ("turtle", "http://www.w3.org/ns/formats/Turtle"),
    GRAPH_NT: ("ntriples", "http://www.w3.org/ns/formats/N-Triples"),
    GRAPH_JSONLD: ("jsonld", "http://www.w3.org/ns/formats/JSON-LD"),
}
OUTPUT_FILES = (*DUMPS, SHAPES_TTL, VOID_TTL, CHECKSUMS)

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_TYPE = ox.NamedNode(RDF_TYPE)

Progress = Callable[[str], None]  # called with the name of each file as it is written
# From this many triples the TriG, Turtle and JSON-LD dumps are written by worker processes
# (starting one costs about half a second of CPU).
PARALLEL_FROM = 200_000


@dataclass
class DatasetStats:
    """Counts over the union of the dataset's graphs, as VoID reports them."""

    triples: int = 0  # distinct triples in the union
    graph_triples: dict[str, int] = field(default_factory=dict)  # per named graph
    entities: int = 0  # distinct subjects under the uriSpace ({base}id/)
    distinct_subjects: int = 0
    distinct_objects: int = 0
    class_entities: dict[str, int] = field(default_factory=dict)  # class -> distinct subjects
    property_triples: dict[str, int] = field(default_factory=dict)  # predicate -> triples

    @property
    def classes(self) -> int:
        return len(self.class_entities)

    @property
    def properties(self) -> int:
        return len(self.property_triples)


@dataclass(frozen=True)
class GraphInfo:
    """A named graph as the VoID lists it: its IRI and a label (the file it comes from)."""

    name: str
    label: str


@dataclass(frozen=True)
class Description:
    """What VoID says about the dataset besides the counts."""

    base: str = DEFAULT_BASE
    title: dict[str, str] = field(
        default_factory=lambda: {
            "en": "ICPC knowledge graph",
            "fr": "Graphe de connaissances du CIPC",
        }
    )
    description: dict[str, str] = field(
        default_factory=lambda: {
            "en": "Events, organisations, people, themes and publications of the International "
            "Centre for the Prevention of Crime (ICPC), from ICPC's own pages, with the "
            "passage that supports every fact and the OWL 2 RL inferences that give the "
            "schema.org view.",
            "fr": "Événements, organisations, personnes, thèmes et publications du Centre "
            "international pour la prévention de la criminalité (CIPC), tirés des pages du "
            "CIPC, avec le passage qui appuie chaque fait et les inférences OWL 2 RL qui en "
            "donnent la vue schema.org.",
        }
    )
    license: str | None = "https://creativecommons.org/licenses/by/4.0/"
    modified: str | None = None  # an xsd:date taken from the content, never the clock
    version: str | None = None  # a digest of the inputs
    sparql_endpoint: bool = True

    @property
    def dataset_iri(self) -> str:
        return self.base + "dataset"

    def dump_iri(self, name: str) -> str:
        return f"{self.base}dumps/{name}"


# --------------------------------------------------------------------------------------------
# Ordering and statistics, on N-Triples / N-Quads lines
# --------------------------------------------------------------------------------------------
# A quad's str() is its N-Quads line (a triple's, its N-Triples line) without the final " .",
# the very bytes pyoxigraph's serialiser writes. Sorting and deduplicating those strings is
# the cheapest deterministic order Python offers: no term objects are built for it.


def sorted_graph_lines(store: ox.Store, graph: str) -> list[str]:
    """The N-Quads lines (without " .") of one named graph, sorted."""
    return sorted(map(str, store.quads_for_pattern(None, None, None, ox.NamedNode(graph))))


def dataset_stats(union: list[str], graph_triples: dict[str, int], uri_space: str) -> DatasetStats:
    """VoID's counts over the union, given as its sorted distinct N-Triples lines."""
    subjects: set[str] = set()
    objects: set[str] = set()
    predicates: Counter[str] = Counter()
    members: defaultdict[str, set[str]] = defaultdict(set)
    type_iri = f"<{RDF_TYPE}>"
    for line in union:
        # Subjects and predicates hold no spaces (IRIs cannot, blank node labels do not).
        subject, predicate, obj = line.split(" ", 2)
        subjects.add(subject)
        objects.add(obj)
        predicates[predicate] += 1
        if predicate == type_iri and obj.startswith("<"):
            members[obj].add(subject)
    prefix = f"<{uri_space}"
    return DatasetStats(
        triples=len(union),
        graph_triples=dict(sorted(graph_triples.items())),
        entities=sum(1 for s in subjects if s.startswith(prefix)),
        distinct_subjects=len(subjects),
        distinct_objects=len(objects),
        class_entities={c[1:-1]: len(members[c]) for c in sorted(members)},
        property_triples={p[1:-1]: n for p, n in sorted(predicates.items())},
    )


# --------------------------------------------------------------------------------------------
# VoID
# --------------------------------------------------------------------------------------------

VOID = "http://rdfs.org/ns/void#"
DCTERMS = "http://purl.org/dc/terms/"
XSD = "http://www.w3.org/2001/XMLSchema#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"


def _vocabularies(stats: DatasetStats) -> list[str]:
    """The namespaces of PREFIXES that the data's predicates and classes use."""
    used = [*stats.property_triples, *stats.class_entities]
    skip = {PREFIXES["id"], PREFIXES["graph"]}
    return sorted(
        {
            namespace
            for namespace in PREFIXES.values()
            if namespace not in skip and any(term.startswith(namespace) for term in used)
        }
    )


def _fragment(iri: str) -> str:
    """A readable, unique fragment for a partition: ``schema-Event`` for schema:Event, else a
    digest of the IRI."""
    short = shrink(iri)
    if not short.startswith("<") and re.fullmatch(r"[A-Za-z0-9_:.-]+", short):
        return short.replace(":", "-")
    return hashlib.sha256(iri.encode("utf-8")).hexdigest()[:16]


def void_triples(
    stats: DatasetStats, graphs: list[GraphInfo], description: Description
) -> list[ox.Triple]:
    """A VoID description of the dataset: a void:Dataset with its counts, one void:subset per
    named graph, class and property partitions, dump links and the URI space."""
    d = description
    dataset = ox.NamedNode(d.dataset_iri)
    out: list[ox.Triple] = []

    def add(s: ox.NamedNode, p: str, o: ox.NamedNode | ox.Literal) -> None:
        out.append(ox.Triple(s, ox.NamedNode(p), o))

    def count(n: int) -> ox.Literal:
        return ox.Literal(str(n), datatype=ox.NamedNode(XSD + "integer"))

    add(dataset, RDF_TYPE, ox.NamedNode(VOID + "Dataset"))
    for lang, text in sorted(d.title.items()):
        add(dataset, DCTERMS + "title", ox.Literal(text, language=lang))
    for lang, text in sorted(d.description.items()):
        add(dataset, DCTERMS + "description", ox.Literal(text, language=lang))
    if d.license:
        add(dataset, DCTERMS + "license", ox.NamedNode(d.license))
    if d.modified:
        add(
            dataset,
            DCTERMS + "modified",
            ox.Literal(d.modified, datatype=ox.NamedNode(XSD + "date")),
        )
    if d.version:
        add(dataset, DCTERMS + "hasVersion", ox.Literal(d.version))
    add(dataset, VOID + "uriSpace", ox.Literal(d.base + "id/"))
    if d.sparql_endpoint:
        add(dataset, VOID + "sparqlEndpoint", ox.NamedNode(d.base + "sparql"))
    for name, (_, feature) in DUMPS.items():
        add(dataset, VOID + "dataDump", ox.NamedNode(d.dump_iri(name)))
        add(dataset, VOID + "feature", ox.NamedNode(feature))
    for namespace in _vocabularies(stats):
        add(dataset, VOID + "vocabulary", ox.NamedNode(namespace))
    add(dataset, VOID + "triples", count(stats.triples))
    add(dataset, VOID + "entities", count(stats.entities))
    add(dataset, VOID + "classes", count(stats.classes))
    add(dataset, VOID + "properties", count(stats.properties))
    add(dataset, VOID + "distinctSubjects", count(stats.distinct_subjects))
    add(dataset, VOID + "distinctObjects", count(stats.distinct_objects))

    for graph in graphs:
        subset = ox.NamedNode(graph.name)
        add(dataset, VOID + "subset", subset)
        add(subset, RDF_TYPE, ox.NamedNode(VOID + "Dataset"))
        add(subset, RDFS + "label", ox.Literal(graph.label))
        add(subset, VOID + "triples", count(stats.graph_triples.get(graph.name, 0)))
    for cls, entities in stats.class_entities.items():
        partition = ox.NamedNode(f"{d.dataset_iri}#class-{_fragment(cls)}")
        add(dataset, VOID + "classPartition", partition)
        add(partition, VOID + "class", ox.NamedNode(cls))
        add(partition, VOID + "entities", count(entities))
    for prop, triples in stats.property_triples.items():
        partition = ox.NamedNode(f"{d.dataset_iri}#property-{_fragment(prop)}")
        add(dataset, VOID + "propertyPartition", partition)
        add(partition, VOID + "property", ox.NamedNode(prop))
        add(partition, VOID + "triples", count(triples))
    return out


# --------------------------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------------------------


def void_prefixes(description: Description) -> dict[str, str]:
    return {**PREFIXES, "void": VOID, "dataset": description.dataset_iri + "#"}


def _write(path: Path, data: bytes) -> None:
    with open(path, "wb") as handle:
        handle.write(data)


def _write_lines(path: Path, lines: Iterator[str]) -> None:
    with open(path, "w", encoding="utf-8", newline="\n") as handle:
        handle.writelines(lines)


def write_dumps(
    folder: Path,
    store: ox.Store,
    graphs: list[GraphInfo],
    shapes: list[ox.Quad],
    description: Description,
    progress: Progress | None = None,
) -> DatasetStats:
    """Write every output file into ``folder`` (which must exist and be empty) and return the
    counts the VoID states."""
    note = progress or (lambda _name: None)
    nquads, ntriples = folder / DATASET_NQ, folder / GRAPH_NT

    note(DATASET_NQ)
    counts: dict[str, int] = {}
    union: set[str] = set()
    with open(nquads, "w", encoding="utf-8", newline="\n") as handle:
        for name in sorted(g.name for g in graphs):
            lines = sorted_graph_lines(store, name)
            counts[name] = len(lines)
            handle.writelines(f"{line} .\n" for line in lines)
            cut = len(name) + 3  # the graph name, its <> and the space before it
            union.update(line[:-cut] for line in lines)
    note(GRAPH_NT)
    ordered = sorted(union)
    del union
    _write_lines(ntriples, (f"{line} .\n" for line in ordered))
    stats = dataset_stats(ordered, counts, description.base + "id/")
    del ordered

    # The other syntaxes are streamed from those two files, already in order; for big ones
    # by worker processes (one each, plain subprocesses rather than multiprocessing, which
    # would re-import the caller's __main__), while this one writes the VoID.
    conversions = [
        (DATASET_NQ, "N_QUADS", DATASET_TRIG, "TRIG", PREFIXES),
        (GRAPH_NT, "N_TRIPLES", GRAPH_TTL, "TURTLE", PREFIXES),
        (GRAPH_NT, "N_TRIPLES", GRAPH_JSONLD, "JSON_LD", None),
    ]
    digests: dict[str, str] = {}
    parallel = stats.triples >= PARALLEL_FROM
    workers: list[tuple[str, subprocess.Popen[bytes]]] = []
    try:
        for source, source_format, target, target_format, prefixes in conversions:
            paths = (str(folder / source), str(folder / target))
            if parallel:
                args = [paths[0], source_format, paths[1], target_format, json.dumps(prefixes)]
                command = [sys.executable, "-c", _WORKER, *args]
                workers.append(
                    (target, subprocess.Popen(command, stdout=PIPE, stderr=PIPE, env=_worker_env()))
                )
            else:
                note(target)
                digests[target] = convert(
                    paths[0], source_format, paths[1], target_format, prefixes
                )
        note(SHAPES_TTL)
        _write(folder / SHAPES_TTL, serialize_quads(shapes, FORMATS["turtle"], PREFIXES))
        note(VOID_TTL)
        void = [
            ox.Quad(t.subject, t.predicate, t.object)
            for t in void_triples(stats, graphs, description)
        ]
        _write(
            folder / VOID_TTL, serialize_quads(void, FORMATS["turtle"], void_prefixes(description))
        )
        for target, worker in workers:
            note(target)
            out, err = worker.communicate()
            if worker.returncode != 0:
                raise OSError(f"writing {target} failed: {err.decode(errors='replace').strip()}")
            digests[target] = out.decode().strip()
    finally:
        for _, worker in workers:
            if worker.poll() is None:
                worker.kill()
                worker.wait()
    note(CHECKSUMS)
    write_checksums(folder, digests)
    return stats


_WORKER = (
    "import json, sys; from icpc_kg.dumps import convert; "
    "print(convert(*sys.argv[1:5], json.loads(sys.argv[5])))"
)


def _worker_env() -> dict[str, str]:
    """The environment for a worker: this one, with this package importable."""
    here = str(Path(__file__).resolve().parent.parent)
    path = os.environ.get("PYTHONPATH")
    return {**os.environ, "PYTHONPATH": here + (os.pathsep + path if path else "")}


def convert(
    source: str,
    source_format: str,
    target: str,
    target_format: str,
    prefixes: dict[str, str] | None,
) -> str:
    """Re-serialise the file ``source`` as ``target`` (formats named as in ox.RdfFormat),
    streaming, in the same order; returns the sha256 of ``target``. Runs in a worker."""
    items = ox.parse(path=source, format=getattr(ox.RdfFormat, source_format))
    ox.serialize(items, target, getattr(ox.RdfFormat, target_format), prefixes=prefixes)
    return file_sha256(Path(target))


def write_checksums(folder: Path, known: dict[str, str] | None = None) -> Path:
    """``SHA256SUMS`` in ``folder``: one ``<hex>  <name>`` line per other file, by name;
    ``known`` gives digests already computed."""
    known = known or {}
    names = sorted(p.name for p in folder.iterdir() if p.is_file() and p.name != CHECKSUMS)
    target = folder / CHECKSUMS
    lines = (f"{known.get(name) or file_sha256(folder / name)}  {name}\n" for name in names)
    _write_lines(target, lines)
    return target


def verify_checksums(folder: Path) -> list[str]:
    """The files of ``SHA256SUMS`` whose content no longer matches (empty when all match)."""
    bad: list[str] = []
    for line in (folder / CHECKSUMS).read_text(encoding="utf-8").splitlines():
        expected, name = line.split("  ", 1)
        path = folder / name
        if not path.is_file() or file_sha256(path) != expected:
            bad.append(name)
    return bad


# --------------------------------------------------------------------------------------------
# Swapping a folder in
# --------------------------------------------------------------------------------------------


def is_build_output(folder: Path) -> bool:
    """True when ``folder`` is empty or was written by a build (it holds SHA256SUMS and
    nothing but build files), so replacing it loses nothing of the user's."""
    if not folder.is_dir():
        return False
    names = {p.name for p in folder.iterdir()}
    return not names or (CHECKSUMS in names and names <= set(OUTPUT_FILES))


def new_folder_beside(target: Path) -> Path:
    """An empty temporary folder next to ``target``, on the same file system."""
    target.parent.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix=f".{target.name}.new-", dir=target.parent))
    umask = os.umask(0)
    os.umask(umask)
    folder.chmod(0o777 & ~umask)  # mkdtemp makes it private; the output is meant to be read
    return folder


def replace_folder(new: Path, target: Path) -> None:
    """Put the complete folder ``new`` in place of ``target``, by rename.

    ``target`` is moved aside, ``new`` renamed onto it, and the old one removed: a reader sees
    the old folder, then (for the instant between the two renames) none, then the new one;
    never a mix. ``target`` must be absent or a previous build's output.
    """
    if target.exists() and not is_build_output(target):
        raise ProjectError(
            f"{target}: exists and is not an icpc-kg build output; "
            "choose another --out folder or remove it"
        )
    old: Path | None = None
    if target.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
        os.rename(target, old / target.name)
    try:
        os.rename(new, target)
    except OSError:
        if old is not None:
            os.rename(old / target.name, target)
            old.rmdir()
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
