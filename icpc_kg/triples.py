"""Writing small RDF descriptions in code (the catalogue, graph/geonames): a list of
triples with IRIs given as strings."""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
XSD = "http://www.w3.org/2001/XMLSchema#"


@dataclass
class TripleWriter:
    """Triples in the order they are added; :meth:`unique` gives each once."""

    triples: list[ox.Triple] = field(default_factory=list)

    def add(self, s: str, p: str, o: ox.NamedNode | ox.Literal | str) -> None:
        """``s p o``; a string object is an IRI."""
        value = ox.NamedNode(o) if isinstance(o, str) else o
        self.triples.append(ox.Triple(ox.NamedNode(s), ox.NamedNode(p), value))

    def a(self, s: str, *classes: str) -> None:
        for cls in classes:
            self.add(s, RDF_TYPE, cls)

    def texts(self, s: str, p: str, labels: dict[str, str]) -> None:
        """One language-tagged literal per (language, text) of ``labels``."""
        for language in sorted(labels):
            self.add(s, p, ox.Literal(labels[language], language=language))

    def typed(self, s: str, p: str, lexical: str, datatype: str) -> None:
        """A literal of the XSD datatype ``datatype`` (its local name)."""
        self.add(s, p, ox.Literal(lexical, datatype=ox.NamedNode(XSD + datatype)))

    def unique(self) -> list[ox.Triple]:
        return list(dict.fromkeys(self.triples))
