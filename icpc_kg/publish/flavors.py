"""Where each triple store keeps its SPARQL endpoints, and how to tell which store a URL is.

    flavor     query endpoint          update endpoint               graph store (GSP)
    oxigraph   {base}/query            {base}/update                 {base}/store
    fuseki     {base}/{ds}/query       {base}/{ds}/update            {base}/{ds}/data
    graphdb    {base}/repositories/{r} {base}/repositories/{r}/statements
                                                              {base}/repositories/{r}/rdf-graphs/service
    virtuoso   {base}/sparql           {base}/sparql-auth *          {base}/sparql-graph-crud-auth *
    generic    URL                     URL                           URL

    * with credentials (HTTP Digest, as Virtuoso's -auth endpoints require); without them
      {base}/sparql and {base}/sparql-graph-crud.

:func:`layout` is a pure function of the flavor and the URL; :func:`detect` finds the flavor
from the URL's shape and, when that is not enough, from read-only probes (GET requests only:
detection never writes). :func:`classify` turns the probes' answers into a flavor and is pure
too, so each product's fingerprint is tested without that product.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from icpc_kg.errors import InputError, StoreAuthError, StoreUnreachableError

FLAVORS = ("oxigraph", "fuseki", "graphdb", "virtuoso", "generic")

_OXIGRAPH_SERVICES = ("query", "update", "store")
_FUSEKI_SERVICES = ("sparql", "query", "update", "data", "get", "upload")
_VIRTUOSO_SERVICES = ("sparql", "sparql-auth", "sparql-graph-crud", "sparql-graph-crud-auth")


@dataclass(frozen=True)
class StoreEndpoints:
    """The endpoints of one store, and what its flavor can and cannot do."""

    flavor: str
    query: str
    update: str
    graph_store: str
    detected_by: str  # "--flavor", "the URL", or the probe that told
    digest_auth: bool = False  # Virtuoso's -auth endpoints take HTTP Digest, not Basic
    # Whether one update request can insert one blank node into two graphs (INSERT with a
    # template over several GRAPH blocks). Virtuoso 7.2 cannot: it answers 500 after
    # inserting part of the template.
    shared_blank_nodes: bool = True
    # Whether the operations of one update request commit together. Virtuoso commits each
    # operation on its own (a failing second operation leaves the first applied).
    atomic_requests: bool = True
    # Whether ``GRAPH ?g {}`` lists the named graphs (cheap); Virtuoso answers it with nothing.
    lists_graphs: bool = True


def _split(url: str) -> tuple[str, list[str]]:
    """The origin (scheme://host:port) and the path's segments of ``url``."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise InputError(f"--store {url!r}: not an http(s) URL")
    origin = urlunsplit((parts.scheme, parts.netloc, "", "", ""))
    return origin, [s for s in parts.path.split("/") if s]


def _join(origin: str, segments: list[str]) -> str:
    return origin + "".join(f"/{s}" for s in segments)


def layout(
    flavor: str,
    url: str,
    detected_by: str = "--flavor",
    with_credentials: bool = False,
    dataset: str | None = None,
) -> StoreEndpoints:
    """The endpoints of a ``flavor`` store named by ``url`` (its base URL or any endpoint).

    ``dataset`` names the Fuseki dataset or GraphDB repository when the URL does not.
    """
    origin, segments = _split(url)
    if flavor == "oxigraph":
        if segments and segments[-1] in _OXIGRAPH_SERVICES:
            segments = segments[:-1]
        base = _join(origin, segments)
        return StoreEndpoints(
            "oxigraph", f"{base}/query", f"{base}/update", f"{base}/store", detected_by
        )
    if flavor == "fuseki":
        if segments and segments[-1] in _FUSEKI_SERVICES and len(segments) >= 2:
            segments = segments[:-1]
        if dataset is not None:
            segments = [*segments, dataset]
        if not segments:
            raise InputError(
                f"--store {url}: name the Fuseki dataset, e.g. {origin}/icpc "
                "(its endpoints are /icpc/query, /icpc/update and /icpc/data)"
            )
        base = _join(origin, segments)
        return StoreEndpoints(
            "fuseki", f"{base}/query", f"{base}/update", f"{base}/data", detected_by
        )
    if flavor == "graphdb":
        if "repositories" in segments and segments.index("repositories") + 1 < len(segments):
            at = segments.index("repositories")
            segments = segments[: at + 2]
        elif dataset is not None:
            if "repositories" in segments:
                segments = segments[: segments.index("repositories")]
            segments = [*segments, "repositories", dataset]
        else:
            raise InputError(
                f"--store {url}: name the GraphDB repository, e.g. {origin}/repositories/icpc"
            )
        repo = _join(origin, segments)
        return StoreEndpoints(
            "graphdb",
            repo,
            f"{repo}/statements",
            f"{repo}/rdf-graphs/service",
            detected_by,
        )
    if flavor == "virtuoso":
        if segments and segments[-1] in _VIRTUOSO_SERVICES:
            segments = segments[:-1]
        base = _join(origin, segments)
        auth = "-auth" if with_credentials else ""
        return StoreEndpoints(
            "virtuoso",
            f"{base}/sparql",
            f"{base}/sparql{auth}",
            f"{base}/sparql-graph-crud{auth}",
            detected_by,
            digest_auth=with_credentials,
            shared_blank_nodes=False,
            atomic_requests=False,
            lists_graphs=False,
        )
    if flavor == "generic":
        return StoreEndpoints("generic", url, url, url, detected_by)
    raise InputError(f"unknown store flavor {flavor!r}; use one of {', '.join(FLAVORS)}")


def guess_from_url(url: str) -> str | None:
    """The flavor a URL's shape gives away on its own, if any."""
    _origin, segments = _split(url)
    if "repositories" in segments and segments.index("repositories") + 1 < len(segments):
        return "graphdb"
    if segments and segments[-1] in ("sparql-graph-crud", "sparql-graph-crud-auth", "sparql-auth"):
        return "virtuoso"
    if len(segments) >= 2 and segments[-1] in ("data", "update", "get", "upload"):
        return "fuseki"
    return None


@dataclass(frozen=True)
class Probe:
    """One read-only GET and what came back (status 0: no answer; the body says why)."""

    path: str
    status: int
    server: str = ""
    body: str = ""


# Each probe GETs a path of the store's origin; the order is the order they are tried in.
PROBE_PATHS = ("/", "/$/server", "/rest/repositories", "/sparql")


def classify(probes: list[Probe]) -> tuple[str, str, str | None] | None:
    """(flavor, evidence, dataset or repository) from the answers to the probes, or None.

    Fingerprints: Oxigraph's ``Server: Oxigraph/x`` and start page; Fuseki's ``/$/server``
    (JSON listing its datasets) and its ``Server: Apache Jena Fuseki`` header; GraphDB's
    ``/rest/repositories`` (a JSON list of repositories); Virtuoso's ``Server: Virtuoso/x``
    and the word Virtuoso on its /sparql page.
    """
    for probe in probes:
        server = probe.server.lower()
        if "oxigraph" in server or (
            probe.path == "/" and probe.status == 200 and "<title>Oxigraph" in probe.body
        ):
            return "oxigraph", f"{probe.path} answered as Oxigraph ({probe.server or 'page'})", None
        if "virtuoso" in server or (
            probe.path == "/sparql" and probe.status == 200 and "Virtuoso" in probe.body
        ):
            return "virtuoso", f"{probe.path} answered as Virtuoso ({probe.server or 'page'})", None
        if probe.path == "/$/server" and probe.status == 200:
            names = _fuseki_datasets(probe.body)
            if names is not None:
                only = names[0] if len(names) == 1 else None
                return "fuseki", "/$/server answered as Fuseki", only
        if "fuseki" in server:
            return "fuseki", f"{probe.path} answered as Fuseki ({probe.server})", None
        if probe.path == "/rest/repositories" and probe.status == 200:
            repos = _graphdb_repositories(probe.body)
            if repos is not None:
                only = repos[0] if len(repos) == 1 else None
                return "graphdb", "/rest/repositories answered as GraphDB", only
    return None


def _fuseki_datasets(body: str) -> list[str] | None:
    try:
        data = json.loads(body)
        return [str(d["ds.name"]).strip("/") for d in data["datasets"]]
    except (ValueError, KeyError, TypeError):
        return None


def _graphdb_repositories(body: str) -> list[str] | None:
    try:
        data = json.loads(body)
        return [str(r["id"]) for r in data]
    except (ValueError, KeyError, TypeError):
        return None


Getter = Callable[[str], Probe]  # GETs a path of the store's origin


def detect(
    url: str,
    flavor: str | None,
    get: Getter,
    with_credentials: bool = False,
) -> StoreEndpoints:
    """The endpoints of the store at ``url``: ``flavor`` when given, else detected from the
    URL's shape and read-only probes. Fuseki datasets and GraphDB repositories missing from
    the URL are taken from the server's list when it has exactly one."""
    if flavor is not None and flavor != "generic" and _needs_dataset(flavor, url):
        found = classify([get(path) for path in _probe_paths_for(flavor)])
        dataset = found[2] if found and found[0] == flavor else None
        return layout(flavor, url, "--flavor", with_credentials, dataset)
    if flavor is not None:
        return layout(flavor, url, "--flavor", with_credentials)
    guessed = guess_from_url(url)
    if guessed is not None:
        return layout(guessed, url, "the URL", with_credentials)
    probes: list[Probe] = []
    for path in PROBE_PATHS:
        probes.append(get(path))
        found = classify(probes)
        if found is not None:
            name, evidence, dataset = found
            if _needs_dataset(name, url) and dataset is None:
                raise InputError(
                    f"--store {url} is {name}, but which "
                    f"{'dataset' if name == 'fuseki' else 'repository'}? Put it in the URL"
                )
            return layout(name, url, evidence, with_credentials, dataset)
    if all(p.status == 0 for p in probes):
        raise StoreUnreachableError(f"cannot reach {url}: {probes[0].body}")
    refused = [p for p in probes if p.status in (401, 403)]
    if refused and all(p.status in (0, 401, 403, 404) for p in probes):
        raise StoreAuthError(
            f"{url} refused the credentials (HTTP {refused[0].status} on {refused[0].path}); "
            "check ICPC_KG_STORE_TOKEN or ICPC_KG_STORE_USER/ICPC_KG_STORE_PASSWORD "
            f"(and pass --flavor if the store still cannot be told: {', '.join(FLAVORS)})"
        )
    raise InputError(f"cannot tell which store {url} is; pass --flavor ({', '.join(FLAVORS)})")


def _needs_dataset(flavor: str, url: str) -> bool:
    _origin, segments = _split(url)
    if flavor == "fuseki":
        return not segments
    if flavor == "graphdb":
        return not (
            "repositories" in segments and segments.index("repositories") + 1 < len(segments)
        )
    return False


def _probe_paths_for(flavor: str) -> tuple[str, ...]:
    return {"fuseki": ("/$/server",), "graphdb": ("/rest/repositories",)}.get(flavor, ())
