"""Bounds on what comes from outside, checked before any parser sees it.

Every RDF document (``icpc-kg validate``, ``POST /validate``, ``serve FILE``, ``build``'s data
files) goes through :func:`check_rdf_input`, called by :func:`icpc_kg.rdfio.parse_rdf`:

- RDF/XML (and any XML): a streaming pass of expat over the whole document refuses a DTD or an
  entity declaration wherever it is, bounds element nesting and reports where the XML is not
  well-formed (:mod:`icpc_kg.guards.xml_scan`);
- Turtle, TriG, N-Triples, N-Quads and JSON-LD: a lexical scan that knows each syntax's
  strings, IRIs and comments (so a bracket inside a string does not count) bounds nesting and
  the size of every literal and IRI (:mod:`icpc_kg.guards.rdf_scan`).

SPARQL text has its own scan (:func:`icpc_kg.sparql.inspect_query`) with the same limits.
The limits are :class:`InputLimits`; an input over one raises
:class:`~icpc_kg.errors.InputTooDeepError` or :class:`~icpc_kg.errors.ValueTooLargeError`
(400 / exit 2) with the limit and the option that raises it.
"""

from __future__ import annotations

from icpc_kg.guards.limits import DEFAULT_LIMITS, InputLimits, too_deep, value_too_large
from icpc_kg.guards.rdf_scan import scan_json, scan_turtle_family
from icpc_kg.guards.xml_scan import check_xml

__all__ = [
    "DEFAULT_LIMITS",
    "InputLimits",
    "check_rdf_input",
    "check_xml",
    "too_deep",
    "value_too_large",
]

_TURTLE_FAMILY = ("turtle", "trig", "ntriples", "nquads")


def check_rdf_input(
    data: bytes, format_name: str, source: str, limits: InputLimits = DEFAULT_LIMITS
) -> None:
    """Refuse ``data`` (in the syntax ``format_name``) when it is unsafe to parse: a DTD in
    XML, nesting deeper than ``limits.max_depth``, a literal or IRI longer than
    ``limits.max_literal`` bytes. Malformed XML is reported here with its line and column."""
    if format_name == "rdfxml":
        check_xml(data, source, limits)
        return
    if format_name in _TURTLE_FAMILY:
        scan = scan_turtle_family(data, limits.max_depth, limits.max_literal)
    elif format_name == "jsonld":
        scan = scan_json(data, limits.max_depth, limits.max_literal)
    else:
        return
    if scan.depth > limits.max_depth:
        raise too_deep(source, scan.depth, limits.max_depth, scan.deepest)
    if scan.longest > limits.max_literal:
        raise value_too_large(source, scan.longest, limits.max_literal, scan.longest_at)
