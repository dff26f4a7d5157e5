"""The text of an HTML page, and its blocks: what the reader sees, in reading order, with
the offsets of every character in the source (scripts, navigation, footers and forms left
out)."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from html.parser import HTMLParser

from icpc_kg.extract.blocks import BULLET, LABEL, NUMBERED, Block, is_breadcrumb, lines
from icpc_kg.extract.text import flat

_SKIP_TAGS = frozenset(
    [
        "script",
        "style",
        "noscript",
        "template",
        "svg",
        "iframe",
        "object",
        "canvas",
        "nav",
        "footer",
        "aside",
        "form",
        "button",
        "select",
        "option",
        "textarea",
        "head",
    ]
)


_VOID_TAGS = frozenset(
    [
        "br",
        "img",
        "hr",
        "meta",
        "link",
        "input",
        "area",
        "base",
        "col",
        "embed",
        "source",
        "track",
        "wbr",
    ]
)


_BLOCK_TAGS = frozenset(
    [
        "p",
        "div",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "li",
        "ul",
        "ol",
        "dl",
        "dt",
        "dd",
        "tr",
        "table",
        "thead",
        "tbody",
        "tfoot",
        "section",
        "article",
        "main",
        "header",
        "blockquote",
        "figure",
        "figcaption",
        "address",
        "pre",
        "caption",
        "title",
        "center",
    ]
)


_SKIP_CLASS = re.compile(
    r"(?:^|[\s_-])(?:menu|navbar|nav|footer|sidebar|cookies?|share|social|skip-link|sr-only|"
    r"visually-hidden|pagination|search)(?:$|[\s_-])",
    re.I,
)


_BREADCRUMB_CLASS = re.compile(r"breadcrumb|ariane", re.I)


@dataclass
class _Open:
    tag: str
    skip: bool
    breadcrumb: bool
    list_counter: int = 0
    ordered: bool = False
    restricted: bool = False
    # What the text inside is, and whether it is skipped, inherited from the parents (so that
    # neither needs a walk up the stack, which unclosed tags make deep).
    kind: tuple[str, int, int | None] = ("paragraph", 0, None)
    skipped: bool = False


@dataclass
class RawBlock:
    """A block of text from one HTML element, as (start, end) in the assembled text."""

    kind: str
    level: int
    start: int
    end: int
    number: int | None
    group: int


class _HtmlText(HTMLParser):
    def __init__(self, source: str, restrict: str | None) -> None:
        super().__init__(convert_charrefs=False)
        self.source = source
        self.restrict = restrict  # "main" | "article" | None
        self.inside_restricted = 0
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", source)]
        self.stack: list[_Open] = []
        self.open_tags: dict[str, int] = {}  # how many of each tag are on the stack
        self.chars: list[str] = []
        self.origins: list[int] = []
        self.buffer_kind: tuple[str, int, int | None] = ("paragraph", 0, None)
        self.blocks: list[tuple[str, int, int | None, list[str], list[int]]] = []
        self.title: tuple[list[str], list[int]] | None = None
        self.breadcrumb: tuple[list[str], list[int]] | None = None
        self.in_title = False
        self.title_chars: list[str] = []
        self.title_origins: list[int] = []
        self.crumb_chars: list[str] = []
        self.crumb_origins: list[int] = []
        self.crumb_depth = 0
        self.pending_marker: tuple[str, int] | None = None

    # -- positions --------------------------------------------------------------------------
    def position(self) -> int:
        line, column = self.getpos()
        return self.line_starts[line - 1] + column

    # -- state ------------------------------------------------------------------------------
    def skipping(self) -> bool:
        if self.stack and self.stack[-1].skipped:
            return True
        return bool(self.restrict) and self.inside_restricted == 0

    def in_breadcrumb(self) -> bool:
        return self.crumb_depth > 0

    def block_kind(self) -> tuple[str, int, int | None]:
        return self.stack[-1].kind if self.stack else ("paragraph", 0, None)

    @staticmethod
    def kind_of(tag: str, parent: tuple[str, int, int | None]) -> tuple[str, int, int | None]:
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            return "heading", int(tag[1]), None
        if tag == "li":
            return "item", 0, None
        if tag == "tr":
            return "row", 0, None
        if tag == "dt":
            return "heading", 4, None
        return parent

    def flush(self) -> None:
        while self.chars and self.chars[-1] in " \n":
            self.chars.pop()
            self.origins.pop()
        if self.chars:
            kind, level, number = self.buffer_kind
            self.blocks.append((kind, level, number, self.chars, self.origins))
        self.chars, self.origins = [], []
        self.buffer_kind = self.block_kind()

    def emit(self, text: str, origin: int, literal: bool = False) -> None:
        if self.in_title:
            target_chars, target_origins = self.title_chars, self.title_origins
        elif self.in_breadcrumb():
            target_chars, target_origins = self.crumb_chars, self.crumb_origins
        elif self.skipping():
            return
        else:
            target_chars, target_origins = self.chars, self.origins
            if not target_chars:
                self.buffer_kind = self.block_kind()
                if self.pending_marker and text.strip():
                    marker, marker_origin = self.pending_marker
                    target_chars.extend(marker)
                    target_origins.extend([marker_origin] * len(marker))
                    self.pending_marker = None
        for index, char in enumerate(text):
            position = origin + (0 if literal else index)
            if char in " \t\r\n\f" and not literal:
                if not target_chars or target_chars[-1] in " \n":
                    continue
                char = " "
            target_chars.append(char)
            target_origins.append(position)

    # -- parser callbacks --------------------------------------------------------------------
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = " ".join(v or "" for k, v in attrs if k in ("class", "id", "aria-label", "role"))
        origin = self.position()
        if tag == "title" and not self.title_chars:
            self.in_title = True
            return
        if tag in _VOID_TAGS:
            if tag == "br" and not self.skipping() and not self.in_breadcrumb():
                while self.chars and self.chars[-1] == " ":
                    self.chars.pop()
                    self.origins.pop()
                if self.chars and self.chars[-1] != "\n":
                    self.chars.append("\n")
                    self.origins.append(origin)
            return
        if tag == "body":
            self.stack = [o for o in self.stack if o.tag != "head"]
            self.open_tags.pop("head", None)
        restricted = bool(self.restrict) and (
            tag == self.restrict or (self.restrict == "main" and ("role", "main") in attrs)
        )
        if restricted:
            self.inside_restricted += 1
        breadcrumb = bool(_BREADCRUMB_CLASS.search(values))
        skip = (tag in _SKIP_TAGS or bool(_SKIP_CLASS.search(values))) and not breadcrumb
        if breadcrumb:
            self.crumb_depth += 1
        if self.in_breadcrumb() and tag == "li" and self.crumb_chars:
            text = "".join(self.crumb_chars).rstrip()
            if not text.endswith(("»", ">", "›", "/")):
                self.crumb_chars.append(" » ")
                self.crumb_origins.append(origin)
        if tag in ("td", "th") and self.chars and not self.skipping():
            while self.chars and self.chars[-1] == " ":
                self.chars.pop()
                self.origins.pop()
            if self.chars and self.chars[-1] != "\n":
                self.chars.extend(" | ")
                self.origins.extend([origin] * 3)
        # An unclosed <p> or <li> closes when the next one starts.
        if tag in ("p", "li", "tr", "dt", "dd") and self.stack and self.stack[-1].tag == tag:
            self.handle_endtag(tag)
        if tag in _BLOCK_TAGS and not self.in_breadcrumb():
            self.flush()
        opened = _Open(tag, skip, breadcrumb, ordered=(tag == "ol"), restricted=restricted)
        opened.kind = self.kind_of(tag, self.block_kind())
        opened.skipped = skip or (self.stack[-1].skipped if self.stack else False)
        if tag == "li" and not self.in_breadcrumb():
            parent = next((o for o in reversed(self.stack) if o.tag in ("ol", "ul")), None)
            if parent is not None:
                parent.list_counter += 1
                marker = f"{parent.list_counter}. " if parent.ordered else "• "
            else:
                marker = "• "
            self.pending_marker = (marker, origin)
        self.stack.append(opened)
        self.open_tags[tag] = self.open_tags.get(tag, 0) + 1
        if tag in _BLOCK_TAGS:
            self.buffer_kind = self.block_kind()

    def handle_endtag(self, tag: str) -> None:
        if tag == "title" and self.in_title:
            self.in_title = False
            return
        if not self.open_tags.get(tag):
            return
        if tag in _BLOCK_TAGS and not self.in_breadcrumb():
            self.flush()
        while self.stack:
            opened = self.stack.pop()
            self.open_tags[opened.tag] -= 1
            if opened.breadcrumb:
                self.crumb_depth -= 1
            if opened.restricted:
                self.inside_restricted -= 1
            if opened.tag == tag:
                break
        if tag == "li":
            self.pending_marker = None
        self.buffer_kind = self.block_kind()

    def handle_data(self, data: str) -> None:
        self.emit(data, self.position())

    def handle_entityref(self, name: str) -> None:
        char = html.unescape(f"&{name};")
        self.emit(char, self.position(), literal=True)

    def handle_charref(self, name: str) -> None:
        char = html.unescape(f"&#{name};")
        if char.isspace() and char != "\u00a0":
            self.emit(" ", self.position())
        else:
            self.emit(char, self.position(), literal=True)

    def close(self) -> None:
        super().close()
        self.flush()


def html_to_text(source: str) -> tuple[str, list[int], list[RawBlock]]:
    """The text of an HTML page, the origin of each character, and its blocks."""
    lowered = source.lower()
    restrict = None
    if "<main" in lowered or 'role="main"' in lowered:
        restrict = "main"
    elif lowered.count("<article") == 1:
        restrict = "article"
    parser = _HtmlText(source, restrict)
    parser.feed(source)
    parser.close()
    if restrict and not parser.blocks:  # a <main> that held nothing: read the whole page
        parser = _HtmlText(source, None)
        parser.feed(source)
        parser.close()

    out: list[str] = []
    origins: list[int] = []
    raw: list[RawBlock] = []

    def add(kind: str, level: int, number: int | None, chars: list[str], where: list[int]) -> None:
        text = "".join(chars).strip()
        if not text:
            return
        lead = len("".join(chars)) - len("".join(chars).lstrip())
        chars = chars[lead : lead + len(text)]
        where = where[lead : lead + len(text)]
        if out:
            out.extend("\n\n")
            origins.extend([origins[-1], origins[-1]])
        start = len(out)
        out.extend(chars)
        origins.extend(where)
        raw.append(RawBlock(kind, level, start, len(out), number, len(raw)))

    title = re.sub(r"\s+", " ", "".join(parser.title_chars)).strip()
    if title:
        add("title", 0, None, parser.title_chars, parser.title_origins)
    if parser.crumb_chars:
        add("breadcrumb", 0, None, *_squeeze(parser.crumb_chars, parser.crumb_origins))
    for kind, level, number, chars, where in parser.blocks:
        add(kind, level, number, chars, where)
    return "".join(out), origins, raw


def _squeeze(chars: list[str], origins: list[int]) -> tuple[list[str], list[int]]:
    text = "".join(chars)
    out_chars: list[str] = []
    out_origins: list[int] = []
    # One origin per character of the joined text (separators may be several characters).
    expanded: list[int] = []
    for piece, origin in zip(chars, origins, strict=True):
        expanded.extend([origin] * len(piece))
    for char, origin in zip(text, expanded, strict=True):
        if char.isspace() and char != "\u00a0":
            if not out_chars or out_chars[-1] == " ":
                continue
            char = " "
        out_chars.append(char)
        out_origins.append(origin)
    return out_chars, out_origins


def blocks_from_html(text: str, raw_blocks: list[RawBlock]) -> list[Block]:
    """Blocks for the text of an HTML page: one per line, kinds from the HTML elements."""
    blocks: list[Block] = []
    for raw in raw_blocks:
        for index, _line_start, start, end in lines(text, raw.start, raw.end):
            kind, number = raw.kind, None
            content_start = start
            if kind == "item" and index == 0:
                marker = NUMBERED.match(text, start, end) or BULLET.match(flat(text), start, end)
                if marker:
                    content_start = marker.end()
                    if marker.re is NUMBERED:
                        number = int(marker.group(1))
            elif kind == "item":
                kind = "paragraph"  # a continuation line of a list item (after <br>)
            elif kind == "paragraph" and index > 0 and blocks and blocks[-1].group == raw.group:
                kind = "paragraph"
            if kind == "breadcrumb" and not is_breadcrumb(text[start:end]):
                kind = "paragraph"
            label = LABEL.match(text, content_start, end)
            blocks.append(
                Block(
                    kind,
                    content_start,
                    end,
                    line_start=start,
                    level=raw.level,
                    number=number,
                    group=raw.group,
                    label=label.group(1) if label and kind not in ("title", "breadcrumb") else None,
                )
            )
    return blocks
