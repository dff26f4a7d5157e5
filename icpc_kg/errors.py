"""Every error icpc-kg raises on purpose, in one tree.

    IcpcKgError                      code            HTTP  exit
    ├── InputError                   BAD_INPUT       400   2
    │   ├── RdfSyntaxError           SYNTAX_ERROR    400   2   file:line:col: message
    │   ├── UnsupportedFormatError   UNSUPPORTED_FORMAT 415 2
    │   ├── InputTooLargeError       TOO_LARGE       413   2
    │   │   ├── ValueTooLargeError   VALUE_TOO_LARGE 413   2   one literal or IRI over --max-literal
    │   │   └── QueryTooLargeError   QUERY_TOO_LARGE 413   2   a query over --max-query
    │   ├── InputTooDeepError        TOO_DEEP        400   2   nesting over --max-depth
    │   ├── UnsafeInputError         UNSAFE_INPUT    400   2   remote @context, external entity
    │   └── UnknownChoiceError       UNKNOWN_CHOICE  400   2   a frame or profile; lists valid ones
    ├── QueryError                   QUERY_ERROR     400   2
    │   ├── SparqlSyntaxError        SPARQL_SYNTAX   400   2   line:col and the offending token
    │   ├── UnknownQueryError        UNKNOWN_QUERY   404   2   with the nearest names
    │   ├── ParameterError           BAD_PARAMETER   400   2
    │   ├── RefusedQueryError        REFUSED         400   2   SERVICE, LOAD, ...
    │   ├── ReadOnlyError            READ_ONLY       403   2   an update on a read-only service
    │   └── QueryTimeoutError        TIMEOUT         503   2
    ├── NotFoundError                NOT_FOUND       404   2
    ├── ProjectError                 PROJECT_ERROR   500   2   missing or unwritable folders
    │   └── ShaclFailure             SHACL_FAILURE   500   2   ill-formed shapes, a refused query
    └── StoreError                   STORE_ERROR     502   2   an external SPARQL store failed
        ├── StoreUnreachableError    STORE_UNREACHABLE
        ├── StoreAuthError           STORE_AUTH
        └── StorePayloadTooLargeError STORE_TOO_LARGE

The CLI turns these into a message and an exit code in one place (``cli.py``); the web layer
turns them into ``{"error": code, "message": ...}`` with the status above. Anything else that
escapes is a bug.
"""

from __future__ import annotations


class IcpcKgError(Exception):
    """Base of every deliberate icpc-kg error."""

    code = "ERROR"
    http_status = 500
    exit_code = 2

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class InputError(IcpcKgError):
    code = "BAD_INPUT"
    http_status = 400


class RdfSyntaxError(InputError):
    """A file that does not parse; ``str()`` reads ``file:line:col: message``."""

    code = "SYNTAX_ERROR"

    def __init__(
        self, source: str, message: str, line: int | None = None, column: int | None = None
    ) -> None:
        self.source = source
        self.line = line
        self.column = column
        self.detail = message
        where = source
        if line is not None:
            where += f":{line}"
            if column is not None:
                where += f":{column}"
        super().__init__(f"{where}: {message}")


class UnsupportedFormatError(InputError):
    code = "UNSUPPORTED_FORMAT"
    http_status = 415


class InputTooLargeError(InputError):
    code = "TOO_LARGE"
    http_status = 413


class ValueTooLargeError(InputTooLargeError):
    code = "VALUE_TOO_LARGE"


class QueryTooLargeError(InputTooLargeError):
    code = "QUERY_TOO_LARGE"


class InputTooDeepError(InputError):
    code = "TOO_DEEP"


class UnsafeInputError(InputError):
    code = "UNSAFE_INPUT"


class UnknownChoiceError(InputError):
    """A named option value (an export frame, a profile) that does not exist."""

    code = "UNKNOWN_CHOICE"

    def __init__(
        self, kind: str, value: str, valid: list[str] | tuple[str, ...], where: str = ""
    ) -> None:
        self.kind = kind
        self.value = value
        self.valid = list(valid)
        scope = f" {where}" if where else ""
        super().__init__(f"unknown {kind} {value!r}{scope}; use one of {', '.join(self.valid)}")


class QueryError(IcpcKgError):
    code = "QUERY_ERROR"
    http_status = 400


class SparqlSyntaxError(QueryError):
    """A query that does not parse, with the 1-based line and column and the token there."""

    code = "SPARQL_SYNTAX"

    def __init__(
        self,
        message: str,
        line: int | None = None,
        column: int | None = None,
        token: str | None = None,
    ) -> None:
        self.line = line
        self.column = column
        self.token = token
        self.detail = message
        where = f" at line {line}, column {column}" if line is not None else ""
        near = f" (near {token!r})" if token and repr(token) not in message else ""
        super().__init__(f"SPARQL syntax error{where}: {message}{near}")


class UnknownQueryError(QueryError):
    code = "UNKNOWN_QUERY"
    http_status = 404

    def __init__(self, name: str, suggestions: list[str]) -> None:
        self.name = name
        self.suggestions = suggestions
        hint = f"; did you mean {', '.join(suggestions)}?" if suggestions else ""
        super().__init__(f"unknown query {name!r}{hint} (icpc-kg queries lists them all)")


class ParameterError(QueryError):
    code = "BAD_PARAMETER"


class RefusedQueryError(QueryError):
    code = "REFUSED"


class ReadOnlyError(QueryError):
    code = "READ_ONLY"
    http_status = 403


class QueryTimeoutError(QueryError):
    code = "TIMEOUT"
    http_status = 503


class NotFoundError(IcpcKgError):
    code = "NOT_FOUND"
    http_status = 404


class ProjectError(IcpcKgError):
    code = "PROJECT_ERROR"


class ShaclFailure(ProjectError):
    """What SHACL calls a *failure*: validation could not be carried out, because the shapes
    graph is ill-formed, a SPARQL query breaks the pre-binding rules, or a SPARQL-based
    constraint reported ``?failure``. The message names the shape and the reason."""

    code = "SHACL_FAILURE"


class StoreError(IcpcKgError):
    code = "STORE_ERROR"
    http_status = 502


class StoreUnreachableError(StoreError):
    code = "STORE_UNREACHABLE"


class StoreAuthError(StoreError):
    code = "STORE_AUTH"


class StorePayloadTooLargeError(StoreError):
    code = "STORE_TOO_LARGE"
