"""Turtle in the style of the curated files in data/: ``@base`` for the project's resources,
only the prefixes used, one block per subject, blank nodes used once written inline.

Deterministic: blank nodes are named canonically (RDFC-1.0) before writing and every list is
sorted, so the same graph always gives the same bytes.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from typing import Any

import pyoxigraph as ox

from icpc_kg.rdfio import XSD_STRING, canonical_quads

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
XSD = "http://www.w3.org/2001/XMLSchema#"
_LOCAL = re.compile(r"^[A-Za-z_][A-Za-z0-9_\-]*$")
_RELATIVE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_\-./]*$")
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"}

Term = ox.NamedNode | ox.BlankNode | ox.Literal


class _Writer:
    def __init__(self, triples: list[ox.Triple], base: str, prefixes: dict[str, str]) -> None:
        quads = canonical_quads(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
        self.about: dict[Any, list[ox.Triple]] = defaultdict(list)
        for q in quads:
            self.about[q.subject].append(ox.Triple(q.subject, q.predicate, q.object))
        uses = Counter(q.object for q in quads if isinstance(q.object, ox.BlankNode))
        once = {b for b, n in uses.items() if n == 1 and b in self.about}
        self.inline = self._reachable(once)
        self.base = base
        self.prefixes = prefixes
        self.used: set[str] = set()

    def _reachable(self, once: set[Any]) -> set[Any]:
        """The blank nodes used once that a written subject leads to (a cycle of them would
        otherwise never be written)."""
        reached: set[Any] = set()
        todo = [s for s in self.about if s not in once]
        while todo:
            for t in self.about.get(todo.pop(), []):
                if t.object in once and t.object not in reached:
                    reached.add(t.object)
                    todo.append(t.object)
        return reached

    def iri(self, value: str) -> str:
        if value.startswith(self.base) and _RELATIVE.match(value[len(self.base) :]):
            return f"<{value[len(self.base) :]}>"
        best = max(
            (p for p, ns in self.prefixes.items() if value.startswith(ns)),
            key=lambda p: len(self.prefixes[p]),
            default=None,
        )
        if best is not None and _LOCAL.match(value[len(self.prefixes[best]) :]):
            self.used.add(best)
            return f"{best}:{value[len(self.prefixes[best]) :]}"
        return f"<{value}>"

    def sort_name(self, value: str) -> str:
        """The name ``value`` is written with, without recording a prefix as used."""
        used = set(self.used)
        name = self.iri(value)
        self.used = used
        return name

    def term(self, term: Term, depth: int) -> str:
        if isinstance(term, ox.NamedNode):
            return self.iri(term.value)
        if isinstance(term, ox.BlankNode):
            if term in self.inline:
                return self.block(term, depth + 1, inline=True)
            return f"_:{term.value}"
        text = '"' + "".join(_ESCAPES.get(c, c) for c in term.value) + '"'
        if term.language:
            return f"{text}@{term.language}"
        datatype = term.datatype.value
        if datatype == XSD + "integer" and re.fullmatch(r"[+-]?[0-9]+", term.value):
            return term.value
        if datatype == XSD + "boolean" and term.value in ("true", "false"):
            return term.value
        if datatype == XSD_STRING:
            return text
        return f"{text}^^{self.iri(datatype)}"

    def block(self, subject: Term, depth: int, inline: bool = False) -> str:
        by_predicate: dict[str, list[Term]] = defaultdict(list)
        for t in self.about[subject]:
            by_predicate[t.predicate.value].append(t.object)  # type: ignore[arg-type]
        indent = "    " * (depth + 1)
        parts = []
        for predicate in sorted(by_predicate, key=lambda p: (p != RDF_TYPE, self.sort_name(p))):
            verb = "a" if predicate == RDF_TYPE else self.iri(predicate)
            values = sorted(self.term(o, depth) for o in by_predicate[predicate])
            parts.append(f"{verb} " + f" ,\n{indent}    ".join(values))
        if inline:
            return "[ " + f" ;\n{indent}".join(parts) + " ]"
        return f"{self.term(subject, depth)} " + f" ;\n{indent}".join(parts) + " ."

    def document(self, first: list[Term]) -> str:
        named = [s for s in self.about if s not in self.inline]
        order = [s for s in first if s in self.about] + sorted(
            (s for s in named if s not in first),
            key=lambda s: (isinstance(s, ox.BlankNode), str(s)),
        )
        blocks = [self.block(s, 0) for s in order]
        header = [f"@base <{self.base}> ."] + [
            f"@prefix {p}: <{self.prefixes[p]}> ." for p in sorted(self.used)
        ]
        return "\n".join(header) + "\n\n" + "\n\n".join(blocks) + "\n"


def to_turtle(
    triples: list[ox.Triple], base: str, prefixes: dict[str, str], first: list[Term] | None = None
) -> str:
    """``triples`` as Turtle; IRIs under ``base`` are written relative to it, subjects in
    ``first`` come first, the others in IRI order."""
    return _Writer(triples, base, prefixes).document(first or [])
