"""GraphStore: writing documents, replacing them safely, names across documents, rules, queries."""

from __future__ import annotations

import gc

import pyoxigraph as ox
import pytest

from animekg.errors import QueryError, StoreError
from animekg.extract.records import Credit, Entity, Evidence, Extraction
from animekg.graph.store import GraphStore
from animekg.graph.triples import INFERRED_GRAPH, document_iri, extraction_quads

AMK = "https://w3id.org/animekg/ontology#"
ID = "https://w3id.org/animekg/id/"
LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
ALT = ox.NamedNode("http://www.w3.org/2004/02/skos/core#altLabel")
PREFIXES = """PREFIX amk: <https://w3id.org/animekg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""


def node(path: str) -> ox.NamedNode:
    return ox.NamedNode(ID + path)


def amk(name: str) -> ox.NamedNode:
    return ox.NamedNode(AMK + name)


def snapshot(store: GraphStore) -> list[str]:
    return sorted(str(q) for q in store.quads())


def graph_quads(store: GraphStore, graph: ox.NamedNode) -> set[ox.Quad]:
    return set(store.backend.quads_for_pattern(None, None, None, graph))


def canonical(quads) -> set[ox.Quad]:
    """Quads as Oxigraph stores them (it writes "0.90"^^xsd:decimal as "0.9")."""
    scratch = ox.Store()
    scratch.extend(quads)
    return set(scratch)


def in_graph(store: GraphStore, graph: ox.NamedNode, s, p, o) -> bool:
    return any(store.backend.quads_for_pattern(s, p, o, graph))


def small(records, doc_id: str, text: str, entities: list[Entity], *credits) -> Extraction:
    """An extraction whose credits each cite the whole text as evidence."""
    ev = Evidence(text, 0, len(text))
    return Extraction(records.document(doc_id, text), entities,
                      [Credit(s, p, o, 0.8, ev) for s, p, o in credits])


# -- writing documents ------------------------------------------------------------------

def test_add_extraction_writes_the_document_graph(records, empty_store):
    store = empty_store
    extraction = records.lantern_ferry()
    assert store.add_extraction(extraction) is True
    graph = document_iri("lantern_ferry")
    assert store.document_graphs() == [graph]
    assert graph_quads(store, graph) == canonical(extraction_quads(extraction)[1])
    assert store.has_document("lantern_ferry", extraction.document.sha256)
    assert not store.has_document("lantern_ferry", "0" * 64)


def test_same_document_again_changes_nothing(records, empty_store):
    store = empty_store
    assert store.add_extraction(records.lantern_ferry())
    before = snapshot(store)
    assert store.add_extraction(records.lantern_ferry()) is False
    assert snapshot(store) == before


def test_changed_document_replaces_its_graph_entirely(records, empty_store):
    store = empty_store
    old = records.lantern_ferry()
    store.add_extraction(old)
    store.add_extraction(records.glass_orchard())
    orchard_before = graph_quads(store, document_iri("glass_orchard"))

    text = "Lantern Ferry's opening, \"Paper Moon Signal\", is sung by Nanami Sato.\n"
    new = small(records, "lantern_ferry", text,
                [Entity("Paper Moon Signal", {"Song"}), Entity("Nanami Sato", {"Performer"})],
                ("Nanami Sato", "performerOf", "Paper Moon Signal"))
    assert store.add_extraction(new) is True

    graph = document_iri("lantern_ferry")
    assert graph_quads(store, graph) == canonical(extraction_quads(new)[1])
    assert not in_graph(store, None, node("agent/kaito-ren"), None, None), "old credit gone"
    assert not in_graph(store, None, node("agent/aoi-minase"), amk("arrangerOf"), None)
    assert in_graph(store, graph, node("agent/nanami-sato"), amk("performerOf"), None)
    shas = {q.object.value for q in store.backend.quads_for_pattern(graph, amk("sha256"), None, None)}
    assert shas == {new.document.sha256}
    assert not store.has_document("lantern_ferry", old.document.sha256)
    assert graph_quads(store, document_iri("glass_orchard")) == orchard_before
    assert len(store.document_graphs()) == 2


class FailingOxigraph:
    """Wraps a store's backend; the writes that publish a document's graph fail (a new
    graph's ``extend``, a replaced graph's DROP + INSERT DATA update) as a full disk would."""

    def __init__(self, real: ox.Store):
        self.real = real
        self.updates = []

    def __getattr__(self, name):
        return getattr(self.real, name)

    def __len__(self):
        return len(self.real)

    def extend(self, quads):
        raise OSError("No space left on device")

    def update(self, text, *args, **kwargs):
        self.updates.append(text)
        if "INSERT DATA" in text:
            raise OSError("No space left on device")
        return self.real.update(text, *args, **kwargs)


def test_failure_while_replacing_leaves_the_store_as_it_was(records, monkeypatch, empty_store):
    store = empty_store
    store.add_extraction(records.lantern_ferry())
    before = snapshot(store)
    failing = FailingOxigraph(store.backend)
    monkeypatch.setattr(store, "_store", failing)

    changed = records.lantern_ferry(records.lantern_ferry().document.text + "A second pressing followed.\n")
    with pytest.raises(StoreError, match="lantern_ferry.*No space left on device"):
        store.add_extraction(changed)

    assert failing.updates, "the failure was provoked by the update that replaces the graph"
    monkeypatch.undo()
    assert snapshot(store) == before
    assert set(store.backend.named_graphs()) == {document_iri("lantern_ferry")}, "no other graph left"


def test_failure_while_adding_a_new_document_leaves_nothing_behind(records, monkeypatch, empty_store):
    store = empty_store
    store.add_extraction(records.lantern_ferry())
    before = snapshot(store)
    monkeypatch.setattr(store, "_store", FailingOxigraph(store.backend))
    with pytest.raises(StoreError):
        store.add_extraction(records.glass_orchard())
    monkeypatch.undo()
    assert snapshot(store) == before
    assert store.document_graphs() == [document_iri("lantern_ferry")]
    # Nothing was half-written: the same document goes in cleanly afterwards.
    assert store.add_extraction(records.glass_orchard())


def test_on_disk_store_keeps_its_documents(records, tmp_path):
    path = tmp_path / "store"
    store = GraphStore(path)
    assert store.add_extraction(records.lantern_ferry())
    store.flush()
    before = snapshot(store)
    del store
    gc.collect()

    again = GraphStore(path)
    assert snapshot(again) == before
    assert again.add_extraction(records.lantern_ferry()) is False
    assert again.add_extraction(records.glass_orchard()) is True
    # Names known from disk resolve across documents after reopening.
    assert in_graph(again, document_iri("glass_orchard"), node("agent/aoi-minase"), LABEL, ox.Literal("Aoi Minase"))
    assert len(again.document_graphs()) == 2


def test_every_derivation_ends_by_compacting_a_store_on_disk(records, tmp_path, monkeypatch):
    from animekg import api

    store = GraphStore(tmp_path / "store")
    for extraction in (records.lantern_ferry(), records.glass_orchard()):
        store.add_extraction(extraction)
    compacted = []
    optimize = GraphStore.optimize
    monkeypatch.setattr(GraphStore, "optimize", lambda self: compacted.append(snapshot(self)) or optimize(self))
    api.infer(store)
    assert len(compacted) == 1 and snapshot(store) == compacted[0]  # the same quads after it
    del store
    gc.collect()
    GraphStore.in_memory().optimize()  # nothing to compact in memory
    GraphStore(tmp_path / "store", read_only=True).optimize()  # nor where nothing is written


def test_a_read_only_store_sees_what_another_writer_added_after_a_refresh(records, tmp_path):
    path = tmp_path / "store"
    writer = GraphStore(path)
    writer.add_extraction(records.lantern_ferry())
    writer.flush()
    reader = GraphStore(path, read_only=True)
    assert len(reader.document_graphs()) == 1
    writer.add_extraction(records.glass_orchard())
    assert len(reader.document_graphs()) == 1  # a snapshot until told to look again
    assert reader.refresh() is True
    assert len(reader.document_graphs()) == 2
    assert writer.refresh() is False  # a writable store sees its own writes
    del writer
    gc.collect()
    reader.refresh()  # the writer's last compaction, maybe
    assert reader.refresh() is False  # no writer, no change: no need to open it again
    assert len(reader.document_graphs()) == 2


# -- names across documents ---------------------------------------------------------------

def labels(store: GraphStore, iri: ox.NamedNode, predicate=LABEL) -> set[str]:
    return {q.object.value for q in store.backend.quads_for_pattern(iri, predicate, None, None)}


def kajiura_a(records) -> Extraction:
    return small(records, "doc_a", "Yuki Kajiura wrote the music of Noir.",
                 [Entity("Yuki Kajiura", {"Composer"}), Entity("Noir", {"Show"})],
                 ("Yuki Kajiura", "composedMusicFor", "Noir"))


def test_a_surname_and_its_aliases_resolve_to_the_known_agent(records, empty_store):
    store = empty_store
    store.add_extraction(kajiura_a(records))
    store.add_extraction(small(
        records, "doc_b", "Kajiura scored Madlax. Kajiura Yuuki never repeats herself.",
        [Entity("Kajiura", {"Composer"}, {"Kajiura Yuuki"}), Entity("Madlax", {"Show"})],
        ("Kajiura", "composedMusicFor", "Madlax")))

    agents = {q.subject for q in store.backend.quads_for_pattern(None, None, amk("Composer"), None)}
    kajiura = node("agent/kajiura-yuki")
    assert agents == {kajiura}
    assert labels(store, kajiura) == {"Yuki Kajiura"}
    assert labels(store, kajiura, ALT) == {"Kajiura", "Kajiura Yuuki"}
    assert in_graph(store, document_iri("doc_b"), kajiura, amk("composedMusicFor"), node("show/madlax"))


def test_reversed_name_in_another_document_keeps_one_label(records, empty_store):
    store = empty_store
    store.add_extraction(kajiura_a(records))
    store.add_extraction(small(
        records, "doc_b", "Kajiura scored Madlax. Kajiura Yuuki never repeats herself.",
        [Entity("Kajiura", {"Composer"}), Entity("Kajiura Yuuki", {"Composer"}), Entity("Madlax", {"Show"})],
        ("Kajiura", "composedMusicFor", "Madlax")))

    kajiura = node("agent/kajiura-yuki")
    assert labels(store, kajiura) == {"Yuki Kajiura"}
    assert labels(store, kajiura, ALT) == {"Kajiura", "Kajiura Yuuki"}


def test_names_of_a_replaced_document_resolve_the_same_after_reopening(records, tmp_path):
    def build(reopen: bool) -> set[str]:
        path = tmp_path / f"store-{reopen}"
        store = GraphStore(path)
        store.add_extraction(kajiura_a(records))
        store.add_extraction(small(records, "doc_b", "Madlax has no credits here.",
                                   [Entity("Madlax", {"Show"})]))
        store.add_extraction(small(records, "doc_a", "Noir is a show.", [Entity("Noir", {"Show"})]))
        if reopen:
            store.flush()
            del store
            gc.collect()
            store = GraphStore(path)
        store.add_extraction(small(records, "doc_c", "Kajiura scored Madlax.",
                                   [Entity("Kajiura", {"Composer"}), Entity("Madlax", {"Show"})],
                                   ("Kajiura", "composedMusicFor", "Madlax")))
        return {str(q.subject) + " " + q.object.value
                for q in store.backend.quads_for_pattern(None, LABEL, None, None)}

    assert build(reopen=False) == build(reopen=True)


# -- derived facts ------------------------------------------------------------------------

def inferred(store: GraphStore) -> set[tuple[str, str, str]]:
    return {(q.subject.value[len(ID):], q.predicate.value[len(AMK):], q.object.value[len(ID):])
            for q in store.backend.quads_for_pattern(None, None, None, INFERRED_GRAPH)}


def test_materialize_inferred_writes_the_rules_into_their_graph(records, empty_store):
    store = empty_store
    store.add_extraction(records.lantern_ferry())
    store.add_extraction(records.glass_orchard())
    count = store.materialize_inferred()
    derived = inferred(store)
    assert INFERRED_GRAPH.value == "https://w3id.org/animekg/id/graph/inferred"
    assert count == len(derived) > 0
    assert {
        ("song/paper-mon-signal", "themeSongOf", "show/ferry-lantern"),   # rule 1, step 1
        ("song/paper-mon-signal", "featuredIn", "show/ferry-lantern"),    # rule 1, step 2
        ("agent/kaito-ren", "performedMusicFor", "show/ferry-lantern"),   # rule 3 on rule 1
        ("song/road-salt", "featuredIn", "show/ferry-lantern"),           # rule 2
        ("song/dusk-relay", "featuredIn", "show/glass-orchard"),
        ("agent/ichinose-sora", "composedMusicFor", "show/glass-orchard"),  # rule 4
        ("agent/hollow-bell-orchestra", "performedMusicFor", "show/glass-orchard"),
    } <= derived
    # Derived facts live only in the inferred graph, and nothing asserted is repeated there.
    for graph in store.document_graphs():
        assert not in_graph(store, graph, node("agent/kaito-ren"), amk("performedMusicFor"), None)
    assert ("agent/aoi-minase", "composedMusicFor", "show/ferry-lantern") not in derived


def test_materialize_inferred_is_idempotent(store):
    before = snapshot(store)
    size = len(inferred(store))
    assert store.materialize_inferred() == size
    assert snapshot(store) == before


def test_inferred_graph_follows_a_replaced_document(store, records):
    text = "Lantern Ferry has no music worth naming.\n"
    store.add_extraction(small(records, "lantern_ferry", text, [Entity("Lantern Ferry", {"Show"})]))
    store.materialize_inferred()
    assert not any(s.startswith("agent/kaito-ren") or o.endswith("ferry-lantern") for s, _, o in inferred(store))
    assert ("song/dusk-relay", "featuredIn", "show/glass-orchard") in inferred(store)


# -- queries --------------------------------------------------------------------------------

@pytest.mark.parametrize("value", [
    'x" } DROP ALL { "',
    '"} ; DROP ALL ; SELECT * { "',
    "Aoi Minase' } DROP ALL { '",
])
def test_query_params_are_bound_as_terms(store, value):
    before = snapshot(store)
    query = PREFIXES + "SELECT DISTINCT ?name ?e WHERE { ?e rdfs:label ?name }"
    result = store.query(query, {"name": ox.Literal(value)})
    assert result.kind == "select" and result.rows == []
    assert snapshot(store) == before

    hit = store.query(query, {"name": ox.Literal("Aoi Minase")})
    assert hit.records() == [{"name": "Aoi Minase", "e": ID + "agent/aoi-minase"}]


def test_a_param_the_query_does_not_select_is_a_query_error(store):
    # Oxigraph binds only projected variables; the error says so instead of a traceback.
    with pytest.raises(QueryError, match="must be a variable the query SELECTs"):
        store.query(PREFIXES + "SELECT DISTINCT ?e WHERE { ?e rdfs:label ?name }",
                    {"name": ox.Literal("Aoi Minase")})


@pytest.mark.parametrize("text", ["SELEC ?x WHERE { ?x ?y ?z }", "SELECT ?x WHERE { ?x ?y }", ""])
def test_malformed_query_raises_query_error(store, text):
    with pytest.raises(QueryError, match="malformed SPARQL"):
        store.query(text)


def test_ask_and_construct_results(store):
    assert store.query(PREFIXES + "ASK { ?s amk:performerOf ?o }").boolean is True
    assert store.query(PREFIXES + "ASK { ?s amk:memberOf ?o }").boolean is False
    result = store.query(PREFIXES + "CONSTRUCT { ?s amk:performedMusicFor ?o } "
                                    "WHERE { ?s amk:performedMusicFor ?o }")
    assert result.kind == "construct"
    assert {(t.subject.value, t.object.value) for t in result.triples} == {
        (ID + "agent/kaito-ren", ID + "show/ferry-lantern"),
        (ID + "agent/hollow-bell-orchestra", ID + "show/glass-orchard")}


def test_query_sees_the_union_of_all_graphs(store):
    rows = store.query(PREFIXES + "SELECT ?s WHERE { ?s amk:featuredIn ?show } ORDER BY ?s").records()
    assert [r["s"] for r in rows] == [ID + "song/dusk-relay", ID + "song/paper-mon-signal",
                                      ID + "song/road-salt"]


def test_stats_counts(store):
    figures = store.stats()
    assert figures["documents"] == 2
    assert figures["entities"] == {"Album": 1, "Arranger": 1, "Composer": 2, "Label": 1,
                                   "Orchestra": 1, "Performer": 2, "Show": 2, "Song": 3}
    assert figures["credits"] == {
        "arrangerOf": 1, "composedMusicFor": 3, "composerOf": 1, "endingThemeOf": 1,
        "featuredIn": 3, "openingThemeOf": 1, "performedMusicFor": 2, "performerOf": 2,
        "releasedBy": 1, "soundtrackOf": 1, "themeSongOf": 2, "trackOf": 1}
    assert figures["triples"] == len(store.quads())


def test_stats_of_an_empty_store(empty_store):
    assert empty_store.stats() == {"documents": 0, "entities": {}, "credits": {}, "triples": 0}


def test_an_agent_stays_a_person_or_a_group_across_documents(records, empty_store):
    store = empty_store
    store.add_extraction(small(records, "doc_p", "Lantern Band played.", [Entity("Lantern Band", {"Performer"})]))
    store.add_extraction(small(records, "doc_g", "Aoi Minase's Lantern Band group played.",
                               [Entity("Lantern Band", {"Performer"}, group=True)]))
    kinds = {q.object.value.rsplit("#", 1)[1] for q in store.backend.quads_for_pattern(
        node("agent/band-lantern"), ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), None, None)}
    assert "Person" in kinds and "Group" not in kinds
