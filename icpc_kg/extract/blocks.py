"""A page's text as blocks: headings, paragraphs, list items, labelled lines, the breadcrumb
(plain text: from its lines, bullets and numbering)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from icpc_kg.extract.text import flat


@dataclass(frozen=True)
class Block:
    """One line of the document: its kind, where it is, and what list or heading it is."""

    kind: str  # title | breadcrumb | heading | paragraph | item | row
    start: int  # first character of the content (after any list marker)
    end: int
    line_start: int  # first character of the line, marker included
    level: int = 0  # heading level; 1 is the page's headline
    number: int | None = None  # the number of a numbered list item
    group: int = 0  # lines of the same HTML element (a list item with <br>) share a group
    label: str | None = None  # "Date" in "Date: 12 March 2019"

    @property
    def span(self) -> tuple[int, int]:
        return self.start, self.end


BULLET = re.compile(r"[•·▪‣◦∙●○■□*\-–—]\s+")


NUMBERED = re.compile(r"(\d{1,2})[.)]\s+")


LABEL = re.compile(r"([A-ZÀ-Ý][\w()’'/-]*(?: [\w()’'/-]+){0,2}) ?: ")


_BREADCRUMB_SEPARATORS = re.compile(r"\s(?:»|>|›|/)\s")


def title_like(text: str) -> bool:
    """Short, and not ending like a sentence or an introduction to a list."""
    stripped = text.strip()
    if not stripped or len(stripped) > 200 or len(stripped.split()) > 25:
        return False
    return not stripped.endswith((".", ";", ",", ":"))


def is_breadcrumb(line: str) -> bool:
    return "»" in line or len(_BREADCRUMB_SEPARATORS.findall(line)) >= 2


def lines(text: str, start: int = 0, end: int | None = None) -> Iterator[tuple[int, int, int, int]]:
    """(index, line start, first and last non-blank offsets) of each non-blank line."""
    offset = start
    for index, line in enumerate(text[start:end].split("\n")):
        line_start = offset
        offset += len(line) + 1
        if line.strip():
            yield (
                index,
                line_start,
                line_start + len(line) - len(line.lstrip()),
                line_start + len(line.rstrip()),
            )


def plain_blocks(text: str) -> list[Block]:
    blocks: list[Block] = []
    for _index, _line_start, start, end in lines(text):
        content = text[start:end]
        kind = "paragraph"
        number = None
        bullet = BULLET.match(flat(content))
        numbered = NUMBERED.match(content)
        if not blocks and title_like(content):
            kind = "title"
        elif len(blocks) < 4 and is_breadcrumb(content) and len(content) < 300:
            kind = "breadcrumb"
        elif bullet:
            kind, start = "item", start + bullet.end()
        elif numbered:
            kind, number, start = "item", int(numbered.group(1)), start + numbered.end()
        elif title_like(content):
            kind = "heading"
        label = LABEL.match(text, start, end)
        blocks.append(
            Block(
                kind,
                start,
                end,
                line_start=start,
                level=2 if kind == "heading" else 0,
                number=number,
                group=len(blocks),
                label=label.group(1) if label and kind not in ("title", "breadcrumb") else None,
            )
        )
    _promote_headline(blocks, text)
    return blocks


def _promote_headline(blocks: list[Block], text: str) -> None:
    """The first heading after the title and breadcrumb is the page's headline (level 1)."""
    for index, block in enumerate(blocks):
        if block.kind in ("title", "breadcrumb"):
            continue
        if block.kind == "heading":
            blocks[index] = Block(
                "heading",
                block.start,
                block.end,
                block.line_start,
                1,
                block.number,
                block.group,
                block.label,
            )
        return
