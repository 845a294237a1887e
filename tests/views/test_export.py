"""Exports for other tools read back as what was written; filters and communities."""

from __future__ import annotations

import csv
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import pytest

from animekg.views import communities, filter_network, write_network

from .conftest import EVIL, iri


def edge_set(G) -> set[tuple[str, str, str]]:
    return {(str(u), str(v), str(k)) for u, v, k in G.edges(keys=True)}


@pytest.mark.parametrize("fmt, read", [
    ("graphml", lambda p: nx.read_graphml(p, force_multigraph=True)),
    ("gexf", nx.read_gexf),
])
def test_graph_formats_round_trip(graph, tmp_path: Path, fmt, read) -> None:
    path = write_network(graph, tmp_path / f"net.{fmt}")
    back = read(path)
    assert set(back.nodes) == set(graph.nodes)
    assert set(back.edges()) == set(graph.edges())
    assert back.number_of_edges() == graph.number_of_edges()
    node = iri("yoko-kanno")
    assert back.nodes[node]["label"] == "Yoko Kanno"
    assert back.nodes[node]["kind"] == "Composer"
    assert "Kanno Yoko" in back.nodes[node]["aliases"].split(" | ")
    assert back.nodes[iri("evil")]["label"] == EVIL
    relations = {d["relation"] for _, _, d in back.edges(data=True)}
    assert relations == {d["relation"] for _, _, d in graph.edges(data=True)}


def test_node_link_json_round_trips(graph, tmp_path: Path) -> None:
    path = write_network(graph, tmp_path / "net.json")
    back = nx.node_link_graph(json.loads(path.read_text(encoding="utf-8")), edges="edges")
    assert set(back.nodes) == set(graph.nodes)
    assert edge_set(back) == edge_set(graph)
    assert back.nodes[iri("yoko-kanno")]["aliases"] == graph.nodes[iri("yoko-kanno")]["aliases"]


def test_credits_csv_has_one_row_per_credit(graph, tmp_path: Path) -> None:
    path = write_network(graph, tmp_path / "credits.csv")
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    assert len(rows) == graph.number_of_edges()
    kanno = [r for r in rows if r["subject"] == "Yoko Kanno" and r["relation"] == "composedMusicFor"]
    assert kanno and kanno[0]["object"] == "Cowboy Bebop"
    assert set(kanno[0]["sources"].split(" | ")) == {"doc-a", "doc-b", "doc-c"}


def test_pictures(graph, tmp_path: Path) -> None:
    svg = write_network(graph, tmp_path / "net.svg")
    root = ET.parse(svg).getroot()
    assert root.tag.endswith("svg")
    png = write_network(graph, tmp_path / "net.png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_unknown_format_is_refused(graph, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown network format"):
        write_network(graph, tmp_path / "net.xlsx")


def test_filter_by_type_and_relation(graph) -> None:
    shows_and_composers = filter_network(graph, types=["composer", "Show"])
    kinds = {d["kind"] for _, d in shows_and_composers.nodes(data=True)}
    assert kinds <= {"Composer", "Show"} and {"Composer", "Show"} <= kinds
    only_composing = filter_network(graph, relations=["composedMusicFor"])
    assert {k for *_, k in only_composing.edges(keys=True)} == {"composedMusicFor"}
    assert iri("cowboy-bebop") in only_composing and iri("victor") not in only_composing
    with pytest.raises(ValueError, match="no type 'Directr'"):
        filter_network(graph, types=["Directr"])


def test_communities_cover_every_node_once(graph) -> None:
    groups = communities(graph)
    members = [n for g in groups for n in g]
    assert sorted(members) == sorted(graph.nodes)
    assert len(members) == len(set(members))
    assert [len(g) for g in groups] == sorted((len(g) for g in groups), reverse=True)
    bebop = next(g for g in groups if iri("cowboy-bebop") in g)
    assert iri("yoko-kanno") in bebop
