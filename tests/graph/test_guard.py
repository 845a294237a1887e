"""The checks every query and update passes before Oxigraph sees it (graph/guard.py),
through the library and the command line as users call them."""

from __future__ import annotations

import socket
import subprocess
import sys
import threading

import pytest

from animekg import api
from animekg.errors import QueryError
from animekg.graph import guard
from animekg.graph.queries import named_queries

DEEP = "SELECT * WHERE " + "{" * 3000 + "}" * 3000  # segfaulted the process before the check


@pytest.fixture
def target():
    """A loopback port nobody should connect to, and a way to see whether anyone did."""
    sock = socket.create_server(("127.0.0.1", 0))
    sock.settimeout(3)

    def connected() -> bool:
        try:
            sock.accept()[0].close()
            return True
        except OSError:
            return False
    yield sock.getsockname()[1], connected
    sock.close()


@pytest.mark.parametrize("template", [
    "PREFIX : <http://127.0.0.1:{port}/sparql> SELECT ?x WHERE {{ SERVICE: {{ ?x ?y ?z }} }}",
    "PREFIX ex: <http://example.org/> SELECT * WHERE {{ OPTIONAL {{ ?a ?b ex:a\\# }} "
    "SERVICE <http://127.0.0.1:{port}/sparql> {{ ?x ?y ?z }} }}",
    "ASK {{ SERVICE <http://127.0.0.1:{port}/> {{ ?x ?y ?z }} }}",
])
def test_the_library_refuses_service_and_fetches_nothing(template, target):
    port, connected = target
    with pytest.raises(QueryError, match="SERVICE"):
        api.run_query(api.open_store(":memory:"), template.format(port=port))
    assert not connected()


def test_load_is_refused_unless_allowed(target):
    port, connected = target
    store = api.open_store(":memory:")
    with pytest.raises(QueryError, match="LOAD is refused"):
        store.run_update(f"LOAD <http://127.0.0.1:{port}/data.nt>")
    assert not connected()
    with pytest.raises(QueryError, match="SERVICE"):
        store.run_update(f"INSERT {{ ?s ?p ?o }} WHERE {{ SERVICE <http://127.0.0.1:{port}/> {{ ?s ?p ?o }} }}")
    assert not connected()
    allowed = threading.Thread(target=lambda: accepted.append(connected()))
    accepted: list[bool] = []
    allowed.start()  # accepts the one connection and closes it, so that LOAD SILENT gives up
    store.run_update(f"LOAD SILENT <http://127.0.0.1:{port}/data.nt>", allow_load=True)
    allowed.join()
    assert accepted == [True]


def test_the_words_as_text_are_not_keywords():
    store = api.open_store(":memory:")
    store.run_update("INSERT DATA { GRAPH <urn:x:g> { <urn:x:load> <urn:x:service> 'LOAD SERVICE' } }")
    rows = api.run_query(store, "SELECT ?service WHERE { ?load <urn:x:service> ?service } # SERVICE").records()
    assert rows == [{"service": "LOAD SERVICE"}]


def test_a_malformed_query_with_the_word_is_a_syntax_error_not_a_refusal():
    with pytest.raises(QueryError, match="malformed SPARQL query"):
        api.run_query(api.open_store(":memory:"), "SELECT ?service WHERE { ?service ")


@pytest.mark.parametrize("query", [
    DEEP,
    "SELECT * WHERE { BIND(" + "CONCAT(" * 1000 + "'a'" + ")" * 1000 + " AS ?x) }",
    "SELECT * WHERE { ?s ?p ?o " + " ".join(["MINUS { ?s ?p ?o }"] * 3000) + " }",
    "SELECT * WHERE { FILTER((?a<" + "(" * 500 + "1" + ")" * 500 + ")>(?c)) }",  # nesting hidden in an IRI-like span
])
def test_queries_that_crashed_oxigraph_are_query_errors(query):
    with pytest.raises(QueryError, match="nests deeper than|terms and operators"):
        api.run_query(api.open_store(":memory:"), query)


def test_flat_data_blocks_are_not_limited():
    store = api.open_store(":memory:")
    triples = " ".join(f"<urn:x:s{i}> <urn:x:p> {i} ." for i in range(5000))
    store.run_update(f"INSERT DATA {{ GRAPH <urn:x:g> {{ {triples} }} }}")
    values = " ".join(f"<urn:x:s{i}>" for i in range(5000))
    rows = api.run_query(store, f"SELECT (COUNT(*) AS ?n) WHERE {{ VALUES ?s {{ {values} }} ?s ?p ?o }}").records()
    assert rows == [{"n": "5000"}]
    # IRIs whose slashes and hyphens could be read as operators elsewhere are terms here.
    iris = " ".join(f"<https://w3id.org/animekg/id/agent/name-{i}>" for i in range(2000))
    rows = api.run_query(store, f"SELECT (COUNT(*) AS ?n) WHERE {{ VALUES ?s {{ {iris} }} }}").records()
    assert rows == [{"n": "2000"}]


def test_every_named_query_passes():
    for query in named_queries().values():
        guard.check_query(query.text)


def test_the_cli_answers_a_deep_query_with_one_line(tmp_path):
    result = subprocess.run([sys.executable, "-m", "animekg", "query", DEEP, "--store", ":memory:"],
                            capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert result.returncode == 1
    assert result.stderr.startswith("animekg: error: the query nests deeper than 100 levels")
    assert len(result.stderr.strip().splitlines()) == 1
