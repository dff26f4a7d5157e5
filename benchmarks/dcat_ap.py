"""Validate the served DCAT catalogue against the official DCAT-AP 3.0 SHACL shapes.

    python benchmarks/dcat_ap.py SHAPES [SHAPES...] [--url URL] [--inference none|rdfs]
                                 [--show N]

SHAPES are the shape files of the SEMICeu/DCAT-AP repository (or folders of them), kept
outside this repository, e.g. ``releases/3.0.0/shacl/dcat-ap-SHACL.ttl`` (the release's
shapes; ``releases/3.0.0/html/shacl/shapes_recommended.ttl`` checks the recommended
properties, ``mdr-vocabularies.shape.ttl`` the controlled vocabularies). The catalogue is
``GET {URL}/catalog`` as Turtle from a running server, or, without ``--url``, from an
``icpc-kg serve`` of this checkout that the script starts on a free loopback port and stops
afterwards.

For each shapes file it prints the number of results per severity (pySHACL, with no
inference and, with ``--inference rdfs``, with RDFS inference too) and the first ``--show``
results. DCAT-AP conformance is 0 violations for the release's shapes.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import urllib.request
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pyshacl
import rdflib
from rdflib.namespace import RDF, SH

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.support.icpc_server import running_server  # noqa: E402


def shape_files(paths: list[Path]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        files.extend(sorted(path.rglob("*.ttl")) if path.is_dir() else [path])
    return files


@contextmanager
def catalogue_url(url: str | None) -> Iterator[str]:
    if url is not None:
        yield url.rstrip("/")
        return
    with (
        tempfile.TemporaryDirectory() as folder,
        running_server([], Path(folder) / "log") as server,
    ):
        yield server.base_url


def fetch_catalogue(base_url: str) -> rdflib.Graph:
    request = urllib.request.Request(base_url + "/catalog", headers={"Accept": "text/turtle"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return rdflib.Graph().parse(data=response.read(), format="turtle")


def validate(
    data: rdflib.Graph, shapes: Path, inference: str | None
) -> tuple[list[rdflib.term.Node], rdflib.Graph]:
    """pySHACL's results for ``data`` against ``shapes``, and its report graph."""
    shapes_graph = rdflib.Graph().parse(shapes, format="turtle")
    _, report, _ = pyshacl.validate(data, shacl_graph=shapes_graph, inference=inference)
    return list(report.subjects(RDF.type, SH.ValidationResult)), report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("shapes", nargs="+", type=Path, help="DCAT-AP shape files or folders")
    parser.add_argument("--url", help="a running icpc-kg server (default: start one)")
    parser.add_argument("--inference", choices=("none", "rdfs"), default="none")
    parser.add_argument("--show", type=int, default=10, help="results to print per file")
    options = parser.parse_args()
    with catalogue_url(options.url) as base_url:
        data = fetch_catalogue(base_url)
    print(f"catalogue: {base_url}/catalog, {len(data)} triples")
    modes = [None] if options.inference == "none" else [None, "rdfs"]
    for path in shape_files(options.shapes):
        for mode in modes:
            results, report = validate(data, path, mode)
            severities = Counter(
                str(report.value(r, SH.resultSeverity)).rsplit("#", 1)[-1] for r in results
            )
            counts = ", ".join(f"{n} {s.lower()}s" for s, n in sorted(severities.items()))
            print(f"{path.name} (inference: {mode or 'none'}): {counts or '0 results'}")
            for result in results[: options.show]:
                focus = report.value(result, SH.focusNode)
                rule = report.value(result, SH.resultPath)
                message = str(report.value(result, SH.resultMessage) or "")[:110]
                print(f"    {focus}  {rule}  {message}")


if __name__ == "__main__":
    main()
