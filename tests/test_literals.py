"""Literals as written: the XSD lexical check, and the registry that gives back what the
pyoxigraph Store changes (icpc_kg/literals.py). Cases: tests/literals/lexical-forms.tsv."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from icpc_kg.literals import XSD, LiteralOriginals, store_forms, well_typed

CASES = Path(__file__).resolve().parent / "literals" / "lexical-forms.tsv"


def _cases() -> list[tuple[str, str, bool]]:
    rows = []
    for line in CASES.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        lexical, datatype, expected = line.split("\t")
        rows.append((lexical, datatype, expected == "yes"))
    return rows


@pytest.mark.parametrize(("lexical", "datatype", "expected"), _cases())
def test_well_typed_follows_the_xsd_lexical_spaces(
    lexical: str, datatype: str, expected: bool
) -> None:
    literal = ox.Literal(lexical, datatype=ox.NamedNode(XSD + datatype))
    assert well_typed(literal) is expected


def test_strings_are_well_typed_and_unknown_datatypes_are_not_judged() -> None:
    assert well_typed(ox.Literal("x", language="en")) is True
    assert well_typed(ox.Literal("x")) is True
    assert well_typed(ox.Literal("x", datatype=ox.NamedNode("http://example.org/dt"))) is None


def _quad(obj: ox.Literal, s: str = "http://example.org/s") -> ox.Quad:
    return ox.Quad(ox.NamedNode(s), ox.NamedNode("http://example.org/p"), obj, ox.DefaultGraph())


def test_store_forms_names_only_what_the_store_changes() -> None:
    decimal = ox.Literal("4.0", datatype=ox.NamedNode(XSD + "decimal"))
    byte = ox.Literal("5", datatype=ox.NamedNode(XSD + "byte"))
    year = ox.Literal("1998", datatype=ox.NamedNode(XSD + "gYear"))
    forms = store_forms([decimal, byte, year, ox.Literal("plain")])
    assert forms[decimal] == ox.Literal("4", datatype=ox.NamedNode(XSD + "decimal"))
    assert forms[byte].datatype == ox.NamedNode(XSD + "integer")
    assert year not in forms


def test_the_registry_restores_every_written_literal_even_those_the_store_merged() -> None:
    written = [
        _quad(ox.Literal("4.0", datatype=ox.NamedNode(XSD + "decimal"))),
        _quad(ox.Literal("4.00", datatype=ox.NamedNode(XSD + "decimal"))),
        _quad(ox.Literal("300", datatype=ox.NamedNode(XSD + "byte"))),
        _quad(ox.Literal("as written")),
    ]
    originals = LiteralOriginals()
    store = ox.Store()
    store.extend(originals.record(written))
    assert len(store) == 3  # the store took "4.0" and "4.00" for one triple
    restored = set(originals.restore(store.quads_for_pattern(None, None, None, None)))
    assert restored == set(written)


def test_restore_term_only_where_one_written_form_is_certain() -> None:
    one = ox.Literal("01", datatype=ox.NamedNode(XSD + "integer"))
    a = ox.Literal("2.0", datatype=ox.NamedNode(XSD + "decimal"))
    b = ox.Literal("2.00", datatype=ox.NamedNode(XSD + "decimal"))
    originals = LiteralOriginals()
    originals.record(
        [_quad(one), _quad(a, "http://example.org/a"), _quad(b, "http://example.org/b")]
    )
    assert originals.restore_term(ox.Literal("1", datatype=ox.NamedNode(XSD + "integer"))) == one
    two = ox.Literal("2", datatype=ox.NamedNode(XSD + "decimal"))
    assert originals.restore_term(two) == two


def test_forgetting_a_graph_drops_only_its_literals() -> None:
    graph = ox.NamedNode("http://example.org/g")
    literal = ox.Literal("01", datatype=ox.NamedNode(XSD + "integer"))
    originals = LiteralOriginals()
    originals.record(
        [
            ox.Quad(
                ox.NamedNode("http://example.org/s"),
                ox.NamedNode("http://example.org/p"),
                literal,
                graph,
            )
        ]
    )
    originals.record([_quad(ox.Literal("02", datatype=ox.NamedNode(XSD + "integer")))])
    originals.forget_graph(graph)
    assert len(originals) == 1
