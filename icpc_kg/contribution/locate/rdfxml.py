"""Where triples are written in RDF/XML: expat reports the line and column of each element;
a subject is placed at its node element, a property at its property element."""

from __future__ import annotations

import xml.parsers.expat
from dataclasses import dataclass

from icpc_kg.contribution.locate.base import (
    ANON,
    RDF,
    RDF_TYPE,
    XML_NS,
    GiveUp,
    Key,
    LocatedTriple,
    Spot,
    resolve,
)

_RDF_SYNTAX_ATTRIBUTES = {
    RDF + name
    for name in ("about", "ID", "nodeID", "resource", "datatype", "parseType", "type", "li")
}


@dataclass
class _XmlFrame:
    role: str  # root | node | property | skip
    base: str | None
    subject: Key | None = None
    subject_at: Spot | None = None
    predicate: str | None = None
    predicate_at: Spot | None = None
    has_object: bool = False
    text: str = ""
    members: int = 0


class RdfXmlReader:
    def __init__(self, data: bytes) -> None:
        self.data = data
        self.out: list[LocatedTriple] = []
        self.stack: list[_XmlFrame] = []
        self.anonymous = 0
        self.parser = xml.parsers.expat.ParserCreate(namespace_separator=" ")
        self.parser.SetParamEntityParsing(xml.parsers.expat.XML_PARAM_ENTITY_PARSING_NEVER)
        self.parser.StartElementHandler = self.start
        self.parser.EndElementHandler = self.end
        self.parser.CharacterDataHandler = self.characters

    def read(self) -> list[LocatedTriple]:
        try:
            self.parser.Parse(self.data, True)
        except xml.parsers.expat.ExpatError as error:
            raise GiveUp(str(error)) from None
        return self.out

    def fresh(self) -> Key:
        self.anonymous += 1
        return ("bnode", f"{ANON}{self.anonymous}")

    @staticmethod
    def iri(name: str) -> str:
        namespace, _, local = name.partition(" ")
        if not local:
            raise GiveUp("element without a namespace")
        return namespace + local

    def start(self, name: str, attributes: dict[str, str]) -> None:
        at = Spot(self.parser.CurrentLineNumber, self.parser.CurrentColumnNumber + 1)
        parent = self.stack[-1] if self.stack else None
        base = parent.base if parent else None
        attrs = {self.iri(k) if " " in k else k: v for k, v in attributes.items()}
        if XML_NS + "base" in attrs:
            base = resolve(attrs[XML_NS + "base"], base)
        iri = self.iri(name)
        if parent is None and iri == RDF + "RDF":
            self.stack.append(_XmlFrame("root", base))
            return
        if parent is not None and parent.role == "skip":
            self.stack.append(_XmlFrame("skip", base))
            return
        if parent is None or parent.role in ("root", "property"):
            self.node_element(iri, attrs, at, base, parent)
        else:
            self.property_element(iri, attrs, at, base, parent)

    def subject_of(self, attrs: dict[str, str], base: str | None) -> Key:
        if RDF + "about" in attrs:
            return ("iri", resolve(attrs[RDF + "about"], base))
        if RDF + "ID" in attrs:
            return ("iri", resolve("#" + attrs[RDF + "ID"], base))
        if RDF + "nodeID" in attrs:
            return ("bnode", attrs[RDF + "nodeID"])
        return self.fresh()

    def node_element(
        self,
        iri: str,
        attrs: dict[str, str],
        at: Spot,
        base: str | None,
        parent: _XmlFrame | None,
    ) -> None:
        subject = self.subject_of(attrs, base)
        if parent is not None and parent.role == "property":
            if parent.predicate == "collection":
                raise GiveUp("parseType Collection")
            assert parent.subject is not None and parent.predicate is not None
            self.add(parent.subject, parent.predicate, subject, parent, at)
            parent.has_object = True
        if iri != RDF + "Description":
            self.out.append(LocatedTriple(subject, RDF_TYPE, ("iri", iri), at, at, at))
        self.property_attributes(subject, attrs, at)
        self.stack.append(_XmlFrame("node", base, subject, at))

    def property_attributes(self, subject: Key, attrs: dict[str, str], at: Spot) -> None:
        for name, value in attrs.items():
            if name in _RDF_SYNTAX_ATTRIBUTES and name != RDF + "type":
                continue
            if name.startswith(XML_NS) or (" " not in name and ":" not in name):
                continue
            value_key: Key = ("iri", value) if name == RDF + "type" else ("lit", value)
            self.out.append(LocatedTriple(subject, name, value_key, at, at, at))

    def property_element(
        self, iri: str, attrs: dict[str, str], at: Spot, base: str | None, parent: _XmlFrame
    ) -> None:
        assert parent.subject is not None
        if iri == RDF + "li":
            parent.members += 1
            iri = f"{RDF}_{parent.members}"
        frame = _XmlFrame("property", base, parent.subject, parent.subject_at, iri, at)
        parse_type = attrs.get(RDF + "parseType")
        if RDF + "resource" in attrs or RDF + "nodeID" in attrs:
            value: Key = (
                ("iri", resolve(attrs[RDF + "resource"], base))
                if RDF + "resource" in attrs
                else ("bnode", attrs[RDF + "nodeID"])
            )
            self.add(parent.subject, iri, value, frame, at)
            self.property_attributes(value, attrs, at)
            frame.has_object = True
            frame.role = "skip"
        elif parse_type == "Resource":
            node = self.fresh()
            self.add(parent.subject, iri, node, frame, at)
            frame.has_object = True
            frame.role = "node"
            frame.subject, frame.subject_at = node, at
        elif parse_type == "Literal":
            frame.has_object = True
            frame.role = "skip"
        elif parse_type == "Collection":
            frame.predicate = "collection"
        elif any(
            name not in _RDF_SYNTAX_ATTRIBUTES and not name.startswith(XML_NS) for name in attrs
        ):
            node = self.fresh()
            self.add(parent.subject, iri, node, frame, at)
            self.property_attributes(node, attrs, at)
            frame.has_object = True
            frame.role = "skip"
        self.stack.append(frame)

    def add(self, subject: Key, predicate: str, value: Key, frame: _XmlFrame, at: Spot) -> None:
        self.out.append(
            LocatedTriple(subject, predicate, value, frame.subject_at, frame.predicate_at, at)
        )

    def end(self, name: str) -> None:
        frame = self.stack.pop()
        if frame.role == "property" and not frame.has_object and frame.predicate != "collection":
            assert frame.subject is not None and frame.predicate is not None
            self.out.append(
                LocatedTriple(
                    frame.subject,
                    frame.predicate,
                    ("lit", frame.text),
                    frame.subject_at,
                    frame.predicate_at,
                    frame.predicate_at,
                )
            )

    def characters(self, text: str) -> None:
        if self.stack and self.stack[-1].role == "property":
            self.stack[-1].text += text
