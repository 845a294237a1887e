"""The part of the credit network read from the store (animekg.store_network) is the part
the whole network gives: the most connected entities, a focus's neighbourhood, a query
result's entities, with the same nodes, credits, evidence and degrees. Every backend."""

from __future__ import annotations

import json
import re

import networkx as nx
import pyoxigraph as ox
import pytest

from animekg import api, store_network
from animekg.errors import AnimekgError
from animekg.graph.store import GraphStore
from animekg.graph.triples import SUMMARY_GRAPH
from animekg.views import most_connected, view_page_html



@pytest.fixture(scope="module")
def whole(examples) -> nx.MultiDiGraph:
    return api.network(examples)


def drawn(graph: nx.MultiDiGraph) -> tuple[list, list]:
    """Nodes (without the degree a part carries) and credits with all they say, in order."""
    nodes = [(n, {k: v for k, v in d.items() if k != "degree"}) for n, d in graph.nodes(data=True)]
    return sorted(nodes), sorted((u, v, k, json.dumps(d, sort_keys=True)) for u, v, k, d in graph.edges(keys=True, data=True))


@pytest.mark.parametrize("n", [1, 3, 10, 25])
def test_the_most_connected_part_is_that_of_the_whole_network(examples, whole, n):
    part = store_network.most_connected_network(examples, n)
    kept = most_connected(whole, n)
    assert list(part.nodes) == kept  # most connected first, ties by IRI
    assert drawn(part) == drawn(whole.subgraph(kept))
    assert {node: part.nodes[node]["degree"] for node in part} == {node: whole.degree(node) for node in kept}
    assert part.graph["connected"] == sum(1 for node in whole if whole.degree(node))


def test_its_page_draws_what_the_whole_network_s_page_draws(examples, whole):
    def data(page: str) -> dict:
        return json.loads(re.search(r'<script type="application/json" id="graph-data">(.*?)</script>', page, re.S)[1])

    part = view_page_html(store_network.most_connected_network(examples, 10), max_nodes=10)
    ours, theirs = data(part), data(view_page_html(whole, max_nodes=10))
    assert ours["nodes"] == theirs["nodes"]  # the same order, degrees and sizes
    assert sorted(map(json.dumps, ours["edges"])) == sorted(map(json.dumps, theirs["edges"]))
    assert (ours["total"], theirs["total"]) == (49, 55)  # the part counts entities with a credit
    assert "Showing the 10 most connected of the 49 entities with a credit." in part


def test_no_part_when_the_whole_network_is_small_or_the_summary_is_missing(examples, whole):
    connected = sum(1 for node in whole if whole.degree(node))
    assert store_network.most_connected_network(examples, connected) is None  # nothing to leave out
    older = GraphStore.in_memory()  # a store built before the summary graph existed
    older.backend.extend(q for q in examples.quads() if q.graph_name != SUMMARY_GRAPH)
    assert store_network.most_connected_network(older, 3) is None
    # The view then reads the whole network: the same page, slower.
    assert drawn(api.view_network(older, max_nodes=3)) == drawn(api.view_network(examples))


@pytest.mark.parametrize("name,depth", [("Yoko Kanno", 0), ("yoko kanno", 1), ("SEATBELTS", 2), ("Macross Plus", 3)])
def test_a_focus_reads_its_neighbourhood(examples, whole, name, depth):
    assert drawn(api.view_network(examples, focus=name, depth=depth)) == drawn(api.focus_subgraph(whole, name, depth))


def test_a_focus_on_no_entity_says_so(examples):
    with pytest.raises(AnimekgError, match="no entity named 'Nobody Here'"):
        api.view_network(examples, focus="Nobody Here")


def test_a_filtered_view_still_filters_first(examples, whole):
    filtered = api.view_network(examples, focus="Yoko Kanno", depth=1, types=["Composer", "Show"])
    assert drawn(filtered) == drawn(api.focus_subgraph(api.filter_network(whole, ["Composer", "Show"], None),
                                                       "Yoko Kanno", 1))


@pytest.mark.parametrize("depth", [0, 1, 2])
def test_a_query_result_seeds_its_view_by_iri_or_exact_label(examples, whole, depth):
    kanno = next(n for n, d in whole.nodes(data=True) if d["label"] == "Yoko Kanno")
    terms = [ox.NamedNode(kanno), ox.Literal("Macross Plus"), ox.Literal("macross plus"),  # labels match exactly
             ox.NamedNode("https://w3id.org/animekg/ontology#Composer")]                  # no entity
    iris = {t.value for t in terms if isinstance(t, ox.NamedNode)}
    names = {t.value for t in terms if isinstance(t, ox.Literal)}
    hits = [n for n, d in whole.nodes(data=True) if n in iris or d.get("label") in names]
    keep = set()
    for hit in hits:
        keep |= set(nx.single_source_shortest_path_length(whole.to_undirected(as_view=True), hit, cutoff=depth))
    seeded = api.seeded_network(examples, sorted(iris), sorted(names), depth)
    assert len(hits) == 2 and drawn(seeded) == drawn(whole.subgraph(keep))


def test_long_lists_go_in_chunks(examples, whole, monkeypatch):
    monkeypatch.setattr(store_network, "CHUNK", 3)
    assert drawn(store_network.network_of(examples, list(whole.nodes))) == drawn(whole)
