"""HTTP to a triple store: the Graph Store Protocol and SELECT/CONSTRUCT queries over httpx,
SPARQL 1.1 Update over SPARQLWrapper, and every failure turned into an :mod:`icpc_kg.errors`
store error.

    connection refused, DNS failure       StoreUnreachableError  "cannot reach ..."
    connection cut before the answer      StoreUnreachableError  "the connection ... was cut"
    401, 403                              StoreAuthError         names the variables to set
    413                                   StorePayloadTooLargeError
    no answer within --timeout            StoreError
    any other 4xx or 5xx                  StoreError             status and the store's words

Credentials come from the environment only (the names :class:`icpc_kg.store.RemoteStore`
reads): ``ICPC_KG_STORE_TOKEN`` (Bearer), or ``ICPC_KG_STORE_USER`` and
``ICPC_KG_STORE_PASSWORD`` (Basic; HTTP Digest for Virtuoso's -auth endpoints).
"""

from __future__ import annotations

import ast
import http.client
import json
import os
import socket
import urllib.error
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import IO, Any, cast

import httpx
import pyoxigraph as ox
from SPARQLWrapper import BASIC, DIGEST, POST, POSTDIRECTLY, SPARQLWrapper

from icpc_kg import __version__
from icpc_kg.errors import (
    StoreAuthError,
    StoreError,
    StorePayloadTooLargeError,
    StoreUnreachableError,
)
from icpc_kg.publish.flavors import Probe, StoreEndpoints

TOKEN_VARIABLE = "ICPC_KG_STORE_TOKEN"
USER_VARIABLE = "ICPC_KG_STORE_USER"
PASSWORD_VARIABLE = "ICPC_KG_STORE_PASSWORD"
USER_AGENT = f"icpc-kg/{__version__}"
NTRIPLES = "application/n-triples"
TSV_RESULTS = "text/tab-separated-values"
AUTH_HINT = f"set {TOKEN_VARIABLE}, or {USER_VARIABLE} and {PASSWORD_VARIABLE}"


@dataclass(frozen=True)
class Credentials:
    """A Bearer token, or a user and password; nothing when neither is set."""

    token: str | None = None
    user: str | None = None
    password: str = ""

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Credentials:
        env = os.environ if environ is None else environ
        token = env.get(TOKEN_VARIABLE) or None
        user = env.get(USER_VARIABLE) or None
        return cls(token, user, env.get(PASSWORD_VARIABLE, ""))

    @property
    def present(self) -> bool:
        return bool(self.token or self.user)

    @property
    def scheme(self) -> str:
        return "Bearer" if self.token else "Basic" if self.user else "none"


def _detail(body: bytes | str) -> str:
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
    return " ".join(text.split())[:300]


def status_error(url: str, status: int, reason: str, body: bytes | str) -> StoreError:
    """The error for an HTTP error status from ``url``."""
    detail = _detail(body)
    said = f": {detail}" if detail else ""
    if status in (401, 403):
        refused = "refused the credentials" if status == 401 else "forbids this request"
        return StoreAuthError(f"{url} {refused} (HTTP {status}); {AUTH_HINT}")
    if status == 413:
        return StorePayloadTooLargeError(f"{url} refused a request body as too large (HTTP 413)")
    return StoreError(f"{url} answered HTTP {status} {reason}{said}".rstrip())


class StoreClient:
    """The endpoints of one store, with credentials and a per-request timeout."""

    def __init__(
        self,
        endpoints: StoreEndpoints,
        credentials: Credentials | None = None,
        timeout: float | None = 300.0,
    ) -> None:
        self.endpoints = endpoints
        self.credentials = credentials or Credentials()
        self.timeout = timeout
        self._http = make_http(self.credentials, timeout, endpoints.digest_auth)

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> StoreClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- queries --------------------------------------------------------------------------
    # Queries are POSTed URL-encoded (``query=…``), the form every SPARQL 1.1 store takes:
    # Virtuoso 7.2 never answers a query POSTed directly as application/sparql-query.

    def select(self, sparql: str) -> list[dict[str, str]]:
        """The solutions of a SELECT query, each variable's value as its lexical form."""
        url = self.endpoints.query
        body = self._send(
            "POST",
            url,
            data={"query": sparql},
            headers={"Accept": "application/sparql-results+json"},
        ).content
        try:
            data = json.loads(body)
            return [
                {name: str(value["value"]) for name, value in row.items()}
                for row in data["results"]["bindings"]
            ]
        except (ValueError, KeyError, TypeError):
            raise StoreError(f"{url} sent SELECT results that do not parse") from None

    def graph_triples(self, graph: str, via_graph_store: bool) -> Iterator[ox.Triple]:
        """Every triple of ``graph`` in the store (none when it does not exist), streamed:
        a Graph Store GET, or a CONSTRUCT on the query endpoint."""
        if via_graph_store:
            url = self.endpoints.graph_store
            request = self._http.build_request(
                "GET", url, params={"graph": graph}, headers={"Accept": NTRIPLES}
            )
        else:
            url = self.endpoints.query
            sparql = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
            request = self._http.build_request(
                "POST", url, data={"query": sparql}, headers={"Accept": NTRIPLES}
            )
        with _mapped(url):
            response = self._http.send(request, stream=True)
            try:
                if response.status_code == 404 and via_graph_store:
                    return
                if response.status_code >= 400:
                    raise status_error(
                        url, response.status_code, response.reason_phrase, response.read()
                    )
                try:
                    stream = cast(IO[bytes], _Stream(response.iter_bytes()))
                    for quad in ox.parse(stream, format=ox.RdfFormat.N_TRIPLES):
                        yield ox.Triple(quad.subject, quad.predicate, quad.object)
                except SyntaxError as error:
                    raise StoreError(f"{url} sent N-Triples that do not parse: {error}") from None
            finally:
                response.close()

    def quads(self, graphs: list[str]) -> Iterator[ox.Quad]:
        """Every triple of ``graphs`` as a quad, streamed from one SELECT, so a blank node
        shared by two graphs stays one node (a CONSTRUCT per graph would split it)."""
        if not graphs:
            return
        url = self.endpoints.query
        values = " ".join(f"<{g}>" for g in graphs)
        sparql = f"SELECT ?g ?s ?p ?o WHERE {{ VALUES ?g {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} }}"
        request = self._http.build_request(
            "POST", url, data={"query": sparql}, headers={"Accept": TSV_RESULTS}
        )
        with _mapped(url):
            response = self._http.send(request, stream=True)
            try:
                if response.status_code >= 400:
                    raise status_error(
                        url, response.status_code, response.reason_phrase, response.read()
                    )
                stream = cast(IO[bytes], _Stream(response.iter_bytes()))
                try:
                    results = ox.parse_query_results(stream, format=ox.QueryResultsFormat.TSV)
                    for row in cast(ox.QuerySolutions, results):
                        graph, subject, predicate, obj = row["g"], row["s"], row["p"], row["o"]
                        yield ox.Quad(subject, predicate, obj, graph)
                except (SyntaxError, TypeError) as error:
                    raise StoreError(f"{url} sent results that do not parse: {error}") from None
            finally:
                response.close()

    # -- writes ---------------------------------------------------------------------------

    def post_graph(self, graph: str, body: bytes) -> None:
        """Graph Store Protocol POST: add the N-Triples ``body`` to ``graph``."""
        self._send(
            "POST",
            self.endpoints.graph_store,
            params={"graph": graph},
            content=body,
            headers={"Content-Type": NTRIPLES},
        )

    def update(self, sparql: str, endpoint: str | None = None, patience: float = 1.0) -> None:
        """One SPARQL 1.1 Update request (SPARQLWrapper, ``application/sparql-update``),
        waited for ``patience`` times the client's timeout."""
        url = endpoint or self.endpoints.update
        wrapper = SPARQLWrapper(url, updateEndpoint=url, agent=USER_AGENT)
        wrapper.setMethod(POST)
        wrapper.setRequestMethod(POSTDIRECTLY)
        limit = self.timeout * patience if self.timeout else None
        if limit:
            wrapper.setTimeout(max(int(limit + 0.999), 1))
        creds = self.credentials
        if creds.token:
            wrapper.addCustomHttpHeader("Authorization", f"Bearer {creds.token}")
        elif creds.user:
            wrapper.setHTTPAuth(DIGEST if self.endpoints.digest_auth else BASIC)
            wrapper.setCredentials(creds.user, creds.password)
        wrapper.setQuery(sparql)
        try:
            response = wrapper.query().response
            response.read()
            response.close()
        except urllib.error.HTTPError as error:
            raise status_error(url, error.code, str(error.reason), error.read()) from None
        except TimeoutError:
            raise StoreError(f"{url} did not answer within {limit:g} s") from None
        except (ConnectionError, http.client.HTTPException) as error:
            raise StoreUnreachableError(
                f"the connection to {url} was cut: {error or type(error).__name__}"
            ) from None
        except urllib.error.URLError as error:
            if isinstance(error.reason, TimeoutError):
                raise StoreError(f"{url} did not answer within {limit:g} s") from None
            if isinstance(error.reason, ConnectionRefusedError | socket.gaierror):
                raise StoreUnreachableError(f"cannot reach {url}: {error.reason}") from None
            raise StoreUnreachableError(
                f"the connection to {url} was cut: {error.reason}"
            ) from None
        except Exception as error:  # SPARQLWrapper's own exceptions, one per status
            status = _SPARQLWRAPPER_STATUS.get(type(error).__name__)
            if status is None:
                raise
            raise status_error(url, status, type(error).__name__, _response_of(error)) from None

    # -- plumbing -------------------------------------------------------------------------

    def _send(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        with _mapped(url):
            response = self._http.request(method, url, **kwargs)
        if response.status_code >= 400:
            raise status_error(url, response.status_code, response.reason_phrase, response.content)
        return response


_SPARQLWRAPPER_STATUS = {
    "QueryBadFormed": 400,
    "Unauthorized": 401,
    "EndPointNotFound": 404,
    "URITooLong": 414,
    "EndPointInternalError": 500,
}


def _response_of(error: Exception) -> bytes | str:
    """The store's answer inside a SPARQLWrapper exception, whose message ends with
    ``Response:`` and the body's repr (b'...'); the text itself, not the repr."""
    said = str(error).split("Response:", 1)[1].strip() if "Response:" in str(error) else ""
    if said[:2] in ("b'", 'b"'):
        try:
            body = ast.literal_eval(said)
        except (ValueError, SyntaxError):
            return said
        if isinstance(body, bytes):
            return body
    return said


def make_http(credentials: Credentials, timeout: float | None, digest: bool) -> httpx.Client:
    headers = {"User-Agent": USER_AGENT}
    auth: httpx.Auth | None = None
    if credentials.token:
        headers["Authorization"] = f"Bearer {credentials.token}"
    elif credentials.user:
        auth_class = httpx.DigestAuth if digest else httpx.BasicAuth
        auth = auth_class(credentials.user, credentials.password)
    return httpx.Client(headers=headers, auth=auth, timeout=timeout, follow_redirects=False)


class _mapped:
    """Turns httpx's transport errors into store errors for ``url``."""

    def __init__(self, url: str) -> None:
        self.url = url

    def __enter__(self) -> None:
        return None

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, _tb: object
    ) -> None:
        if error is None or not isinstance(error, httpx.TransportError):
            return
        if isinstance(error, httpx.ConnectError):
            raise StoreUnreachableError(f"cannot reach {self.url}: {error}") from None
        if isinstance(error, httpx.ConnectTimeout):
            raise StoreUnreachableError(f"cannot reach {self.url}: no answer to connect") from None
        if isinstance(error, httpx.TimeoutException):
            raise StoreError(f"{self.url} did not answer in time ({error})") from None
        raise StoreUnreachableError(
            f"the connection to {self.url} was cut: {error or type(error).__name__}"
        ) from None


class _Stream:
    """A file-like object over an iterator of byte blocks (what pyoxigraph's parser reads)."""

    def __init__(self, blocks: Iterator[bytes]) -> None:
        self._blocks = blocks
        self._buffer = b""

    def read(self, size: int = -1) -> bytes:
        while size < 0 or len(self._buffer) < size:
            block = next(self._blocks, None)
            if block is None:
                break
            self._buffer += block
        if size < 0:
            out, self._buffer = self._buffer, b""
        else:
            out, self._buffer = self._buffer[:size], self._buffer[size:]
        return out


def probe_getter(origin: str, credentials: Credentials, timeout: float) -> tuple[Any, Any]:
    """A GET-only prober for :func:`icpc_kg.publish.flavors.detect`, and its closer."""
    client = make_http(credentials, min(timeout, 10.0), digest=False)

    def get(path: str) -> Probe:
        try:
            response = client.get(origin + path)
        except httpx.HTTPError as error:
            return Probe(path, 0, body=str(error) or type(error).__name__)
        return Probe(
            path, response.status_code, response.headers.get("server", ""), response.text[:20000]
        )

    return get, client.close
