"""CORS as a browser enforces it: a page served from another origin (another loopback
port) asks the endpoint with fetch(), in headless Chromium.

A page of an origin given to ``--cors`` reads answers and errors, preflighted requests
included (a SPARQL body, an update with its token); any other page gets nothing, which is
also what every page gets from a server started without ``--cors``.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest

from animekg.serve import ServeConfig, ServeError, SparqlServer

from .conftest import TOKEN

PAGE = "<!doctype html><title>another site</title><p>a page of another origin</p>"
# What the page runs: a fetch, and what it could read of the answer.
FETCH = """async ([url, options]) => {
  try {
    const response = await fetch(url, options);
    return {status: response.status, body: await response.text(),
            maxRows: response.headers.get('X-SPARQL-MaxRows')};
  } catch (error) {
    return {blocked: String(error)};
  }
}"""
ASK = "ASK { ?s ?p ?o }"


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="module")
def other_site(tmp_path_factory) -> Iterator[str]:
    """A plain web server for one page on its own loopback port: another origin."""
    folder = tmp_path_factory.mktemp("other-site")
    (folder / "index.html").write_text(PAGE, encoding="utf-8")
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), partial(_QuietHandler, directory=str(folder)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="module")
def cors_server(store_dir, other_site) -> Iterator[SparqlServer]:
    config = ServeConfig(timeout=30.0, workers=1, max_results=1, cors_origins=(other_site,))
    with SparqlServer(store_dir, port=0, config=config) as running:
        yield running


@pytest.fixture
def page(browser, other_site):
    page = browser.new_page()
    page.goto(other_site + "/")
    yield page
    page.close()


def fetch(page, url: str, **options) -> dict:
    return page.evaluate(FETCH, [url, options])


def test_an_allowed_origin_reads_answers(page, cors_server):
    got = fetch(page, cors_server.url + "/sparql?query=" + ASK.replace(" ", "%20"),
                headers={"Accept": "application/sparql-results+json"})
    assert got["status"] == 200 and '"boolean":true' in got["body"].replace(" ", "")


def test_a_preflighted_post_and_the_result_limit_header(page, cors_server):
    got = fetch(page, cors_server.url + "/sparql", method="POST", body="SELECT ?s WHERE { ?s ?p ?o }",
                headers={"Content-Type": "application/sparql-query", "Accept": "text/csv"})
    assert got["status"] == 200 and got["body"].startswith("s\r\n")
    assert got["maxRows"] == "1"  # exposed to the page


def test_an_allowed_origin_reads_errors(page, cors_server):
    got = fetch(page, cors_server.url + "/sparql?query=ASK%20%7B")
    assert got["status"] == 400 and got["body"].startswith("malformed SPARQL query")


def test_without_cors_a_page_of_another_origin_gets_nothing(page, server):
    got = fetch(page, server.url + "/sparql?query=ASK%20%7B%7D")
    assert "blocked" in got and "Failed to fetch" in got["blocked"]


def test_an_origin_not_named_gets_nothing(browser, store_dir, other_site):
    config = ServeConfig(timeout=30.0, workers=1, cors_origins=("https://yasgui.example.org",))
    with SparqlServer(store_dir, port=0, config=config) as elsewhere:
        page = browser.new_page()
        page.goto(other_site + "/")
        assert "blocked" in fetch(page, elsewhere.url + "/sparql?query=ASK%20%7B%7D")
        page.close()


def test_an_update_with_the_token_from_an_allowed_origin(browser, store_copy, other_site):
    config = ServeConfig(allow_update=True, update_token=TOKEN, timeout=30.0, cors_origins=(other_site,))
    with SparqlServer(store_copy, port=0, config=config) as writable:
        page = browser.new_page()
        page.goto(other_site + "/")
        update = "INSERT DATA { GRAPH <urn:x:g> { <urn:x:s> <urn:x:p> 'from a page' } }"
        got = fetch(page, writable.url + "/update", method="POST", body=update,
                    headers={"Content-Type": "application/sparql-update", "Authorization": f"Bearer {TOKEN}"})
        assert got["status"] == 200, got
        wrong = fetch(page, writable.url + "/update", method="POST", body=update,
                      headers={"Content-Type": "application/sparql-update", "Authorization": "Bearer nope-nope"})
        assert wrong["status"] == 401
        page.close()


def test_the_preflight_answer(cors_server, other_site):
    response = httpx.options(cors_server.url + "/sparql", headers={
        "Origin": other_site, "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type"})
    assert response.status_code == 204
    assert response.headers["access-control-allow-origin"] == other_site
    assert response.headers["access-control-allow-methods"] == "GET, POST"
    assert "Content-Type" in response.headers["access-control-allow-headers"]
    assert "Origin" in response.headers["vary"]


@pytest.mark.parametrize(("config", "message"), [
    ({"cors_origins": ("example.org",)}, "is not a web origin"),
    ({"cors_origins": ("https://example.org/path",)}, "is not a web origin"),
    ({"cors_origins": ("*",), "allow_update": True, "update_token": TOKEN}, "name the origins"),
])
def test_cors_settings_a_server_refuses(config, message):
    with pytest.raises(ServeError, match=message):
        ServeConfig(**config)


def test_any_origin_on_a_read_only_server(store_dir):
    with SparqlServer(store_dir, port=0, config=ServeConfig(workers=1, cors_origins=("*",))) as anyone:
        response = httpx.get(anyone.url + "/sparql", params={"query": ASK}, headers={"Origin": "https://a.example"})
    assert response.headers["access-control-allow-origin"] == "*"
