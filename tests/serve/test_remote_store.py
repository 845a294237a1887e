"""Serving a remote store: the workers open the SPARQL server's URL, as --store URL does.

Uses the suite's real `oxigraph serve` (tests/conftest.py), which skips without it.
"""

from __future__ import annotations

import json

import httpx

from animekg.graph.store import GraphStore
from animekg.serve import ServeConfig, SparqlServer

from .conftest import COMPOSER_NAMES, COMPOSERS, hostile_thread, tidal_archive


def test_a_store_on_a_sparql_server_is_served_by_url_or_object(oxigraph_url):
    remote = GraphStore.remote(oxigraph_url)
    remote.add_extraction(tidal_archive())
    remote.add_extraction(hostile_thread())
    for store in (oxigraph_url, remote):
        with SparqlServer(store, port=0, config=ServeConfig(workers=1, timeout=30, max_results=1)) as server, \
                httpx.Client(base_url=server.url, timeout=60) as http:
            response = http.get("/sparql", params={"query": COMPOSERS})
            assert response.status_code == 200, response.text
            names = [b["name"]["value"] for b in json.loads(response.content)["results"]["bindings"]]
            assert names == COMPOSER_NAMES[:1] and response.headers["x-sparql-maxrows"] == "1"
            assert http.get("/sparql", params={"query": "SELECT ?x WHERE {"}).status_code == 400
    remote.backend.close()
