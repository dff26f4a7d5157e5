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

import os
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from icpc_kg.errors import InputError, InputTooLargeError
from icpc_kg.extract.blocks import Block, plain_blocks
from icpc_kg.extract.html_text import blocks_from_html, html_to_text
from icpc_kg.extract.sentences import detect_language, split_sentences
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
