"""Lexical scans of Turtle-family and JSON documents: how deep their brackets nest and how long
their longest literal or IRI is, without parsing them.

The scans run over the raw bytes (UTF-8 needs no decoding for this). Strings, IRIs and
comments are tokens of their own, so a bracket inside them does not count and a quote inside a
comment does not open a string; everything else is left to the brackets. A document the scan
misreads does not parse either (an unterminated string, a stray ``<``), and then the scan only
over-counts.

Turtle, TriG, N-Triples and N-Quads share one scan: their strings, IRIs and comments are
written alike; ``(`` ``[`` ``{`` and RDF 1.2's ``<<`` open a level.

Two passes keep this fast (about a quarter of pyoxigraph's own parsing time): a measuring pass
done in C (``re.split`` into tokens and the text between them, a byte translation that keeps
only brackets, a running sum) that can over-count (a long comment counts as a long token), and,
only when a limit looks exceeded, an exact pass token by token that confirms it and finds the
line and column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import accumulate

from icpc_kg.guards.limits import Spot, spot_in

# Each alternative starts with a literal byte, which lets the regular expression engine jump
# from one candidate to the next without trying every alternative at every position.
_TURTLE_TOKENS = (
    rb'"""(?:[^"\\]++|\\.|"(?!""))*+"""'
    rb"|'''(?:[^'\\]++|\\.|'(?!''))*+'''"
    rb'|"(?:[^"\\\n\r]++|\\.)*+"'
    rb"|'(?:[^'\\\n\r]++|\\.)*+'"
    rb'|<(?:[^<>"{}|^`\\\x00-\x20]++|\\[uU])*+>'
    rb"|\#[^\n\r]*+"
)
_JSON_TOKENS = rb'"(?:[^"\\]++|\\.)*+"'

_TURTLE_SPLIT = re.compile(b"(" + _TURTLE_TOKENS + b")", re.DOTALL)
_JSON_SPLIT = re.compile(b"(" + _JSON_TOKENS + b")", re.DOTALL)
_TURTLE_EXACT = re.compile(_TURTLE_TOKENS + rb"|<<|>>|[(\[{)\]}]", re.DOTALL)
_JSON_EXACT = re.compile(_JSON_TOKENS + rb"|[\[{\]}]", re.DOTALL)

_OPEN, _CLOSE = 1, 2  # <<, >> once the IRIs are gone
_STEP = [0] * 256
for _byte in (*b"([{", _OPEN):
    _STEP[_byte] = 1
for _byte in (*b")]}", _CLOSE):
    _STEP[_byte] = -1
_NOT_BRACKETS = bytes(b for b in range(256) if _STEP[b] == 0)
_OPENERS = frozenset((b"(", b"[", b"{", b"<<"))
_CLOSERS = frozenset((b")", b"]", b"}", b">>"))


@dataclass(frozen=True)
class Scan:
    """What a lexical scan found: the deepest nesting (and where it was reached) and the
    longest literal or IRI in bytes, quotes and brackets included (and where it starts)."""

    depth: int
    longest: int
    deepest: Spot | None = None
    longest_at: Spot | None = None


def _measure(data: bytes, split: re.Pattern[bytes], turtle: bool) -> tuple[int, int]:
    """(deepest nesting, longest token) without positions; may over-count."""
    parts = split.split(data)
    longest = max(map(len, parts[1::2]), default=0)
    code = b" ".join(parts[0::2])
    if turtle:
        code = code.replace(b"<<", bytes([_OPEN])).replace(b">>", bytes([_CLOSE]))
    brackets = code.translate(None, _NOT_BRACKETS)
    return max(accumulate(map(_STEP.__getitem__, brackets)), default=0), longest


def _exact(data: bytes, token: re.Pattern[bytes]) -> Scan:
    depth = deepest = longest = 0
    deepest_offset = longest_offset = -1
    for match in token.finditer(data):
        text = match.group()
        if text in _OPENERS:
            depth += 1
            if depth > deepest:
                deepest, deepest_offset = depth, match.start()
        elif text in _CLOSERS:
            depth = max(depth - 1, 0)
        elif not text.startswith(b"#") and len(text) > longest:
            longest, longest_offset = len(text), match.start()
    return Scan(
        deepest,
        longest,
        spot_in(data, deepest_offset) if deepest_offset >= 0 else None,
        spot_in(data, longest_offset) if longest_offset >= 0 else None,
    )


def _scan(
    data: bytes,
    split: re.Pattern[bytes],
    exact: re.Pattern[bytes],
    turtle: bool,
    depth: int,
    literal: int,
) -> Scan:
    measured_depth, measured_longest = _measure(data, split, turtle)
    if measured_depth <= depth and measured_longest <= literal:
        return Scan(measured_depth, measured_longest)
    return _exact(data, exact)


def scan_turtle_family(data: bytes, max_depth: int = 0, max_literal: int = 0) -> Scan:
    """Nesting and longest value of a Turtle, TriG, N-Triples or N-Quads document; positions
    are found when the depth is over ``max_depth`` or a value over ``max_literal``."""
    return _scan(data, _TURTLE_SPLIT, _TURTLE_EXACT, True, max_depth, max_literal)


def scan_json(data: bytes, max_depth: int = 0, max_literal: int = 0) -> Scan:
    """Nesting of arrays and objects and the longest string of a JSON document."""
    return _scan(data, _JSON_SPLIT, _JSON_EXACT, False, max_depth, max_literal)
