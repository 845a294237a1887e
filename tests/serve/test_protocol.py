"""The SPARQL 1.1 Protocol over plain HTTP (httpx), against a server on a loopback port.

Every query form in every format, by GET, POST form and POST body, parsed back with
parsers other than Oxigraph's (json, ElementTree, csv, rdflib); content negotiation;
the status codes and plain-text error bodies of everything a client can get wrong.
"""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import httpx
import pyoxigraph as ox
import pytest
import rdflib

from .conftest import AMK, COMPOSER_NAMES, COMPOSERS, HOSTILE, PREFIXES

pytestmark = pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")

ID = "https://w3id.org/animekg/id/"
KANZAKI = ID + "agent/kanzaki-mirei"
ORCHARD = ID + "agent/orchard-static"
LABEL = rdflib.RDFS.label
METHODS = ["GET", "POST form", "POST body"]
SOLUTION_TYPES = {"json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
                  "csv": "text/csv", "tsv": "text/tab-separated-values"}
GRAPH_TYPES = {"turtle": ("text/turtle", "turtle"), "ntriples": ("application/n-triples", "nt"),
               "jsonld": ("application/ld+json", "json-ld"), "rdfxml": ("application/rdf+xml", "xml")}
RESULTS_NS = {"r": "http://www.w3.org/2005/sparql-results#"}
CONSTRUCT = PREFIXES + "CONSTRUCT { ?e rdfs:label ?name } WHERE { ?e a amk:Composer ; rdfs:label ?name }"


def send(client: httpx.Client, method: str, query: str, accept: str | None = None,
         **params: str) -> httpx.Response:
    headers = {"Accept": accept} if accept else {}
    if method == "GET":
        return client.get("/sparql", params={"query": query, **params}, headers=headers)
    if method == "POST form":
        return client.post("/sparql", data={"query": query, **params}, headers=headers)
    headers["Content-Type"] = "application/sparql-query"
    return client.post("/sparql", content=query.encode("utf-8"), params=params, headers=headers)


def media_type(response: httpx.Response) -> str:
    return response.headers["content-type"].split(";")[0].strip()


def column(response: httpx.Response, fmt: str, variable: str) -> list[str]:
    """One column of a SELECT result, as plain values, parsed from the format by hand."""
    if fmt == "json":
        body = json.loads(response.content)
        assert variable in body["head"]["vars"]
        return [b[variable]["value"] for b in body["results"]["bindings"]]
    if fmt == "xml":
        root = ET.fromstring(response.content)
        return [binding[0].text for result in root.iterfind("r:results/r:result", RESULTS_NS)
                for binding in result.iterfind("r:binding", RESULTS_NS) if binding.get("name") == variable]
    if fmt == "csv":
        return [row[variable] for row in csv.DictReader(io.StringIO(response.text))]
    lines = response.text.splitlines()
    index = lines[0].split("\t").index(f"?{variable}")
    return [json.loads(line.split("\t")[index]) for line in lines[1:]]  # "..." literals, no escapes here


def boolean(response: httpx.Response, fmt: str) -> bool:
    if fmt == "json":
        return json.loads(response.content)["boolean"]
    if fmt == "xml":
        return ET.fromstring(response.content).find("r:boolean", RESULTS_NS).text == "true"
    return response.text.strip() == "true"


def graph(response: httpx.Response, fmt: str) -> rdflib.Graph:
    return rdflib.Graph().parse(data=response.content, format=GRAPH_TYPES[fmt][1])


# -- every form, format and method -------------------------------------------------------

@pytest.mark.parametrize("fmt", SOLUTION_TYPES)
@pytest.mark.parametrize("method", METHODS)
def test_select(client, method, fmt):
    response = send(client, method, COMPOSERS, SOLUTION_TYPES[fmt])
    assert response.status_code == 200, response.text
    assert media_type(response) == SOLUTION_TYPES[fmt]
    assert column(response, fmt, "name") == COMPOSER_NAMES
    assert "x-sparql-maxrows" not in response.headers


@pytest.mark.parametrize("fmt", SOLUTION_TYPES)
@pytest.mark.parametrize("method", METHODS)
def test_ask(client, method, fmt):
    yes = send(client, method, PREFIXES + f"ASK {{ <{KANZAKI}> rdfs:label 'Mirei Kanzaki' }}", SOLUTION_TYPES[fmt])
    no = send(client, method, PREFIXES + f"ASK {{ <{KANZAKI}> rdfs:label 'Someone Else' }}", SOLUTION_TYPES[fmt])
    assert (yes.status_code, no.status_code) == (200, 200)
    assert media_type(yes) == SOLUTION_TYPES[fmt]
    assert (boolean(yes, fmt), boolean(no, fmt)) == (True, False)


@pytest.mark.parametrize("fmt", GRAPH_TYPES)
@pytest.mark.parametrize("method", METHODS)
def test_construct(client, method, fmt):
    response = send(client, method, CONSTRUCT, GRAPH_TYPES[fmt][0])
    assert response.status_code == 200, response.text
    assert media_type(response) == GRAPH_TYPES[fmt][0]
    assert {(str(s), str(o)) for s, p, o in graph(response, fmt) if p == LABEL} == {
        (KANZAKI, "Mirei Kanzaki"), (ORCHARD, "Orchard Static")}


@pytest.mark.parametrize("fmt", GRAPH_TYPES)
@pytest.mark.parametrize("method", METHODS)
def test_describe(client, method, fmt):
    response = send(client, method, f"DESCRIBE <{KANZAKI}>", GRAPH_TYPES[fmt][0])
    assert response.status_code == 200, response.text
    described = graph(response, fmt)
    kanzaki = rdflib.URIRef(KANZAKI)
    assert (kanzaki, LABEL, rdflib.Literal("Mirei Kanzaki")) in described
    # Non-ASCII survives every format and both encodings of the request.
    assert (kanzaki, rdflib.SKOS.altLabel, rdflib.Literal("神崎ミレイ")) in described
    assert {str(s) for s in described.subjects()} == {KANZAKI}


def test_non_ascii_in_the_query_text(client):
    query = PREFIXES + 'SELECT ?e WHERE { ?e <http://www.w3.org/2004/02/skos/core#altLabel> "神崎ミレイ" }'
    for method in METHODS:
        assert column(send(client, method, query), "json", "e") == [KANZAKI], method


def test_terms_keep_their_kind_and_escapes_in_every_format(client):
    """What the server writes is what Oxigraph itself writes for the same result: the
    result limit's round trip through TSV loses nothing (language, datatype, tabs, quotes)."""
    query = ('SELECT ?x ?y WHERE { VALUES (?x ?y) { ("tab\\there\\nline \\"quoted\\"" 7) '
             f'("{HOSTILE}"@en <urn:x:iri>) (UNDEF "2024-01-02"^^<http://www.w3.org/2001/XMLSchema#date>) }} }}')
    for fmt, oxigraph_format in [("json", ox.QueryResultsFormat.JSON), ("xml", ox.QueryResultsFormat.XML),
                                 ("csv", ox.QueryResultsFormat.CSV), ("tsv", ox.QueryResultsFormat.TSV)]:
        expected = ox.Store().query(query).serialize(format=oxigraph_format)
        assert send(client, "GET", query, format=fmt).content == expected, fmt


# -- content negotiation -----------------------------------------------------------------

@pytest.mark.parametrize(("accept", "query", "expected"), [
    (None, COMPOSERS, "application/sparql-results+json"),
    ("*/*", COMPOSERS, "application/sparql-results+json"),
    ("application/json", COMPOSERS, "application/json"),  # an alias asked for is sent back
    ("text/*", COMPOSERS, "text/csv"),
    ("text/csv;q=0.5, application/sparql-results+xml", COMPOSERS, "application/sparql-results+xml"),
    ("text/tab-separated-values, text/csv", COMPOSERS, "text/tab-separated-values"),
    ("application/sparql-results+json;q=0, */*;q=0.1", COMPOSERS, "application/sparql-results+xml"),
    # What a browser sends when it follows a link to /sparql?query=...
    ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", COMPOSERS, "application/xml"),
    (None, CONSTRUCT, "text/turtle"),
    ("*/*", CONSTRUCT, "text/turtle"),
    ("application/n-triples;q=0.9, application/ld+json", CONSTRUCT, "application/ld+json"),
])
def test_accept_header(client, accept, query, expected):
    response = send(client, "GET", query, accept)
    assert response.status_code == 200, response.text
    assert media_type(response) == expected
    assert response.headers["vary"] == "Accept"


@pytest.mark.parametrize(("fmt", "query", "expected"), [
    ("csv", COMPOSERS, "text/csv"),
    ("TSV", COMPOSERS, "text/tab-separated-values"),
    ("xml", COMPOSERS, "application/sparql-results+xml"),
    ("json", CONSTRUCT, "application/ld+json"),  # json and xml: whichever flavour fits the query
    ("xml", CONSTRUCT, "application/rdf+xml"),
    ("nt", CONSTRUCT, "application/n-triples"),
    ("application/n-triples", CONSTRUCT, "application/n-triples"),
])
def test_format_parameter_overrides_accept(client, fmt, query, expected):
    response = send(client, "GET", query, "application/sparql-results+json, text/turtle", format=fmt)
    assert response.status_code == 200, response.text
    assert media_type(response) == expected


def test_unacceptable_accept_is_406_naming_what_there_is(client):
    response = send(client, "GET", COMPOSERS, "text/turtle")
    assert response.status_code == 406
    assert media_type(response) == "text/plain"
    assert "text/csv" in response.text and "Accept: text/turtle" in response.text
    assert send(client, "GET", CONSTRUCT, "text/csv").status_code == 406
    assert send(client, "GET", COMPOSERS, format="turtle").status_code == 406


def test_an_accept_nothing_can_meet_is_refused_before_the_query_runs(client):
    response = send(client, "GET", "SELEC nonsense", "image/png")  # 406, not 400: never parsed
    assert response.status_code == 406


def test_a_406_names_only_the_formats_of_the_querys_form(client):
    select = send(client, "GET", COMPOSERS, "image/png")
    assert select.status_code == 406 and "text/csv" in select.text and "text/turtle" not in select.text
    construct = send(client, "GET", CONSTRUCT, "image/png")
    assert construct.status_code == 406 and "text/turtle" in construct.text and "text/csv" not in construct.text


def test_unknown_format_name_is_400(client):
    response = send(client, "GET", COMPOSERS, format="yaml")
    assert response.status_code == 400
    assert "unknown format 'yaml'" in response.text and "turtle" in response.text


# -- bindings ----------------------------------------------------------------------------

BOUND = PREFIXES + "SELECT ?name ?e WHERE { ?e rdfs:label ?name }"


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("value", ["Mirei Kanzaki", '"Mirei Kanzaki"'])
def test_dollar_parameters_bind_variables_as_terms(client, method, value):
    response = send(client, method, BOUND, **{"$name": value})
    assert response.status_code == 200, response.text
    assert set(column(response, "json", "e")) == {KANZAKI}


def test_dollar_parameters_bind_iris_and_are_never_pasted_into_the_query(client):
    by_iri = send(client, "GET", PREFIXES + "SELECT ?e ?name WHERE { ?e rdfs:label ?name }", **{"$e": f"<{KANZAKI}>"})
    assert set(column(by_iri, "json", "name")) == {"Mirei Kanzaki"}
    injection = 'x" } ?e ?p ?name { "'
    assert column(send(client, "GET", BOUND, **{"$name": injection}), "json", "e") == []


@pytest.mark.parametrize("value", ['"unterminated', '<not an iri>', '"a" . <urn:x:s> <urn:x:p> "b"'])
def test_a_bad_term_is_400(client, value):
    response = send(client, "GET", BOUND, **{"$name": value})
    assert response.status_code == 400
    assert "$name" in response.text


def test_binding_a_bad_variable_name_is_400(client):
    assert send(client, "GET", BOUND, **{"$1x": "a"}).status_code == 400


# -- what clients get wrong --------------------------------------------------------------

@pytest.mark.parametrize("method", METHODS)
def test_malformed_query_is_400_with_a_plain_text_reason(client, method):
    response = send(client, method, "SELECT ?x WHERE { ?x ?y }")
    assert response.status_code == 400
    assert media_type(response) == "text/plain"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.text.startswith("malformed SPARQL query: error at 1:")


def test_missing_or_repeated_query_is_400(client):
    empty_form = client.post("/sparql", content=b"", headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert empty_form.status_code == 400 and "no query" in empty_form.text
    response = client.get("/sparql", params=[("query", "ASK {}"), ("query", "ASK {}")])
    assert (response.status_code, response.text.strip()) == (400, "give one query, not 2")
    response = client.post("/sparql", params={"query": "ASK {}"}, content=b"ASK {}",
                           headers={"Content-Type": "application/sparql-query"})
    assert response.status_code == 400


@pytest.mark.parametrize("query", [
    "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
    "select * where { service silent <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
])
def test_federated_queries_are_refused(client, query):
    response = send(client, "GET", query)
    assert response.status_code == 400 and "SERVICE" in response.text


def test_an_escaped_service_keyword_is_not_run(client):
    # Oxigraph does not read \u0053ERVICE as the keyword: a syntax error, refused all the same.
    response = send(client, "GET", "SELECT * WHERE { \\u0053ERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }")
    assert response.status_code == 400 and "malformed SPARQL query" in response.text


def test_service_as_text_is_not_a_keyword(client):
    query = ('SELECT ?service WHERE { BIND("SERVICE <http://x>" AS ?service) '
             'FILTER(?service != <urn:SERVICE>) } # SERVICE in a comment')
    assert column(send(client, "GET", query), "json", "service") == ["SERVICE <http://x>"]


@pytest.mark.parametrize(("method", "path", "allow"), [
    ("PUT", "/sparql", "GET, POST"), ("DELETE", "/sparql", "GET, POST"), ("PATCH", "/sparql", "GET, POST"),
    ("HEAD", "/sparql", "GET, POST"), ("GET", "/update", "POST"), ("POST", "/", "GET, HEAD"),
    ("POST", "/view", "GET"), ("DELETE", "/queries", "GET, HEAD"),
])
def test_wrong_method_is_405_with_allow(client, method, path, allow):
    response = client.request(method, path)
    assert response.status_code == 405
    assert response.headers["allow"] == allow


def test_options_says_what_is_allowed(client):
    response = client.options("/sparql")
    assert (response.status_code, response.headers["allow"]) == (204, "GET, POST")


@pytest.mark.parametrize("content_type", ["text/plain", "application/json", "application/sparql-results+json"])
def test_unsupported_body_type_is_415(client, content_type):
    response = client.post("/sparql", content=b"ASK {}", headers={"Content-Type": content_type})
    assert response.status_code == 415
    assert "application/sparql-query" in response.text


def test_body_in_an_unknown_charset_is_415_and_undecodable_is_400(client):
    query = {"Content-Type": "application/sparql-query; charset=klingon"}
    assert client.post("/sparql", content=b"ASK {}", headers=query).status_code == 415
    query["Content-Type"] = "application/sparql-query; charset=utf-8"
    assert client.post("/sparql", content=b"ASK { FILTER('\xff') }", headers=query).status_code == 400
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    assert client.post("/sparql", content=b"query=%FF", headers=form).status_code == 400


def test_oversized_and_chunked_bodies_are_refused(client, server):
    big = client.post("/sparql", content=b"#" * (4 * 2**20 + 1),
                      headers={"Content-Type": "application/sparql-query"})
    assert big.status_code == 413
    chunked = client.post("/sparql", content=iter([b"ASK {}"]), headers={"Content-Type": "application/sparql-query"})
    assert chunked.status_code == 411
    assert client.get("/sparql", params={"query": "ASK {}"}).status_code == 200  # and it still serves


def test_unknown_path_is_404(client):
    response = client.get("/nothing-here")
    assert response.status_code == 404 and "/sparql" in response.text
    assert client.get("/static/../protocol.py").status_code == 404
    assert client.get("/static/config.py").status_code == 404
    assert client.get("/static/%2e%2e%2fconfig.py").status_code == 404


def test_named_queries_are_listed_with_their_parameters(client):
    listing = {q["name"]: q for q in client.get("/queries").json()}
    assert {"name": "show", "kind": "literal"}.items() <= listing["show-music-staff"]["params"][0].items()
    assert listing["composers"]["params"] == []
    assert "SELECT" in listing["composers"]["text"]


def test_amk_prefix_is_the_ontology(client):
    response = send(client, "GET", CONSTRUCT, "text/turtle")
    assert f"@prefix amk: <{AMK}>" in response.text


# -- the pages ---------------------------------------------------------------------------

def test_query_page_and_its_files_are_served_with_a_strict_policy(client):
    page = client.get("/")
    assert page.status_code == 200 and page.headers["content-type"] == "text/html; charset=utf-8"
    policy = page.headers["content-security-policy"]
    assert "default-src 'none'" in policy and "script-src 'self'" in policy and "connect-src 'self'" in policy
    assert 'src="static/query.js"' in page.text and "http" not in page.text.split("<body>")[1]
    assert 'src="static/yasgui.min.js"' in page.text
    assert client.get("/static/query.js").headers["content-type"] == "text/javascript; charset=utf-8"
    assert client.get("/static/query.css").headers["content-type"] == "text/css; charset=utf-8"
    licenses = client.get("/static/THIRD-PARTY-LICENSES.txt")
    assert licenses.status_code == 200 and "codemirror" in licenses.text.lower()
    assert client.get("/static/yasgui.min.js.map").status_code == 404  # not shipped
    head = client.head("/")
    assert (head.status_code, head.content, head.headers["content-length"]) == (200, b"", str(len(page.content)))


def test_static_files_are_revalidated_by_etag(client):
    first = client.get("/static/yasgui.min.js")
    assert first.status_code == 200 and len(first.content) > 500_000
    etag = first.headers["etag"]
    again = client.get("/static/yasgui.min.js", headers={"If-None-Match": etag})
    assert (again.status_code, again.content, again.headers["etag"]) == (304, b"", etag)
    other = client.get("/static/query.js", headers={"If-None-Match": etag})
    assert other.status_code == 200 and other.headers["etag"] != etag


def test_view_draws_the_entities_a_result_names_and_their_neighbours(client):
    query = PREFIXES + 'SELECT ?song WHERE { ?song a amk:Song ; rdfs:label "Night Ferry Lights" }'
    response = client.get("/view", params={"query": query})
    assert response.status_code == 200 and response.headers["content-type"] == "text/html; charset=utf-8"
    assert "'unsafe-eval'" not in response.headers["content-security-policy"]
    assert "4 entities of a query result" in response.text
    assert HOSTILE not in response.text  # it travels as escaped JSON
    alone = client.get("/view", params={"query": query, "depth": "0"})
    assert "1 entity of a query result" in alone.text


def test_view_finds_entities_by_label_too_and_takes_bindings_and_construct(client):
    by_label = client.get("/view", params={"query": COMPOSERS, "depth": "0"})
    assert "2 entities of a query result" in by_label.text
    bound = client.get("/view", params={"query": PREFIXES + "SELECT ?name WHERE { ?e rdfs:label ?name }",
                                        "$name": "Orchard Static", "depth": "1"})
    assert "2 entities of a query result" in bound.text  # Orchard Static and the show it scored
    constructed = client.get("/view", params={"query": CONSTRUCT, "depth": "0"})
    assert "2 entities of a query result" in constructed.text


@pytest.mark.parametrize(("params", "status", "message"), [
    ({"query": "ASK {}"}, 400, "an ASK query names no entities"),
    ({"query": "SELECT ?x WHERE { BIND(1 AS ?x) }"}, 404, "none of the 1 values in the result is an entity"),
    ({"query": COMPOSERS, "depth": "9"}, 400, "depth must be a whole number from 0 to 3"),
    ({"query": "SELECT nonsense"}, 400, "malformed SPARQL query"),
    ({}, 400, "no query"),
])
def test_view_errors_are_plain_text(client, params, status, message):
    response = client.get("/view", params=params)
    assert response.status_code == status
    assert media_type(response) == "text/plain" and message in response.text
