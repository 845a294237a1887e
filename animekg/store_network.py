"""The credit network read from a store: all of it, or only the part a page shows.

A page of a big store shows a few hundred or thousand entities; reading every entity and
credit to draw them takes seconds to minutes at a million triples. So the part is asked
for by name: the most connected entities from the summary graph (graph/summary.py), or
the entities around some seeds, hop by hop, then only their names and the credits
among them. Each step is one named query with the entities as a list parameter.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import networkx as nx

from animekg.graph.queries import run_named_query
from animekg.graph.store import GraphStore
from animekg.views import credit_network

# Entities or credits per query: a list becomes a VALUES block, which a remote server
# has to take in one request.
CHUNK = 2000


def whole_network(store: GraphStore) -> nx.MultiDiGraph:
    """Every entity and credit: what an export writes."""
    entities = [_entity(r) for r in run_named_query(store, "view-entities").records()]
    return credit_network(entities, _credits(run_named_query(store, "view-credits").records()))


def network_of(store: GraphStore, iris: Iterable[str], credits: Iterable[str] | None = None) -> nx.MultiDiGraph:
    """The entities (IRIs) and the credits among them (found, unless given), the nodes in
    the order given."""
    wanted = list(dict.fromkeys(iris))
    kept = set(wanted)
    rows = {r["iri"]: r for r in _rows(store, "view-nodes", "iri", wanted)}
    if credits is None:
        credits = (r["credit"] for r in _rows(store, "view-links", "iri", wanted) if r["other"] in kept)
    links = sorted(set(credits))
    credit_rows = _rows(store, "view-credit-rows", "credit", links)
    # In view-credits' order, whatever the chunks: by credit, then source (a stable sort
    # keeps each document's sentences in their order).
    credit_rows.sort(key=lambda r: (r["s"], r["relation"], r["o"], r["source"]))
    return credit_network([_entity(rows[iri]) for iri in wanted if iri in rows], _credits(credit_rows))


def most_connected_network(store: GraphStore, n: int) -> nx.MultiDiGraph | None:
    """The ``n`` most connected entities and the credits among them, most connected first,
    each node with its ``degree`` in the whole network and the graph with ``connected``,
    how many entities have a credit; None where the summary cannot say (a store without
    one, or with no more than ``n`` entities with credits, whose whole network is small)."""
    ranked = run_named_query(store, "view-ranked", {"places": str(n)}).records()
    if not ranked or int(ranked[0]["of"]) <= n:
        return None
    links = [r["credit"] for r in run_named_query(store, "view-ranked-links", {"limit": str(n)}).records()]
    graph = network_of(store, [r["iri"] for r in ranked], links)
    for row in ranked:
        if row["iri"] in graph:
            graph.nodes[row["iri"]]["degree"] = int(row["credits"])
    graph.graph["connected"] = int(ranked[0]["of"])
    return graph


def named(store: GraphStore, name: str) -> list[str]:
    """The entities with this label or other name, in any case: from the names the summary
    graph keeps lower-cased, else (no summary, or no such name) from every name."""
    found = run_named_query(store, "view-name-key", {"key": name.lower()}).records()
    return [r["iri"] for r in found or run_named_query(store, "view-named", {"name": name}).records()]


def labelled(store: GraphStore, labels: Iterable[str]) -> list[str]:
    """The entities whose label is one of ``labels``, exactly."""
    return [r["iri"] for r in _rows(store, "view-labelled", "label", sorted(set(labels)))]


def neighbourhood(store: GraphStore, seeds: Iterable[str], depth: int) -> nx.MultiDiGraph:
    """The seeds, the entities up to ``depth`` credits away, and the credits among them."""
    seen = list(dict.fromkeys(seeds))
    frontier = seen
    for _ in range(depth):
        known = set(seen)
        found = [r["other"] for query in ("view-links", "view-backlinks")
                 for r in _rows(store, query, "iri", frontier) if r["other"] not in known]
        frontier = list(dict.fromkeys(found))
        if not frontier:
            break
        seen += frontier
    return network_of(store, seen)


def _rows(store: GraphStore, query: str, param: str, values: list[str]) -> list[dict[str, Any]]:
    rows = []
    for start in range(0, len(values), CHUNK):
        rows += run_named_query(store, query, {param: values[start:start + CHUNK]}).records()
    return rows


def _entity(row: Mapping[str, Any]) -> dict[str, Any]:
    return {"iri": row["iri"], "label": row["label"] or row["iri"],
            "types": [t for t in (row["types"] or "").split("|") if t],
            "aliases": [a for a in (row["aliases"] or "").split("|") if a]}


def _credits(rows: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """One credit per (subject, relation, object): its highest confidence, every sentence."""
    credits: dict[tuple[str, str, str], dict[str, Any]] = {}
    for r in rows:
        credit = credits.setdefault((r["s"], r["relation"], r["o"]), {"s": r["s"], "p": r["relation"], "o": r["o"],
                                                                      "confidence": 0.0, "evidence": []})
        credit["confidence"] = max(credit["confidence"], float(r["confidence"]))
        credit["evidence"].append({"sentence": r["sentence"], "source": r["source"]})
    return list(credits.values())


__all__ = ["labelled", "most_connected_network", "named", "neighbourhood", "network_of", "whole_network"]
