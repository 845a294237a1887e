"""The W3C SPARQL 1.1 Protocol tests, run from their manifest against ``animekg serve``.

The manifest and its data are the W3C's (tests/data/w3c-protocol/README.md says where from):
each test is one or more HTTP requests, sent here as written (path, method, headers, body
in its character encoding) to a server that takes updates with a token, and the answers
allowed: status classes, the result's form (boolean, tabular, RDF) and an ASK's answer.
Before each test the store holds exactly the test's graph data, as named graphs.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import rdflib
from rdflib.collection import Collection

from animekg.graph.store import GraphStore
from animekg.serve import ServeConfig, SparqlServer

from .conftest import TOKEN

DATA = Path(__file__).parents[1] / "data" / "w3c-protocol"
MF = rdflib.Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = rdflib.Namespace("http://www.w3.org/2011/http#")
CNT = rdflib.Namespace("http://www.w3.org/2011/content#")
UT = rdflib.Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
HTS = "http://www.w3.org/2011/http-statusCodes#StatusCode"
RESULTS_NS = {"r": "http://www.w3.org/2005/sparql-results#"}
TABULAR = {"application/sparql-results+xml", "application/sparql-results+json", "text/csv",
           "text/tab-separated-values"}
BOOLEAN = {"application/sparql-results+xml", "application/sparql-results+json"}
RDF_FORMATS = {"application/rdf+xml": "xml", "text/turtle": "turtle", "application/n-triples": "nt"}


@dataclass(frozen=True)
class ProtocolRequest:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes | None
    statuses: frozenset[int]  # the hundreds allowed: 2, 3, 4
    form: str | None  # "boolean", "tabular", "RDF"
    boolean: bool | None


@dataclass(frozen=True)
class ProtocolTest:
    name: str
    graphs: dict[str, Path]  # graph IRI -> N-Triples file
    requests: tuple[ProtocolRequest, ...]

    @property
    def side(self) -> str:
        return "update" if "update" in self.name else "query"


def _manifest_tests() -> list[ProtocolTest]:
    g = rdflib.Graph().parse(DATA / "manifest.ttl", format="turtle", publicID=(DATA / "manifest.ttl").as_uri())
    manifest = next(g.subjects(rdflib.RDF.type, MF.Manifest))
    tests = []
    for entry in Collection(g, g.value(manifest, MF.entries)):
        graphs = {str(g.value(d, rdflib.RDFS.label)): Path(rdflib.URIRef(g.value(d, UT.graph)).replace("file://", ""))
                  for d in g.objects(entry, UT.graphData)}
        action = g.value(entry, MF.action)
        requests = []
        for request in Collection(g, g.value(action, HT.requests)):
            headers = {str(g.value(h, HT.fieldName)): str(g.value(h, HT.fieldValue))
                       for h in Collection(g, g.value(request, HT.headers) or rdflib.RDF.nil)}
            body = g.value(request, HT.body)
            encoded = None
            if body is not None:
                encoded = str(g.value(body, CNT.chars)).encode(str(g.value(body, CNT.characterEncoding)).lower())
            response = g.value(request, HT.resp)
            boolean = g.value(response, MF.expectedBoolean)
            form = g.value(response, MF.expectedFormat)
            requests.append(ProtocolRequest(
                str(g.value(request, HT.methodName)), str(g.value(request, HT.absolutePath)), headers, encoded,
                frozenset(int(str(s)[len(HTS)]) for s in g.objects(response, MF.expectedStatus)),
                None if form is None else str(form), None if boolean is None else boolean.toPython()))
        tests.append(ProtocolTest(str(entry).rpartition("#")[2], graphs, tuple(requests)))
    return tests


TESTS = _manifest_tests()


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[SparqlServer]:
    folder = tmp_path_factory.mktemp("w3c") / "store"
    GraphStore(folder).flush()
    config = ServeConfig(allow_update=True, update_token=TOKEN, timeout=30.0)
    with SparqlServer(folder, port=0, config=config) as running:
        yield running


@pytest.fixture
def http(server) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, timeout=60.0, headers={"Authorization": f"Bearer {TOKEN}"}) as client:
        yield client


def load_graphs(http: httpx.Client, graphs: dict[str, Path]) -> None:
    blocks = "\n".join(f"GRAPH <{iri}> {{ {path.read_text(encoding='utf-8')} }}" for iri, path in graphs.items())
    response = http.post("/sparql", data={"update": f"DROP ALL ; INSERT DATA {{ {blocks} }}"})
    assert response.status_code == 200, response.text


def check(response: httpx.Response, expected: ProtocolRequest) -> None:
    assert response.status_code // 100 in expected.statuses, (response.status_code, response.text)
    media_type = response.headers.get("content-type", "").split(";")[0].strip()
    if expected.form == "tabular":
        assert media_type in TABULAR
    elif expected.form == "RDF":
        assert media_type in RDF_FORMATS
        rdflib.Graph().parse(data=response.content, format=RDF_FORMATS[media_type])  # raises if it is not
    elif expected.form == "boolean":
        assert media_type in BOOLEAN
    if expected.boolean is not None:
        if media_type == "application/sparql-results+json":
            answer = json.loads(response.content)["boolean"]
        else:
            answer = ET.fromstring(response.content).find("r:boolean", RESULTS_NS).text == "true"
        assert answer is expected.boolean


@pytest.mark.parametrize("test", TESTS, ids=[f"{t.side}:{t.name}" for t in TESTS])
def test_w3c_protocol(http, test):
    load_graphs(http, test.graphs)
    for request in test.requests:
        response = http.request(request.method, request.path, headers=request.headers, content=request.body)
        check(response, request)


def test_the_manifest_has_the_tests_the_issue_counts():
    sides = [t.side for t in TESTS]
    assert (sides.count("query"), sides.count("update")) == (20, 14)
