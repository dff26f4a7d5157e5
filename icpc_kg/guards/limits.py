"""The limits every input is held to before parsing, and the errors that name them."""

from __future__ import annotations

from dataclasses import dataclass

from icpc_kg.errors import InputTooDeepError, ValueTooLargeError

DEFAULT_MAX_DEPTH = 200
DEFAULT_MAX_LITERAL = 1024 * 1024
DEFAULT_MAX_QUERY = 256 * 1024
DEFAULT_MAX_HEADER = 16 * 1024


@dataclass(frozen=True)
class InputLimits:
    """``max_depth``: how deep brackets (and, in SPARQL, chains of operators) may nest;
    ``max_literal``: the longest literal or IRI, in bytes (UTF-8)."""

    max_depth: int = DEFAULT_MAX_DEPTH
    max_literal: int = DEFAULT_MAX_LITERAL


DEFAULT_LIMITS = InputLimits()


@dataclass(frozen=True)
class Spot:
    """A 1-based line and column in a text."""

    line: int
    column: int


def spot_in(data: bytes | str, offset: int) -> Spot:
    """The line and column of ``offset`` in ``data`` (columns count bytes for bytes)."""
    newline = b"\n" if isinstance(data, bytes) else "\n"
    line = data.count(newline, 0, offset) + 1  # type: ignore[arg-type]
    start = data.rfind(newline, 0, offset) + 1  # type: ignore[arg-type]
    return Spot(line, offset - start + 1)


def _where(source: str, spot: Spot | None) -> str:
    return f"{source}:{spot.line}:{spot.column}" if spot is not None else source


def too_deep(source: str, depth: int, limit: int, spot: Spot | None = None) -> InputTooDeepError:
    return InputTooDeepError(
        f"{_where(source, spot)}: nested {depth:,} levels deep, over the limit of {limit:,} "
        "(raise it with --max-depth)"
    )


def value_too_large(
    source: str, size: int, limit: int, spot: Spot | None = None
) -> ValueTooLargeError:
    return ValueTooLargeError(
        f"{_where(source, spot)}: a literal or IRI of {size:,} bytes is over the limit of "
        f"{limit:,} bytes per value (raise it with --max-literal)"
    )
