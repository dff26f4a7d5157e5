"""SHACL validation and OWL 2 RL reasoning at 10k, 100k and 1M triples.

    python benchmarks/shacl.py [--sizes 10000,100000,1000000] [--work /tmp/icpc-shacl-bench]
        [--pyshacl-max 100000] [--contribution 1000]

For each size it generates a synthetic project (benchmarks/generate.py; kept in --work for the
next run), then, in a child process of its own so that peak memory is that size's:

- loads ontology/ and data/ into the store (icpc_kg.load), and reasons (icpc_kg.reason.infer:
  the rdflib copy it needs, then the ``reasonable`` OWL 2 RL closure), with peak memory;
- validates the whole graph with the project's engine (icpc_kg.shacl) and, up to
  --pyshacl-max triples, with pyshacl (the reference), checking that both give the same
  results; above that pyshacl's time is projected linearly from the largest size it ran at;
- adds a contribution of about --contribution triples (new events and organisations that refer
  to the project's) with its own inferences, and validates only its resources (focus nodes),
  timed once the graph is loaded.

Wall times are what a user waits; CPU times show the work when the machine is shared.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pyoxigraph as ox

REPO = Path(__file__).resolve().parent.parent
BEYOND_SHAPES = Path(__file__).resolve().parent / "beyond-core-shapes.ttl"
sys.path.insert(0, str(REPO))

from benchmarks.generate import generate_contribution, generate_project  # noqa: E402
from icpc_kg.load import INFERRED_GRAPH, GraphSource, load_project, load_shapes  # noqa: E402
from icpc_kg.project import find_project  # noqa: E402
from icpc_kg.rdfio import (  # noqa: E402
    FORMATS,
    from_rdflib,
    parse_file,
    parse_rdf,
    to_rdflib,
    triples_to_rdflib,
)
from icpc_kg.reason import infer, infer_rdflib  # noqa: E402
from icpc_kg.shacl import ShaclResult, validate_dataset, validate_store  # noqa: E402
from icpc_kg.shacl.plan import plan_for_quads  # noqa: E402


class Clock:
    """Wall and CPU seconds of a step."""

    def __init__(self) -> None:
        self.wall = time.perf_counter()
        self.cpu = time.process_time()

    def stop(self) -> dict[str, float]:
        return {
            "wall": round(time.perf_counter() - self.wall, 2),
            "cpu": round(time.process_time() - self.cpu, 2),
        }


def peak_mb() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024


def result_keys(results: list[ShaclResult]) -> Counter[tuple[Any, ...]]:
    return Counter((r.focus, r.path, r.value, r.severity, r.constraint, r.shape) for r in results)


# --------------------------------------------------------------------------------------------
# One size, in a child process
# --------------------------------------------------------------------------------------------


def measure(project_dir: Path, run_pyshacl: bool, contribution_triples: int) -> dict[str, Any]:
    figures: dict[str, Any] = {}
    project = find_project(project_dir)
    clock = Clock()
    dataset = load_project(project)
    figures["load"] = clock.stop()
    figures["asserted"] = sum(g.triples for g in dataset.graphs)

    # icpc_kg.reason.infer (what icpc_kg.build.assemble runs), one step at a time.
    clock = Clock()
    graph = triples_to_rdflib(dataset.quads())
    figures["rdflib_copy"] = clock.stop()
    clock = Clock()
    entailed = infer_rdflib(graph)
    figures["reasonable"] = clock.stop()
    del graph
    clock = Clock()
    inferred = [ox.Triple(from_rdflib(s), from_rdflib(p), from_rdflib(o)) for s, p, o in entailed]
    figures["back_to_oxigraph"] = clock.stop()
    figures["inferred"] = len(inferred)
    target = ox.NamedNode(INFERRED_GRAPH)
    dataset.add_graph(
        GraphSource(INFERRED_GRAPH, "inferred", None, len(inferred)),
        (ox.Quad(t.subject, t.predicate, t.object, target) for t in inferred),
    )
    figures["peak_mb_reasoned"] = peak_mb()

    shapes = load_shapes(project)
    clock = Clock()
    plan = plan_for_quads(shapes)
    figures["compile"] = clock.stop()
    clock = Clock()
    fast = validate_dataset(dataset, shapes, engine="sparql")
    figures["sparql"] = clock.stop()
    figures["results"] = fast.counts()
    # The other way to give the engine its data graph: one copy in a default graph.
    clock = Clock()
    copy = ox.Store()
    copy.bulk_extend(
        ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph()) for q in dataset.quads()
    )
    figures["copy"] = clock.stop()
    clock = Clock()
    on_copy = validate_store(copy, [], plan).results
    figures["sparql_on_copy"] = clock.stop()
    assert result_keys(on_copy) == result_keys(fast.results)
    del copy
    if run_pyshacl:
        clock = Clock()
        reference = validate_dataset(dataset, shapes, engine="pyshacl")
        figures["pyshacl"] = clock.stop()
        figures["same_results"] = result_keys(fast.results) == result_keys(reference.results)

    # Shapes that use what the engine once left to pyshacl (sh:node, logical constraints over
    # property shapes, qualified counts, sh:closed, property pairs, nested property shapes).
    beyond = [*shapes, *parse_file(BEYOND_SHAPES)]
    clock = Clock()
    extended = validate_dataset(dataset, beyond, engine="sparql")
    figures["beyond"] = clock.stop()
    figures["beyond_results"] = extended.counts()
    if run_pyshacl:
        clock = Clock()
        reference = validate_dataset(dataset, beyond, engine="pyshacl")
        figures["beyond_pyshacl"] = clock.stop()
        figures["beyond_same"] = result_keys(extended.results) == result_keys(reference.results)

    if contribution_triples:
        figures["contribution"] = measure_contribution(
            dataset, shapes, project_dir, contribution_triples
        )
    figures["peak_mb"] = peak_mb()
    return figures


def measure_contribution(
    dataset: Any, shapes: list[ox.Quad], project_dir: Path, triples: int
) -> dict[str, Any]:
    """Add a contribution to the loaded graph and validate only its resources."""
    text = generate_contribution(project_dir, triples, seed=7)
    clock = Clock()
    quads = parse_rdf(text.encode(), FORMATS["turtle"], "contribution.ttl")
    ontology = [*dataset.quads(kinds=["ontology"])]
    entailed = infer([*ontology, *quads])
    name = ox.NamedNode("urn:x-benchmark:contribution")
    dataset.add_graph(
        GraphSource(name.value, "contribution", None, len(quads)),
        (ox.Quad(q.subject, q.predicate, q.object, name) for q in quads),
    )
    inferred = ox.NamedNode("urn:x-benchmark:contribution-inferred")
    dataset.add_graph(
        GraphSource(inferred.value, "inferred", None, len(entailed)),
        (ox.Quad(t.subject, t.predicate, t.object, inferred) for t in entailed),
    )
    prepared = clock.stop()
    focus = sorted({q.subject for q in quads if isinstance(q.subject, ox.NamedNode)}, key=str)
    focus_nodes = [to_rdflib(n) for n in focus]
    timings = []
    report = None
    for _ in range(3):  # the first run also compiles the shapes
        clock = Clock()
        report = validate_dataset(dataset, shapes, focus_nodes=focus_nodes, engine="sparql")
        timings.append(clock.stop())
    assert report is not None
    return {
        "triples": len(quads),
        "focus_nodes": len(focus_nodes),
        "parse_and_reason": prepared,
        "validate_first": timings[0],
        "validate_again": timings[-1],
        "results": report.counts(),
    }


# --------------------------------------------------------------------------------------------
# Driver
# --------------------------------------------------------------------------------------------


def project_for(work: Path, size: int) -> Path:
    folder = work / f"project-{size}"
    marker = folder / ".generated"
    if not marker.exists():
        clock = Clock()
        summary = generate_project(folder, size, seed=0)
        marker.write_text(json.dumps({"triples": summary.triples, **clock.stop()}))
    return folder


def row(label: str, value: str) -> None:
    print(f"  {label:<44} {value}")


def seconds(figure: dict[str, float]) -> str:
    return f"{figure['wall']:8.2f} s wall {figure['cpu']:8.2f} s CPU"


def report(size: int, f: dict[str, Any], pyshacl_rate: float | None) -> None:
    print(f"\n{size:,} requested: {f['asserted']:,} asserted + {f['inferred']:,} inferred triples")
    row("load (parse, one graph per file)", seconds(f["load"]))
    row("reasoning: rdflib copy of the graph", seconds(f["rdflib_copy"]))
    row("reasoning: reasonable OWL 2 RL closure", seconds(f["reasonable"]))
    row("reasoning: entailments back to pyoxigraph", seconds(f["back_to_oxigraph"]))
    row("peak memory after loading and reasoning", f"{f['peak_mb_reasoned']:,} MB")
    row("SHACL: compiling the shapes (once a process)", seconds(f["compile"]))
    row("SHACL, SPARQL engine, whole graph", seconds(f["sparql"]))
    row("  the same on a copy in one default graph", seconds(f["sparql_on_copy"]))
    row("  (making that copy)", seconds(f["copy"]))
    counts = f["results"]
    row("  results", ", ".join(f"{n} {k}" for k, n in counts.items()))
    if "pyshacl" in f:
        row("SHACL, pyshacl (reference), whole graph", seconds(f["pyshacl"]))
        row("  same results as the SPARQL engine", str(f["same_results"]))
    elif pyshacl_rate is not None:
        projected = pyshacl_rate * (f["asserted"] + f["inferred"])
        row("SHACL, pyshacl, projected (linear)", f"{projected:8.0f} s")
    row("SHACL, + beyond-core-shapes.ttl, whole graph", seconds(f["beyond"]))
    row("  results", ", ".join(f"{n} {k}" for k, n in f["beyond_results"].items()))
    if "beyond_pyshacl" in f:
        row("  the same with pyshacl", seconds(f["beyond_pyshacl"]))
        row("  same results as pyshacl", str(f["beyond_same"]))
    c = f.get("contribution")
    if c:
        row(
            f"contribution: {c['triples']} triples, {c['focus_nodes']} focus nodes",
            f"parse + reason {c['parse_and_reason']['wall']:.2f} s",
        )
        row("  validate its resources (first run)", seconds(c["validate_first"]))
        row("  validate its resources (shapes compiled)", seconds(c["validate_again"]))
        row("  results", ", ".join(f"{n} {k}" for k, n in c["results"].items()))
    row("peak memory of the whole run", f"{f['peak_mb']:,} MB")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--work", default="/tmp/icpc-shacl-bench")
    parser.add_argument("--pyshacl-max", type=int, default=100_000)
    parser.add_argument("--contribution", type=int, default=1000)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--pyshacl", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        figures = measure(Path(args.child), args.pyshacl, args.contribution)
        print(json.dumps(figures))
        return 0
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    pyshacl_rate = None
    for size in (int(s) for s in args.sizes.split(",")):
        folder = project_for(work, size)
        command = [sys.executable, __file__, "--child", str(folder)]
        command += ["--contribution", str(args.contribution)]
        if size <= args.pyshacl_max:
            command.append("--pyshacl")
        done = subprocess.run(command, check=True, capture_output=True, text=True)
        figures = json.loads(done.stdout.strip().splitlines()[-1])
        report(size, figures, pyshacl_rate)
        if "pyshacl" in figures:
            pyshacl_rate = figures["pyshacl"]["wall"] / (figures["asserted"] + figures["inferred"])
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
