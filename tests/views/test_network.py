from __future__ import annotations

from typing import Any

import networkx as nx
import pytest

from animekg.views.network import (
    collaborators,
    communities,
    credit_network,
    filter_network,
    kind_of,
    label_from_iri,
    most_credited,
    show_staff,
)

KG = "http://example.org/kg/"
KANNO, BEBOP, FERRY = KG + "yoko-kanno", KG + "cowboy-bebop", KG + "starlight-ferry"


def test_node_attributes(graph: nx.MultiDiGraph) -> None:
    kanno = graph.nodes[KANNO]
    assert kanno["label"] == "Yoko Kanno"
    assert kanno["types"] == ["Composer", "Person"]
    assert kanno["kind"] == "Composer"
    assert kanno["aliases"] == ["菅野よう子", "Kanno Yoko"]
    assert graph.nodes[BEBOP]["kind"] == "Show"


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("harbor-phil", "Orchestra"),  # also a Performer: Orchestra wins
        ("seatbelts", "Performer"),
        ("rin-takase", "Lyricist"),
        ("bebop-ost", "Album"),
        ("tank", "Song"),
        ("victor", "Label"),
        ("plain-person", "Other"),  # Person alone is not a display kind
    ],
)
def test_kind_priority(graph: nx.MultiDiGraph, name: str, kind: str) -> None:
    assert graph.nodes[KG + name]["kind"] == kind


def test_kind_of_prefers_composer_over_performer() -> None:
    assert kind_of(["Performer", "Composer", "Person"]) == "Composer"
    assert kind_of([]) == "Other"


def test_edges_keyed_by_relation_with_merged_evidence(graph: nx.MultiDiGraph) -> None:
    edge = graph.edges[KANNO, BEBOP, "composedMusicFor"]
    assert edge["relation"] == "composedMusicFor"
    assert edge["confidence"] == 0.95  # the best of the two rows
    assert edge["sources"] == ["doc-a", "doc-b", "doc-c"]
    assert edge["n_sources"] == 3
    assert edge["sentences"] == [
        "Yoko Kanno composed the music for Cowboy Bebop.",
        "The score is by Yoko Kanno.",
        "Kanno wrote the Bebop soundtrack.",
    ]
    # Two rows for one credit give one edge, not two.
    assert graph.number_of_edges(KANNO, BEBOP) == 1


def test_edge_without_evidence(graph: nx.MultiDiGraph) -> None:
    edge = graph.edges[KANNO, KG + "seatbelts", "memberOf"]
    assert edge["sources"] == [] and edge["n_sources"] == 0 and edge["sentences"] == []


def test_parallel_relations_are_separate_edges() -> None:
    a, b = KG + "a", KG + "b"
    G = credit_network([], [
        {"s": a, "p": "composedMusicFor", "o": b, "confidence": 1.0, "evidence": []},
        {"s": a, "p": "arrangerOf", "o": b, "confidence": 0.5, "evidence": []},
    ])
    assert set(G[a][b]) == {"composedMusicFor", "arrangerOf"}


def test_unknown_ends_get_nodes(graph: nx.MultiDiGraph) -> None:
    node = graph.nodes[KG + "Unknown%20Band"]
    assert node == {"label": "Unknown Band", "types": [], "kind": "Other", "aliases": []}
    assert graph.has_edge(KG + "Unknown%20Band", KG + "ferry-song", "performerOf")


def test_label_from_iri() -> None:
    assert label_from_iri("http://example.org/kg/yoko-kanno") == "yoko-kanno"
    assert label_from_iri("http://example.org/kg/show/") == "show"
    assert label_from_iri("http://example.org/onto#Composer") == "Composer"


def test_entity_rows_for_one_iri_are_merged() -> None:
    G = credit_network(
        [
            {"iri": KANNO, "label": "Yoko Kanno", "types": ["Composer"], "aliases": ["Kanno Yoko"]},
            {"iri": KANNO, "label": "菅野よう子", "types": ["Performer"], "aliases": ["Kanno Yoko", "YK"]},
        ],
        [],
    )
    assert G.nodes[KANNO]["label"] == "Yoko Kanno"
    assert G.nodes[KANNO]["types"] == ["Composer", "Performer"]
    assert G.nodes[KANNO]["aliases"] == ["Kanno Yoko", "YK"]


def test_most_credited(graph: nx.MultiDiGraph) -> None:
    top = most_credited(graph, "Composer")
    # Kanno: Bebop, The Real Folk Blues, Starlight Ferry; memberOf is not a credit.
    assert [(c.label, c.credits) for c in top] == [("Yoko Kanno", 3), ("Aoi Hoshino", 1)]
    assert most_credited(graph, "Composer", n=1)[0].iri == KANNO
    performers = [c.label for c in most_credited(graph, "Performer")]
    assert "Harbor Light Philharmonic" in performers  # an Orchestra is a Performer too
    assert most_credited(graph, "Show", n=1)[0].label == "Cowboy Bebop"


def test_show_staff(graph: nx.MultiDiGraph) -> None:
    staff = show_staff(graph, BEBOP)
    assert staff == {
        KANNO: [("composedMusicFor", BEBOP), ("composedMusicFor", KG + "real-folk-blues")],
        KG + "harbor-phil": [("performerOf", KG + "green-bird")],  # via the soundtrack album
        KG + "mai-yamane": [("performerOf", KG + "real-folk-blues")],
        KG + "seatbelts": [("performerOf", KG + "tank")],
    }
    # The label and the works themselves are not staff.
    assert KG + "victor" not in staff and KG + "tank" not in staff


def test_show_staff_counts_unknown_agents(graph: nx.MultiDiGraph) -> None:
    assert KG + "Unknown%20Band" in show_staff(graph, FERRY)


def test_collaborators(graph: nx.MultiDiGraph) -> None:
    collab = collaborators(graph, KANNO)
    assert set(collab) == {
        KG + name
        for name in ("seatbelts", "mai-yamane", "harbor-phil",  # Cowboy Bebop
                     "aoi-hoshino", "rin-takase", "evil", "Unknown%20Band")  # Starlight Ferry
    }
    assert collab[KG + "seatbelts"] == [BEBOP]
    assert collab[KG + "aoi-hoshino"] == [FERRY]
    assert KANNO not in collab


def test_collaborators_are_symmetric(graph: nx.MultiDiGraph) -> None:
    for agent in collaborators(graph, KANNO):
        assert KANNO in collaborators(graph, agent)


def test_collaborators_of_uncredited_node(graph: nx.MultiDiGraph) -> None:
    assert collaborators(graph, KG + "plain-person") == {}


def test_collaborators_ordered_by_shared_shows(rows: tuple[list[dict[str, Any]], list[dict[str, Any]]]) -> None:
    entities, credits = rows
    extra = {"s": KG + "aoi-hoshino", "p": "arrangerOf", "o": KG + "tank", "confidence": 0.5, "evidence": []}
    G = credit_network(entities, [*credits, extra])
    collab = collaborators(G, KANNO)
    assert next(iter(collab)) == KG + "aoi-hoshino"
    assert collab[KG + "aoi-hoshino"] == [BEBOP, FERRY]


def test_communities_cover_every_node_once(graph: nx.MultiDiGraph) -> None:
    groups = communities(graph)
    assert sorted(n for g in groups for n in g) == sorted(graph.nodes)
    assert [len(g) for g in groups] == sorted((len(g) for g in groups), reverse=True)


def test_communities_split_the_two_shows(graph: nx.MultiDiGraph) -> None:
    group_of = {n: i for i, g in enumerate(communities(graph)) for n in g}
    assert group_of[FERRY] == group_of[KG + "aoi-hoshino"] == group_of[KG + "ferry-song"]
    assert group_of[BEBOP] == group_of[KG + "tank"]
    assert group_of[FERRY] != group_of[BEBOP]
    assert {KG + "plain-person"} in communities(graph)  # no credit: a group of its own


def test_communities_of_two_cliques_and_a_bridge() -> None:
    left, right = [f"urn:x:l{i}" for i in range(5)], [f"urn:x:r{i}" for i in range(5)]
    credits = [{"s": a, "p": "performerOf", "o": b, "confidence": 1.0, "evidence": []}
               for side in (left, right) for i, a in enumerate(side) for b in side[i + 1:]]
    credits.append({"s": left[0], "p": "composedMusicFor", "o": right[0], "confidence": 1.0, "evidence": []})
    G = credit_network([], credits)
    assert sorted(map(sorted, communities(G))) == [left, right]
    assert communities(G) == communities(G)


def test_communities_of_empty_and_edgeless_graphs() -> None:
    assert communities(nx.MultiDiGraph()) == []
    G = credit_network([{"iri": "urn:x:a", "label": "A", "types": [], "aliases": []}], [])
    assert communities(G) == [{"urn:x:a"}]


def test_filter_by_types_keeps_links_among_kept_nodes(graph: nx.MultiDiGraph) -> None:
    G = filter_network(graph, types=["composer", "Show"])  # case does not matter
    assert set(G) == {KANNO, KG + "aoi-hoshino", BEBOP, FERRY}
    assert set(G.edges(keys=True)) == {(KANNO, BEBOP, "composedMusicFor"), (KANNO, FERRY, "composedMusicFor"),
                                       (KG + "aoi-hoshino", FERRY, "composedMusicFor")}
    assert G.edges[KANNO, BEBOP, "composedMusicFor"]["sources"] == ["doc-a", "doc-b", "doc-c"]


def test_filter_by_kind_other_picks_untyped_ends(graph: nx.MultiDiGraph) -> None:
    assert set(filter_network(graph, types=["Other"])) == {KG + "plain-person", KG + "Unknown%20Band"}


def test_filter_by_relations_keeps_only_linked_nodes(graph: nx.MultiDiGraph) -> None:
    G = filter_network(graph, relations=["performerOf", "wroteLyricsFor"])
    assert {rel for *_, rel in G.edges(keys=True)} == {"performerOf", "wroteLyricsFor"}
    assert KG + "plain-person" not in G and BEBOP not in G
    assert KG + "rin-takase" in G and KG + "seatbelts" in G


def test_filter_by_types_and_relations(graph: nx.MultiDiGraph) -> None:
    G = filter_network(graph, types=["Composer", "Show", "Song"], relations=["composedMusicFor"])
    assert set(G.edges(keys=True)) == {(KANNO, BEBOP, "composedMusicFor"), (KANNO, FERRY, "composedMusicFor"),
                                       (KANNO, KG + "real-folk-blues", "composedMusicFor"),
                                       (KG + "aoi-hoshino", FERRY, "composedMusicFor")}


def test_no_filter_is_a_copy(graph: nx.MultiDiGraph) -> None:
    G = filter_network(graph, types=None, relations=[])
    assert nx.utils.graphs_equal(G, graph) and G is not graph


@pytest.mark.parametrize(("kwargs", "message"), [({"types": ["Composr"]}, "no type 'Composr'"),
                                                  ({"relations": ["sang"]}, "no relation 'sang'")])
def test_filter_names_a_typo(graph: nx.MultiDiGraph, kwargs: dict[str, list[str]], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        filter_network(graph, **kwargs)
