"""Reading what a client sends, strictly: query strings and form bodies must be UTF-8 (no
silent replacement characters inside a SPARQL query), and a body is capped before it is held
in memory: a Content-Length over the cap is refused without reading anything, and a body sent
without one (chunked) is counted while it streams in."""

from __future__ import annotations

from urllib.parse import unquote_to_bytes

from starlette.requests import Request

from icpc_kg.errors import InputError, InputTooLargeError

Params = list[tuple[str, str]]


def parse_pairs(raw: bytes, where: str) -> Params:
    """``a=1&b=2`` (percent-encoded, ``+`` for space) as pairs; invalid UTF-8 raises
    InputError."""
    pairs: Params = []
    for part in raw.split(b"&"):
        if not part:
            continue
        name, _, value = part.partition(b"=")
        try:
            pairs.append(
                (
                    unquote_to_bytes(name.replace(b"+", b" ")).decode("utf-8"),
                    unquote_to_bytes(value.replace(b"+", b" ")).decode("utf-8"),
                )
            )
        except UnicodeDecodeError as error:
            raise InputError(
                f"the {where} is not valid UTF-8 (byte {error.object[error.start]:#04x} at "
                f"position {error.start} of a parameter); percent-encode UTF-8 text"
            ) from None
    return pairs


def query_params(request: Request) -> Params:
    """The URL's query parameters, in order, repeated names kept."""
    return parse_pairs(request.scope.get("query_string", b""), "query string")


def values(params: Params, name: str) -> list[str]:
    return [value for key, value in params if key == name]


def single(params: Params, name: str) -> str | None:
    """The one value of ``name``, None if absent; InputError if given twice."""
    found = values(params, name)
    if len(found) > 1:
        raise InputError(f"give the parameter {name!r} once (it was given {len(found)} times)")
    return found[0] if found else None


def content_length(request: Request) -> int | None:
    header = request.headers.get("content-length")
    if header is None:
        return None
    try:
        length = int(header)
    except ValueError:
        raise InputError(f"bad Content-Length {header!r}") from None
    if length < 0:
        raise InputError(f"bad Content-Length {header!r}")
    return length


def too_large(limit: int, size: int | None = None) -> InputTooLargeError:
    got = f"{size:,} bytes is" if size is not None else "the body is"
    return InputTooLargeError(f"request body too large: {got} over the limit of {limit:,} bytes")


async def read_body(request: Request, limit: int) -> bytes:
    """The request body, refusing more than ``limit`` bytes (InputTooLargeError, 413)."""
    length = content_length(request)
    if length is not None and length > limit:
        raise too_large(limit, length)
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise too_large(limit)
        chunks.append(chunk)
    return b"".join(chunks)


def media_type(header: str | None) -> tuple[str, dict[str, str]]:
    """``text/turtle; charset=utf-8`` -> ("text/turtle", {"charset": "utf-8"})."""
    if not header:
        return "", {}
    main, *rest = header.split(";")
    params: dict[str, str] = {}
    for item in rest:
        key, _, value = item.partition("=")
        params[key.strip().lower()] = value.strip().strip('"')
    return main.strip().lower(), params


def decode_utf8(body: bytes, what: str, charset: str | None = None) -> str:
    """A text body; only UTF-8 (or its subset US-ASCII) is accepted."""
    if charset and charset.lower() not in ("utf-8", "utf8", "us-ascii", "ascii"):
        raise InputError(f"the {what} must be UTF-8 (charset={charset} is not accepted)")
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as error:
        raise InputError(
            f"the {what} is not valid UTF-8 (byte {body[error.start]:#04x} at offset {error.start})"
        ) from None
