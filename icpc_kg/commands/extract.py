"""``icpc-kg extract``: turn ICPC pages into draft Turtle for review."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from icpc_kg.commands.common import current_project
from icpc_kg.extract import ExtractOptions, extract_pages
from icpc_kg.extract.document import DEFAULT_MAX_BYTES
from icpc_kg.extract.review import render_review
from icpc_kg.extract.summary import KIND_LABELS, Summary
from icpc_kg.fileio import write_atomically
from icpc_kg.vocab import DEFAULT_BASE

EXIT_OK, EXIT_NONCONFORMING = 0, 1


@click.command("extract")
@click.argument("documents", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--url", help="The page's public address, recorded as the document's schema:url.")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    help="Write the draft here (default: stdout).",
)
@click.option(
    "--lang",
    type=click.Choice(["auto", "en", "fr"]),
    default="auto",
    show_default=True,
    help="The page's language.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Format of the summary.",
)
@click.option(
    "--review",
    type=click.Path(dir_okay=False),
    help="Also write an HTML review page here: the page's text with every entity highlighted "
    "and typed, doubtful values marked, relations, open questions and shape warnings listed.",
)
@click.option("--no-link", is_flag=True, help="Do not link to entities already in the graph.")
@click.option("--no-validate", is_flag=True, help="Do not check the draft against the shapes.")
@click.option(
    "--save-text",
    type=click.Path(file_okay=False),
    help="Save the text the passages point into as DIR/{slug}.txt (its icpc:localCopy).",
)
@click.option(
    "--max-bytes",
    type=click.IntRange(min=1),
    default=DEFAULT_MAX_BYTES,
    show_default=True,
    help="Refuse pages larger than this.",
)
@click.pass_context
def extract_command(
    ctx: click.Context,
    documents: tuple[str, ...],
    url: str | None,
    output: str | None,
    lang: str,
    fmt: str,
    no_link: bool,
    no_validate: bool,
    save_text: str | None,
    max_bytes: int,
    review: str | None,
) -> None:
    """Extract events, organisations, people, places, publications and their relations from
    ICPC pages (plain text or HTML, English or French) into draft Turtle in the model of
    data/, with a summary of what was found, linked, new and unresolved.

    Nothing is downloaded. Exit codes: 0 the draft is written (also when the page has
    nothing to extract: the draft is then empty), 1 the draft is written but does not conform
    to the shapes (the summary lists why), 2 a page could not be read.

    \b
    Examples:
      icpc-kg extract page.html --url https://cipc-icpc.org/... -o draft.ttl
      icpc-kg extract data/sources/lunch-seminars.txt --format json -o draft.ttl
      icpc-kg extract page.html -o draft.ttl --review review.html
    """
    project = current_project(ctx)
    options = ExtractOptions(
        url=url,
        lang=lang,
        link=not no_link,
        validate=not no_validate,
        max_bytes=max_bytes,
        save_text=Path(save_text) if save_text else None,
    )
    run = extract_pages(list(documents), project, options)
    if review:
        write_atomically(Path(review), render_review(run).encode("utf-8"))
    if output:
        write_atomically(Path(output), run.turtle.encode("utf-8"))
    else:
        click.echo(run.turtle, nl=False)
    summaries = run.summaries
    stream_err = output is None
    if fmt == "json":
        payload = {"output": output, "documents": [s.to_dict() for s in summaries]}
        click.echo(json.dumps(payload, indent=2, ensure_ascii=False), err=stream_err)
    else:
        for summary in summaries:
            click.echo(render_text(summary), err=stream_err)
        if output:
            click.echo(f"wrote {output}", err=stream_err)
        if review:
            click.echo(f"wrote the review page {review}", err=stream_err)
    if any(s.validation is not None and not s.validation.conforms for s in summaries):
        sys.exit(EXIT_NONCONFORMING)


def _short(iri: str) -> str:
    prefix = DEFAULT_BASE + "id/"
    return f"<{iri[len(prefix) :]}>" if iri.startswith(prefix) else f"<{iri}>"


def render_text(summary: Summary) -> str:
    lines = [f"{summary.document} ({summary.source_format}, {summary.encoding}, {summary.lang})"]
    for note in summary.notes:
        lines.append(f"  note: {note}")
    if summary.empty:
        lines.append(
            "  nothing to extract: no events, publications, people or organisations;"
            " the draft is empty"
        )
        return "\n".join(lines)
    counts = ", ".join(f"{n} {KIND_LABELS[k]}" for k, n in summary.counts.items())
    lines.append(
        f"  found: {counts}; {summary.relations} relations, {summary.memberships} memberships"
    )
    if not any(item.kind == "event" for item in summary.items):
        lines.append("  no events on this page")
    if summary.linked:
        lines.append(f"  linked to the graph ({len(summary.linked)}):")
        for item in summary.linked:
            lines.append(f"    {item.kind:<12} {item.name}  {_short(item.iri)}  ({item.reason})")
    if summary.new:
        lines.append(f"  new ({len(summary.new)}):")
        for item in summary.new:
            lines.append(f"    {item.kind:<12} {item.name}  {_short(item.iri)}")
    if summary.unresolved:
        lines.append(f"  unresolved ({len(summary.unresolved)}):")
        for issue in summary.unresolved:
            where = f"line {issue.line}, column {issue.column}: " if issue.line else ""
            lines.append(f"    {issue.kind}: {where}{issue.message}")
    if summary.themes:
        lines.append(
            "  themes: " + ", ".join(f"{label} {_short(iri)}" for label, iri in summary.themes)
        )
    if summary.candidate_themes:
        lines.append(
            "  candidate themes (in no concept of the scheme;"
            " add them to ontology/themes.ttl if they are):"
        )
        for text in summary.candidate_themes:
            lines.append(f"    - {text}")
    if summary.validation is not None:
        v = summary.validation
        verdict = "conforms" if v.conforms else "does not conform"
        lines.append(
            f"  shapes: the draft {verdict} ({v.violations} violations, {v.warnings} warnings)"
        )
        for message in v.messages:
            lines.append(f"    {message}")
    return "\n".join(lines)
