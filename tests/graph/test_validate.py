"""SHACL validation of stores built from hand-made extractions, and of spoiled ones."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from animekg.graph.store import GraphStore
from animekg.graph.triples import document_iri
from animekg.graph.validate import union_graph, validate_store

AMK = "https://w3id.org/animekg/ontology#"
ID = "https://w3id.org/animekg/id/"
XSD = "http://www.w3.org/2001/XMLSchema#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
TYPE = ox.NamedNode(RDF + "type")
MINASE = ox.NamedNode(ID + "agent/aoi-minase")
GRAPH = document_iri("lantern_ferry")


def amk(name: str) -> ox.NamedNode:
    return ox.NamedNode(AMK + name)


def credit_node(store: GraphStore, relation: str) -> ox.NamedNode:
    (quad,) = store.backend.quads_for_pattern(None, ox.NamedNode(RDF + "predicate"), amk(relation), GRAPH)
    return quad.subject


def replace_object(store: GraphStore, subject, predicate, new) -> None:
    for quad in list(store.backend.quads_for_pattern(subject, predicate, None, None)):
        store.backend.remove(quad)
        store.backend.add(ox.Quad(subject, predicate, new, quad.graph_name))


def test_a_built_store_conforms(store):
    report = validate_store(store)
    assert report.conforms, report.text
    assert report.triples == len(union_graph(store)) > 0


def test_an_empty_store_conforms(empty_store):
    assert validate_store(empty_store).conforms


def second_label(store):
    store.backend.add(ox.Quad(MINASE, LABEL, ox.Literal("Minase Aoi"), GRAPH))


def confidence_above_one(store):
    node = credit_node(store, "composedMusicFor")
    replace_object(store, node, amk("confidence"), ox.Literal("2.0", datatype=ox.NamedNode(XSD + "decimal")))


def person_and_group(store):
    store.backend.add(ox.Quad(MINASE, TYPE, amk("Group"), GRAPH))


def credit_without_its_triple(store):
    for quad in list(store.backend.quads_for_pattern(MINASE, amk("arrangerOf"), None, None)):
        store.backend.remove(quad)


def evidence_ending_before_it_starts(store):
    node = credit_node(store, "releasedBy")
    (ev,) = store.backend.quads_for_pattern(node, amk("evidence"), None, GRAPH)
    replace_object(store, ev.object, amk("endOffset"), ox.Literal("1", datatype=ox.NamedNode(XSD + "integer")))


def bad_sha256(store):
    replace_object(store, GRAPH, amk("sha256"), ox.Literal("not-a-hash"))


@pytest.mark.parametrize("spoil, message", [
    (second_label, "exactly one rdfs:label"),
    (confidence_above_one, "an xsd:decimal from 0 to 1"),
    (person_and_group, "either an amk:Person or an amk:Group"),
    (credit_without_its_triple, "The triple a credit describes is not asserted"),
    (evidence_ending_before_it_starts, "below amk:endOffset"),
    (bad_sha256, "64 lower-case hex digits"),
])
def test_a_spoiled_store_does_not_conform(store, spoil, message):
    spoil(store)
    report = validate_store(store)
    assert not report.conforms
    assert message in report.text
