"""Judging literals as written, though the store keeps some of them rewritten.

pyoxigraph's Store keeps literals of the XSD datatypes it knows as values (oxigraph issue 526):
``"5"^^xsd:byte`` comes back ``"5"^^xsd:integer``, ``"4.0"^^xsd:decimal`` as ``"4"``, an
ill-typed ``"300"^^xsd:byte`` as ``"300"^^xsd:integer``; literal constants in a query are
rewritten the same way. SHACL's term-sensitive constraints (sh:datatype, sh:in, sh:hasValue,
sh:equals, sh:pattern, the lengths, ...) must see the literal as written, so the engine
queries the store and then judges again, in Python, every row whose value stands for a
literal the store changed, on each written form (:class:`icpc_kg.literals.LiteralOriginals`
says which those are). With no such literal (the usual case) nothing of this runs.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox

from icpc_kg.literals import LiteralOriginals, store_forms

Term = ox.NamedNode | ox.BlankNode | ox.Literal


class Written:
    """The written forms of the literals one validation can meet: the data's (from the
    registry) and the shapes' constants that end up in queries (sh:targetNode literals)."""

    def __init__(
        self,
        originals: LiteralOriginals | None,
        graphs: Iterable[ox.NamedNode | ox.DefaultGraph],
        constants: Iterable[ox.Literal] = (),
    ) -> None:
        self.originals = originals if originals is not None and len(originals) else None
        self.graphs = list(graphs)
        self.constants: dict[ox.Literal, ox.Literal] = {
            stored: written for written, stored in store_forms(constants).items()
        }
        stored = self.originals.stored_literals() if self.originals is not None else {}
        self.rewritten = frozenset(stored) | frozenset(self.constants)
        # Stored literals that stand for several written ones: counts differ there.
        self.merged = frozenset(term for term, forms in stored.items() if len(forms) > 1)

    @property
    def active(self) -> bool:
        """Whether any literal of this validation is kept rewritten."""
        return bool(self.rewritten)

    def is_rewritten(self, term: object) -> bool:
        return term in self.rewritten

    def forms(self, subject: object, predicate: str | None, stored: Term) -> list[Term]:
        """The written forms of the value ``stored`` reached from ``subject``: exactly those of
        the triple when the path is one predicate, else every form the store merged into it
        (wrong only where one value is written both canonically and not, along a longer path)."""
        if not isinstance(stored, ox.Literal):
            return [stored]
        if stored in self.constants:
            return [self.constants[stored]]
        if self.originals is None:
            return [stored]
        if predicate is not None and isinstance(subject, ox.NamedNode | ox.BlankNode):
            found: list[Term] = []
            for graph in self.graphs:
                quad = ox.Quad(subject, ox.NamedNode(predicate), stored, graph)
                for literal in self.originals.written(quad) or ():
                    if literal not in found:
                        found.append(literal)
            return found or [stored]  # a triple the registry does not name kept its form
        forms = self.originals.forms(stored)
        return sorted(forms, key=str) if forms else [stored]

    def restore(self, term: Term) -> Term:
        """A focus node or value as written, where that is certain."""
        if isinstance(term, ox.Literal) and term in self.constants:
            return self.constants[term]
        if self.originals is not None:
            restored = self.originals.restore_term(term)
            assert not isinstance(restored, ox.Triple)
            return restored
        return term
