"""A server started before a build answers from the graph as the build left it, no restart."""

from __future__ import annotations

import gc
import json
from pathlib import Path

import httpx

from animekg.extract.records import Credit, Entity, Evidence, Extraction
from animekg.graph.store import GraphStore
from animekg.serve import ServeConfig, SparqlServer

from .conftest import PREFIXES, tidal_archive

SHOWS = PREFIXES + "SELECT ?name WHERE { ?e a amk:Show ; rdfs:label ?name } ORDER BY ?name"


def a_new_document() -> Extraction:
    base = tidal_archive()
    sentence = "Mirei Kanzaki also scored Paper Comet."
    document = base.document.__class__(doc_id="paper_comet", text=sentence, source="notes/paper_comet.txt",
                                       title="Paper Comet", sha256="0" * 64)
    return Extraction(document, [Entity("Mirei Kanzaki", {"Composer"}), Entity("Paper Comet", {"Show"})],
                      [Credit("Mirei Kanzaki", "composedMusicFor", "Paper Comet", 0.9,
                              Evidence(sentence, 0, len(sentence)))], extractor_version="test-serve")


def shows(http: httpx.Client) -> list[str]:
    response = http.get("/sparql", params={"query": SHOWS})
    assert response.status_code == 200, response.text
    return [b["name"]["value"] for b in json.loads(response.content)["results"]["bindings"]]


def test_read_only_workers_see_a_build_made_while_they_run(store_copy: Path):
    with SparqlServer(store_copy, port=0, config=ServeConfig(workers=2, timeout=30)) as server, \
            httpx.Client(base_url=server.url, timeout=60) as http:
        before = [shows(http) for _ in range(2)]  # both workers have opened the store
        assert all("Paper Comet" not in s for s in before)
        writer = GraphStore(store_copy)
        assert writer.add_extraction(a_new_document())
        writer.materialize_inferred()
        writer.flush()
        del writer
        gc.collect()
        after = [shows(http) for _ in range(4)]  # whichever worker answers
        assert all("Paper Comet" in s for s in after)
        assert all(set(before[0]) < set(s) for s in after)
