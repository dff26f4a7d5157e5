"""``icpc-kg query``: pick a query (named, a file, standard input or text), bind its
parameters, and run it on a store (the project's built dataset or a remote endpoint).

The result is a :mod:`icpc_kg.results` object; rendering it is the command's job.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from icpc_kg.catalog import NamedQuery, bind_parameters, find_query, load_catalog, load_query
from icpc_kg.catalog import parse_query as parse_query_text
from icpc_kg.errors import ParameterError, QueryError
from icpc_kg.executor import DEFAULT_TIMEOUT, QueryRequest, SerializedResult, serialized
from icpc_kg.sparql import QueryInfo
from icpc_kg.store import Store


@dataclass(frozen=True)
class PreparedQuery:
    """A query ready to run: where it came from, its header (if any) and the SPARQL."""

    query: NamedQuery
    sparql: str

    @property
    def form(self) -> str:
        return self.query.kind


def select_query(
    target: str | None,
    sparql_text: str | None,
    queries_dir: Path,
    read_stdin: Callable[[], str] | None = None,
) -> NamedQuery:
    """The query named by ``target`` — a named query, a ``.rq`` file, or ``-`` for standard
    input — or the text given with ``--sparql``; exactly one of the two."""
    if (target is None) == (sparql_text is None):
        raise QueryError("give a query NAME, a FILE.rq, '-' for standard input, or --sparql TEXT")
    if sparql_text is not None:
        return parse_query_text(sparql_text, "sparql", "--sparql", require_header=False)
    assert target is not None
    if target == "-":
        if read_stdin is None:
            raise QueryError("no standard input to read the query from")
        return parse_query_text(read_stdin(), "stdin", "<stdin>", require_header=False)
    path = Path(target)
    if target.endswith(".rq") or path.is_file():
        if not path.is_file():
            raise QueryError(f"{target}: no such query file")
        return load_query(path, require_header=False)
    return find_query(load_catalog(queries_dir), target)


def parse_params(pairs: tuple[str, ...] | list[str]) -> dict[str, str]:
    """``name=value`` pairs from the command line, as a mapping."""
    params: dict[str, str] = {}
    for pair in pairs:
        name, equals, value = pair.partition("=")
        if not equals or not name.strip():
            raise ParameterError(f"--param {pair!r}: write it as name=value")
        if name.strip() in params:
            raise ParameterError(f"--param {name.strip()!r} is given twice")
        params[name.strip()] = value
    return params


def prepare(query: NamedQuery, params: Mapping[str, str]) -> PreparedQuery:
    """Bind ``params`` (checked against the query's header) into the query."""
    return PreparedQuery(query, bind_parameters(query, params))


def run_serialized(
    store: Store,
    prepared: PreparedQuery,
    fmt: str,
    limit: int | None = None,
    timeout: float | None = DEFAULT_TIMEOUT,
    info: QueryInfo | None = None,
) -> SerializedResult:
    """Run a prepared query and serialise its answer in ``fmt`` where it runs (in the worker
    process for the embedded store), so rows never cross a process boundary as objects:
    for answers of thousands of rows that trip cost more than the query itself."""
    request = QueryRequest(prepared.sparql, max_rows=limit, serialize_as=fmt, info=info)
    result = store.run(request, timeout)
    return result if isinstance(result, SerializedResult) else serialized(result, fmt)


def list_queries(queries_dir: Path) -> list[NamedQuery]:
    return list(load_catalog(queries_dir).values())
