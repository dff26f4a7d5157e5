"""Read a page (plain text or HTML, any common encoding) into the text the extractor works on.

The result is a :class:`Document`: the text every passage offset points into, a same-length
flat copy for matching, the page's blocks (title, breadcrumb, headings, paragraphs, list
items, table rows) and, for HTML, a map from each character of the text back to its offset in
the original page.

HTML is turned into text with the standard library's tokenizer rather than BeautifulSoup: the
tokenizer reports where each piece of text starts in the source, which is what the character
map needs, and it is the same tolerant tokenizer BeautifulSoup's ``html.parser`` builder uses.
The text mirrors the project's local copies (data/sources/*.txt): the page title, a blank
line, the breadcrumb, a blank line, then one line per heading, paragraph, list item or row;
list items get a "• " or "1. " marker and table cells are joined with " | ".
"""

from __future__ import annotations

import html
import os
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import cached_property
from html.parser import HTMLParser
from pathlib import Path

from icpc_kg.errors import InputError, InputTooLargeError
from icpc_kg.extract.lexicon import word_set
from icpc_kg.extract.text import flat, slugify

DEFAULT_MAX_BYTES = 5 * 1024 * 1024

_MAGIC = (
    (b"%PDF", "a PDF file; convert it to text first (e.g. pdftotext) or give the page's HTML"),
    (b"PK\x03\x04", "a ZIP archive (or a Word/OpenDocument file); save the page as text or HTML"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\x1f\x8b", "a gzip archive; decompress it first"),
)


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


@dataclass
class Document:
    """A page as the extractor reads it."""

    name: str  # the path or name shown in messages
    slug: str  # the document's slug: <document/{slug}>
    text: str  # what every passage offset points into
    source_format: str  # text/plain | text/html
    encoding: str
    original: str  # the decoded page, before HTML was turned into text
    blocks: list[Block]
    origin: list[int] | None = None  # text offset -> offset in ``original``; None: the same
    notes: list[str] = field(default_factory=list)
    lang: str = "en"
    path: Path | None = None

    @cached_property
    def flat(self) -> str:
        return flat(self.text)

    def quote(self, start: int, end: int) -> str:
        return self.text[start:end]

    def original_offset(self, offset: int) -> int:
        if self.origin is None:
            return offset
        if not self.origin:
            return 0
        return self.origin[min(offset, len(self.origin) - 1)]

    def original_position(self, offset: int) -> tuple[int, int]:
        """1-based line and column, in the original page, of a text offset."""
        index = self.original_offset(offset)
        line = self.original.count("\n", 0, index) + 1
        column = index - (self.original.rfind("\n", 0, index) + 1) + 1
        return line, column

    @cached_property
    def _block_starts(self) -> list[int]:
        return [b.line_start for b in self.blocks]

    def block_at(self, offset: int) -> Block | None:
        index = bisect_right(self._block_starts, offset) - 1
        if index < 0:
            return None
        block = self.blocks[index]
        return block if offset <= block.end else None

    def block_index(self, offset: int) -> int:
        return max(bisect_right(self._block_starts, offset) - 1, 0)

    @cached_property
    def title(self) -> str | None:
        for block in self.blocks:
            if block.kind == "title":
                return self.text[block.start : block.end]
        return None

    @cached_property
    def breadcrumb(self) -> Block | None:
        return next((b for b in self.blocks if b.kind == "breadcrumb"), None)

    @cached_property
    def headline(self) -> Block | None:
        """The page's main heading: the first level-1 heading, else the first heading."""
        headings = [b for b in self.blocks if b.kind == "heading"]
        for block in headings:
            if block.level == 1:
                return block
        return headings[0] if headings else None

    @cached_property
    def sentences(self) -> list[tuple[int, int]]:
        spans: list[tuple[int, int]] = []
        for block in self.blocks:
            spans.extend(split_sentences(self.flat, block.start, block.end))
        return spans

    def sentence_at(self, offset: int) -> tuple[int, int]:
        index = bisect_right(self._sentence_starts, offset) - 1
        if index >= 0:
            start, end = self.sentences[index]
            if start <= offset < end:
                return start, end
        block = self.block_at(offset)
        return (block.start, block.end) if block else (offset, offset)

    @cached_property
    def _sentence_starts(self) -> list[int]:
        return [s for s, _e in self.sentences]

    def sentences_in(self, start: int, end: int) -> list[tuple[int, int]]:
        first = bisect_left(self._sentence_starts, start)
        found = []
        for s, e in self.sentences[first:]:
            if s >= end:
                break
            if e <= end:
                found.append((s, e))
        return found


# --------------------------------------------------------------------------------------------
# Reading bytes
# --------------------------------------------------------------------------------------------


def read_document(
    path: str | os.PathLike[str],
    max_bytes: int = DEFAULT_MAX_BYTES,
    lang: str = "auto",
) -> Document:
    """Read a page from a file; refuse empty, binary and oversized files with a clear message."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    size = path.stat().st_size
    if size > max_bytes:
        raise InputTooLargeError(
            f"{path}: {size:,} bytes is over the limit of {max_bytes:,} bytes for one page; "
            "split the page or raise --max-bytes"
        )
    data = path.read_bytes()
    return document_from_bytes(data, str(path), lang=lang, path=path)


def document_from_bytes(
    data: bytes,
    name: str = "<input>",
    *,
    lang: str = "auto",
    path: Path | None = None,
    html_hint: bool | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Document:
    if len(data) > max_bytes:
        raise InputTooLargeError(
            f"{name}: {len(data):,} bytes is over the limit of {max_bytes:,} bytes for one page"
        )
    if not data.strip():
        raise InputError(f"{name}: the file is empty; there is nothing to extract")
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise InputError(f"{name}: this is {what}; extract reads plain text or HTML")
    text, encoding, notes = decode(data, name)
    slug = slugify(Path(name).stem if name != "<input>" else "document")
    is_html = html_hint if html_hint is not None else looks_like_html(text, name)
    if is_html:
        body, origin, raw_blocks = html_to_text(text)
        blocks = blocks_from_html(body, raw_blocks)
        doc = Document(name, slug, body, "text/html", encoding, text, blocks, origin, notes)
    else:
        body, newline_origin = normalise_newlines(text)
        doc = Document(
            name,
            slug,
            body,
            "text/plain",
            encoding,
            text,
            plain_blocks(body),
            newline_origin,
            notes,
        )
    doc.path = path
    doc.lang = detect_language(doc.text) if lang == "auto" else lang
    return doc


def decode(data: bytes, name: str) -> tuple[str, str, list[str]]:
    """Decode as UTF-8 (with or without BOM, or UTF-16 with a BOM), else Windows-1252, else
    Latin-1, with a note saying which; refuse what looks binary."""
    notes: list[str] = []
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16", notes
    if b"\x00" in data[:65536]:
        raise InputError(
            f"{name}: looks like a binary file (it holds NUL bytes); "
            "extract reads plain text or HTML"
        )
    try:
        text = data.decode("utf-8-sig")
        encoding = "utf-8"
    except UnicodeDecodeError as error:
        where = error.start
        try:
            text = data.decode("cp1252")
            encoding = "cp1252"
        except UnicodeDecodeError:
            text = data.decode("latin-1")
            encoding = "latin-1"
        notes.append(
            f"not valid UTF-8 (first bad byte at offset {where}); read as {encoding}; "
            "check accented letters in the draft"
        )
    controls = sum(1 for c in text[:65536] if ord(c) < 32 and c not in "\t\n\r\f")
    if controls > max(8, len(text[:65536]) // 50):
        raise InputError(
            f"{name}: looks like a binary file ({controls} control characters); "
            "extract reads plain text or HTML"
        )
    if re.search("Ã[\u0080-\u00bf]", text):
        notes.append("the text looks double-encoded (e.g. 'Ã©' for 'é'); check the source")
    return text, encoding, notes


def looks_like_html(text: str, name: str) -> bool:
    if Path(name).suffix.lower() in (".html", ".htm", ".xhtml"):
        return True
    head = text.lstrip()[:2048].lower()
    if head.startswith(("<!doctype html", "<html")):
        return True
    return len(re.findall(r"</?(?:p|div|h[1-6]|ul|ol|li|body|span|a)\b", head)) >= 3


def normalise_newlines(text: str) -> tuple[str, list[int] | None]:
    if "\r" not in text:
        return text, None
    out: list[str] = []
    origin: list[int] = []
    i = 0
    while i < len(text):
        char = text[i]
        if char == "\r":
            out.append("\n")
            origin.append(i)
            i += 2 if text.startswith("\r\n", i) else 1
            continue
        out.append(char)
        origin.append(i)
        i += 1
    return "".join(out), origin


# --------------------------------------------------------------------------------------------
# Plain text: one block per non-empty line
# --------------------------------------------------------------------------------------------

_BULLET = re.compile(r"[•·▪‣◦∙●○■□*\-–—]\s+")
_NUMBERED = re.compile(r"(\d{1,2})[.)]\s+")
_LABEL = re.compile(r"([A-ZÀ-Ý][\w()’'/-]*(?: [\w()’'/-]+){0,2}) ?: ")
_BREADCRUMB_SEPARATORS = re.compile(r"\s(?:»|>|›|/)\s")


def title_like(text: str) -> bool:
    """Short, and not ending like a sentence or an introduction to a list."""
    stripped = text.strip()
    if not stripped or len(stripped) > 200 or len(stripped.split()) > 25:
        return False
    return not stripped.endswith((".", ";", ",", ":"))


def _is_breadcrumb(line: str) -> bool:
    return "»" in line or len(_BREADCRUMB_SEPARATORS.findall(line)) >= 2


def plain_blocks(text: str) -> list[Block]:
    blocks: list[Block] = []
    offset = 0
    for line in text.split("\n"):
        line_start = offset
        offset += len(line) + 1
        if not line.strip():
            continue
        start = line_start + len(line) - len(line.lstrip())
        end = line_start + len(line.rstrip())
        content = text[start:end]
        kind = "paragraph"
        number = None
        bullet = _BULLET.match(flat(content))
        numbered = _NUMBERED.match(content)
        if not blocks and title_like(content):
            kind = "title"
        elif len(blocks) < 4 and _is_breadcrumb(content) and len(content) < 300:
            kind = "breadcrumb"
        elif bullet:
            kind, start = "item", start + bullet.end()
        elif numbered:
            kind, number, start = "item", int(numbered.group(1)), start + numbered.end()
        elif title_like(content):
            kind = "heading"
        label = _LABEL.match(text, start, end)
        blocks.append(
            Block(
                kind,
                start,
                end,
                line_start=line_start + len(line) - len(line.lstrip()),
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


# --------------------------------------------------------------------------------------------
# HTML
# --------------------------------------------------------------------------------------------

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
        offset = raw.start
        for index, line in enumerate(text[raw.start : raw.end].split("\n")):
            line_start = offset
            offset += len(line) + 1
            if not line.strip():
                continue
            start = line_start + len(line) - len(line.lstrip())
            end = line_start + len(line.rstrip())
            kind, number = raw.kind, None
            content_start = start
            if kind == "item" and index == 0:
                marker = _NUMBERED.match(text, start, end) or _BULLET.match(flat(text), start, end)
                if marker:
                    content_start = marker.end()
                    if marker.re is _NUMBERED:
                        number = int(marker.group(1))
            elif kind == "item":
                kind = "paragraph"  # a continuation line of a list item (after <br>)
            elif kind == "paragraph" and index > 0 and blocks and blocks[-1].group == raw.group:
                kind = "paragraph"
            if kind == "breadcrumb" and not _is_breadcrumb(line):
                kind = "paragraph"
            label = _LABEL.match(text, content_start, end)
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


# --------------------------------------------------------------------------------------------
# Sentences and language
# --------------------------------------------------------------------------------------------

_ABBREVIATIONS = word_set("abbreviations")
_SENTENCE_END = re.compile(r"[.!?](?:[\"')\]]*)\s+(?=[\"'(\[]?[A-ZÀ-Ý0-9])")


def split_sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentence spans inside [start, end) of ``text`` (a flat copy), newlines always split."""
    spans: list[tuple[int, int]] = []
    cursor = start
    for match in _SENTENCE_END.finditer(text, start, end):
        before = text[cursor : match.start()].rsplit(None, 1)
        last = before[-1].lower().rstrip(".") if before else ""
        last = last.lstrip("(\"'")
        if last in _ABBREVIATIONS or (len(last) == 1 and last.isalpha()):
            continue
        spans.append((cursor, match.start() + 1))
        cursor = match.end()
    if cursor < end:
        spans.append((cursor, end))
    return [(s, e) for s, e in spans if text[s:e].strip()]


_FRENCH = word_set("language-words-fr")
_ENGLISH = word_set("language-words-en")


def detect_language(text: str) -> str:
    tokens = re.findall(r"[a-zàâçéèêëîïôûùüÿœ']+", text.lower())
    french = sum(1 for t in tokens if t in _FRENCH)
    english = sum(1 for t in tokens if t in _ENGLISH)
    return "fr" if french > english else "en"
