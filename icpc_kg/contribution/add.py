"""``icpc-kg add``: write a conforming contribution into data/contributions/, with provenance.

The contribution is validated first (exactly as ``icpc-kg validate`` does); only one that
passes is written, as Turtle whatever its input syntax, to ``data/contributions/{slug}.ttl``,
which the next build loads as ``graph/contribution-{slug}``. The file starts with a
provenance node, ``{base}id/contribution/{slug}``::

    id:contribution/{slug} a icpc:Contribution , prov:Entity , dcat:Dataset ;
        dcterms:title "Contribution {slug}"@en ;
        dcterms:contributor "{--by}" ;                  # never taken from the environment
        dcterms:date "YYYY-MM-DD"^^xsd:date ;           # today, UTC
        dcterms:description "{--message}" ;
        dcat:distribution [ a dcat:Distribution ;       # one per submitted file
            dcterms:title "{file name}" ; dcterms:format "{media type}" ;
            spdx:checksum [ a spdx:Checksum ; spdx:algorithm spdx:checksumAlgorithm_sha256 ;
                            spdx:checksumValue "{sha256}"^^xsd:hexBinary ] ] .

and each entity the contribution adds to the graph that names no source of its own
(dcterms:source, icpc:statedIn or prov:wasDerivedFrom) gets ``dcterms:source`` that node;
resources the graph already has keep the sources it gives them.
The write is atomic (a temporary file in the same folder, then a rename), and an existing
contribution is never overwritten unless asked.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from icpc_kg.contribution.inputs import DEFAULT_MAX_BYTES, Contribution, read_contribution
from icpc_kg.contribution.knowledge import RDF_TYPE, knowledge_for
from icpc_kg.contribution.model import ContributionInput, ContributionReport
from icpc_kg.contribution.turtle import to_turtle
from icpc_kg.contribution.validate import check_contribution
from icpc_kg.errors import InputError, ProjectError
from icpc_kg.executor import DEFAULT_TIMEOUT
from icpc_kg.fileio import write_atomically
from icpc_kg.project import Project
from icpc_kg.store import Store
from icpc_kg.vocab import DEFAULT_BASE, PREFIXES, SLUG_RE, graph_iri

DCTERMS = "http://purl.org/dc/terms/"
DCAT = "http://www.w3.org/ns/dcat#"
PROV = "http://www.w3.org/ns/prov#"
ICPC_CONTRIBUTION = "https://w3id.org/icpc-kg/ontology#Contribution"
SPDX = "http://spdx.org/rdf/terms#"
XSD = "http://www.w3.org/2001/XMLSchema#"
ICPC_STATED_IN = "https://w3id.org/icpc-kg/ontology#statedIn"
SOURCE_PREDICATES = frozenset({DCTERMS + "source", ICPC_STATED_IN, PROV + "wasDerivedFrom"})


@dataclass(frozen=True)
class AddResult:
    """The validation report, and the file written (None when the contribution did not pass)."""

    report: ContributionReport
    path: Path | None
    slug: str
    graph: str
    triples: int = 0


def slug_for(name: str) -> str:
    """A contribution slug from a file name: lowercase ASCII words joined by hyphens."""
    stem = Path(name).name.split(".")[0]
    cleaned = "".join(c if c.isascii() and c.isalnum() else "-" for c in stem.lower())
    return "-".join(part for part in cleaned.split("-") if part)


def contribution_path(project: Project, slug: str) -> Path:
    return project.contributions_dir / f"{slug}.ttl"


def _literal(text: str, datatype: str | None = None) -> ox.Literal:
    if datatype:
        return ox.Literal(text, datatype=ox.NamedNode(datatype))
    return ox.Literal(text)


def provenance_triples(
    node: ox.NamedNode,
    slug: str,
    contribution: Contribution,
    by: str,
    message: str | None,
    today: datetime.date,
) -> list[ox.Triple]:
    def iri(value: str) -> ox.NamedNode:
        return ox.NamedNode(value)

    out = [
        ox.Triple(node, iri(RDF_TYPE), iri(ICPC_CONTRIBUTION)),
        ox.Triple(node, iri(RDF_TYPE), iri(PROV + "Entity")),
        ox.Triple(node, iri(RDF_TYPE), iri(DCAT + "Dataset")),
        ox.Triple(node, iri(DCTERMS + "title"), ox.Literal(f"Contribution {slug}", language="en")),
        ox.Triple(node, iri(DCTERMS + "contributor"), _literal(by)),
        ox.Triple(node, iri(DCTERMS + "date"), _literal(today.isoformat(), XSD + "date")),
    ]
    if message:
        out.append(ox.Triple(node, iri(DCTERMS + "description"), _literal(message)))
    for index, parsed in enumerate(contribution.inputs):
        file = ox.BlankNode(f"source{index}")
        checksum = ox.BlankNode(f"checksum{index}")
        out += [
            ox.Triple(node, iri(DCAT + "distribution"), file),
            ox.Triple(file, iri(RDF_TYPE), iri(DCAT + "Distribution")),
            ox.Triple(file, iri(DCTERMS + "title"), _literal(Path(parsed.source).name)),
            ox.Triple(file, iri(DCTERMS + "format"), _literal(parsed.format.media_type)),
            ox.Triple(file, iri(SPDX + "checksum"), checksum),
            ox.Triple(checksum, iri(RDF_TYPE), iri(SPDX + "Checksum")),
            ox.Triple(checksum, iri(SPDX + "algorithm"), iri(SPDX + "checksumAlgorithm_sha256")),
            ox.Triple(
                checksum, iri(SPDX + "checksumValue"), _literal(parsed.sha256, XSD + "hexBinary")
            ),
        ]
    return out


def derived_from_triples(
    node: ox.NamedNode, contribution: Contribution, sourced: set[str], base: str
) -> list[ox.Triple]:
    """``dcterms:source node`` for each contributed entity without a source of its own
    (``sourced``: IRIs the graph already describes, with their sources)."""
    has_source = sourced | {
        t.subject.value
        for t in contribution.triples
        if t.predicate.value in SOURCE_PREDICATES and isinstance(t.subject, ox.NamedNode)
    }
    return [
        ox.Triple(subject, ox.NamedNode(DCTERMS + "source"), node)
        for subject in contribution.subjects()
        if isinstance(subject, ox.NamedNode)
        and subject.value.startswith(base + "id/")
        and subject.value not in has_source
        and subject != node
    ]


def _comment(text: str) -> str:
    return " ".join(text.split())


def contribution_turtle(
    triples: list[ox.Triple],
    node: ox.NamedNode,
    slug: str,
    by: str,
    message: str | None,
    today: datetime.date,
    sources: list[str],
    base: str = DEFAULT_BASE,
) -> bytes:
    """The contribution as Turtle in the style of data/, after a comment header."""
    header = [
        f"# Contribution {slug}: added by {_comment(by)} on {today.isoformat()} with icpc-kg add,",
        f"# from {', '.join(_comment(s) for s in sources)}.",
    ]
    if message:
        header.append(f"# {_comment(message)}")
    header.append(f"# icpc-kg build loads this file as graph/contribution-{slug}.")
    body = to_turtle(triples, base + "id/", {**PREFIXES, "spdx": SPDX}, first=[node])
    return ("\n".join(header) + "\n\n" + body).encode("utf-8")


def write_contribution(path: Path, data: bytes, replace: bool) -> None:
    """Write the contribution file atomically; without ``replace``, never overwrite one."""
    try:
        write_atomically(path, data, replace=replace)
    except FileExistsError:
        raise ProjectError(_exists_message(path)) from None


def _exists_message(path: Path) -> str:
    return (
        f"{path} already exists: pass --replace to overwrite it, or --slug to add this "
        "contribution under another name"
    )


def add_contribution(
    inputs: list[ContributionInput],
    store: Store,
    project: Project,
    *,
    by: str,
    message: str | None = None,
    slug: str | None = None,
    replace: bool = False,
    strict: bool = False,
    max_bytes: int = DEFAULT_MAX_BYTES,
    timeout: float | None = DEFAULT_TIMEOUT,
    base: str = DEFAULT_BASE,
    today: datetime.date | None = None,
) -> AddResult:
    """Validate ``inputs`` against the graph in ``store``; if they pass (with ``strict``,
    without warnings either), write them into the project's data/contributions/."""
    if project.bundled:
        raise ProjectError(
            "the graph bundled with the installed package is read-only: run icpc-kg add in a "
            "project checkout (a folder with ontology/, data/ and shapes/), or pass --project"
        )
    if not by.strip():
        raise InputError("--by must name the contributor (a person or an organisation)")
    slug = slug or slug_for(inputs[0].source if inputs[0].data is None else "")
    if not SLUG_RE.match(slug):
        raise InputError(
            f"bad contribution name {slug!r}: pass --slug with lowercase ASCII words joined "
            "by hyphens"
        )
    path = contribution_path(project, slug)
    if path.exists() and not replace:
        raise ProjectError(_exists_message(path))
    knowledge = knowledge_for(project)
    contribution = read_contribution(inputs, max_bytes, knowledge.context)
    report = check_contribution(contribution, store, knowledge, timeout=timeout, base=base)
    graph = graph_iri(f"contribution-{slug}", base)
    if not report.passes(strict):
        return AddResult(report, None, slug, graph)
    today = today or datetime.datetime.now(datetime.UTC).date()
    node = ox.NamedNode(f"{base}id/contribution/{slug}")
    published = {
        r.term.value for r in report.resources if r.existing and isinstance(r.term, ox.NamedNode)
    }
    triples = [
        *provenance_triples(node, slug, contribution, by.strip(), message, today),
        *contribution.triples,
        *derived_from_triples(node, contribution, published, base),
    ]
    sources = [Path(p.source).name for p in contribution.inputs]
    data = contribution_turtle(triples, node, slug, by.strip(), message, today, sources, base)
    write_contribution(path, data, replace)
    return AddResult(report, path, slug, graph, len(triples))
