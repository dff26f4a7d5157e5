"""Every JSON-LD the project emits, read by three independent processors with the network
blocked: pyld, rdflib's JSON-LD parser and the npm ``jsonld`` package (tests/jsonld_js).

Each processor may load a remote context only from the running server (pyld and node through
a document loader that refuses every other URL, rdflib through its own loader); every socket
connection the test process and the node process open is recorded and refused unless it
goes to that server, and the test asserts none was attempted elsewhere. Expanding each
document must give a graph isomorphic to the same data in N-Triples (or Turtle), or, for
frames and web pages, a part of it.

The walk: ``icpc-kg export`` (embedded context, ``--context-url``, frames, the schema
profile), ``icpc-kg query --format jsonld``, ``/id/...`` by Accept and by suffix,
``/graph/...``, ``/ontology`` and its version, ``/shapes``, VoID, DCAT, the SPARQL Service
Description and CONSTRUCT answers, the named-query API, the JSON-LD dump, ``/validate``'s
report, and the schema.org JSON-LD of each kind of web page.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

import httpx
import pyoxigraph as ox
import pytest
import rdflib
from click.testing import CliRunner
from pyld import jsonld
from rdflib.compare import isomorphic

from icpc_kg.cli import main
from icpc_kg.export import frame_names, schema_view
from icpc_kg.server.catalogue import SITE_PAGES
from icpc_kg.server.linked_data import schema_query
from tests.conftest import REPO
from tests.support.icpc_server import IcpcServer

pytestmark = pytest.mark.server

NODE_DIR = Path(__file__).resolve().parents[1] / "jsonld_js"
ID = "https://w3id.org/icpc-kg/id/"
WASHINGTON = ID + "event/policing-for-prevention-2001-washington"
CONTRIBUTION = f"""\
@prefix schema: <http://schema.org/> . @prefix icpc: <https://w3id.org/icpc-kg/ontology#> .
<{ID}event/jsonld-check> a icpc:Seminar ; schema:name "A seminar"@en ;
    schema:startDate "2030-05"^^<http://www.w3.org/2001/XMLSchema#gYearMonth> .
"""
PROCESSORS = ("pyld", "rdflib", "npm-jsonld")


@dataclass(frozen=True)
class Document:
    """One JSON-LD document, the graph it must expand to, and how (``same``: isomorphic;
    ``part``: its triples without blank nodes are among the source's)."""

    name: str
    body: bytes
    base: str
    source: rdflib.Graph
    relation: str = "same"


# --------------------------------------------------------------------------------------------
# The network guard
# --------------------------------------------------------------------------------------------


@dataclass
class Guard:
    allowed: tuple[str, int]
    attempts: list[tuple[str, int]]


@contextmanager
def network_blocked(allowed: tuple[str, int]) -> Iterator[Guard]:
    """Sockets of this process may connect to ``allowed`` only; every attempt is recorded."""
    guard = Guard(allowed, [])
    connect, connect_ex = socket.socket.connect, socket.socket.connect_ex

    def check(address: Any) -> None:
        target = (str(address[0]), int(address[1])) if isinstance(address, tuple) else (address, 0)
        guard.attempts.append(target)
        if target != allowed:
            raise ConnectionRefusedError(f"the test refuses connections to {target}")

    def guarded_connect(self: socket.socket, address: Any) -> None:
        check(address)
        connect(self, address)

    def guarded_connect_ex(self: socket.socket, address: Any) -> int:
        check(address)
        return connect_ex(self, address)

    socket.socket.connect = guarded_connect  # type: ignore[method-assign]
    socket.socket.connect_ex = guarded_connect_ex  # type: ignore[method-assign]
    try:
        yield guard
    finally:
        socket.socket.connect, socket.socket.connect_ex = connect, connect_ex  # type: ignore[method-assign]


# --------------------------------------------------------------------------------------------
# The processors
# --------------------------------------------------------------------------------------------


def triples_of_nquads(text: str) -> rdflib.Graph:
    graph = rdflib.Graph()
    for s, p, o, _ in rdflib.Dataset().parse(data=text, format="nquads").quads():
        graph.add((s, p, o))
    return graph


def by_pyld(document: Document, server: str) -> rdflib.Graph:
    def loader(url: str, options: Any = None) -> dict[str, Any]:
        if not url.startswith(server + "/"):
            raise jsonld.JsonLdError(f"refused {url}", "jsonld.LoadDocumentError")
        response = httpx.get(url, headers={"Accept": "application/ld+json"})
        response.raise_for_status()
        return {"contextUrl": None, "documentUrl": url, "document": response.json()}

    options = {"format": "application/n-quads", "documentLoader": loader, "base": document.base}
    return triples_of_nquads(jsonld.to_rdf(json.loads(document.body), options))


def by_rdflib(document: Document, server: str) -> rdflib.Graph:
    graph = rdflib.Graph()
    graph.parse(data=document.body, format="json-ld", base=document.base)
    return graph


def by_node(documents: list[Document], server: str) -> dict[str, Any]:
    """The npm jsonld processor over every document in one node process."""
    node = shutil.which("node")
    if node is None:
        if os.environ.get("ICPC_KG_REQUIRE_NODE"):
            pytest.fail("node is not installed (ICPC_KG_REQUIRE_NODE is set)")
        pytest.skip("node is not installed")
    if not (NODE_DIR / "node_modules" / "jsonld").is_dir():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=NODE_DIR, check=True)
    payload = {
        "allowed": server + "/",
        "documents": [
            {"name": d.name, "base": d.base, "body": d.body.decode("utf-8")} for d in documents
        ],
    }
    done = subprocess.run(
        [node, str(NODE_DIR / "to_nquads.mjs")],
        input=json.dumps(payload).encode(),
        capture_output=True,
        check=True,
        timeout=600,
    )
    output: dict[str, Any] = json.loads(done.stdout)
    return output


# --------------------------------------------------------------------------------------------
# The documents
# --------------------------------------------------------------------------------------------


def get(server: str, path: str, accept: str = "application/ld+json") -> httpx.Response:
    response = httpx.get(server + path, headers={"Accept": accept}, timeout=60)
    assert response.status_code == 200, f"{path}: {response.status_code} {response.text[:200]}"
    return response


def nt(server: str, path: str) -> rdflib.Graph:
    return rdflib.Graph().parse(
        data=get(server, path, "application/n-triples").content, format="nt"
    )


SERVED_PATHS = (
    "/id/org/icpc",
    "/id/place/washington-dc",
    "/id/event/policing-for-prevention-2001-washington",
    "/graph/places",
    "/graph/geonames",
    "/ontology",
    "/ontology/0.1.0",
    "/shapes",
    "/.well-known/void",
    "/catalog",
    "/sparql",
)


def served_documents(server: str) -> list[Document]:
    docs: list[Document] = []
    for path in SERVED_PATHS:
        body = get(server, path).content
        docs.append(Document(f"GET {path}", body, server + path, nt(server, path)))
    docs.append(
        Document(
            "GET /id/org/icpc.jsonld",
            get(server, "/id/org/icpc.jsonld", "*/*").content,
            server + "/id/org/icpc.jsonld",
            nt(server, "/id/org/icpc"),
        )
    )
    query = "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } ?s a <http://schema.org/City> }"
    construct = "/sparql?" + urlencode({"query": query})
    docs.append(
        Document("CONSTRUCT", get(server, construct).content, server, nt(server, construct))
    )
    card = "/api/queries/event-card?" + urlencode({"event": WASHINGTON})
    docs.append(Document("API event-card", get(server, card).content, server, nt(server, card)))
    dump = get(server, "/dumps/graph.nt", "*/*").content
    docs.append(
        Document(
            "dump graph.jsonld",
            get(server, "/dumps/graph.jsonld", "*/*").content,
            server + "/dumps/graph.jsonld",
            rdflib.Graph().parse(data=dump, format="nt"),
        )
    )
    report = {}
    for accept in ("application/ld+json", "text/turtle"):
        response = httpx.post(
            server + "/validate",
            content=CONTRIBUTION.encode(),
            headers={"Content-Type": "text/turtle", "Accept": accept},
            timeout=120,
        )
        assert response.status_code == 200, response.text[:300]
        report[accept] = response.content
    source = rdflib.Graph().parse(data=report["text/turtle"], format="turtle")
    docs.append(Document("POST /validate", report["application/ld+json"], server, source))
    return docs


SCRIPT = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.DOTALL)
# The site's pages (those that embed JSON-LD: not the query page and the API docs), and search.
PAGES = (*(p for p in SITE_PAGES if p not in ("/sparql", "/api")), "/search?q=police")
RESOURCE_PAGES = ("/id/org/icpc", "/id/place/washington-dc")


def page_documents(server: str) -> list[Document]:
    """The schema.org JSON-LD of the web pages: each expands to schema.org terms only (the
    resource pages: exactly the schema.org view of the resource's neighbourhood)."""
    docs: list[Document] = []
    for path in (*PAGES, *RESOURCE_PAGES):
        html = get(server, path, "text/html").text
        scripts = SCRIPT.findall(html)
        assert scripts, f"{path} embeds no JSON-LD"
        for index, script in enumerate(scripts):
            body = script.encode()
            source = rdflib.Graph()
            relation = "schema.org"
            if path in RESOURCE_PAGES:
                query = "/sparql?" + urlencode(
                    {"query": schema_query(ID + path.removeprefix("/id/"))}
                )
                body_nt = get(server, query, "application/n-triples").content
                view = schema_view(list(ox.parse(body_nt, format=ox.RdfFormat.N_TRIPLES)))
                source = rdflib.Graph().parse(
                    data=ox.serialize(view, format=ox.RdfFormat.N_TRIPLES), format="nt"
                )
                relation = "same"
            docs.append(Document(f"page {path} #{index}", body, server + path, source, relation))
    return docs


def export(*args: str) -> bytes:
    result = CliRunner().invoke(main, ["--project", str(REPO), *args])
    assert result.exit_code == 0, result.output
    return result.stdout_bytes


def command_documents(server: str) -> list[Document]:
    full = rdflib.Graph().parse(data=export("export", "--format", "ntriples"), format="nt")
    schema = rdflib.Graph().parse(
        data=export("export", "--profile", "schema", "--format", "ntriples"), format="nt"
    )
    base = "file:///export.jsonld"
    docs = [
        Document("export", export("export"), base, full),
        Document(
            "export --context-url (this server)",
            export("export", "--context-url", server + "/context.jsonld"),
            base,
            full,
        ),
        Document("export --profile schema", export("export", "--profile", "schema"), base, schema),
    ]
    for frame in frame_names("full"):
        body = export("export", "--frame", frame)
        docs.append(Document(f"export --frame {frame}", body, base, full, "part"))
    for frame in frame_names("schema"):
        body = export("export", "--profile", "schema", "--frame", frame)
        docs.append(
            Document(f"export --profile schema --frame {frame}", body, base, schema, "part")
        )
    card = ["query", "event-card", "-p", f"event={WASHINGTON}", "--format"]
    docs.append(
        Document(
            "query --format jsonld",
            export(*card, "jsonld"),
            base,
            rdflib.Graph().parse(data=export(*card, "ntriples"), format="nt"),
        )
    )
    return docs


# --------------------------------------------------------------------------------------------
# The walk
# --------------------------------------------------------------------------------------------

SERVED_NAMES = [
    *(f"GET {p}" for p in SERVED_PATHS),
    "GET /id/org/icpc.jsonld",
    "CONSTRUCT",
    "API event-card",
    "dump graph.jsonld",
    "POST /validate",
]
PAGE_NAMES = [f"page {p} #0" for p in (*PAGES, *RESOURCE_PAGES)]
COMMAND_NAMES = [
    "export",
    "export --context-url (this server)",
    "export --profile schema",
    *(f"export --frame {f}" for f in frame_names("full")),
    *(f"export --profile schema --frame {f}" for f in frame_names("schema")),
    "query --format jsonld",
]


@dataclass
class Walk:
    documents: dict[str, Document]
    graphs: dict[tuple[str, str], rdflib.Graph | str]  # (document, processor) -> graph | error
    attempts: list[tuple[str, int]]
    node: dict[str, Any]
    allowed: tuple[str, int]


@pytest.fixture(scope="module")
def walk(server: IcpcServer) -> Walk:
    base = server.base_url
    address = urlsplit(base)
    allowed = (address.hostname or "", address.port or 80)
    documents = served_documents(base) + page_documents(base)
    # The commands do not depend on the back end: read them once, with the embedded server.
    if "server-store" not in str(server.log):
        documents += command_documents(base)
    graphs: dict[tuple[str, str], rdflib.Graph | str] = {}
    with network_blocked(allowed) as guard:
        for document in documents:
            for name, process in (("pyld", by_pyld), ("rdflib", by_rdflib)):
                try:
                    graphs[(document.name, name)] = process(document, base)
                except Exception as error:  # reported by the test of that document
                    graphs[(document.name, name)] = f"{type(error).__name__}: {error}"
    node = by_node(documents, base)
    for result in node["results"]:
        key = (result["name"], "npm-jsonld")
        graphs[key] = triples_of_nquads(result["nquads"]) if "nquads" in result else result["error"]
    return Walk({d.name: d for d in documents}, graphs, guard.attempts, node, allowed)


def ground(graph: rdflib.Graph) -> set[tuple[Any, Any, Any]]:
    return {t for t in graph if not any(isinstance(term, rdflib.BNode) for term in t)}


@pytest.mark.parametrize("processor", PROCESSORS)
@pytest.mark.parametrize("name", [*SERVED_NAMES, *PAGE_NAMES, *COMMAND_NAMES])
def test_each_document_expands_offline_to_its_graph(walk: Walk, name: str, processor: str) -> None:
    if name not in walk.documents:
        pytest.skip("the commands' output is read once, with the embedded server")
    document = walk.documents[name]
    graph = walk.graphs[(name, processor)]
    assert not isinstance(graph, str), f"{processor} could not read {name}: {graph[:500]}"
    assert len(graph) > 0
    if document.relation == "same":
        missing = ground(document.source) - ground(graph)
        extra = ground(graph) - ground(document.source)
        assert isomorphic(graph, document.source), (sorted(missing)[:5], sorted(extra)[:5])
    elif document.relation == "part":
        extra = ground(graph) - ground(document.source)
        assert not extra, sorted(extra)[:5]
    else:  # a web page's schema.org JSON-LD: schema.org terms only
        schema = "http://schema.org/"
        for s, p, o in graph:
            assert str(p).startswith(schema) or p == rdflib.RDF.type, (s, p, o)
            if p == rdflib.RDF.type:
                assert str(o).startswith(schema), (s, p, o)


def test_no_processor_connected_anywhere_but_the_server(walk: Walk) -> None:
    assert walk.attempts, "the processors fetched nothing from the server"
    assert {a for a in walk.attempts} == {walk.allowed}
    node_targets = {(c["host"], c["port"]) for c in walk.node["connections"]}
    assert node_targets <= {walk.allowed}
    assert walk.node["refused"] == []
    # The served documents name this server's context, which every processor fetched.
    assert f"{walk.allowed[0]}:{walk.allowed[1]}/context.jsonld" in " ".join(walk.node["loaded"])


def test_served_json_ld_names_the_serving_hosts_context(walk: Walk, server: IcpcServer) -> None:
    named = {
        name: json.loads(d.body).get("@context")
        for name, d in walk.documents.items()
        if name.startswith("GET /")
    }
    assert named and set(map(str, named.values())) == {server.base_url + "/context.jsonld"}
