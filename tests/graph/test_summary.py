"""The summary graph (graph/summary.py): each entity's credit count and place, as the
network's degrees say, rebuilt with the inferred graph, on every backend."""

from __future__ import annotations

import doctest

import pyoxigraph as ox
import pytest

from animekg.graph import summary
from animekg.graph.listings import keep_listings
from animekg.graph.queries import run_named_query
from animekg.graph.store import GraphStore
from animekg.graph.summary import CONNECTED_RANK, CREDIT_COUNT, NAME_KEY, SUMMARY_LABEL, summary_triples
from animekg.graph.triples import LABEL, LISTINGS_GRAPH, SUMMARY_GRAPH

ID = "https://w3id.org/animekg/id/"


def places(store: GraphStore) -> list[tuple[str, int, int]]:
    """(entity, count, place) of the summary graph, by place."""
    found: dict[str, dict] = {}
    for q in store.backend.quads_for_pattern(None, None, None, SUMMARY_GRAPH):
        if q.predicate in (CREDIT_COUNT, CONNECTED_RANK):
            found.setdefault(q.subject.value, {})[q.predicate] = int(q.object.value)
    return sorted(((e, v[CREDIT_COUNT], v[CONNECTED_RANK]) for e, v in found.items()), key=lambda row: row[2])


def test_the_docstring_example_holds():
    result = doctest.testmod(summary)
    assert result.attempted >= 1 and result.failed == 0


def test_counts_are_degrees_and_places_go_by_count_then_iri():
    a, b, c, d = (ox.NamedNode(f"urn:x:{name}") for name in ("a", "b", "c", "d-e"))
    composer, performer = ox.NamedNode("urn:x:composerOf"), ox.NamedNode("urn:x:performerOf")
    credits = [(a, composer, b), (a, composer, b),  # one credit from two documents: counted once
               (a, performer, b),                   # another relation: another credit
               (c, composer, c),                    # a loop counts twice, as in networkx
               (d, composer, ox.Literal("odd"))]    # a literal end is no entity
    triples = summary_triples(credits)
    got = {(t.subject.value, t.predicate.value.split("#")[1]): int(t.object.value) for t in triples}
    assert got == {(SUMMARY_GRAPH.value, "connectedEntities"): 4,  # how many have a place
                   ("urn:x:a", "creditCount"): 2, ("urn:x:b", "creditCount"): 2, ("urn:x:c", "creditCount"): 2,
                   ("urn:x:d-e", "creditCount"): 1,
                   ("urn:x:a", "connectedRank"): 1, ("urn:x:b", "connectedRank"): 2,
                   ("urn:x:c", "connectedRank"): 3, ("urn:x:d-e", "connectedRank"): 4}
    assert all(t.object.datatype.value.endswith("#integer") for t in triples)


def test_the_store_keeps_it_with_the_inferred_graph(empty_store, records):
    assert empty_store.add_extraction(records.lantern_ferry())
    empty_store.materialize_inferred()
    first = places(empty_store)
    # The album (soundtrack, label, a track) and the show (music, theme, soundtrack) have
    # three credits each, ties by IRI; Aoi Minase two (the show's music, a song's arrangement).
    assert first[:3] == [(ID + "album/lantern-ferry-ost", 3, 1), (ID + "show/ferry-lantern", 3, 2),
                         (ID + "agent/aoi-minase", 2, 3)]
    assert [p for _, _, p in first] == list(range(1, len(first) + 1))
    # A second document adds credits: the counts and places follow at the next build.
    assert empty_store.add_extraction(records.glass_orchard())
    empty_store.materialize_inferred()
    second = dict((e, (n, p)) for e, n, p in places(empty_store))
    assert second[ID + "agent/aoi-minase"] == (3, 1)
    assert len(second) == len(first) + 4  # the show, the song, its writer, the orchestra
    # Built again unchanged: the same summary.
    empty_store.materialize_inferred()
    assert places(empty_store) == sorted(((e, n, p) for e, (n, p) in second.items()), key=lambda r: r[2])


def test_the_summary_is_no_credit_and_no_work_of_anyone(store):
    assert "creditCount" not in store.stats()["credits"] and "connectedRank" not in store.stats()["credits"]
    works = {r["work"] for r in run_named_query(store, "person-credits", {"name": "Aoi Minase"}).records()}
    assert works == {"Lantern Ferry", "Salt Road", "Glass Orchard"}


def test_view_ranked_reads_the_first_places(store):
    rows = run_named_query(store, "view-ranked", {"places": "2"}).records()
    assert [(r["iri"], r["rank"]) for r in rows] == [(e, str(p)) for e, _, p in places(store)[:2]]
    assert {r["of"] for r in rows} == {str(len(places(store)))}


def test_names_are_kept_lower_cased_for_a_lookup_in_any_case(store):
    keys = {(q.subject.value, q.object.value) for q in store.backend.quads_for_pattern(None, NAME_KEY, None, SUMMARY_GRAPH)}
    assert {key for iri, key in keys if iri == ID + "agent/aoi-minase"} == {"aoi minase", "minase"}
    assert all(key == key.lower() for _, key in keys)
    found = run_named_query(store, "view-name-key", {"key": "minase"}).records()
    assert [r["iri"] for r in found] == [ID + "agent/aoi-minase"]
    # As the scan of every name finds it, which a store without a summary falls back on.
    assert [r["iri"] for r in run_named_query(store, "view-named", {"name": "MINASE"}).records()] == [r["iri"] for r in found]


def test_each_label_is_kept_once_however_many_documents_state_it(store):
    kept = [(q.subject.value, q.object.value) for q in store.backend.quads_for_pattern(None, SUMMARY_LABEL, None, SUMMARY_GRAPH)]
    stated = {(q.subject.value, q.object.value) for q in store.backend.quads_for_pattern(None, LABEL, None, None)
              if q.graph_name.value.startswith(ID + "doc/")}
    assert sorted(kept) == sorted(stated)
    # Both documents state her label; the summary has it once.
    assert kept.count((ID + "agent/aoi-minase", "Aoi Minase")) == 1


# The queries about one entity that read the labels of the entities around it, with an
# entity whose label each shows.
LABELLED = {
    "evidence": ({"name": "Aoi Minase"}, "show/ferry-lantern"),
    "entity-credits": ({"entity": ID + "agent/aoi-minase"}, "show/ferry-lantern"),
    "song-credits": ({"song": "Salt Road"}, "agent/aoi-minase"),
}


def _rows(store, name: str, params: dict) -> list[tuple]:
    return [tuple(sorted(r.items())) for r in run_named_query(store, name, params).records()]


@pytest.mark.parametrize("name", sorted(LABELLED))
def test_the_queries_read_labels_from_the_summary_and_else_from_the_documents(store, name):
    params, entity = LABELLED[name]
    before = _rows(store, name, params)
    assert before
    # A label only the summary graph holds is in the answer: the label is read there.
    store.backend.extend([ox.Quad(ox.NamedNode(ID + entity), SUMMARY_LABEL, ox.Literal("Kept Name"), SUMMARY_GRAPH)])
    assert "Kept Name" in str(_rows(store, name, params))
    # Without a summary, the labels come from the documents: the same answer as before.
    store.backend.remove_graph(SUMMARY_GRAPH)
    assert _rows(store, name, params) == before


def test_a_document_written_drops_the_kept_graphs_until_the_next_derivation(store, records):
    keep_listings(store)
    assert store.backend.contains_named_graph(SUMMARY_GRAPH) and store.backend.contains_named_graph(LISTINGS_GRAPH)
    # An unchanged document writes nothing: what was kept stays.
    assert not store.add_extraction(records.lantern_ferry())
    assert store.backend.contains_named_graph(SUMMARY_GRAPH)
    # A new one makes it stale: gone, and readers read the documents.
    assert store.add_extraction(records.lamp_harbor())
    assert not store.backend.contains_named_graph(SUMMARY_GRAPH)
    assert not store.backend.contains_named_graph(LISTINGS_GRAPH)
    assert "Lamp Harbor" in str(_rows(store, "evidence", {"name": "Nobu Karasawa"}))
    # The next derivation writes the summary again, and a document after it drops it again.
    store.materialize_inferred()
    assert (ID + "show/harbor-lamp", "Lamp Harbor") in {
        (q.subject.value, q.object.value) for q in store.backend.quads_for_pattern(None, SUMMARY_LABEL, None, SUMMARY_GRAPH)}
    assert store.add_extraction(records.cinder_vale())
    assert not store.backend.contains_named_graph(SUMMARY_GRAPH)
