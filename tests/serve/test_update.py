"""SPARQL Update: refused unless the server allows it and the client sends its token.

Also the settings a server refuses to start with: updates without a token, several
writers, a memory store, a store that is missing or locked by another writer.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from SPARQLWrapper import JSON, POST, POSTDIRECTLY, SPARQLWrapper

from animekg import api
from animekg.graph.store import GraphStore
from animekg.serve import ServeConfig, ServeError, SparqlServer

from .conftest import TOKEN

INSERT = "INSERT DATA { <urn:x:new> <http://www.w3.org/2000/01/rdf-schema#label> \"Added by a test\" }"
ASK_ADDED = "ASK { <urn:x:new> <http://www.w3.org/2000/01/rdf-schema#label> \"Added by a test\" }"


def asked(http: httpx.Client, query: str = ASK_ADDED) -> bool:
    response = http.get("/sparql", params={"query": query})
    assert response.status_code == 200, response.text
    return json.loads(response.content)["boolean"]


@pytest.fixture(scope="module")
def writable(tmp_path_factory, store_dir) -> Iterator[SparqlServer]:
    copy = tmp_path_factory.mktemp("writable") / "store"
    shutil.copytree(store_dir, copy)
    config = ServeConfig(allow_update=True, update_token=TOKEN, timeout=30.0)
    with SparqlServer(copy, port=0, config=config) as running:
        yield running


@pytest.fixture
def http(writable) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=writable.url, timeout=60.0) as client:
        yield client


def send_update(http: httpx.Client, how: str, update: str, token: str | None = TOKEN) -> httpx.Response:
    """The three ways to send one: a form field or a body at /sparql, a form field at /update."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    if how == "form":
        return http.post("/sparql", data={"update": update}, headers=headers)
    if how == "body":
        return http.post("/sparql", content=update.encode(),
                         headers={**headers, "Content-Type": "application/sparql-update"})
    return http.post("/update", data={"update": update}, headers=headers)


HOWS = ["form", "body", "/update"]


@pytest.mark.parametrize("how", HOWS)
def test_a_read_only_server_refuses_updates_even_with_a_token(client, how):
    response = send_update(client, how, INSERT)
    assert response.status_code == 403
    assert "--allow-update" in response.text
    assert asked(client) is False


@pytest.mark.parametrize("how", HOWS)
def test_an_update_without_a_token_is_401(http, how):
    response = send_update(http, how, INSERT, token=None)
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == 'Bearer realm="animekg"'
    assert "Authorization: Bearer" in response.text
    assert asked(http) is False


@pytest.mark.parametrize("header", [f"Bearer {TOKEN}x", f"Bearer {TOKEN[:-1]}", "Bearer", f"Basic {TOKEN}", TOKEN])
def test_a_wrong_token_is_401(http, header):
    response = http.post("/sparql", data={"update": INSERT}, headers={"Authorization": header})
    assert response.status_code == 401
    assert asked(http) is False


def test_the_right_token_applies_the_update_and_the_next_query_sees_it(http):
    for n, how in enumerate(HOWS):
        update = INSERT.replace("Added by a test", f"Added by a test {n}")
        response = send_update(http, how, update)
        assert (response.status_code, response.text) == (200, "update applied\n"), how
        assert asked(http, ASK_ADDED.replace("Added by a test", f"Added by a test {n}")), how
    assert send_update(http, "form", "DELETE WHERE { <urn:x:new> ?p ?o }").status_code == 200
    assert not asked(http, "ASK { <urn:x:new> ?p ?o }")


def test_a_malformed_update_with_the_token_is_400(http):
    response = send_update(http, "body", "INSERT DATA { <urn:x:a> }")
    assert response.status_code == 400
    assert response.text.startswith("malformed SPARQL update:")


def test_updates_are_posts_and_are_not_queries(http):
    auth = {"Authorization": f"Bearer {TOKEN}"}
    response = http.get("/sparql", params={"update": INSERT}, headers=auth)
    assert response.status_code == 400 and "POST" in response.text
    both = http.post("/sparql", data={"update": INSERT, "query": "ASK {}"}, headers=auth)
    assert both.status_code == 400
    query_at_update = http.post("/update", data={"query": "ASK {}"}, headers=auth)
    assert query_at_update.status_code == 400
    assert asked(http) is False


def test_sparqlwrapper_sends_an_update_with_the_token(writable, http):
    sparql = SPARQLWrapper(writable.url + "/sparql", updateEndpoint=writable.url + "/update")
    sparql.setMethod(POST)
    sparql.setRequestMethod(POSTDIRECTLY)
    sparql.setReturnFormat(JSON)
    sparql.addCustomHttpHeader("Authorization", f"Bearer {TOKEN}")
    sparql.setQuery(INSERT.replace("Added by a test", "Added by SPARQLWrapper"))
    assert sparql.query().response.status == 200
    assert asked(http, ASK_ADDED.replace("Added by a test", "Added by SPARQLWrapper"))


def test_the_writable_server_still_answers_queries_in_every_way(http):
    assert asked(http, "ASK { ?s ?p ?o }")
    response = http.post("/sparql", content=b"SELECT (COUNT(*) AS ?n) { ?s ?p ?o }",
                         headers={"Content-Type": "application/sparql-query", "Accept": "text/csv"})
    assert response.status_code == 200 and int(response.text.splitlines()[1]) > 100


# -- settings refused at start --------------------------------------------------------------

@pytest.mark.parametrize(("settings", "message"), [
    ({"allow_update": True}, "--allow-update needs a token"),
    ({"allow_update": True, "update_token": "short"}, "at least 16 characters"),
    ({"allow_update": True, "update_token": TOKEN + " with spaces"}, "at least 16 characters"),
    ({"allow_update": True, "update_token": TOKEN, "workers": 2}, "one writable process"),
    ({"timeout": 0}, "--timeout must be a positive"),
    ({"max_results": 0}, "--max-results must be at least 1"),
    ({"workers": 0}, "--workers must be at least 1"),
])
def test_bad_settings_are_refused(settings, message):
    with pytest.raises(ServeError, match=message):
        ServeConfig(**settings)


def test_a_token_without_allow_update_changes_nothing():
    config = ServeConfig(update_token=TOKEN)
    assert (config.allow_update, config.worker_count) == (False, 2)


@pytest.mark.parametrize("store", [":memory:", GraphStore.in_memory()], ids=["spec", "object"])
def test_a_memory_store_is_refused_with_what_to_do(store):
    with pytest.raises(ServeError, match=r"cannot serve a memory store.*animekg build PATH --store DIR"):
        SparqlServer(store)
    with pytest.raises(ServeError, match="cannot serve a memory store"):
        api.serve(store, port=0)


def test_a_missing_store_is_refused_at_start(tmp_path: Path):
    server = SparqlServer(tmp_path / "nowhere", port=0, config=ServeConfig(workers=1))
    with pytest.raises(ServeError, match="no graph store here; build one first"):
        server.start()
    assert server.pool.pids() == []


def test_a_store_held_open_for_writing_is_refused_for_updates(store_copy: Path):
    holder = GraphStore(store_copy)  # this process holds the write lock
    config = ServeConfig(allow_update=True, update_token=TOKEN)
    with pytest.raises(ServeError, match="close the other animekg process"):
        SparqlServer(store_copy, port=0, config=config).start()
    del holder


def test_a_busy_port_is_refused(server, store_dir: Path):
    other = SparqlServer(store_dir, port=server.port, config=ServeConfig(workers=1))
    with pytest.raises(ServeError, match=f"cannot listen on 127.0.0.1:{server.port}"):
        other.start()
    assert other.pool.pids() == []
