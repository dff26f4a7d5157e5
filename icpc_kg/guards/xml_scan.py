"""A streaming check of an XML document (RDF/XML) before it is parsed: no DTD, no entity
declaration, bounded element nesting, well-formed.

pyoxigraph's RDF/XML parser expands the internal entities a DTD declares (a "billion laughs"
document grows without bound) and takes time quadratic in element depth, so a document is
read once by expat first, in full and in chunks, with handlers that stop at the first
``<!DOCTYPE``, ``<!ENTITY`` or element past the depth limit. expat never gets to expand
anything: the document type declaration is refused as soon as it starts, wherever it is
(after a long comment, a processing instruction, ...). Where the XML is not well-formed,
expat's line and column are the error's position (pyoxigraph's RDF/XML errors carry none).

The standard library's expat is used directly rather than defusedxml: the check needs the
parser's position and an element-depth bound, which defusedxml's wrappers do not expose, and
refusing the DTD outright (not just entities) is a handler of two lines.
"""

from __future__ import annotations

import xml.parsers.expat
from typing import Any

from icpc_kg.errors import RdfSyntaxError, UnsafeInputError
from icpc_kg.guards.limits import DEFAULT_LIMITS, InputLimits, Spot, spot_in, too_deep

_CHUNK = 1 << 20


class _Refused(Exception):
    def __init__(self, error: Exception) -> None:
        super().__init__(str(error))
        self.error = error


def check_xml(data: bytes, source: str, limits: InputLimits = DEFAULT_LIMITS) -> None:
    """Raise :class:`UnsafeInputError` for a DTD or entity declaration,
    :class:`InputTooDeepError` for elements nested past ``limits.max_depth``, and
    :class:`RdfSyntaxError` (with line and column) where ``data`` is not well-formed XML."""
    parser = xml.parsers.expat.ParserCreate()
    parser.SetParamEntityParsing(xml.parsers.expat.XML_PARAM_ENTITY_PARSING_NEVER)
    depth = 0

    def here() -> Spot:
        return Spot(parser.CurrentLineNumber, parser.CurrentColumnNumber + 1)

    def refuse_dtd(*_: Any) -> None:
        # expat reports the DOCTYPE once its name is read: point at its "<!DOCTYPE" instead.
        start = data.rfind(b"<!DOCTYPE", 0, parser.CurrentByteIndex + 1)
        spot = spot_in(data, start) if start >= 0 else here()
        raise _Refused(
            UnsafeInputError(
                f"{source}:{spot.line}:{spot.column}: XML with a DTD (a <!DOCTYPE> declaration) "
                "is refused: its entities can read local files or expand without bound; remove "
                "the <!DOCTYPE ...> and write the values out"
            )
        )

    def start(*_: Any) -> None:
        nonlocal depth
        depth += 1
        if depth > limits.max_depth:
            raise _Refused(too_deep(source, depth, limits.max_depth, here()))

    def end(*_: Any) -> None:
        nonlocal depth
        depth -= 1

    parser.StartDoctypeDeclHandler = refuse_dtd
    parser.EntityDeclHandler = refuse_dtd
    parser.ExternalEntityRefHandler = refuse_dtd  # type: ignore[assignment]
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    try:
        for offset in range(0, len(data), _CHUNK):
            parser.Parse(data[offset : offset + _CHUNK], False)
        parser.Parse(b"", True)
    except _Refused as refused:
        raise refused.error from None
    except xml.parsers.expat.ExpatError as error:
        message = xml.parsers.expat.ErrorString(error.code)
        raise RdfSyntaxError(
            source, f"not well-formed XML: {message}", error.lineno, error.offset + 1
        ) from None
