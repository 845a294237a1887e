"""Entity IRIs resolve on the server: ``GET /id/KIND/NAME`` answers a page, or the entity's
description as RDF by content negotiation; the page in headless Chromium shows web text
as text (one performer here is named ``<img src=x onerror=alert(1)>``) and makes no
request beyond this server.
"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest
import rdflib
import rdflib.compare

from .conftest import HOSTILE, PREFIXES, SCRIPT_NAME

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
ID = "https://w3id.org/animekg/id/"
RDFS = rdflib.RDFS


def iri_of(client: httpx.Client, name: str) -> str:
    query = PREFIXES + "SELECT DISTINCT ?name ?e WHERE { ?e rdfs:label ?name }"
    literal = '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'  # N-Triples: names may look like IRIs
    response = client.get("/sparql", params={"query": query, "$name": literal})
    (row,) = json.loads(response.content)["results"]["bindings"]
    return row["e"]["value"]


def path_of(iri: str) -> str:
    return "/id/" + quote(iri.removeprefix(ID), safe="/")


def test_an_entity_page_shows_names_types_and_every_credit(client):
    iri = iri_of(client, "Mirei Kanzaki")
    response = client.get(path_of(iri), headers={"Accept": "text/html"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    assert "script-src" not in response.headers["content-security-policy"]  # no script may run at all
    page = response.text
    assert "<h1>Mirei Kanzaki</h1>" in page
    assert "神崎ミレイ" in page and "Kanzaki" in page  # other names
    assert '<span class="type">Composer</span>' in page and '<span class="type">Arranger</span>' in page
    credits = client.get("/sparql", params={"query": _named("entity-credits"), "$entity": f"<{iri}>"},
                         headers={"Accept": "application/sparql-results+json"})
    expected = json.loads(credits.content)["results"]["bindings"]
    assert page.count("<tr><td>") == len(expected) >= 3
    assert "Mirei Kanzaki (神崎ミレイ) composed the music of Tidal Archive." in page
    assert "notes/tidal_archive.txt" in page
    assert f'href="{path_of(iri_of(client, "Tidal Archive"))}"' in page  # the show's own page


def _named(name: str) -> str:
    from animekg.graph.queries import named_query

    return named_query(name).text


def test_turtle_is_the_construct_of_the_entitys_description(client):
    iri = iri_of(client, "Mirei Kanzaki")
    by_accept = client.get(path_of(iri), headers={"Accept": "text/turtle"})
    assert by_accept.status_code == 200 and by_accept.headers["content-type"].startswith("text/turtle")
    described = rdflib.Graph().parse(data=by_accept.content, format="turtle")
    assert (rdflib.URIRef(iri), RDFS.label, rdflib.Literal("Mirei Kanzaki")) in described
    construct = client.get("/sparql", params={"query": _named("entity-description"), "$entity": f"<{iri}>"},
                           headers={"Accept": "text/turtle"})
    expected = rdflib.Graph().parse(data=construct.content, format="turtle")
    assert rdflib.compare.isomorphic(described, expected)
    by_parameter = client.get(path_of(iri), params={"format": "ntriples"})
    assert len(rdflib.Graph().parse(data=by_parameter.content, format="nt")) == len(described)


def test_an_iri_that_names_nothing_is_404(client):
    response = client.get("/id/agent/nobody-of-that-name")
    assert response.status_code == 404 and "no entity <https://w3id.org/animekg/id/agent/nobody-of-that-name>" in response.text
    assert client.get("/id/agent/%FF%FE").status_code == 400


def test_hostile_names_are_text_in_the_browser(browser, server):
    with httpx.Client(base_url=server.url, timeout=60) as client:
        performer = iri_of(client, HOSTILE)
        show = iri_of(client, SCRIPT_NAME)
    page = browser.new_page(viewport={"width": 1100, "height": 900})
    seen = {"requests": [], "dialogs": []}
    page.on("request", lambda r: seen["requests"].append(r.url))
    page.on("dialog", lambda d: (seen["dialogs"].append(d.message), d.dismiss()))
    page.goto(server.url + path_of(performer))
    assert page.inner_text("h1") == HOSTILE
    assert page.locator("img").count() == 0
    page.goto(server.url + path_of(show))
    assert page.inner_text("h1") == SCRIPT_NAME
    assert page.evaluate("window.__pwned") is None
    assert seen["dialogs"] == []
    assert all(url.startswith(server.url) for url in seen["requests"]), seen["requests"]
    page.close()


def test_the_page_and_its_neighbourhood_in_the_browser(browser, server):
    with httpx.Client(base_url=server.url, timeout=60) as client:
        composer = iri_of(client, "Mirei Kanzaki")
        show = iri_of(client, "Tidal Archive")
    page = browser.new_page(viewport={"width": 1100, "height": 1000})
    page.goto(server.url + path_of(composer))
    svg = page.locator("#neighbourhood svg")
    assert svg.count() == 1 and svg.bounding_box()["width"] > 300
    labels = page.locator("#neighbourhood svg text.label").all_text_contents()
    assert "Mirei Kanzaki" in labels and "Tidal Archive" in labels and "Lantern Tide" in labels
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "serve-entity-page.png"), full_page=True)
    page.locator("#neighbourhood svg a", has_text="Tidal Archive").locator("circle").click()
    page.wait_for_url(server.url + path_of(show))
    assert page.inner_text("h1") == "Tidal Archive"
    page.close()


@pytest.mark.parametrize("accept", ["application/sparql-results+json"])
def test_a_format_an_entity_cannot_have_is_406(client, accept):
    iri = iri_of(client, "Mirei Kanzaki")
    assert client.get(path_of(iri), headers={"Accept": accept}).status_code == 406
