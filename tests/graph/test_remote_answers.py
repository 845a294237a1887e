"""What the remote store makes of answers a SPARQL server should not give: one line that
names the server and what it said, never a traceback. A small fake server on a loopback
port plays the server; each test sets what it answers.
"""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import pytest

from animekg.errors import AnimekgError, QueryError, StoreError
from animekg.graph.store import GraphStore

ASK_TRUE = b'{"head": {}, "boolean": true}'
JSON = "application/sparql-results+json"


class FakeServer(ThreadingHTTPServer):
    answer: tuple[int, str, bytes] = (200, JSON, ASK_TRUE)
    accepts: list[str]
    queries: list[str]
    name = "animekg-fake"  # a server whose default graph is the union


class _Handler(BaseHTTPRequestHandler):
    server: FakeServer
    sys_version = ""

    def version_string(self) -> str:
        return self.server.name

    def do_POST(self) -> None:
        form = parse_qs(self.rfile.read(int(self.headers.get("Content-Length", 0))).decode())
        self.server.accepts.append(self.headers.get("Accept", ""))
        self.server.queries.extend(form.get("query", []))
        # The client's first question learns which server this is; the rest get the answer set.
        probe = form.get("query") == ["ASK {}"]
        status, content_type, body = (200, JSON, ASK_TRUE) if probe else self.server.answer
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def fake() -> Iterator[FakeServer]:
    server = FakeServer(("127.0.0.1", 0), _Handler)
    server.accepts, server.queries = [], []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def url(fake: FakeServer) -> str:
    return f"http://127.0.0.1:{fake.server_address[1]}/sparql"


def error_of(fake: FakeServer, query: str) -> AnimekgError:
    store = GraphStore.remote(url(fake))
    try:
        with pytest.raises(AnimekgError) as caught:
            store.query(query)
        return caught.value
    finally:
        store.backend.close()


@pytest.mark.parametrize(("answer", "query", "kind", "expected"), [
    ((500, "text/html", b"<html>\n<body>\n<h1>Internal error</h1>\n</body>\n</html>"), "ASK { ?s ?p ?o }", StoreError,
     "the SPARQL server answered 500 Internal Server Error: <html> <body> <h1>Internal error</h1>"),
    ((200, "text/html", b"<html><p>a login page</p></html>"), "SELECT * WHERE { ?s ?p ?o }", StoreError,
     "the SPARQL server answered text/html where SPARQL JSON results were asked for: <html><p>a login page"),
    ((200, JSON, b'{"head": {"vars": ["s"]}, "results": '), "SELECT * WHERE { ?s ?p ?o }", StoreError,
     "the SPARQL server answered application/sparql-results+json that cannot be read"),
    ((200, JSON, ASK_TRUE), "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", StoreError,
     "answered application/sparql-results+json where RDF triples (N-Triples or Turtle) were asked for"),
    ((200, "application/n-triples", b"<not an iri> <p> ."), "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }",
     StoreError, "answered application/n-triples that cannot be read"),
    ((400, "text/plain", b"Virtuoso 37000 Error SP030: SPARQL compiler, line 1: syntax error"), "ASK { ?s ?p ?o }",
     QueryError, "the server refused the request: Virtuoso 37000 Error SP030"),
])
def test_an_unexpected_answer_is_one_line_naming_the_server(fake, answer, query, kind, expected):
    fake.answer = answer
    error = error_of(fake, query)
    assert type(error) is kind
    message = str(error)
    assert expected in message and "\n" not in message
    if kind is StoreError:
        assert message.startswith(url(fake) + ": ")


def test_a_boolean_where_rows_were_asked_for(fake):
    fake.answer = (200, JSON, ASK_TRUE)
    store = GraphStore.remote(url(fake))
    with pytest.raises(StoreError, match="where rows of a SELECT \\(it sent a boolean\\) were asked for"):
        store.document_graphs()
    store.backend.close()


def test_a_long_answer_is_cut(fake):
    fake.answer = (503, "text/plain", b"busy " * 1000)
    assert len(str(error_of(fake, "ASK { ?s ?p ?o }"))) < 500


def test_a_construct_asks_for_triples_and_a_select_for_results(fake):
    fake.answer = (200, "application/n-triples", b"<urn:x:s> <urn:x:p> <urn:x:o> .\n")
    store = GraphStore.remote(url(fake))
    assert len(store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }").triples) == 1
    fake.answer = (200, JSON, ASK_TRUE)
    assert store.query("ASK { ?s ?p ?o }").boolean is True
    store.backend.close()
    construct_accept, select_accept = fake.accepts[1], fake.accepts[2]  # after the first question
    assert "sparql-results" not in construct_accept and construct_accept.startswith("application/n-triples")
    assert select_accept == JSON


def test_the_cli_prints_it_as_one_line(fake, tmp_path):
    fake.answer = (502, "text/html", b"<html><body>Bad gateway\n</body></html>")
    result = subprocess.run([sys.executable, "-m", "animekg", "query", "ASK { ?s ?p ?o }", "--store", url(fake)],
                            capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.strip() == (f"animekg: error: {url(fake)}: the SPARQL server answered 502 Bad Gateway: "
                                     "<html><body>Bad gateway </body></html>")


NO_ROWS = b'{"head": {"vars": ["g"]}, "results": {"bindings": []}}'


@pytest.mark.parametrize(("name", "lateral"), [("oxigraph/0.5", True), ("animekg", True), ("Virtuoso/07.20", False),
                                               ("Apache Jena Fuseki", False)])
def test_named_queries_go_to_a_server_in_a_form_it_reads(fake, name, lateral):
    from animekg.graph.queries import run_named_query

    fake.name, fake.answer = name, (200, JSON, NO_ROWS)
    store = GraphStore.remote(url(fake))
    run_named_query(store, "person-shows", {"name": "Someone"})
    store.backend.close()
    sent = fake.queries[-1]
    assert ("LATERAL {" in sent) is lateral
    assert ("FILTER EXISTS { GRAPH ?doc" in sent) is not lateral


def test_virtuoso_without_the_grant_says_which_grant(fake):
    fake.name = "Virtuoso/07.20.3229 (Linux)"
    fake.answer = (500, "text/plain", b"Virtuoso 42000 Error SR186:SECURITY: No permission to execute procedure "
                                      b"DB.DBA.SPARQL_INSERT_DICT_CONTENT with user ID 107, group ID 107")
    store = GraphStore.remote(url(fake))
    with pytest.raises(StoreError, match='GRANT SPARQL_UPDATE TO "SPARQL";') as caught:
        store.run_update("INSERT DATA { GRAPH <https://w3id.org/animekg/id/doc/x> { <urn:a> <urn:b> 1 } }")
    store.backend.close()
    assert "\n" not in str(caught.value) and str(caught.value).startswith(url(fake))
