"""The W3C SHACL test suite, run on icpc-kg's engine and on pyshacl.

    python benchmarks/shacl_suite.py SUITE [--engine ours|pyshacl|both] [--only core|sparql]
        [--verbose]

SUITE is the ``data-shapes-test-suite`` folder of the w3c/data-shapes repository (kept outside
this repository, e.g. /work/ext/data-shapes/data-shapes-test-suite). Every ``sht:Validate``
entry reachable from ``tests/core/manifest.ttl`` and ``tests/sparql/manifest.ttl`` is run, and
judged for *full compliance* as the suite's own page defines it: the report must be isomorphic
to the expected one once both keep only the predicates the suite compares (report type,
sh:conforms, sh:result, and on each result its type, focus node, path, severity, source
constraint, source constraint component, source shape and value; sh:resultMessage only where
the expected report names that message); nested results (sh:detail) are not results of the
report; an entry expecting ``sht:Failure`` passes when the engine reports a failure (raises).

It prints, per engine, the pass count of each section and the failing entries with the reason.
"""

from __future__ import annotations

import argparse
import sys
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import rdflib
from rdflib.compare import graph_diff, isomorphic, to_isomorphic
from rdflib.namespace import RDF, SH
from rdflib.term import BNode, Node

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from icpc_kg.rdfio import triples_to_rdflib  # noqa: E402
from icpc_kg.shacl.report import comparable  # noqa: E402

MF = rdflib.Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
SHT = rdflib.Namespace("http://www.w3.org/ns/shacl-test#")
SECTIONS = ("core", "sparql")


@dataclass(frozen=True)
class Entry:
    """One sht:Validate entry of the suite."""

    section: str  # core | sparql
    name: str  # path of its file under tests/, and the entry's local name
    data: Path
    shapes: Path
    expected: rdflib.Graph | None  # None: a failure is expected


Engine = Callable[[rdflib.Graph, rdflib.Graph], rdflib.Graph]


def entries(suite: Path, section: str) -> Iterator[Entry]:
    """Every entry reachable from the section's manifest, in manifest order."""
    tests = suite / "tests"
    todo = [tests / section / "manifest.ttl"]
    seen: set[Path] = set()
    while todo:
        manifest_path = todo.pop(0).resolve()
        if manifest_path in seen:
            continue
        seen.add(manifest_path)
        graph = parse_turtle(manifest_path)
        base = manifest_path.parent
        for manifest in graph.subjects(RDF.type, MF.Manifest):
            for include in graph.objects(manifest, MF.include):
                todo.append(local_file(include, base))
            for head in graph.objects(manifest, MF.entries):
                for entry in graph.items(head):
                    built = entry_of(graph, entry, base, section, tests)
                    if built is not None:
                        yield built


def parse_turtle(path: Path) -> rdflib.Graph:
    """The file's triples exactly as written: rdflib's own parser would rewrite some literals
    (``"1"^^xsd:boolean`` becomes ``"true"``), which some entries are about."""
    triples = ox.parse(path=path, format=ox.RdfFormat.TURTLE, base_iri=path.as_uri())
    graph = triples_to_rdflib(triples, rdflib.Graph())
    # The file's own prefixes too: pyshacl falls back on them for SPARQL queries.
    for prefix, namespace in rdflib.Graph().parse(path, format="turtle").namespaces():
        graph.bind(prefix, namespace, override=True, replace=True)
    return graph


def local_file(iri: Node, base: Path) -> Path:
    text = str(iri)
    if text.startswith("file://"):
        return Path(text[len("file://") :])
    return base / text


def entry_of(
    graph: rdflib.Graph, entry: Node, base: Path, section: str, tests: Path
) -> Entry | None:
    if (entry, RDF.type, SHT.Validate) not in graph:
        return None
    action = graph.value(entry, MF.action)
    result = graph.value(entry, MF.result)
    data = graph.value(action, SHT.dataGraph)
    shapes = graph.value(action, SHT.shapesGraph)
    assert data is not None and shapes is not None and result is not None, entry
    local = str(entry).rsplit("/", 1)[-1]
    name = f"{base.relative_to(tests)}/{local}"
    expected = None if result == SHT.Failure else expected_report(graph, result)
    return Entry(section, name, local_file(data, base), local_file(shapes, base), expected)


def expected_report(graph: rdflib.Graph, report: Node) -> rdflib.Graph:
    """The triples of the expected report, its results and their paths."""
    expected = rdflib.Graph()
    for p, o in graph.predicate_objects(report):
        expected.add((report, p, o))
    for result in graph.objects(report, SH.result):
        for p, o in graph.predicate_objects(result):
            expected.add((result, p, o))
            if p == SH.resultPath:
                copy_path(graph, o, expected)
    return expected


def copy_path(source: rdflib.Graph, node: Node, target: rdflib.Graph) -> None:
    if not isinstance(node, BNode):
        return
    for p, o in source.predicate_objects(node):
        target.add((node, p, o))
        copy_path(source, o, target)


def judge(entry: Entry, engine: Engine) -> str | None:
    """None when the entry passes, else why it fails."""
    data = parse_turtle(entry.data)
    shapes = data if entry.shapes == entry.data else parse_turtle(entry.shapes)
    try:
        report = engine(data, shapes)
    except Exception as error:  # the engine's way of reporting a failure
        if entry.expected is None:
            return None
        first = (str(error).splitlines() or [""])[0]
        return f"raised {type(error).__name__}: {first[:200]}"
    if entry.expected is None:
        return "a failure was expected, got a report"
    actual = comparable(report, entry.expected.objects(None, SH.resultMessage))
    if isomorphic(actual, entry.expected):
        return None
    _both, only_actual, only_expected = graph_diff(
        to_isomorphic(actual), to_isomorphic(entry.expected)
    )
    lines = ["report differs:"]
    lines += [f"  + {' '.join(t.n3() for t in triple)}" for triple in sorted(only_actual)][:12]
    lines += [f"  - {' '.join(t.n3() for t in triple)}" for triple in sorted(only_expected)][:12]
    return "\n".join(lines)


def ours(data: rdflib.Graph, shapes: rdflib.Graph) -> rdflib.Graph:
    from icpc_kg.shacl import validate

    _conforms, report, _text = validate(data, shacl_graph=shapes)
    return report


def reference(data: rdflib.Graph, shapes: rdflib.Graph) -> rdflib.Graph:
    import pyshacl

    _conforms, report, _text = pyshacl.validate(
        data, shacl_graph=shapes, inference="none", advanced=True
    )
    assert isinstance(report, rdflib.Graph)
    return report


ENGINES: dict[str, Engine] = {"ours": ours, "pyshacl": reference}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("suite", type=Path, help="the data-shapes-test-suite folder")
    parser.add_argument("--engine", choices=("ours", "pyshacl", "both"), default="both")
    parser.add_argument("--only", choices=SECTIONS)
    parser.add_argument("--verbose", action="store_true", help="print why each case fails")
    args = parser.parse_args()
    if not (args.suite / "tests" / "core" / "manifest.ttl").is_file():
        parser.error(
            f"{args.suite}: no tests/core/manifest.ttl (the data-shapes-test-suite folder)"
        )
    names = ["ours", "pyshacl"] if args.engine == "both" else [args.engine]
    sections = [args.only] if args.only else list(SECTIONS)
    found = {section: list(entries(args.suite, section)) for section in sections}
    failed_any = False
    for name in names:
        started = time.perf_counter()
        print(f"{name}:")
        for section in sections:
            failures: list[tuple[Entry, str]] = []
            for entry in found[section]:
                try:
                    why = judge(entry, ENGINES[name])
                except Exception:
                    why = "runner error:\n" + traceback.format_exc(limit=3)
                if why is not None:
                    failures.append((entry, why))
            passed = len(found[section]) - len(failures)
            print(f"  {section}: {passed}/{len(found[section])} pass")
            for entry, why in failures:
                failed_any = True
                first, _, rest = why.partition("\n")
                print(f"    FAIL {entry.name}: {first}")
                if args.verbose and rest:
                    print("      " + rest.replace("\n", "\n      "))
        print(f"  ({time.perf_counter() - started:.1f} s)")
    return 1 if failed_any else 0


if __name__ == "__main__":
    raise SystemExit(main())
