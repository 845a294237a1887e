"""Project store rows onto a networkx graph, plus a few questions people ask of it.

The store hands us plain rows (one per entity, one per credit); everything here is
pure Python over those rows, so it can be tested without a store.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple
from urllib.parse import unquote

import networkx as nx

# One display type per node: the most specific role wins, so a composer who also
# performs is drawn as a composer, and an orchestra (also a Performer) as an orchestra.
KIND_PRIORITY: tuple[str, ...] = (
    "Orchestra",
    "Composer",
    "Performer",
    "Lyricist",
    "Arranger",
    "Show",
    "Album",
    "Song",
    "Label",
)
OTHER = "Other"

# Nodes of these types are works or companies; anything else with a credit is an agent.
# Unknown-end nodes have no types, so they count as agents, which is what their
# credits (composedMusicFor, performerOf, ...) usually make them.
NON_AGENT_TYPES = frozenset({"Show", "Song", "Album", "Label"})
WORK_TYPES = frozenset({"Song", "Album"})
# Membership says who is in a group; it is not a credit on a work.
MEMBERSHIP = frozenset({"memberOf"})


class Credited(NamedTuple):
    iri: str
    label: str
    credits: int


def label_from_iri(iri: str) -> str:
    """The last path segment (or fragment) of an IRI, percent-decoded."""
    tail = iri.rstrip("/#")
    cut = max(tail.rfind("/"), tail.rfind("#"))
    return unquote(tail[cut + 1 :]) or iri


def kind_of(types: Iterable[str]) -> str:
    present = set(types)
    return next((k for k in KIND_PRIORITY if k in present), OTHER)


def _add_entity(G: nx.MultiDiGraph, row: Mapping[str, Any]) -> None:
    iri = row["iri"]
    types = set(row.get("types") or ())
    aliases = list(row.get("aliases") or ())
    label = row.get("label") or ""
    if iri in G:
        # The store may return one row per type or per alias: merge, do not overwrite.
        node = G.nodes[iri]
        types |= set(node["types"])
        aliases = node["aliases"] + aliases
        # First real label wins; a fallback taken from the IRI does not count as one.
        if node["label"] != label_from_iri(iri):
            label = node["label"]
    G.add_node(
        iri,
        label=label or label_from_iri(iri),
        types=sorted(types),
        kind=kind_of(types),
        aliases=list(dict.fromkeys(aliases)),
    )


def _evidence(row: Mapping[str, Any]) -> list[dict[str, str]]:
    out = []
    for item in row.get("evidence") or ():
        sentence = (item.get("sentence") or "").strip()
        source = (item.get("source") or "").strip()
        if sentence or source:
            out.append({"sentence": sentence, "source": source})
    return out


def _add_credit(G: nx.MultiDiGraph, row: Mapping[str, Any]) -> None:
    s, p, o = row["s"], row["p"], row["o"]
    for iri in (s, o):
        if iri not in G:
            G.add_node(iri, label=label_from_iri(iri), types=[], kind=OTHER, aliases=[])
    confidence = row.get("confidence")
    confidence = None if confidence is None else float(confidence)
    evidence = _evidence(row)
    if G.has_edge(s, o, key=p):
        # The same credit found in several documents arrives as several rows.
        old = G.edges[s, o, p]
        evidence = old["evidence"] + [e for e in evidence if e not in old["evidence"]]
        if old["confidence"] is not None:
            confidence = old["confidence"] if confidence is None else max(confidence, old["confidence"])
    sources = sorted({e["source"] for e in evidence if e["source"]})
    G.add_edge(
        s,
        o,
        key=p,
        relation=p,
        confidence=confidence,
        evidence=evidence,
        sources=sources,
        n_sources=len(sources),
        sentences=list(dict.fromkeys(e["sentence"] for e in evidence if e["sentence"])),
    )


def credit_network(
    entities: Iterable[Mapping[str, Any]], credits: Iterable[Mapping[str, Any]]
) -> nx.MultiDiGraph:
    """Build the credit graph: nodes keyed by IRI, edges keyed by relation name.

    Node attributes: label, types (sorted), kind, aliases.
    Edge attributes: relation, confidence, sources (sorted, unique), n_sources,
    sentences (unique, in document order) and evidence ({sentence, source} pairs,
    kept so a view can say which document each sentence came from).
    """
    G = nx.MultiDiGraph()
    for row in entities:
        _add_entity(G, row)
    for row in credits:
        _add_credit(G, row)
    return G


def most_connected(G: nx.MultiDiGraph, n: int) -> list[str]:
    """The ``n`` nodes with the highest degree, most first (ties by IRI, so it is stable)."""
    ranked = sorted(G.degree, key=lambda nd: (-nd[1], str(nd[0])))
    return [node for node, _ in ranked[:n]]


def _has_type(G: nx.MultiDiGraph, node: str, types: frozenset[str] | set[str]) -> bool:
    return not types.isdisjoint(G.nodes[node]["types"])


def _is_agent(G: nx.MultiDiGraph, node: str) -> bool:
    return not _has_type(G, node, NON_AGENT_TYPES)


def most_credited(G: nx.MultiDiGraph, kind: str = "Composer", n: int = 10) -> list[Credited]:
    """The ``n`` nodes of a type with the most credits, most first (ties by label).

    A node qualifies if ``kind`` is among its types (so a composer-performer counts
    as a performer too). Its credits are the credit edges it takes part in, either
    direction, membership excluded.
    """
    ranked = [
        Credited(
            node,
            data["label"],
            sum(1 for *_, rel in G.in_edges(node, keys=True) if rel not in MEMBERSHIP)
            + sum(1 for *_, rel in G.out_edges(node, keys=True) if rel not in MEMBERSHIP),
        )
        for node, data in G.nodes(data=True)
        if kind in data["types"] or data["kind"] == kind
    ]
    ranked.sort(key=lambda c: (-c.credits, c.label.casefold(), c.iri))
    return ranked[:n]


def _works_of_show(G: nx.MultiDiGraph, show: str) -> set[str]:
    """Songs and albums of a show, and the songs on those albums."""
    works = {w for w in G.predecessors(show) if _has_type(G, w, WORK_TYPES)}
    albums = {w for w in works if _has_type(G, w, {"Album"})}
    return works | {s for a in albums for s in G.predecessors(a) if _has_type(G, s, {"Song"})}


def _shows_of_agent(G: nx.MultiDiGraph, agent: str) -> set[str]:
    """The mirror of ``_works_of_show``: shows an agent reaches through its works."""
    works = {w for w in G.successors(agent) if _has_type(G, w, WORK_TYPES)}
    songs = {w for w in works if _has_type(G, w, {"Song"})}
    albums = {a for w in songs for a in G.successors(w) if _has_type(G, a, {"Album"})}
    shows = {s for n in {agent} | works | albums for s in G.successors(n) if _has_type(G, s, {"Show"})}
    # Re-check against show_staff so both helpers share one definition of "credited on".
    return {s for s in shows if agent in show_staff(G, s)}


def show_staff(G: nx.MultiDiGraph, iri: str) -> dict[str, list[tuple[str, str]]]:
    """Agents credited on a show: ``{agent: [(relation, target), ...]}``.

    Counts credits into the show itself and into its songs and albums (including
    songs on its albums); membership and the works' own links are not staff.
    """
    staff: dict[str, set[tuple[str, str]]] = {}
    for target in {iri} | _works_of_show(G, iri):
        for agent, _, rel in G.in_edges(target, keys=True):
            if rel not in MEMBERSHIP and _is_agent(G, agent):
                staff.setdefault(agent, set()).add((rel, target))
    return {agent: sorted(roles) for agent, roles in sorted(staff.items())}


def collaborators(G: nx.MultiDiGraph, iri: str) -> dict[str, list[str]]:
    """Other agents credited on the same shows: ``{agent: [shared show, ...]}``.

    Ordered by how many shows they share, most first, then by label.
    """
    shared: dict[str, set[str]] = {}
    for show in _shows_of_agent(G, iri):
        for agent in show_staff(G, show):
            if agent != iri:
                shared.setdefault(agent, set()).add(show)
    order = sorted(shared, key=lambda a: (-len(shared[a]), G.nodes[a]["label"].casefold(), a))
    return {agent: sorted(shared[agent]) for agent in order}


def communities(G: nx.MultiDiGraph) -> list[set[str]]:
    """Groups of nodes more linked to each other than to the rest, largest first.

    Greedy modularity on the undirected simple graph: who is credited with whom
    matters here, not the direction of a credit or how many relations link a pair.
    Deterministic, so a notebook or a test sees the same groups every run. A node
    with no credit is a group of its own.
    """
    if len(G) == 0:
        return []
    simple = nx.Graph(G.to_undirected(as_view=True))
    if simple.number_of_edges() == 0:
        groups = [{node} for node in simple]
    else:
        groups = [set(c) for c in nx.community.greedy_modularity_communities(simple)]
    return sorted(groups, key=lambda c: (-len(c), min(G.nodes[n]["label"].casefold() for n in c)))


def _pick(wanted: Iterable[str], present: set[str], what: str) -> set[str]:
    """The names in ``present`` that ``wanted`` asks for, case-insensitively.

    A name that matches nothing is most likely a typo, so it is an error that lists
    what the graph does have, rather than a silently empty view.
    """
    by_fold = {p.casefold(): p for p in present}
    picked = set()
    for name in wanted:
        if name.casefold() not in by_fold:
            raise ValueError(f"no {what} {name!r} in the graph; it has {', '.join(sorted(present)) or 'none'}")
        picked.add(by_fold[name.casefold()])
    return picked


def filter_network(
    G: nx.MultiDiGraph, types: Iterable[str] | None = None, relations: Iterable[str] | None = None
) -> nx.MultiDiGraph:
    """The part of ``G`` with nodes of some ``types`` and credits of some ``relations``.

    A node is kept if any of its types (or its display kind, so ``Other`` picks the
    untyped ends) is among ``types``. With ``relations`` given, only those credits
    are kept, and so only the nodes they link: a view of one relation is about who
    is linked by it, and would otherwise be buried in unlinked dots. ``None`` or an
    empty list means no filter.
    """
    kept = G
    if types:
        present = {t for _, d in G.nodes(data=True) for t in [*d["types"], d["kind"]]}
        wanted = _pick(types, present, "type")
        kept = kept.subgraph(n for n, d in G.nodes(data=True) if not wanted.isdisjoint([*d["types"], d["kind"]]))
    if relations:
        wanted = _pick(relations, {rel for *_, rel in G.edges(keys=True)}, "relation")
        kept = kept.edge_subgraph((u, v, rel) for u, v, rel in kept.edges(keys=True) if rel in wanted)
    return kept.copy()
