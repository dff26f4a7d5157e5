"""What the readers of :mod:`icpc_kg.contribution.locate` share: positions, located triples,
and IRI resolution."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from urllib.parse import urljoin

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDF_TYPE = RDF + "type"
XML_NS = "http://www.w3.org/XML/1998/namespace"
XSD = "http://www.w3.org/2001/XMLSchema#"

# A term as the readers see it: ("iri", value), ("bnode", label) or ("lit", lexical form).
Key = tuple[str, str]
ANON = "\x00anon"  # prefix of the readers' own blank-node labels (never a label in a file)


@dataclass(frozen=True)
class Spot:
    """A 1-based line and column in a file's text."""

    line: int
    column: int | None = None


@dataclass(frozen=True)
class LocatedTriple:
    subject: Key
    predicate: str
    object: Key
    subject_at: Spot | None
    predicate_at: Spot | None
    object_at: Spot | None


class GiveUp(Exception):
    """The reader met something it does not follow; the file gets no positions."""


class Lines:
    """Offsets in a text to 1-based line and column (in characters)."""

    def __init__(self, text: str) -> None:
        self.starts = [0] + [m.end() for m in re.finditer(r"\r\n|\n|\r", text)]

    def spot(self, offset: int) -> Spot:
        index = bisect_right(self.starts, offset) - 1
        return Spot(index + 1, offset - self.starts[index] + 1)


SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")


def resolve(reference: str, base: str | None) -> str:
    if SCHEME.match(reference) or base is None:
        return reference
    return urljoin(base, reference)
