"""What only a store behind a URL has: endpoints, binding by substitution, unreachable servers.

Everything a store does is tested on both backends through the ``store``/``empty_store``
fixtures; this file holds the remote store's own parts.
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from animekg import api
from animekg.errors import QueryError, StoreError
from animekg.graph.remote import SparqlStore, endpoints, substitute
from animekg.graph.store import GraphStore

X = ox.Variable("x")


@pytest.mark.parametrize("url, query, update", [
    ("http://localhost:7878", "http://localhost:7878/query", "http://localhost:7878/update"),
    ("http://localhost:7878/", "http://localhost:7878/query", "http://localhost:7878/update"),
    ("http://h:3030/ds/query", "http://h:3030/ds/query", "http://h:3030/ds/update"),
    ("http://h:8890/sparql", "http://h:8890/sparql", "http://h:8890/sparql"),
    ("https://h/repositories/kg", "https://h/repositories/kg", "https://h/repositories/kg"),
])
def test_endpoints_of_a_store_url(url, query, update):
    assert endpoints(url) == (query, update)


def test_an_explicit_update_endpoint_wins():
    assert endpoints("http://h/repositories/kg", "http://h/repositories/kg/statements")[1] == \
        "http://h/repositories/kg/statements"


@pytest.mark.parametrize("url", ["ftp://h/sparql", "http://", "localhost:7878"])
def test_not_a_store_url(url):
    with pytest.raises(StoreError, match="not a SPARQL endpoint URL"):
        endpoints(url)


def test_open_store_takes_a_url(monkeypatch):
    monkeypatch.setenv("ANIMEKG_UPDATE_URL", "http://h/statements")
    store = api.open_store("http://h:7878/query")
    assert isinstance(store.backend, SparqlStore)
    assert (store.backend.query_url, store.backend.update_url) == ("http://h:7878/query", "http://h/statements")


def test_substitution_replaces_the_variable_everywhere_but_keeps_its_column():
    text = 'SELECT DISTINCT ?x ?y WHERE { ?s ?p ?x FILTER(STR(?x) != "?x") } ORDER BY ?x'
    bound = substitute(text, {X: ox.Literal('a "quoted" } name')})
    assert bound == ('SELECT DISTINCT ("a \\"quoted\\" } name" AS ?x) ?y WHERE { ?s ?p "a \\"quoted\\" } name" '
                     'FILTER(STR("a \\"quoted\\" } name") != "?x") } ORDER BY ("a \\"quoted\\" } name")')
    ox.Store().query(bound)


def test_substitution_leaves_iris_comments_and_longer_names_alone():
    text = "# ?x in a comment\nSELECT ?x ?xy WHERE { ?x <http://e/?x> ?xy }"
    bound = substitute(text, {X: ox.NamedNode("http://e/v")})
    assert bound == "# ?x in a comment\nSELECT (<http://e/v> AS ?x) ?xy WHERE { <http://e/v> <http://e/?x> ?xy }"


def test_substitution_in_a_sub_select():
    text = "SELECT ?x ?n WHERE { { SELECT ?x (COUNT(*) AS ?n) WHERE { ?x ?p ?o } GROUP BY ?x } }"
    bound = substitute(text, {X: ox.NamedNode("http://e/v")})
    assert bound == ("SELECT (<http://e/v> AS ?x) ?n WHERE { { SELECT  (COUNT(*) AS ?n) WHERE "
                     "{ <http://e/v> ?p ?o } GROUP BY (<http://e/v>) } }")
    ox.Store().query(bound)


def test_substitution_gives_the_embedded_stores_answer(store):
    """A parameter used in a FILTER: a trailing VALUES block would find nothing here."""
    text = ("PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
            "SELECT DISTINCT ?name ?who WHERE { ?who rdfs:label ?l FILTER(LCASE(?l) = LCASE(?name)) }")
    rows = store.query(text, {"name": ox.Literal("aoi minase")}).records()
    assert rows == [{"name": "aoi minase", "who": "https://w3id.org/animekg/id/agent/aoi-minase"}]


def test_a_server_that_is_not_running():
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    store = GraphStore.remote(f"http://127.0.0.1:{port}")
    with pytest.raises(StoreError, match=rf"127.0.0.1:{port}/query: cannot reach the SPARQL server"):
        store.stats()


def test_a_query_the_server_refuses_is_a_query_error(empty_store):
    with pytest.raises(QueryError, match="malformed SPARQL query"):
        empty_store.query("SELECT ?x WHERE { ?x ?p }")


# -- what the client does for servers that depart from the standards (Virtuoso) ------------

def test_ask_as_select_keeps_the_pattern_and_asks_for_one_row():
    from animekg.graph.remote import ask_as_select

    assert ask_as_select("PREFIX ex: <urn:ex:> ASK WHERE { ?s ex:p 'ask' }") == (
        "PREFIX ex: <urn:ex:> SELECT * WHERE { ?s ex:p 'ask' }\nLIMIT 1")
    assert ask_as_select("ask { ?s ?p ?o } VALUES ?s { <urn:x> }") == "SELECT * { ?s ?p ?o } VALUES ?s { <urn:x> }"


def test_datatypes_virtuoso_cannot_keep_are_renamed_whole_literals_only():
    from animekg.graph.remote import STORED_TYPES, _retyped, _stored_types_named

    duration = "http://www.w3.org/2001/XMLSchema#duration"
    text = (f'<urn:a> <urn:b> "PT3M"^^<{duration}> .\n'
            f'<urn:a> <urn:c> "quoting \\"x\\"^^<{duration}> in a sentence" .\n')
    stored = _retyped(text, STORED_TYPES)
    assert stored.count(STORED_TYPES[duration]) == 1 and 'in a sentence" .' in stored
    assert _retyped(stored, {v: k for k, v in STORED_TYPES.items()}) == text
    query = f"SELECT (STRDT('PT1M', xsd:duration) AS ?d) WHERE {{ FILTER(DATATYPE(?x) = <{duration}>) }} # xsd:duration"
    named = _stored_types_named(query)
    assert named.count(f"<{STORED_TYPES[duration]}>") == 2 and named.endswith("# xsd:duration")


def test_insert_data_goes_in_blocks_a_server_can_parse():
    from animekg.graph.remote import BLOCK_TRIPLES, insert_data

    graph = ox.NamedNode("https://w3id.org/animekg/id/doc/big")
    triples = [ox.Triple(ox.NamedNode(f"urn:s{i}"), ox.NamedNode("urn:p"), ox.Literal(str(i))) for i in range(9_000)]
    text = insert_data({graph: triples})
    assert text.count(f"GRAPH {graph}") == 3 and BLOCK_TRIPLES == 4_000
    store = ox.Store()
    store.update(text)
    assert len(store) == 9_000
