"""extraction_quads: hand-made Extraction records -> the quads of one named graph."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pyoxigraph import Literal, NamedNode

from animekg.extract.records import Credit, Entity, Evidence, Extraction
from animekg.graph.triples import INFERRED_GRAPH, document_iri, entity_iri, extraction_quads

AMK = "https://w3id.org/animekg/ontology#"
ID = "https://w3id.org/animekg/id/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
XSD = "http://www.w3.org/2001/XMLSchema#"
TYPE = NamedNode(RDF + "type")
LABEL = NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
ALT = NamedNode("http://www.w3.org/2004/02/skos/core#altLabel")
DCT = "http://purl.org/dc/terms/"
PROV = "http://www.w3.org/ns/prov#"


def amk(name: str) -> NamedNode:
    return NamedNode(AMK + name)


def objects(quads, subject, predicate) -> set:
    return {q.object for q in quads if q.subject == subject and q.predicate == predicate}


def subjects(quads, predicate, obj) -> set:
    return {q.subject for q in quads if q.predicate == predicate and q.object == obj}


def one_agent(records, name: str) -> NamedNode:
    text = f"{name} wrote the score."
    extraction = records.Extraction(records.document("solo", text),
                                    [records.Entity(name, {"Composer"})], [])
    _, quads = extraction_quads(extraction)
    (agent,) = subjects(quads, TYPE, amk("Person"))
    return agent


def test_same_input_gives_identical_quads(records):
    first = extraction_quads(records.lantern_ferry())
    second = extraction_quads(records.lantern_ferry())
    assert first == second
    assert len(first[1]) == len(set(first[1])), "no duplicate quads"


@pytest.mark.parametrize("name", ["Yuuki Kajiura", "Kajiura Yuki", "Yuki Kajiura", "KAJIURA Yuuki"])
def test_agent_iri_comes_from_the_normalized_name(records, name):
    assert one_agent(records, name) == NamedNode(ID + "agent/kajiura-yuki")


def test_iri_depends_on_the_kind_of_entity():
    assert entity_iri("agent", "Glass Orchard") != entity_iri("show", "Glass Orchard")
    assert entity_iri("show", "Glass Orchard").value == ID + "show/glass-orchard"


def test_every_quad_is_in_the_document_graph(records):
    graph, quads = extraction_quads(records.lantern_ferry())
    assert graph == document_iri("lantern_ferry") == NamedNode(ID + "doc/lantern_ferry")
    assert {q.graph_name for q in quads} == {graph}
    assert graph != INFERRED_GRAPH


def test_two_documents_get_two_graphs(records):
    ferry, _ = extraction_quads(records.lantern_ferry())
    orchard, _ = extraction_quads(records.glass_orchard())
    assert ferry != orchard


def test_document_metadata(records):
    extraction = records.lantern_ferry()
    graph, quads = extraction_quads(extraction)
    assert objects(quads, graph, TYPE) == {amk("SourceDocument"), NamedNode(PROV + "Entity")}
    assert objects(quads, graph, NamedNode(DCT + "source")) == {Literal("notes/lantern_ferry.txt")}
    assert objects(quads, graph, amk("sha256")) == {Literal(extraction.document.sha256)}
    assert objects(quads, graph, NamedNode(DCT + "title")) == {Literal("Lantern Ferry and its music")}
    assert objects(quads, graph, NamedNode(PROV + "generatedAtTime")) == {
        Literal("2023-11-14T22:13:20Z", datatype=NamedNode(XSD + "dateTime"))}


def test_generated_at_time_honours_source_date_epoch(records, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "86400")
    graph, quads = extraction_quads(records.lantern_ferry())
    (when,) = objects(quads, graph, NamedNode(PROV + "generatedAtTime"))
    assert when.value == "1970-01-02T00:00:00Z"


def test_labels_and_aliases(records):
    _, quads = extraction_quads(records.lantern_ferry())
    minase = NamedNode(ID + "agent/aoi-minase")
    assert objects(quads, minase, LABEL) == {Literal("Aoi Minase")}
    assert objects(quads, minase, ALT) == {Literal("Minase")}
    assert objects(quads, minase, TYPE) == {amk("Person"), amk("Composer"), amk("Arranger")}
    labelled = {q.subject for q in quads if q.predicate == LABEL}
    assert all(len(objects(quads, s, LABEL)) == 1 for s in labelled)


def test_an_orchestra_is_a_group(records):
    _, quads = extraction_quads(records.glass_orchard())
    choir = NamedNode(ID + "agent/hollow-bell-orchestra")
    assert objects(quads, choir, TYPE) == {amk("Group"), amk("Orchestra"), amk("Performer")}
    assert objects(quads, choir, ALT) == {Literal("the Hollow Bell Orchestra")}


def test_show_and_album_of_the_same_name_get_two_iris(records):
    text = "Moonlit Relay, the soundtrack of Moonlit Relay, is all strings."
    extraction = Extraction(
        records.document("relay", text),
        [Entity("Moonlit Relay", {"Show", "Album"})],
        [Credit("Moonlit Relay", "soundtrackOf", "Moonlit Relay", 0.6, Evidence(text, 0, len(text)))])
    _, quads = extraction_quads(extraction)
    album, show = entity_iri("album", "Moonlit Relay"), entity_iri("show", "Moonlit Relay")
    assert album != show
    assert objects(quads, album, TYPE) == {amk("Album")}
    assert objects(quads, show, TYPE) == {amk("Show")}
    assert objects(quads, album, LABEL) == objects(quads, show, LABEL) == {Literal("Moonlit Relay")}
    assert objects(quads, album, amk("soundtrackOf")) == {show}
    assert objects(quads, show, amk("soundtrackOf")) == set()


def test_credit_node_carries_the_statement_and_its_evidence(records):
    extraction = records.lantern_ferry()
    graph, quads = extraction_quads(extraction)
    minase, ferry = NamedNode(ID + "agent/aoi-minase"), NamedNode(ID + "show/ferry-lantern")
    assert objects(quads, minase, amk("composedMusicFor")) == {ferry}

    (node,) = subjects(quads, NamedNode(RDF + "predicate"), amk("composedMusicFor"))
    assert node.value.startswith(ID + "credit/")
    assert objects(quads, node, TYPE) == {amk("Credit"), NamedNode(RDF + "Statement")}
    assert objects(quads, node, NamedNode(RDF + "subject")) == {minase}
    assert objects(quads, node, NamedNode(RDF + "object")) == {ferry}
    (confidence,) = objects(quads, node, amk("confidence"))
    assert confidence.datatype == NamedNode(XSD + "decimal")
    assert float(confidence.value) == 0.95
    assert objects(quads, node, NamedNode(PROV + "wasDerivedFrom")) == {graph}
    assert objects(quads, node, amk("extractorVersion")) == {Literal("test-1")}

    (ev,) = objects(quads, node, amk("evidence"))
    assert objects(quads, ev, TYPE) == {amk("Evidence"), NamedNode(PROV + "Entity")}
    (sentence,) = objects(quads, ev, amk("sentence"))
    (start,) = objects(quads, ev, amk("startOffset"))
    (end,) = objects(quads, ev, amk("endOffset"))
    assert start.datatype == end.datatype == NamedNode(XSD + "integer")
    assert sentence.value == "Aoi Minase composed the music of Lantern Ferry."
    assert extraction.document.text[int(start.value):int(end.value)] == sentence.value
    assert objects(quads, ev, NamedNode(PROV + "wasDerivedFrom")) == {graph}


def test_one_credit_node_per_credit(records):
    extraction = records.lantern_ferry()
    _, quads = extraction_quads(extraction)
    nodes = subjects(quads, TYPE, amk("Credit"))
    assert len(nodes) == len(extraction.credits) == 7


def test_credit_naming_no_entity_is_left_out(records):
    text = "Aoi Minase composed the music of Lantern Ferry."
    extraction = Extraction(
        records.document("partial", text), [Entity("Aoi Minase", {"Composer"})],
        [Credit("Aoi Minase", "composedMusicFor", "Lantern Ferry", 0.9, Evidence(text, 0, len(text)))])
    _, quads = extraction_quads(extraction)
    assert not subjects(quads, TYPE, amk("Credit"))
    assert not [q for q in quads if q.predicate == amk("composedMusicFor")]


def test_a_resolver_supplies_the_iri_and_label_of_a_known_entity(records):
    known = NamedNode(ID + "agent/known-one")
    seen = []

    def resolve(kind, forms):
        seen.append((kind, forms))
        return (known, "Aoi Minase", True) if kind == "agent" and "Minase" in forms else None

    text = "Minase arranged it."
    extraction = Extraction(records.document("short", text), [Entity("Minase", {"Arranger"})], [])
    _, quads = extraction_quads(extraction, resolve=resolve)
    assert seen == [("agent", ["Minase"])]
    assert objects(quads, known, LABEL) == {Literal("Aoi Minase")}
    # What the graph knew wins: a group stays a group.
    assert NamedNode(AMK + "Group") in objects(quads, known, TYPE)
    assert objects(quads, known, ALT) == {Literal("Minase")}
    assert not [q for q in quads if q.subject == NamedNode(ID + "agent/minase")]


# -- document graphs ---------------------------------------------------------------------

def test_plain_document_ids_are_their_own_iris():
    for doc_id in ("n1001", "000_6e5100af84e2bd65", "web-007.v2"):
        assert document_iri(doc_id) == NamedNode(ID + "doc/" + doc_id)


def test_other_ids_are_percent_encoded_by_segment():
    assert document_iri("a/review") == NamedNode(ID + "doc/a/review")
    assert document_iri("Kajiura's review") == NamedNode(ID + "doc/Kajiura%27s%20review")
    assert document_iri("x/../y") == NamedNode(ID + "doc/x/%2E%2E/y")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet=st.sampled_from(list("aA1_.-/ ~%'é")) | st.characters(), min_size=1),
                min_size=2, max_size=2, unique=True))
def test_two_ids_never_share_a_graph(ids):
    # Slugs gave "a/review", "a-review" and "Review A" one graph; no two ids may.
    one, two = ids
    assert document_iri(one) != document_iri(two)
