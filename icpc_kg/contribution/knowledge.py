"""What contribution checks know from the project's files: the ontology, the shapes, the
JSON-LD context, and facts drawn from them (declared terms, class families, properties the
shapes allow only once). Read once per project and kept (a server validates many bodies)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from icpc_kg.load import RDF_EXTENSIONS, graph_name_for, load_shapes, read_graph_file, shape_files
from icpc_kg.project import Project
from icpc_kg.rdfio import load_project_context
from icpc_kg.vocab import ICPC

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_SUBCLASS = "http://www.w3.org/2000/01/rdf-schema#subClassOf"
SH = "http://www.w3.org/ns/shacl#"


@dataclass(frozen=True)
class Knowledge:
    ontology: list[ox.Quad]  # the graphs of ontology/ that define icpc terms (not the themes)
    shapes: list[ox.Quad]
    context: dict[str, Any] | None
    terms: frozenset[str]  # icpc: terms the ontology declares
    superclasses: dict[str, frozenset[str]]  # class -> itself and every superclass
    single_valued: frozenset[str]  # paths of property shapes with sh:maxCount 1
    per_language: frozenset[str]  # paths of property shapes with sh:uniqueLang true

    def families(self, classes: set[str]) -> set[str]:
        """The top-level icpc classes (Event, Organization, Person...) above ``classes``."""
        out: set[str] = set()
        for cls in classes:
            for candidate in self.superclasses.get(cls, frozenset({cls})):
                if candidate.startswith(str(ICPC)) and not any(
                    sup != candidate and sup.startswith(str(ICPC))
                    for sup in self.superclasses.get(candidate, frozenset())
                ):
                    out.add(candidate)
        return out


def ontology_files(project: Project) -> list[Path]:
    return sorted(
        p
        for p in project.ontology_dir.rglob("*")
        if p.is_file() and p.suffix.lower() in RDF_EXTENSIONS and p.name != "context.jsonld"
    )


def _closure(edges: dict[str, set[str]]) -> dict[str, frozenset[str]]:
    out: dict[str, frozenset[str]] = {}
    for start in edges:
        seen = {start}
        todo = [start]
        while todo:
            for parent in edges.get(todo.pop(), ()):
                if parent not in seen:
                    seen.add(parent)
                    todo.append(parent)
        out[start] = frozenset(seen)
    return out


def read_knowledge(project: Project) -> Knowledge:
    ontology: list[ox.Quad] = []
    for path in ontology_files(project):
        name, _ = graph_name_for(path, project)
        quads, _ = read_graph_file(path, name)
        # A file of instances (the SKOS themes) is data the published graph holds already.
        if any(
            isinstance(q.subject, ox.NamedNode) and q.subject.value.startswith(str(ICPC))
            for q in quads
        ):
            ontology.extend(quads)
    shapes = load_shapes(project)
    context = load_project_context(project.context_file) if project.context_file.is_file() else None
    terms = frozenset(
        q.subject.value
        for q in ontology
        if isinstance(q.subject, ox.NamedNode) and q.subject.value.startswith(str(ICPC))
    )
    parents: dict[str, set[str]] = defaultdict(set)
    for q in ontology:
        if q.predicate.value == RDFS_SUBCLASS and isinstance(q.object, ox.NamedNode):
            parents[q.subject.value].add(q.object.value)  # type: ignore[union-attr]
    by_subject: dict[Any, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
    for q in shapes:
        by_subject[q.subject][q.predicate.value].append(q.object)
    single: set[str] = set()
    per_language: set[str] = set()
    for description in by_subject.values():
        paths = [p for p in description.get(SH + "path", []) if isinstance(p, ox.NamedNode)]
        if not paths:
            continue
        if any(v.value == "1" for v in description.get(SH + "maxCount", [])):
            single.add(paths[0].value)
        if any(v.value == "true" for v in description.get(SH + "uniqueLang", [])):
            per_language.add(paths[0].value)
    return Knowledge(
        ontology,
        shapes,
        context,
        terms,
        _closure(parents),
        frozenset(single),
        frozenset(per_language),
    )


_CACHE: dict[tuple[str, tuple[tuple[str, float], ...]], Knowledge] = {}


def knowledge_for(project: Project) -> Knowledge:
    """The project's knowledge, re-read when an ontology, shape or context file changes."""
    files = [*ontology_files(project), *shape_files(project)]
    if project.context_file.is_file():
        files.append(project.context_file)
    key = (str(project.root), tuple((str(p), p.stat().st_mtime) for p in files))
    if key not in _CACHE:
        _CACHE.clear()
        _CACHE[key] = read_knowledge(project)
    return _CACHE[key]
