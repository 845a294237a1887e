"""SPARQLWrapper, the Python SPARQL client people use, against the endpoint.

It sends its own Accept headers and also ``format``/``output``/``results`` parameters
(some endpoints read those instead), by GET, POST form and POST body.
"""

from __future__ import annotations

import urllib.error

import pytest
import rdflib
from SPARQLWrapper import (CSV, GET, JSON, JSONLD, N3, POST, POSTDIRECTLY, RDFXML, TSV, TURTLE, URLENCODED, XML,
                           SPARQLWrapper)
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

from .conftest import COMPOSER_NAMES, COMPOSERS, PREFIXES

pytestmark = pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")
KANZAKI = "https://w3id.org/animekg/id/agent/kanzaki-mirei"
CONSTRUCT = PREFIXES + "CONSTRUCT { ?e rdfs:label ?name } WHERE { ?e a amk:Composer ; rdfs:label ?name }"
REQUESTS = [(GET, URLENCODED), (POST, URLENCODED), (POST, POSTDIRECTLY)]


def wrapper(server, query: str, fmt: str, method: str = GET, encoding: str = URLENCODED) -> SPARQLWrapper:
    sparql = SPARQLWrapper(server.url + "/sparql")
    sparql.setQuery(query)
    sparql.setReturnFormat(fmt)
    sparql.setMethod(method)
    sparql.setRequestMethod(encoding)
    return sparql


@pytest.mark.parametrize(("method", "encoding"), REQUESTS)
def test_select_json(server, method, encoding):
    result = wrapper(server, COMPOSERS, JSON, method, encoding).queryAndConvert()
    assert [b["name"]["value"] for b in result["results"]["bindings"]] == COMPOSER_NAMES


@pytest.mark.parametrize(("method", "encoding"), REQUESTS)
def test_select_xml(server, method, encoding):
    document = wrapper(server, COMPOSERS, XML, method, encoding).queryAndConvert()
    assert [n.firstChild.data for n in document.getElementsByTagName("literal")] == COMPOSER_NAMES


@pytest.mark.parametrize(("fmt", "separator"), [(CSV, ","), (TSV, "\t")])
def test_select_csv_and_tsv(server, fmt, separator):
    text = wrapper(server, COMPOSERS, fmt).queryAndConvert().decode("utf-8")
    lines = text.splitlines()
    assert lines[0].lstrip("?") == "name"
    assert [line.strip('"') for line in lines[1:]] == COMPOSER_NAMES


@pytest.mark.parametrize(("method", "encoding"), REQUESTS)
def test_ask(server, method, encoding):
    query = PREFIXES + f"ASK {{ <{KANZAKI}> rdfs:label 'Mirei Kanzaki' }}"
    assert wrapper(server, query, JSON, method, encoding).queryAndConvert()["boolean"] is True


@pytest.mark.parametrize(("method", "encoding"), REQUESTS)
@pytest.mark.parametrize("fmt", [XML, RDFXML, JSONLD])
def test_construct_converted_to_a_graph(server, fmt, method, encoding):
    graph = wrapper(server, CONSTRUCT, fmt, method, encoding).queryAndConvert()
    labels = {str(o) for o in graph.objects(None, rdflib.RDFS.label)}
    assert labels == set(COMPOSER_NAMES)


@pytest.mark.parametrize("fmt", [TURTLE, N3])
def test_construct_as_turtle(server, fmt):
    data = wrapper(server, CONSTRUCT, fmt).queryAndConvert()
    graph = rdflib.Graph().parse(data=data, format="turtle")
    assert {str(o) for o in graph.objects(None, rdflib.RDFS.label)} == set(COMPOSER_NAMES)


def test_describe(server):
    graph = wrapper(server, f"DESCRIBE <{KANZAKI}>", RDFXML).queryAndConvert()
    assert (rdflib.URIRef(KANZAKI), rdflib.RDFS.label, rdflib.Literal("Mirei Kanzaki")) in graph


def test_malformed_query_raises_query_bad_formed(server):
    with pytest.raises(QueryBadFormed, match="malformed SPARQL query"):
        wrapper(server, "SELECT ?x WHERE { ?x ?y }", JSON).query()


def test_update_is_refused_by_a_read_only_server(server):
    sparql = wrapper(server, "INSERT DATA { <urn:x:a> <urn:x:b> <urn:x:c> }", JSON, POST)
    with pytest.raises(urllib.error.HTTPError) as refused:
        sparql.query()
    assert refused.value.code == 403
