"""The server's settings (what ``icpc-kg serve`` options set) and where its content lives."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from icpc_kg.executor import DEFAULT_TIMEOUT
from icpc_kg.guards.limits import DEFAULT_LIMITS, DEFAULT_MAX_HEADER, DEFAULT_MAX_QUERY, InputLimits
from icpc_kg.project import Project
from icpc_kg.vocab import DEFAULT_BASE

DEFAULT_MAX_ROWS = 10_000
DEFAULT_MAX_BODY = 10 * 1024 * 1024
UPDATE_TOKEN_ENV = "ICPC_KG_UPDATE_TOKEN"


@dataclass(frozen=True)
class ServerConfig:
    """Limits, the canonical base and the content folders the pages read beside the store.

    ``base`` is the canonical base of the served IRIs: ``{base}id/...`` is served at
    ``/id/...`` of whatever host answers. ``update_token`` is None unless updates are on.
    """

    base: str = DEFAULT_BASE
    timeout: float = DEFAULT_TIMEOUT
    max_rows: int = DEFAULT_MAX_ROWS
    max_body: int = DEFAULT_MAX_BODY
    max_query: int = DEFAULT_MAX_QUERY
    max_header: int = DEFAULT_MAX_HEADER
    limits: InputLimits = DEFAULT_LIMITS  # nesting and value sizes of queries and RDF bodies
    update_token: str | None = None
    queries_dir: Path | None = None
    context_file: Path | None = None
    sources_dir: Path | None = None
    project: Project | None = None  # ontology and shapes for the validation service
    cache_entries: int = 4096
    cache_bytes: int = 64 * 1024 * 1024

    @property
    def updates_enabled(self) -> bool:
        return bool(self.update_token)

    @property
    def id_base(self) -> str:
        return self.base + "id/"

    @property
    def graph_base(self) -> str:
        return self.base + "graph/"

    def graph_iri(self, name: str) -> str:
        return self.graph_base + name
