"""How long ``icpc-kg validate`` takes to check a 1,000-triple contribution, once the graph is
loaded: against the bundled graph and against the 1M synthetic graph, through the embedded
store (and with ``--remote``, through an Oxigraph server too).

    python benchmarks/validate.py [--sizes bundled,1000000] [--contribution 1000] [--runs 5]
        [--workdir /tmp/icpc-bench] [--remote]

Synthetic projects come from benchmarks/generate.py (kept in ``--workdir`` and reused). Each
size prints the median and worst of ``--runs`` validations after one warm-up, and the time of
each step of the median run (parse, the store's slice of the graph, reasoning, shapes, checks,
duplicates). Loading the graph into the store is reported apart: it happens once, when a
server starts or a build finishes; so is the first validation against a store, which reads the
graph's names into the duplicate index. The CPU time of the validating process (without the
store's worker or server) is printed too: on a busy machine it is the steadier figure.
Target: under 1 s at 1M.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import pyoxigraph as ox

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from benchmarks.generate import generate_contribution, generate_project  # noqa: E402
from icpc_kg.build import assemble  # noqa: E402
from icpc_kg.contribution.checks import CheckContext, run_checks  # noqa: E402
from icpc_kg.contribution.duplicates import contribution_entities, find_duplicates  # noqa: E402
from icpc_kg.contribution.inputs import read_contribution  # noqa: E402
from icpc_kg.contribution.knowledge import knowledge_for  # noqa: E402
from icpc_kg.contribution.model import ContributionInput  # noqa: E402
from icpc_kg.contribution.published import fetch_slice  # noqa: E402
from icpc_kg.contribution.validate import (  # noqa: E402
    _shape_results,
    _types,
    local_dataset,
    validate_contribution,
)
from icpc_kg.project import Project  # noqa: E402
from icpc_kg.store import EmbeddedStore, RemoteStore, Store  # noqa: E402
from icpc_kg.vocab import DEFAULT_BASE  # noqa: E402


def project_for(size: str, workdir: Path) -> Project:
    if size == "bundled":
        return Project(REPO)
    folder = workdir / f"p{size}"
    if not (folder / "data").is_dir():
        print(f"generating a {int(size):,}-triple project in {folder} ...", flush=True)
        generate_project(folder, int(size))
    return Project(folder)


def dataset_file(project: Project, size: str, workdir: Path) -> Path:
    """The project's reasoned graph as N-Quads (what the embedded store loads), made once per
    synthetic size and kept in ``workdir``."""
    path = workdir / f"dataset-{size}.nq"
    if size != "bundled" and path.is_file():
        return path
    started = time.perf_counter()
    dataset = assemble(project)
    ox.serialize(
        dataset.store.quads_for_pattern(None, None, None, None), str(path), ox.RdfFormat.N_QUADS
    )
    seconds = time.perf_counter() - started
    print(f"  assembled and reasoned {len(dataset.store):,} quads in {seconds:.1f} s")
    return path


@contextmanager
def stores(dataset: Path, remote: bool) -> Iterator[list[tuple[str, Store, float]]]:
    """The graph in an embedded store (and an Oxigraph server), with the seconds each took to
    load."""
    started = time.perf_counter()
    embedded = EmbeddedStore(dataset, workers=1)
    out: list[tuple[str, Store, float]] = [("embedded", embedded, time.perf_counter() - started)]
    with tempfile.TemporaryDirectory(prefix="icpc-kg-bench-") as folder, ExitStack() as stack:
        try:
            if remote:
                from tests.support.oxigraph_server import running_oxigraph

                started = time.perf_counter()
                server = stack.enter_context(running_oxigraph(Path(folder) / "db", dataset))
                loaded = time.perf_counter() - started
                out.append(("oxigraph server", RemoteStore(server.query_url), loaded))
            yield out
        finally:
            embedded.close()


def steps(project: Project, store: Store, contribution_file: Path) -> dict[str, float]:
    """The time of each step of one validation (the same steps validate_contribution runs)."""
    times: dict[str, float] = {}

    def timed(name: str, work: Callable[[], object]) -> object:
        started = time.perf_counter()
        result = work()
        times[name] = time.perf_counter() - started
        return result

    knowledge = knowledge_for(project)
    contribution = timed(
        "parse", lambda: read_contribution([ContributionInput.from_path(contribution_file)])
    )
    subjects = contribution.subjects()  # type: ignore[attr-defined]
    iris = {s.value for s in subjects if isinstance(s, ox.NamedNode)} | {
        t.object.value
        for t in contribution.triples  # type: ignore[attr-defined]
        if isinstance(t.object, ox.NamedNode) and t.object.value.startswith(DEFAULT_BASE + "id/")
    }
    published = timed("slice (store)", lambda: fetch_slice(store, iris))
    dataset, inferred = timed(  # type: ignore[misc]
        "reasoning",
        lambda: local_dataset(knowledge, published, contribution.triples),  # type: ignore[attr-defined]
    )
    types = _types(subjects, [*contribution.triples, *published.triples(), *inferred])  # type: ignore[attr-defined]
    timed("shapes", lambda: _shape_results(dataset, knowledge, subjects))
    context = CheckContext(contribution, published, knowledge, types)  # type: ignore[arg-type]
    timed("checks", lambda: run_checks(context))
    entities = contribution_entities(contribution.triples, types, knowledge)  # type: ignore[attr-defined]
    own = {s.value for s in subjects if isinstance(s, ox.NamedNode)}
    timed("duplicates (store)", lambda: find_duplicates(entities, store, own, knowledge))
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="bundled,1000000")
    parser.add_argument("--contribution", type=int, default=1000, help="triples")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--workdir", default="/tmp/icpc-bench")
    parser.add_argument("--remote", action="store_true", help="also through an Oxigraph server")
    args = parser.parse_args(argv)
    workdir = Path(args.workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    for size in args.sizes.split(","):
        project = project_for(size, workdir)
        contribution_file = workdir / f"contribution-{size}-{args.contribution}.ttl"
        contribution_file.write_text(
            generate_contribution(project.root, args.contribution), encoding="utf-8"
        )
        triples = len(list(ox.parse(path=str(contribution_file), format=ox.RdfFormat.TURTLE)))
        print(f"\n{size}: a {triples:,}-triple contribution", flush=True)
        with stores(dataset_file(project, size, workdir), args.remote) as available:
            for name, store, loaded in available:
                inputs = [ContributionInput.from_path(contribution_file)]
                started = time.perf_counter()
                validate_contribution(inputs, store, project)  # warm-up: builds the name index
                first = time.perf_counter() - started
                times, cpu = [], []
                for _ in range(args.runs):
                    started, cpu_started = time.perf_counter(), time.process_time()
                    report = validate_contribution(inputs, store, project)
                    times.append(time.perf_counter() - started)
                    cpu.append(time.process_time() - cpu_started)
                counts = report.counts()
                print(
                    f"  {name:16} loaded in {loaded:5.1f} s; first validation {first:.2f} s "
                    "(reads the names of the graph); then median "
                    f"{statistics.median(times):.3f} s, worst {max(times):.3f} s, "
                    f"CPU of this process {statistics.median(cpu):.3f} s "
                    f"({counts['Violation']} violations, {counts['Warning']} warnings, "
                    f"{counts['Info']} infos)"
                )
                split = steps(project, store, contribution_file)
                print("    " + ", ".join(f"{k} {v:.3f}" for k, v in split.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
