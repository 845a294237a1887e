"""The dataset of a request at the endpoint, checked against `oxigraph serve` on the same
quads; clients that name graphs (rdflib's SPARQLStore, animekg's own remote store); the
service description; request bodies in another charset.
"""

from __future__ import annotations

import json

import httpx
import pytest
import rdflib
from rdflib.plugins.stores.sparqlstore import SPARQLStore

from animekg.graph.store import GraphStore

from .conftest import COMPOSER_NAMES, COMPOSERS, hostile_thread, tidal_archive

ID = "https://w3id.org/animekg/id/"
TIDAL, THREAD = ID + "doc/tidal_archive", ID + "doc/hostile_thread"
SD = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
COUNT = "SELECT (COUNT(*) AS ?n) "
# (query, default-graph-uri, named-graph-uri): requests that name their graphs.
NAMING_GRAPHS = [
    (COUNT + f"FROM <{TIDAL}> WHERE {{ ?s ?p ?o }}", [], []),
    (COUNT + f"FROM <{TIDAL}> FROM <{THREAD}> WHERE {{ ?s ?p ?o }}", [], []),
    (COUNT + f"FROM NAMED <{THREAD}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}", [], []),
    (COUNT + f"FROM NAMED <{THREAD}> WHERE {{ ?s ?p ?o }}", [], []),
    (COUNT + "WHERE { ?s ?p ?o }", [THREAD], []),
    (COUNT + f"FROM <{TIDAL}> WHERE {{ ?s ?p ?o }}", [THREAD], []),
    (COUNT + "WHERE { GRAPH ?g { ?s ?p ?o } }", [], [TIDAL]),
    (COUNT + "WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }", [TIDAL], [THREAD]),
]


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> str:
    """`oxigraph serve` holding the same two documents as the animekg server's store."""
    from tests.conftest import oxigraph_server

    with oxigraph_server(tmp_path_factory.mktemp("reference") / "data") as url:
        remote = GraphStore.remote(url)
        remote.add_extraction(tidal_archive())
        remote.add_extraction(hostile_thread())
        remote.backend.close()
        yield url


def count(http: httpx.Client, url: str, query: str, default: list[str], named: list[str]) -> int:
    params = [("query", query)] + [("default-graph-uri", g) for g in default] + [("named-graph-uri", g) for g in named]
    response = http.get(url, params=params, headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 200, response.text
    return int(json.loads(response.content)["results"]["bindings"][0]["n"]["value"])


@pytest.mark.parametrize(("query", "default", "named"), NAMING_GRAPHS)
def test_a_request_naming_graphs_gets_what_oxigraph_answers(server, reference, query, default, named):
    with httpx.Client(timeout=60) as http:
        ours = count(http, server.url + "/sparql", query, default, named)
        theirs = count(http, reference + "/query", query, default, named)
    assert ours == theirs


def test_the_answers_are_not_the_union(server):
    with httpx.Client(timeout=60) as http:
        union = count(http, server.url + "/sparql", COUNT + "WHERE { ?s ?p ?o }", [], [])
        one = count(http, server.url + "/sparql", *NAMING_GRAPHS[0])
    assert 0 < one < union


def test_a_query_naming_no_graph_reads_the_union(client):
    response = client.get("/sparql", params={"query": COUNT + "WHERE { GRAPH ?g { ?s ?p ?o } }"})
    in_graphs = int(json.loads(response.content)["results"]["bindings"][0]["n"]["value"])
    response = client.get("/sparql", params={"query": COUNT + "WHERE { ?s ?p ?o }"})
    assert int(json.loads(response.content)["results"]["bindings"][0]["n"]["value"]) <= in_graphs


def test_a_graph_name_that_is_not_an_iri_is_400(client):
    response = client.get("/sparql", params={"query": "ASK {}", "default-graph-uri": "doc/x"})
    assert response.status_code == 400 and "not an absolute IRI" in response.text


def test_relative_iris_resolve_against_the_endpoint(client, server):
    response = client.get("/sparql/", params={"query": "CONSTRUCT { <s> <p> 1 } WHERE {}"},
                          headers={"Accept": "application/n-triples"})
    assert response.status_code == 200, response.text
    assert response.text.startswith(f"<{server.url}/sparql/s> <{server.url}/sparql/p> ")


def test_rdflib_sparqlstore_reads_the_endpoint(server):
    # rdflib names its own default graph (urn:x-rdflib:default) unless told the default
    # graph is the union; as the protocol says, a graph nobody wrote to is empty.
    assert len(rdflib.Dataset(store=SPARQLStore(server.url + "/sparql")).query(COMPOSERS)) == 0
    dataset = rdflib.Dataset(store=SPARQLStore(server.url + "/sparql"), default_union=True)
    names = sorted(str(row.name) for row in dataset.query(COMPOSERS))
    assert names == COMPOSER_NAMES
    in_one = dataset.query(f"SELECT (COUNT(*) AS ?n) FROM <{TIDAL}> WHERE {{ ?s ?p ?o }}")
    assert int(next(iter(in_one)).n) > 0


def test_animekg_reads_an_animekg_server_as_a_store(server, store_dir):
    remote = GraphStore.remote(server.url + "/sparql")
    local = GraphStore(store_dir, read_only=True)
    try:
        assert [r["name"] for r in remote.query(COMPOSERS).records()] == COMPOSER_NAMES
        assert remote.stats() == local.stats()
        query = COUNT + f"FROM <{THREAD}> WHERE {{ ?s ?p ?o }}"
        assert remote.query(query).records() == local.query(query).records()
    finally:
        remote.backend.close()


def test_a_get_with_no_query_is_the_service_description(client, server):
    response = client.get("/sparql")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/turtle")
    description = rdflib.Graph().parse(data=response.content, format="turtle")
    service = description.value(predicate=rdflib.RDF.type, object=SD.Service)
    assert description.value(service, SD.endpoint) == rdflib.URIRef(server.url + "/sparql")
    assert set(description.objects(service, SD.supportedLanguage)) == {SD.SPARQL11Query}  # read-only
    assert (service, SD.feature, SD.UnionDefaultGraph) in description
    formats = set(description.objects(service, SD.resultFormat))
    assert rdflib.URIRef("http://www.w3.org/ns/formats/SPARQL_Results_JSON") in formats
    as_jsonld = client.get("/sparql/", headers={"Accept": "application/ld+json"})
    assert len(rdflib.Graph().parse(data=as_jsonld.content, format="json-ld")) == len(description)


@pytest.mark.parametrize("charset", ["UTF-16", "ISO-8859-1"])
def test_a_body_in_another_charset_is_415(client, charset):
    response = client.post("/sparql", content="ASK {}".encode(charset.lower()),
                           headers={"Content-Type": f"application/sparql-query; charset={charset}"})
    assert response.status_code == 415
    assert response.text.count("\n") == 1 and "takes UTF-8 only" in response.text
    ok = client.post("/sparql", content=b"ASK {}", headers={"Content-Type": "application/sparql-query; charset=utf-8"})
    assert ok.status_code == 200
