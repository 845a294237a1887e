"""The summary graph: how connected each entity is, kept at build time for big stores.

A network page shows the most connected entities. Counting every entity's credits when a
page is asked for means reading every credit of the store (seconds at a million triples);
so the count and the place of each entity are written into ``id:graph/summary`` whenever
the inferred graph is rebuilt, and a view reads the first places from there. So are the
entities' names lower-cased, where a focused view looks a name up in any case, and their
labels once each, which the queries about one entity read (every document graph states
the label of each entity it names: a popular one's label is otherwise read a thousand
times over).

An entity's count is the number of credits it takes part in, as subject or object, a
credit being a distinct (subject, relation, object) of any number of documents: the
degree of its node in the credit network (a credit of an entity with itself counts twice,
as a loop does). Places go by count, most first, ties by IRI.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

import pyoxigraph as ox

from animekg.ontology import AMK

from .triples import SUMMARY_GRAPH, XSD

CREDIT_COUNT = ox.NamedNode(AMK + "creditCount")
CONNECTED_RANK = ox.NamedNode(AMK + "connectedRank")
NAME_KEY = ox.NamedNode(AMK + "nameKey")
SUMMARY_LABEL = ox.NamedNode(AMK + "summaryLabel")
CONNECTED_ENTITIES = ox.NamedNode(AMK + "connectedEntities")
INTEGER = ox.NamedNode(XSD + "integer")

Term = ox.NamedNode | ox.BlankNode | ox.Literal  # what a credit's end may be in a store

def summary_triples(credits: Iterable[tuple[Term, Term, Term]]) -> list[ox.Triple]:
    """The count and place of every entity in the credits, (subject, relation, object)
    triples that may repeat.

    >>> a, b, c = (ox.NamedNode(f"urn:{x}") for x in "abc")
    >>> rel = ox.NamedNode("urn:composerOf")
    >>> [(t.subject.value, t.predicate.value.split("#")[1], t.object.value)
    ...  for t in summary_triples([(a, rel, b), (a, rel, b), (a, rel, c)])][1:5]
    [('urn:a', 'creditCount', '2'), ('urn:a', 'connectedRank', '1'), ('urn:b', 'creditCount', '1'), ('urn:b', 'connectedRank', '2')]
    """
    counts: Counter[ox.NamedNode] = Counter()
    for subject, _, obj in set(credits):
        for end in (subject, obj):
            if isinstance(end, ox.NamedNode):  # an entity; a store with odd data may hold other ends
                counts[end] += 1
    # By the IRI's text, as the network view sorts its nodes (views.network.most_connected).
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0].value))
    # How many have a place, on the summary graph itself: counting the places is a read of
    # every one.
    triples = [ox.Triple(SUMMARY_GRAPH, CONNECTED_ENTITIES, ox.Literal(str(len(ranked)), datatype=INTEGER))]
    for place, (entity, count) in enumerate(ranked, start=1):
        triples.append(ox.Triple(entity, CREDIT_COUNT, ox.Literal(str(count), datatype=INTEGER)))
        triples.append(ox.Triple(entity, CONNECTED_RANK, ox.Literal(str(place), datatype=INTEGER)))
    return triples


def name_key_triples(names: Iterable[tuple[ox.NamedNode, str]]) -> list[ox.Triple]:
    """Each (entity, name) as the name lower-cased, for a lookup in any case: finding a
    name in any case otherwise compares it with every name in the store (1.8 s at a
    million triples). Python's lower-casing, which the lookup uses too.

    >>> [t.object.value for t in name_key_triples([(ox.NamedNode("urn:a"), "Ann LEE"), (ox.NamedNode("urn:a"), "ann lee")])]
    ['ann lee']
    """
    keys = {(entity, name.lower()) for entity, name in names}
    return [ox.Triple(entity, NAME_KEY, ox.Literal(key)) for entity, key in sorted(keys, key=lambda k: (k[0].value, k[1]))]


def label_triples(labels: Iterable[tuple[ox.NamedNode, ox.Literal]]) -> list[ox.Triple]:
    """Each (entity, label) once, however many documents state it.

    >>> a = ox.NamedNode("urn:a")
    >>> [t.object.value for t in label_triples([(a, ox.Literal("Ann Lee")), (a, ox.Literal("Ann Lee"))])]
    ['Ann Lee']
    """
    return [ox.Triple(entity, SUMMARY_LABEL, label)
            for entity, label in sorted(set(labels), key=lambda k: (k[0].value, k[1].value))]


__all__ = ["CONNECTED_ENTITIES", "CONNECTED_RANK", "CREDIT_COUNT", "NAME_KEY", "SUMMARY_LABEL", "label_triples", "name_key_triples",
           "summary_triples"]
