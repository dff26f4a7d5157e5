"""Reading pages: plain text and HTML into the text passages point into, with blocks, a map
back to the original HTML, and clear refusals of unusable input."""

from __future__ import annotations

from pathlib import Path

import pytest

from icpc_kg.errors import InputError, InputTooLargeError
from icpc_kg.extract.document import document_from_bytes, read_document
from icpc_kg.extract.sentences import split_sentences
from icpc_kg.extract.text import flat, fold, slugify
from tests.extract.conftest import PAGES


def test_plain_text_keeps_the_text_and_finds_title_breadcrumb_and_lists() -> None:
    text = (
        "Lunch Seminars\n\nCIPC\u00a0»\u00a0Events\u00a0»\u00a0Lunch Seminars\n\nA heading\n\n"
        "  1. First item\n• bullet\nA sentence. Another one.\n"
    )
    doc = document_from_bytes(text.encode(), "page.txt")
    assert doc.text == text  # offsets point into exactly what was read
    kinds = [(b.kind, doc.text[b.start : b.end]) for b in doc.blocks]
    assert kinds[0] == ("title", "Lunch Seminars")
    assert kinds[1][0] == "breadcrumb"
    assert ("item", "First item") in kinds
    assert ("item", "bullet") in kinds
    assert doc.blocks[[k for k, _ in kinds].index("item")].number == 1


def test_windows_line_ends_are_read_and_mapped_back() -> None:
    doc = document_from_bytes(b"Title\r\n\r\nBody text here.\r\n", "page.txt")
    assert "\r" not in doc.text
    offset = doc.text.index("Body")
    assert doc.original[doc.original_offset(offset) :].startswith("Body")


def test_html_becomes_text_without_menus_scripts_or_footer_and_maps_back() -> None:
    doc = read_document(PAGES / "colloquium-2019.html")
    assert doc.source_format == "text/html"
    assert doc.text.startswith(
        "6th International Colloquium: Cities and Youth Safety | ICPC\n\nCIPC » Events » Colloquia"
    )
    assert "var banner" not in doc.text and "Publications" not in doc.text  # script, menu
    assert "Saint-Jean Street" not in doc.text  # footer
    assert "Palais des congrès de Montréal" in doc.text  # entities decoded
    offset = doc.text.index("Palais des congr")
    start = doc.original_offset(offset)
    assert doc.original[start:].startswith("Palais des congr&egrave;s")
    line, column = doc.original_position(offset)
    assert doc.original.splitlines()[line - 1][column - 1 :].startswith("Palais")
    items = [doc.text[b.start : b.end] for b in doc.blocks if b.kind == "item"]
    assert items[0].startswith("9:00 a.m. – 9:30 a.m. Opening remarks")


def test_html_list_items_keep_their_numbers_and_continuation_lines() -> None:
    doc = read_document(PAGES / "seminaire-midi-2017.html")
    numbered = [b for b in doc.blocks if b.kind == "item" and b.number]
    assert [b.number for b in numbered] == [1, 2]
    after = doc.blocks[doc.blocks.index(numbered[0]) + 1]
    assert after.group == numbered[0].group  # "Présentée par ..." after <br> in the same <li>
    assert doc.lang == "fr"
    assert doc.breadcrumb is not None
    assert doc.text[doc.breadcrumb.start : doc.breadcrumb.end] == (
        "CIPC » Événements » Séminaires-midi » La prévention de la violence chez les jeunes"
    )


def test_windows_1252_pages_are_read_with_a_note() -> None:
    doc = read_document(PAGES / "colloques-internationaux.txt")
    assert doc.encoding == "cp1252"
    assert "Montréal" in doc.text and "«" in doc.text
    assert any("not valid UTF-8" in note for note in doc.notes)


def test_double_encoded_text_is_noted() -> None:
    doc = document_from_bytes("Montréal".encode().decode("latin-1").encode(), "page.txt")
    assert any("double-encoded" in note for note in doc.notes)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "the file is empty"),
        (b"  \n\n ", "the file is empty"),
        (b"abc\x00\x01def", "binary"),
        (b"%PDF-1.7 ...", "PDF"),
        (b"PK\x03\x04rest", "ZIP"),
    ],
)
def test_unusable_input_is_refused_with_a_message(data: bytes, message: str) -> None:
    with pytest.raises(InputError, match=message):
        document_from_bytes(data, "page.txt")


def test_a_page_over_the_limit_is_refused_before_reading(tmp_path: Path) -> None:
    page = tmp_path / "big.txt"
    page.write_text("word " * 1000)
    with pytest.raises(InputTooLargeError, match="over the limit of 100 bytes"):
        read_document(page, max_bytes=100)


def test_a_missing_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        read_document(tmp_path / "nope.txt")


def test_sentences_do_not_break_after_honorifics_or_times() -> None:
    text = "On May 1, from 10:00 a.m. to 12:00 p.m., Mr. John Roe spoke. It ended."
    spans = split_sentences(flat(text), 0, len(text))
    assert [text[s:e] for s, e in spans] == [
        "On May 1, from 10:00 a.m. to 12:00 p.m., Mr. John Roe spoke.",
        "It ended.",
    ]


def test_slugs_and_folding() -> None:
    assert (
        slugify("Séminaire-midi du CIPC : la prévention") == "seminaire-midi-du-cipc-la-prevention"
    )
    assert fold("Montréal\u00a0–  «Québec»") == "montreal - 'quebec'"
