"""Extraction quality: precision and recall per kind of fact, draft against reference.

    # one draft against a reference (several reference files are merged)
    python benchmarks/extraction.py DRAFT.ttl REFERENCE.ttl [MORE.ttl ...] [--page PAGE]
    # run the extractor over pages and score each against references/{page stem}.ttl
    python benchmarks/extraction.py --pages tests/extract/pages --references tests/extract/reference
    # the two source documents against the curated data (data/*.ttl, ontology/themes.ttl)
    python benchmarks/extraction.py --sources
    # entity precision / recall / F1 per family on pages annotated in the .ann line format
    # (icpc_kg/extract/annotations.py): every page in DIR with a DIR2/{stem}.ann
    python benchmarks/extraction.py --corpus /work/ext/extract-corpus/batch1 \
        --annotations benchmarks/extraction_corpus/batch1 [--verbose] [--json]

Options: --min 0.9 exits 1 when a kind falls below it; --verbose lists missed and extra facts;
--json prints the figures as JSON. Drafts made here are extracted without linking to the
graph, so the score measures what the rules read, not what the graph already knew.

How facts are counted and aligned (entities named in the page, one-to-one alignment by name,
dates without invented offsets, interpretive curated entities left out) is documented in
icpc_kg/extract/scoring.py.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import rdflib

from icpc_kg.extract import ExtractOptions, extract_pages
from icpc_kg.extract.annotations import (
    SCORED_FAMILIES,
    EntityScore,
    read_annotations,
    score_entities,
)
from icpc_kg.extract.document import read_document
from icpc_kg.extract.scoring import INFORMATIVE, KINDS, Score, load_graph, scheme_themes, score
from icpc_kg.extract.text import fold
from icpc_kg.project import Project, find_project
from icpc_kg.vocab import ICPC, OA, SCHEMA

PAGE_SUFFIXES = (".txt", ".html", ".htm")


def ontology_graph(project: Project) -> rdflib.Graph:
    return load_graph(str(p) for p in sorted(project.ontology_dir.glob("*.ttl")))


def page_text(
    draft: rdflib.Graph, reference: rdflib.Graph, page: str | None, project: Project
) -> str:
    """The text the page's passages point into: the page itself, else the draft's local copy,
    else the reference's quotes."""
    if page:
        return read_document(page).text
    for copy in draft.objects(None, ICPC.localCopy):
        path = project.root / str(copy)
        if path.is_file():
            return read_document(path).text
    return "\n".join(str(q) for q in reference.objects(None, OA.exact))


def draft_document(draft: rdflib.Graph) -> str | None:
    return next((str(s) for s in draft.subjects(rdflib.RDF.type, ICPC.SourceDocument)), None)


def extract_draft(page: Path, project: Project) -> tuple[rdflib.Graph, str, float]:
    started = time.perf_counter()
    run = extract_pages([page], project, ExtractOptions(link=False, validate=False))
    elapsed = time.perf_counter() - started
    return run.graph, run.results[0].extraction.doc.text, elapsed


def score_page(
    page: Path, references: list[Path], project: Project, ontology: rdflib.Graph, restrict: bool
) -> tuple[Score, float]:
    draft, text, elapsed = extract_draft(page, project)
    reference = load_graph(str(p) for p in references)
    document = draft_document(draft) if restrict else None
    result = score(draft, reference, ontology, text, document, scheme_themes(ontology))
    return result, elapsed


def print_score(title: str, result: Score, verbose: bool, elapsed: float | None = None) -> None:
    timing = f"  ({elapsed * 1000:.0f} ms)" if elapsed is not None else ""
    print(f"\n{title}{timing}")
    print(f"  {'kind':<24}{'draft':>6}{'ref':>6}{'P':>7}{'R':>7}")
    for kind in (*KINDS, *INFORMATIVE):
        k = result.kinds[kind]
        note = "  (informative)" if kind in INFORMATIVE else ""
        print(f"  {kind:<24}{k.draft:>6}{k.reference:>6}{k.precision:>7.2f}{k.recall:>7.2f}{note}")
        if verbose and kind not in INFORMATIVE:
            for fact in k.missed:
                print(f"      missed  {fact}")
            for fact in k.extra:
                print(f"      extra   {fact}")


def as_json(result: Score) -> dict[str, object]:
    return {
        kind: {
            "draft": k.draft,
            "reference": k.reference,
            "precision": round(k.precision, 4),
            "recall": round(k.recall, 4),
            "missed": k.missed,
            "extra": k.extra,
        }
        for kind, k in result.kinds.items()
    }


def invented_values(draft: rdflib.Graph, text: str) -> list[str]:
    """Years of dates, and job titles, that the page's text never states."""
    folded = fold(text)
    found = []
    for predicate in (SCHEMA.startDate, SCHEMA.endDate, SCHEMA.datePublished):
        for value in draft.objects(None, predicate):
            year = str(value)[:4]
            if year.isdigit() and year not in text:
                found.append(f"year {year} ({predicate.n3(draft.namespace_manager)})")
    for value in draft.objects(None, ICPC.jobTitle):
        if fold(str(value)) not in folded:
            found.append(f"job title {value!s}")
    return found


def score_corpus(
    pages: Path, annotations: Path, project: Project, ontology: rdflib.Graph, verbose: bool
) -> dict[str, dict[str, EntityScore]]:
    """Entity scores per page of ``pages`` that has an annotation file, and their total."""
    results: dict[str, dict[str, EntityScore]] = {}
    total = {family: EntityScore(family) for family in SCORED_FAMILIES}
    failed = []
    for page in sorted(p for p in pages.iterdir() if p.suffix in PAGE_SUFFIXES):
        annotation = annotations / f"{page.stem}.ann"
        if not annotation.is_file():
            continue
        try:
            draft, text, _elapsed = extract_draft(page, project)
        except Exception as error:  # a failed run is a result too: report it, go on
            failed.append(f"{page.name}: {type(error).__name__}: {error}")
            draft, text = rdflib.Graph(), ""
        scores = score_entities(draft, read_annotations(annotation), ontology)
        results[page.name] = scores
        for family in SCORED_FAMILIES:
            total[family].add(scores[family])
        line = "  ".join(
            f"{f[:5]} {scores[f].precision:.2f}/{scores[f].recall:.2f}" for f in SCORED_FAMILIES
        )
        print(f"{page.name:<48} {line}")
        if verbose:
            for family in SCORED_FAMILIES:
                for name in scores[family].missed:
                    print(f"      missed  {name}")
                for name in scores[family].extra:
                    print(f"      extra   {name}")
            for value in invented_values(draft, text):
                print(f"      INVENTED {value}")
    print(f"\n{'family':<14}{'draft':>6}{'ref':>6}{'P':>7}{'R':>7}{'F1':>7}")
    for family in SCORED_FAMILIES:
        t = total[family]
        print(
            f"{family:<14}{t.draft:>6}{t.reference:>6}{t.precision:>7.2f}{t.recall:>7.2f}{t.f1:>7.2f}"
        )
    for failure in failed:
        print(f"FAILED {failure}")
    results["TOTAL"] = total
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("files", nargs="*", help="DRAFT.ttl REFERENCE.ttl [MORE.ttl ...]")
    parser.add_argument("--page", help="the page the draft was extracted from")
    parser.add_argument("--pages", type=Path, help="a folder of pages to extract and score")
    parser.add_argument("--references", type=Path, help="the folder of reference Turtle files")
    parser.add_argument("--corpus", type=Path, help="a folder of pages annotated in .ann files")
    parser.add_argument("--annotations", type=Path, help="the folder of the .ann files")
    parser.add_argument(
        "--sources", action="store_true", help="score data/sources/*.txt against data/"
    )
    parser.add_argument(
        "--min", type=float, default=None, help="exit 1 if a kind scores below this"
    )
    parser.add_argument("--verbose", action="store_true")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    project = find_project()
    ontology = ontology_graph(project)
    results: dict[str, Score] = {}
    timings: dict[str, float] = {}
    if args.corpus:
        entity_results = score_corpus(
            args.corpus, args.annotations or args.corpus, project, ontology, args.verbose
        )
        if args.json:
            print(
                json.dumps(
                    {
                        page: {
                            f: {"P": s.precision, "R": s.recall, "F1": s.f1} for f, s in fam.items()
                        }
                        for page, fam in entity_results.items()
                    },
                    indent=2,
                )
            )
        total = entity_results["TOTAL"]
        return 1 if args.min is not None and any(s.f1 < args.min for s in total.values()) else 0
    if args.sources:
        curated = [
            *sorted(project.data_dir.glob("*.ttl")),
            project.sources_dir / "manifest.ttl",
            project.ontology_dir / "themes.ttl",
        ]
        for page in sorted(project.sources_dir.glob("*.txt")):
            results[page.name], timings[page.name] = score_page(
                page, curated, project, ontology, restrict=True
            )
    elif args.pages:
        if args.references is None:
            parser.error("--pages needs --references")
        for page in sorted(p for p in args.pages.iterdir() if p.suffix in PAGE_SUFFIXES):
            reference = args.references / f"{page.stem}.ttl"
            if reference.is_file():
                results[page.name], timings[page.name] = score_page(
                    page, [reference], project, ontology, restrict=False
                )
    else:
        if len(args.files) < 2:
            parser.error("give DRAFT.ttl and at least one REFERENCE.ttl, or --pages / --sources")
        draft = load_graph([args.files[0]])
        reference = load_graph(args.files[1:])
        text = page_text(draft, reference, args.page, project)
        document = draft_document(draft)
        if (
            document is not None
            and (None, rdflib.namespace.DCTERMS.source, rdflib.URIRef(document)) not in reference
        ):
            document = None
        results[args.files[0]] = score(
            draft, reference, ontology, text, document, scheme_themes(ontology)
        )
    if args.json:
        print(json.dumps({name: as_json(r) for name, r in results.items()}, indent=2))
    else:
        for name, result in results.items():
            print_score(name, result, args.verbose, timings.get(name))
    if args.min is not None and not all(r.passes(args.min) for r in results.values()):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
