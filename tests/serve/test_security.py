"""What a client on the network may not make the server do: fetch other URLs (SERVICE,
LOAD), crash or starve a worker, answer under another site's name, be framed."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from animekg.graph.store import GraphStore
from animekg.serve import ServeConfig, SparqlServer

from .conftest import TOKEN, build_store


class Listener:
    """A TCP port on loopback that records every connection made to it."""

    def __init__(self):
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.received: list[bytes] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            with conn:
                conn.settimeout(1.0)
                try:
                    self.received.append(conn.recv(4096) or b"(connected)")
                except OSError:
                    self.received.append(b"(connected)")

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        self.sock.close()


@pytest.fixture
def listener() -> Iterator[Listener]:
    target = Listener()
    yield target
    target.close()


BYPASSES = [
    "PREFIX : <http://127.0.0.1:{port}/sparql> SELECT ?x WHERE {{ SERVICE: {{ ?x ?y ?z }} }}",
    "PREFIX ex: <http://example.org/> SELECT * WHERE {{ OPTIONAL {{ ?a ?b ex:a\\# }} "
    "SERVICE <http://127.0.0.1:{port}/sparql> {{ ?x ?y ?z }} }}",
    "SELECT * WHERE {{ sErViCe SILENT <http://127.0.0.1:{port}/sparql> {{ ?x ?y ?z }} }}",
    "PREFIX ex: <http://example.org/> SELECT * WHERE {{ ?a ?b ex:a\\' . SERVICE <http://127.0.0.1:{port}/> {{ ?x ?y ?z }} }}",
]


@pytest.mark.parametrize("template", BYPASSES)
@pytest.mark.parametrize("path", ["/sparql", "/view"])
def test_service_is_refused_as_the_parser_reads_it_and_nothing_is_fetched(client, listener, template, path):
    query = template.format(port=listener.port)
    response = client.get(path, params={"query": query})
    assert response.status_code == 400, response.text
    assert "SERVICE" in response.text
    time.sleep(0.3)
    assert listener.received == []


@pytest.fixture(scope="module")
def writable(tmp_path_factory, store_dir) -> Iterator[SparqlServer]:
    import shutil
    copy = tmp_path_factory.mktemp("security") / "store"
    shutil.copytree(store_dir, copy)
    config = ServeConfig(allow_update=True, update_token=TOKEN, timeout=30.0)
    with SparqlServer(copy, port=0, config=config) as running:
        yield running


def update(server: SparqlServer, text: str) -> httpx.Response:
    return httpx.post(server.url + "/update", data={"update": text}, timeout=60,
                      headers={"Authorization": f"Bearer {TOKEN}"})


def test_token_holders_cannot_use_service_or_load(writable, listener):
    url = f"http://127.0.0.1:{listener.port}/data.nt"
    service = update(writable, f"INSERT {{ ?x ?y ?z }} WHERE {{ SERVICE <{url}> {{ ?x ?y ?z }} }}")
    load = update(writable, f"PREFIX : <{url}> LOAD : INTO GRAPH <urn:x:g>")
    assert service.status_code == 400 and "SERVICE" in service.text
    assert load.status_code == 400 and "--allow-load" in load.text
    time.sleep(0.3)
    assert listener.received == []


def test_allow_load_lets_token_holders_load(store_copy: Path, listener):
    config = ServeConfig(allow_update=True, update_token=TOKEN, allow_load=True)
    with SparqlServer(store_copy, port=0, config=config) as server:
        update(server, f"LOAD SILENT <http://127.0.0.1:{listener.port}/data.nt>")
    assert listener.received and listener.received[0].startswith(b"GET /data.nt")


def test_drop_of_a_missing_graph_is_400_and_silent_is_200(writable):
    missing = update(writable, "DROP GRAPH <urn:animekg:test:missing>")
    assert missing.status_code == 400
    assert "does not exist" in missing.text and "SILENT" in missing.text
    assert update(writable, "DROP SILENT GRAPH <urn:animekg:test:missing>").status_code == 200


def test_nesting_that_crashes_oxigraph_is_400_and_the_worker_lives(server, client):
    before = server.pool.pids()
    deep = "SELECT * WHERE " + "{" * 10_000 + "}" * 10_000  # 20 KB
    for _ in range(3):
        response = client.post("/sparql", data={"query": deep})
        assert response.status_code == 400 and "nests deeper than" in response.text
    assert server.pool.pids() == before


def test_a_value_over_16_mib_is_refused_with_a_reason(client):
    doublings = " ".join(f"BIND(CONCAT(?v{i}, ?v{i}) AS ?v{i + 1})" for i in range(8))  # 64 KiB * 2^8
    query = f'SELECT ?x WHERE {{ BIND("{"a" * 2**16}" AS ?v0) {doublings} BIND(CONCAT(?v8, ?v0) AS ?x) }}'
    response = client.post("/sparql", data={"query": query})
    assert response.status_code == 422 and "over 16 MiB" in response.text
    assert client.get("/sparql", params={"query": "ASK {}"}).status_code == 200


# -- memory ------------------------------------------------------------------------------

# The worker's baseline is ~520 MiB of address space, more when malloc opens more arenas;
# at 700 MiB a worker once failed to start its store's threads in a whole-suite run (with
# Virtuoso servers beside it). The queries below need gigabytes either way.
MEMORY_LIMIT = 850 * 2**20


@pytest.fixture(scope="module")
def bigger_store(tmp_path_factory) -> Path:
    """Some thousand triples: a cross product of them sorted needs gigabytes."""
    import pyoxigraph as ox
    path = tmp_path_factory.mktemp("memory") / "store"
    build_store(path)
    store = GraphStore(path)
    graph = ox.NamedNode("https://w3id.org/animekg/id/doc/filler")
    store.backend.extend(ox.Quad(ox.NamedNode(f"urn:x:s{i}"), ox.NamedNode("urn:x:p"),
                                 ox.Literal(f"value number {i}"), graph) for i in range(4000))
    store.flush()
    del store
    return path


@pytest.mark.parametrize("query", [
    "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c ?f",
    # Each BIND triples the string: 20 * 3^20 characters, were there no limit.
    "SELECT ?n WHERE { BIND('01234567890123456789' AS ?v0) "
    + " ".join(f"BIND(CONCAT(?v{i}, ?v{i}, ?v{i}) AS ?v{i + 1})" for i in range(20)) + " BIND(STRLEN(?v20) AS ?n) }",
])
def test_a_query_past_the_memory_limit_is_503_and_the_worker_is_replaced(bigger_store, query):
    config = ServeConfig(timeout=120.0, workers=1, max_memory=MEMORY_LIMIT)
    with SparqlServer(bigger_store, port=0, config=config) as server, \
            httpx.Client(base_url=server.url, timeout=180) as http:
        [pid] = server.pool.pids()
        response = http.post("/sparql", data={"query": query})
        assert response.status_code == 503, response.text[:300]
        assert "--max-memory" in response.text
        assert http.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}).status_code == 200
        assert pid not in server.pool.pids()


# -- host, framing, banner -----------------------------------------------------------------

def test_a_request_for_another_host_name_is_421(server):
    response = httpx.get(server.url + "/", headers={"Host": f"rebind.example:{server.port}"})
    assert response.status_code == 421 and "--public-host" in response.text
    for host in (f"127.0.0.1:{server.port}", f"localhost:{server.port}", "LOCALHOST"):
        assert httpx.get(server.url + "/", headers={"Host": host}).status_code == 200


def test_public_host_names_are_answered(store_dir: Path):
    config = ServeConfig(public_hosts=("kg.example.org",), workers=1)
    with SparqlServer(store_dir, port=0, config=config) as server:
        assert httpx.get(server.url + "/", headers={"Host": "kg.example.org:443"}).status_code == 200
        assert httpx.get(server.url + "/", headers={"Host": "other.example.org"}).status_code == 421


def test_the_view_cannot_be_framed_and_the_banner_names_no_python(client):
    query = "SELECT ?e WHERE { ?e a <https://w3id.org/animekg/ontology#Composer> }"
    response = client.get("/view", params={"query": query})
    assert response.status_code == 200
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert response.headers["server"] == "animekg"
