"""``icpc-kg build``: load ontology/ and data/, reason, validate, and write the output folder.

    load      one named graph per content file (see :mod:`icpc_kg.load` for the names), blank
              nodes labelled from their content (:func:`blank_node_labels`)
    reason    OWL 2 RL entailments of the union into graph/inferred: reasonable's result,
              computed the fast way when the schema allows (:mod:`icpc_kg.entail`)
    validate  SHACL, shapes/ against ontology + data + inferred (:mod:`icpc_kg.shacl`)
    write     dumps, VoID and checksums into a temporary folder, swapped in at the end
              (:mod:`icpc_kg.dumps`)

A failure at any step raises an :class:`~icpc_kg.errors.IcpcKgError` and leaves the previous
output folder exactly as it was.

Rebuilds are incremental. A cache folder beside the output (``.cache/icpc-kg/<out name>``)
keeps each content file's parsed graph under the file's sha256 digest, the previous inferred
graph and the previous validation report. A rebuild parses only the files that changed,
re-runs the reasoner (global, and a few seconds at a million triples), and re-validates only
the focus nodes whose results the change can reach (:mod:`icpc_kg.affected`); every other
result is kept. A change to the ontology, the shapes, the base IRI or the build's code, or
``full=True``, validates everything. Either way the report and every output byte are those
of a full build (the tests compare them).

:func:`assemble` is the load + reason half, which query, serve and validate use when they
work from the project's files.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import rdflib
from rdflib.term import Node

from icpc_kg import __version__
from icpc_kg.affected import (
    affected_focus_nodes,
    analyse_sparql,
    read_profile,
    store_chain_length,
)
from icpc_kg.dumps import (
    DatasetStats,
    Description,
    GraphInfo,
    new_folder_beside,
    replace_folder,
    write_dumps,
)
from icpc_kg.entail import entailments
from icpc_kg.errors import ProjectError
from icpc_kg.gazetteer import default_gazetteer
from icpc_kg.load import (
    INFERRED_GRAPH,
    SHAPES_GRAPH,
    GraphSource,
    LoadedDataset,
    content_files,
    file_digest,
    graph_name_for,
    shape_files,
)
from icpc_kg.place_links import (
    describe_places,
    geonames_graph,
    link_places,
    places_digest,
    warnings_of,
)
from icpc_kg.project import PACKAGE_DIR, Project
from icpc_kg.rdfio import (
    format_for_path,
    load_project_context,
    parse_rdf,
    to_rdflib,
    triples_to_rdflib,
)
from icpc_kg.reason import Engine, infer
from icpc_kg.shacl import ShaclReport, ShaclResult, validate_dataset
from icpc_kg.vocab import DEFAULT_BASE, ONTOLOGY_IRI

STEPS = ("load", "reason", "validate", "write")


@dataclass(frozen=True)
class BuildProgress:
    """One progress event: ``step`` has done ``done`` of ``total`` units (files for load and
    write, 1 for reason and validate); ``finished`` marks the step's last event."""

    step: str
    done: int
    total: int
    finished: bool = False
    detail: str = ""


ProgressCallback = Callable[[BuildProgress], None]

# What the graphs that no file holds are, as VoID and the summary name them.
DERIVED_LABELS = {"inferred": "OWL 2 RL inferences", "derived": "places linked to GeoNames"}


@dataclass
class BuildResult:
    """What a build did: counts, the validation report, timings and the files written."""

    project: Project
    out_dir: Path
    dataset: LoadedDataset
    report: ShaclReport
    graphs: list[GraphSource]  # per named graph, with its triple count, inferred last
    union_triples: int  # distinct triples over every graph
    entities: dict[str, int]  # class IRI -> distinct subjects typed with it (asserted + inferred)
    timings: dict[str, float]  # seconds per step, and "total"
    files: list[Path]  # every file of out_dir
    validation: str = "full"  # "full" or "incremental"
    validation_note: str = ""  # why full, or how many focus nodes were re-validated
    graphs_from_cache: int = 0
    base: str = DEFAULT_BASE

    @property
    def conforms(self) -> bool:
        return self.report.conforms

    @property
    def place_warnings(self) -> list[str]:
        """The places graph/geonames could not link to GeoNames, and why."""
        graph = ox.NamedNode(geonames_graph(self.base))
        return warnings_of(self.dataset.store.quads_for_pattern(None, None, None, graph), self.base)


# --------------------------------------------------------------------------------------------
# Loading
# --------------------------------------------------------------------------------------------


def blank_node_labels(quads: list[ox.Quad], salt: str) -> dict[str, ox.BlankNode]:
    """A stable label for every blank node (subject or object) of ``quads``.

    Parsers invent blank node labels afresh on every run. The label given here is a digest of
    ``salt`` (the graph, and the file when files share one) and the node's neighbourhood: its
    outgoing (predicate, object) and incoming (subject, predicate) pairs, with neighbouring
    blank nodes left anonymous. Nodes with the same neighbourhood are told apart by the order
    the parser gave them. So the same file always gives the same labels, an edit elsewhere in
    the file keeps them, and the dumps are byte-identical from build to build without
    canonicalising the whole dataset.
    """
    blank = ox.BlankNode
    parts: defaultdict[str, list[str]] = defaultdict(list)
    for q in quads:
        s: Any = q.subject
        o: Any = q.object
        subject_blank, object_blank = type(s) is blank, type(o) is blank
        if subject_blank:
            parts[s.value].append(f">{q.predicate} {'_' if object_blank else o}")
        if object_blank:
            parts[o.value].append(f"<{'_' if subject_blank else s} {q.predicate}")
    seen: dict[str, int] = {}
    labels: dict[str, ox.BlankNode] = {}
    for label, signature in parts.items():  # insertion order: the parser's order
        text = salt + "\n" + "\n".join(sorted(signature))
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]
        index = seen.get(digest, 0)
        seen[digest] = index + 1
        labels[label] = ox.BlankNode(f"b{digest}" if index == 0 else f"b{digest}x{index}")
    return labels


def place(quads: list[ox.Quad], graph: str, salt: str) -> list[ox.Quad]:
    """The distinct ``quads`` as triples of the named graph ``graph``, with stable blank node
    labels (:func:`blank_node_labels`)."""
    target = ox.NamedNode(graph)
    labels = blank_node_labels(quads, salt)
    if not labels:
        return list(dict.fromkeys(ox.Quad(q.subject, q.predicate, q.object, target) for q in quads))
    blank = ox.BlankNode

    def relabel(term: Any) -> Any:
        return labels[term.value] if type(term) is blank else term

    return list(
        dict.fromkeys(
            ox.Quad(relabel(q.subject), q.predicate, relabel(q.object), target) for q in quads
        )
    )


def display_path(path: Path) -> str:
    """``path`` relative to the current folder when it is under it (for error messages)."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def parse_content_file(
    data: bytes,
    path: Path,
    graph: str,
    context: dict[str, Any] | None = None,
    name: str = "",
) -> list[ox.Quad]:
    """The distinct quads of one content file, all in ``graph`` (one named graph per file,
    whatever graphs a TriG or N-Quads file names), with stable blank node labels. ``name``
    (the file's path in the project) keeps apart the blank nodes of files that share a graph,
    such as the shape files."""
    quads = parse_rdf(
        data,
        format_for_path(path),
        display_path(path),
        context=context,
        max_bytes=max(len(data), 1),
    )
    return place(quads, graph, f"{graph}\n{name}")


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise ProjectError(f"{display_path(path)}: cannot read: {error.strerror}") from None


def _project_context(project: Project) -> dict[str, Any] | None:
    if not project.context_file.is_file():
        return None
    try:
        return load_project_context(project.context_file)
    except (ValueError, OSError) as error:
        raise ProjectError(f"{display_path(project.context_file)}: {error}") from None


def _graph_key(graph: str, digest: str) -> str:
    """The cache key of a parsed graph: the file's digest, and the graph it was placed in."""
    return f"{digest}-{hashlib.sha256(graph.encode('utf-8')).hexdigest()[:12]}"


def load_content(
    project: Project,
    base: str = DEFAULT_BASE,
    cache: BuildCache | None = None,
    progress: ProgressCallback | None = None,
) -> tuple[LoadedDataset, int]:
    """Load ontology/ and data/, one named graph per file, taking unchanged files' parsed
    graphs from ``cache``; also the number of graphs that came from the cache."""
    files = content_files(project)
    context = _project_context(project)
    dataset = LoadedDataset(ox.Store())
    from_cache = 0
    for index, path in enumerate(files):
        if progress:
            progress(BuildProgress("load", index, len(files), detail=display_path(path)))
        name, kind = graph_name_for(path, project, base)
        data = _read(path)
        digest = file_digest(data)
        key = _graph_key(name, digest)
        quads = cache.read_graph(key) if cache is not None else None
        if quads is None:
            quads = parse_content_file(data, path, name, context)
            if cache is not None:
                with contextlib.suppress(OSError):  # the cache only saves time
                    cache.write_graph(key, quads)
        else:
            from_cache += 1
        dataset.add_graph(GraphSource(name, kind, path, len(quads), digest), quads)
    from_cache += add_place_links(dataset, base, cache)
    if progress:
        progress(BuildProgress("load", len(files), len(files), finished=True))
    return dataset, from_cache


def add_place_links(dataset: LoadedDataset, base: str, cache: BuildCache | None) -> bool:
    """graph/geonames (:mod:`icpc_kg.place_links`), kept in the cache under a digest of the
    places it was made from, so the gazetteer is read only when the places change; whether
    it came from the cache."""
    places = describe_places(dataset.quads())
    digest = places_digest(places, default_gazetteer())
    name = geonames_graph(base)
    key = _graph_key(name, digest)
    quads = cache.read_graph(key) if cache is not None else None
    cached = quads is not None
    if quads is None:
        quads = link_places(places, base).quads
        if cache is not None:
            with contextlib.suppress(OSError):  # the cache only saves time
                cache.write_graph(key, quads)
    dataset.add_graph(GraphSource(name, "derived", None, len(quads), digest), quads)
    return cached


def load_build_shapes(project: Project) -> tuple[list[ox.Quad], str]:
    """Every shape file in the shapes graph, with stable blank node labels, and a digest of
    the shape files (to know when cached validation results no longer hold)."""
    quads: list[ox.Quad] = []
    digest = hashlib.sha256()
    for path in shape_files(project):
        data = _read(path)
        name = path.relative_to(project.root).as_posix()
        digest.update(f"{name}\n{file_digest(data)}\n".encode())
        quads.extend(parse_content_file(data, path, SHAPES_GRAPH, name=name))
    return list(dict.fromkeys(quads)), digest.hexdigest()


# --------------------------------------------------------------------------------------------
# Reasoning
# --------------------------------------------------------------------------------------------


def add_inferred(dataset: LoadedDataset, engine: Engine = "reasonable") -> list[ox.Quad]:
    """Run OWL 2 RL over the dataset and add the entailments as graph/inferred."""
    quads = list(dataset.quads())
    triples = entailments(quads, dataset.store) if engine == "reasonable" else infer(quads, engine)
    graph = ox.NamedNode(INFERRED_GRAPH)
    inferred = [ox.Quad(t.subject, t.predicate, t.object, graph) for t in triples]
    dataset.add_graph(GraphSource(INFERRED_GRAPH, "inferred", None, len(inferred)), inferred)
    return inferred


def assemble(
    project: Project, base: str = DEFAULT_BASE, engine: Engine = "reasonable"
) -> LoadedDataset:
    """The project's graphs plus graph/inferred, in one in-memory store."""
    dataset, _ = load_content(project, base)
    add_inferred(dataset, engine)
    return dataset


# --------------------------------------------------------------------------------------------
# The cache
# --------------------------------------------------------------------------------------------

CACHE_FORMAT = 1


# The modules whose code decides what a build computes (other modules, such as the server,
# cannot change a cached result); with any SHACL engine module (shacl*.py, shacl/).
_ENGINE_MODULES = (
    "affected",
    "build",
    "dumps",
    "gazetteer",
    "load",
    "place_links",
    "rdfio",
    "reason",
    "vocab",
)


def engine_fingerprint() -> str:
    """A digest of everything besides the inputs that a cached result depends on: the code
    of the build's modules and the versions of the RDF libraries."""
    digest = hashlib.sha256(f"{CACHE_FORMAT} {__version__}\n".encode())
    for name in ("pyoxigraph", "reasonable", "pyshacl", "rdflib", "owlrl"):
        try:
            digest.update(f"{name} {version(name)}\n".encode())
        except PackageNotFoundError:
            digest.update(f"{name} -\n".encode())
    sources = [PACKAGE_DIR / f"{name}.py" for name in _ENGINE_MODULES]
    sources += PACKAGE_DIR.glob("shacl*.py")
    sources += PACKAGE_DIR.glob("shacl*/**/*.py")
    for path in sorted(set(sources)):
        if path.is_file():
            digest.update(path.relative_to(PACKAGE_DIR).as_posix().encode() + b"\n")
            digest.update(file_digest(path.read_bytes()).encode() + b"\n")
    return digest.hexdigest()


def default_cache_dir(out_dir: Path) -> Path:
    """``.cache/icpc-kg/<out name>`` beside the output folder (``<project>/.cache/...`` for
    the default ``dist/``): outside the output, so it is never published with it."""
    return out_dir.parent / ".cache" / "icpc-kg" / out_dir.name


def _term_to_json(term: Node | None) -> Any:
    if term is None:
        return None
    if isinstance(term, rdflib.URIRef):
        return {"iri": str(term)}
    if isinstance(term, rdflib.BNode):
        return {"bnode": str(term)}
    if isinstance(term, rdflib.Literal):
        out: dict[str, str] = {"literal": str(term)}
        if term.language:
            out["lang"] = term.language
        elif term.datatype is not None:
            out["datatype"] = str(term.datatype)
        return out
    raise TypeError(f"cannot store {term!r}")


def _term_from_json(data: Any) -> Any:
    if data is None:
        return None
    if "iri" in data:
        return rdflib.URIRef(data["iri"])
    if "bnode" in data:
        return rdflib.BNode(data["bnode"])
    datatype = data.get("datatype")
    return rdflib.Literal(
        data["literal"],
        lang=data.get("lang"),
        datatype=rdflib.URIRef(datatype) if datatype else None,
    )


def report_to_json(report: ShaclReport) -> list[dict[str, Any]]:
    return [
        {
            "focus": _term_to_json(r.focus),
            "path": _term_to_json(r.path),
            "value": _term_to_json(r.value),
            "severity": r.severity,
            "constraint": _term_to_json(r.constraint),
            "shape": _term_to_json(r.shape),
            "messages": r.messages,
            "rule_id": r.rule_id,
        }
        for r in report.sorted()
    ]


def report_from_json(data: list[dict[str, Any]]) -> ShaclReport:
    return ShaclReport(
        [
            ShaclResult(
                focus=_term_from_json(r["focus"]),
                path=_term_from_json(r["path"]),
                value=_term_from_json(r["value"]),
                severity=r["severity"],
                constraint=_term_from_json(r["constraint"]),
                shape=_term_from_json(r["shape"]),
                messages=dict(r["messages"]),
                rule_id=r["rule_id"],
            )
            for r in data
        ]
    )


class BuildCache:
    """Parsed graphs by content digest, and the state of the last successful build.

    ``graphs/<digest>-<graph>.nq`` holds a file's parsed graph (blank nodes keep their
    labels in N-Quads); ``state.json`` names the previous build's graphs and fingerprint,
    ``inferred.nq`` and ``report.json`` hold its inferences and validation results. Every
    file is written to a temporary name and renamed, and ``state.json`` last, so a build that
    stops half-way leaves a cache that is either the old one or unusable (then ignored).
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _graph_file(self, key: str) -> Path:
        return self.folder / "graphs" / f"{key}.nq"

    def _write_atomic(self, path: Path, write: Callable[[Path], object]) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
        write(partial)
        os.replace(partial, path)

    def read_graph(self, key: str) -> list[ox.Quad] | None:
        path = self._graph_file(key)
        if not path.is_file():
            return None
        try:
            return list(ox.parse(path=str(path), format=ox.RdfFormat.N_QUADS))
        except (SyntaxError, ValueError, OSError):
            return None  # a damaged cache entry: parse the source again

    def write_graph(self, key: str, quads: list[ox.Quad]) -> None:
        self._write_atomic(
            self._graph_file(key),
            lambda p: ox.serialize(quads, str(p), ox.RdfFormat.N_QUADS),
        )

    def load_state(self) -> dict[str, Any] | None:
        try:
            state = json.loads((self.folder / "state.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return state if isinstance(state, dict) and state.get("format") == CACHE_FORMAT else None

    def read_graph_lines(self, key: str) -> set[str] | None:
        """The N-Quads lines of a cached graph."""
        try:
            return set(self._graph_file(key).read_text(encoding="utf-8").splitlines())
        except (OSError, ValueError):
            return None

    def read_report(self) -> ShaclReport | None:
        try:
            data = json.loads((self.folder / "report.json").read_text(encoding="utf-8"))
            return report_from_json(data)
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def read_parsed_sparql(self) -> dict[str, Any]:
        """The analysis of the shapes' SPARQL queries (see :func:`read_profile`)."""
        try:
            data = json.loads((self.folder / "sparql.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def write_parsed_sparql(self, parsed: dict[str, Any]) -> None:
        text = json.dumps(parsed, sort_keys=True)
        with contextlib.suppress(OSError):  # only an optimisation
            self._write_atomic(self.folder / "sparql.json", lambda p: p.write_text(text, "utf-8"))

    def save(self, state: dict[str, Any], inferred: list[ox.Quad], report: ShaclReport) -> None:
        self.write_graph("inferred", inferred)
        text = json.dumps(report_to_json(report), ensure_ascii=False, sort_keys=True)
        self._write_atomic(self.folder / "report.json", lambda p: p.write_text(text, "utf-8"))
        state_text = json.dumps({**state, "format": CACHE_FORMAT}, indent=1, sort_keys=True)
        self._write_atomic(self.folder / "state.json", lambda p: p.write_text(state_text, "utf-8"))
        keep = {f"{g['key']}.nq" for g in state["graphs"]} | {"inferred.nq"}
        for path in (self.folder / "graphs").glob("*.nq"):
            if path.name not in keep:
                path.unlink(missing_ok=True)

    def clear(self, keep_analysis: bool = False) -> None:
        """Forget everything; with ``keep_analysis``, keep the SPARQL analysis, which
        depends only on the text of the queries."""
        parsed = self.read_parsed_sparql() if keep_analysis else {}
        shutil.rmtree(self.folder, ignore_errors=True)
        if parsed:
            self.write_parsed_sparql(parsed)


def _state_for(
    dataset: LoadedDataset, fingerprint: str, base: str, shapes_digest: str
) -> dict[str, Any]:
    return {
        "fingerprint": fingerprint,
        "base": base,
        "shapes": shapes_digest,
        "graphs": [
            {
                "name": g.name,
                "kind": g.kind,
                "digest": g.digest,
                "key": _graph_key(g.name, g.digest),
            }
            for g in dataset.graphs
            if g.kind != "inferred"
        ],
    }


# --------------------------------------------------------------------------------------------
# Validation, full or incremental
# --------------------------------------------------------------------------------------------


@dataclass
class Validation:
    report: ShaclReport
    mode: str  # full | incremental
    note: str


def _triples(quads: Iterable[ox.Quad]) -> set[ox.Triple]:
    return {q.triple for q in quads}


def changed_triples(
    dataset: LoadedDataset,
    previous: dict[str, Any],
    cache: BuildCache,
    inferred: list[ox.Quad],
) -> list[ox.Triple] | str:
    """The triples added or removed since the previous build, graph by graph (inferred
    included), or the reason they cannot be known."""
    old = {g["name"]: g for g in previous["graphs"]}
    new = {g.name: g for g in dataset.graphs if g.kind != "inferred"}
    changed: set[ox.Triple] = set()
    for name in sorted(old.keys() | new.keys()):
        before, after = old.get(name), new.get(name)
        if before is not None and after is not None and before["digest"] == after.digest:
            continue
        kind = after.kind if after is not None else before["kind"] if before else ""
        if kind == "ontology":
            return f"the ontology changed ({name.rsplit('/', 1)[-1]})"
        old_quads: list[ox.Quad] = []
        if before is not None:
            read = cache.read_graph(before["key"])
            if read is None:
                return "the cache lost a previous graph"
            old_quads = read
        new_quads = list(dataset.store.quads_for_pattern(None, None, None, ox.NamedNode(name)))
        changed |= _triples(old_quads) ^ _triples(new_quads)
    # The inferred graph is big and mostly unchanged: compare N-Quads lines (sets of strings),
    # and build terms only for the lines that differ.
    old_lines = cache.read_graph_lines("inferred")
    if old_lines is None:
        return "the cache lost the previous inferences"
    differ = old_lines.symmetric_difference(f"{q} ." for q in inferred)
    changed.update(q.triple for q in ox.parse("\n".join(differ), ox.RdfFormat.N_QUADS))
    return sorted(changed, key=str)


def validate_build(
    dataset: LoadedDataset,
    shapes: list[ox.Quad],
    inferred: list[ox.Quad],
    cache: BuildCache | None,
    previous: dict[str, Any] | None,
    why_full: str,
) -> Validation:
    """Validate ``dataset``; when ``previous`` (the last build's state) allows it, only the
    focus nodes the change can affect, keeping the other results of the cached report."""
    if cache is None or previous is None or why_full:
        if cache is not None:  # the next build's incremental validation will need it
            parsed = cache.read_parsed_sparql()
            if analyse_sparql(triples_to_rdflib(shapes), parsed):
                cache.write_parsed_sparql(parsed)
        return Validation(validate_dataset(dataset, shapes), "full", why_full)
    old_report = cache.read_report()
    if old_report is None:
        return Validation(validate_dataset(dataset, shapes), "full", "no cached report")
    changed = changed_triples(dataset, previous, cache, inferred)
    if isinstance(changed, str):
        return Validation(validate_dataset(dataset, shapes), "full", changed)
    if not changed:
        return Validation(old_report, "incremental", "nothing changed")
    parsed = cache.read_parsed_sparql()
    profile = read_profile(triples_to_rdflib(shapes), store_chain_length(dataset.store), parsed)
    cache.write_parsed_sparql(parsed)  # the analysis of each query, kept for the next build
    if profile is None:
        note = "the shapes read further than the change analysis can follow"
        return Validation(validate_dataset(dataset, shapes), "full", note)
    affected = affected_focus_nodes(dataset.store, profile, changed)
    if affected is None:
        return Validation(validate_dataset(dataset, shapes), "full", "the class hierarchy changed")
    focus = {to_rdflib(node) for node in affected}
    if any(isinstance(node, rdflib.BNode) for node in focus):
        # pyshacl's focus_nodes option only selects IRIs, so blank focus nodes need a full run.
        note = "a changed blank node may be a focus node"
        return Validation(validate_dataset(dataset, shapes), "full", note)
    kept = [r for r in old_report.results if r.focus not in focus]
    fresh = validate_dataset(dataset, shapes, focus_nodes=sorted(focus, key=str)) if focus else None
    results = kept + (fresh.results if fresh else [])
    note = f"{len(focus)} focus node{'s' if len(focus) != 1 else ''} re-validated"
    return Validation(ShaclReport(results), "incremental", note)


# --------------------------------------------------------------------------------------------
# Build
# --------------------------------------------------------------------------------------------

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")


def describe(dataset: LoadedDataset, base: str) -> Description:
    """What the VoID says besides counts, taken from the content, never from the clock: the
    ontology's licence, the newest dcterms:modified/created/issued date stated in any graph,
    and a digest of every input file as the version."""
    dates: list[str] = []
    for predicate in ("modified", "created", "issued"):
        for quad in dataset.store.quads_for_pattern(
            None, ox.NamedNode(f"http://purl.org/dc/terms/{predicate}"), None
        ):
            if isinstance(quad.object, ox.Literal) and _DATE.match(quad.object.value):
                dates.append(quad.object.value[:10])
    license_iri = "https://creativecommons.org/licenses/by/4.0/"
    for quad in dataset.store.quads_for_pattern(
        ox.NamedNode(ONTOLOGY_IRI), ox.NamedNode("http://purl.org/dc/terms/license"), None
    ):
        if isinstance(quad.object, ox.NamedNode):
            license_iri = quad.object.value
    inputs = "\n".join(f"{g.name} {g.digest}" for g in sorted(dataset.graphs, key=lambda g: g.name))
    return Description(
        base=base,
        license=license_iri,
        modified=max(dates) if dates else None,
        version="sha256:" + hashlib.sha256(inputs.encode("utf-8")).hexdigest(),
    )


class _Steps:
    """Times each step and reports its start and end to the progress callback."""

    def __init__(self, progress: ProgressCallback | None) -> None:
        self.progress = progress
        self.timings: dict[str, float] = {}

    def run(self, step: str, work: Callable[[], Any]) -> Any:
        if self.progress:
            self.progress(BuildProgress(step, 0, 1))
        started = time.perf_counter()
        result = work()
        self.timings[step] = time.perf_counter() - started
        if self.progress:
            self.progress(BuildProgress(step, 1, 1, finished=True))
        return result


def build(
    project: Project,
    out_dir: Path | None = None,
    base: str = DEFAULT_BASE,
    progress: ProgressCallback | None = None,
    full: bool = False,
    cache_dir: Path | None = None,
    engine: Engine = "reasonable",
) -> BuildResult:
    """Load, reason, validate and write ``out_dir`` (default ``project.dist_dir``).

    Violations do not stop the build: the report says whether the data conforms. Any
    :class:`IcpcKgError` (a malformed file, an unwritable folder) stops it and leaves
    ``out_dir`` as it was. ``full`` ignores the cache.
    """
    started = time.perf_counter()
    out = Path(out_dir) if out_dir is not None else project.dist_dir
    out = out.resolve()
    cache = BuildCache(cache_dir or default_cache_dir(out))
    fingerprint = engine_fingerprint()
    steps = _Steps(progress)

    previous = None if full else cache.load_state()
    if previous is not None and (
        previous.get("fingerprint") != fingerprint or previous.get("base") != base
    ):
        previous = None
    if full:
        cache.clear(keep_analysis=True)

    load_started = time.perf_counter()  # load_content reports its own progress, per file
    dataset, from_cache = load_content(project, base, cache, progress)
    shapes, shapes_digest = load_build_shapes(project)
    steps.timings["load"] = time.perf_counter() - load_started

    inferred = steps.run("reason", lambda: add_inferred(dataset, engine))

    why_full = "--full" if full else ""
    if not why_full and previous is None:
        why_full = "no previous build to start from"
    elif not why_full and previous is not None and previous.get("shapes") != shapes_digest:
        why_full = "the shapes changed"
    validation: Validation = steps.run(
        "validate",
        lambda: validate_build(dataset, shapes, inferred, cache, previous, why_full),
    )

    def write() -> tuple[list[Path], DatasetStats]:
        graphs = [
            GraphInfo(
                g.name,
                g.path.relative_to(project.root).as_posix() if g.path else DERIVED_LABELS[g.kind],
            )
            for g in dataset.graphs
        ]
        folder = new_folder_beside(out)
        try:
            stats = write_dumps(
                folder,
                dataset.store,
                graphs,
                shapes,
                describe(dataset, base),
                progress=(
                    (lambda name: progress(BuildProgress("write", 0, 1, detail=name)))
                    if progress
                    else None
                ),
            )
            replace_folder(folder, out)
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        return sorted(out.iterdir()), stats

    try:
        files, stats = steps.run("write", write)
    except OSError as error:
        raise ProjectError(
            f"{out}: cannot write the build output: {error.strerror or error}"
        ) from None

    try:
        cache.save(
            _state_for(dataset, fingerprint, base, shapes_digest), inferred, validation.report
        )
    except OSError:
        cache.clear()  # a cache we cannot write is not worth keeping half-written

    steps.timings["total"] = time.perf_counter() - started
    return BuildResult(
        project=project,
        out_dir=out,
        dataset=dataset,
        report=validation.report,
        graphs=list(dataset.graphs),
        union_triples=stats.triples,
        entities=stats.class_entities,
        timings=steps.timings,
        files=files,
        validation=validation.mode,
        validation_note=validation.note,
        graphs_from_cache=from_cache,
        base=base,
    )
