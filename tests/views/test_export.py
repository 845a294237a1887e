"""Each export read back the way another tool would read it."""

from __future__ import annotations

import csv
import json
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import networkx as nx
import pytest

from animekg.views.export import CSV_COLUMNS, write_network
from animekg.views.network import credit_network

KG = "http://example.org/kg/"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def G(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """The shared graph plus a credit with no confidence, which no format may fake."""
    G = graph.copy()
    G.add_edge(KG + "rin-takase", KG + "tank", key="wroteLyricsFor", relation="wroteLyricsFor",
               confidence=None, evidence=[], sources=[], n_sources=0, sentences=[])
    return G


def credits(G: nx.MultiDiGraph) -> Counter:
    return Counter((u, v, data["relation"]) for u, v, data in G.edges(data=True))


def test_graphml_round_trip(G: nx.MultiDiGraph, tmp_path: Path) -> None:
    back = nx.read_graphml(write_network(G, tmp_path / "g.graphml"), force_multigraph=True)
    assert set(back) == set(G)
    assert set(back.edges(keys=True)) == set(G.edges(keys=True))  # the relation is the edge id
    assert credits(back) == credits(G)
    kanno = back.nodes[KG + "yoko-kanno"]
    assert kanno == {"label": "Yoko Kanno", "kind": "Composer", "types": "Composer | Person",
                     "aliases": "菅野よう子 | Kanno Yoko"}
    scored = back.edges[KG + "yoko-kanno", KG + "cowboy-bebop", "composedMusicFor"]
    assert scored["confidence"] == 0.95 and scored["sources"] == "doc-a | doc-b | doc-c"
    assert scored["n_sources"] == 3
    assert "confidence" not in back.edges[KG + "rin-takase", KG + "tank", "wroteLyricsFor"]


def test_gexf_round_trip(G: nx.MultiDiGraph, tmp_path: Path) -> None:
    back = nx.read_gexf(write_network(G, tmp_path / "g.gexf"))
    assert set(back) == set(G)
    assert credits(back) == credits(G)
    assert {n: d["label"] for n, d in back.nodes(data=True)} == {n: d["label"] for n, d in G.nodes(data=True)}
    assert back.nodes[KG + "harbor-phil"]["kind"] == "Orchestra"
    scored = next(d for u, v, d in back.edges(data=True)
                  if (u, v, d["relation"]) == (KG + "yoko-kanno", KG + "cowboy-bebop", "composedMusicFor"))
    assert scored["confidence"] == 0.95 and scored["sources"] == "doc-a | doc-b | doc-c"


def test_node_link_json_keeps_everything(G: nx.MultiDiGraph, tmp_path: Path) -> None:
    data = json.loads(write_network(G, tmp_path / "g.json").read_text(encoding="utf-8"))
    back = nx.node_link_graph(data, edges="edges")
    assert nx.utils.graphs_equal(back, G)
    assert back.edges[KG + "evil", KG + "ferry-song", "performerOf"]["evidence"] == \
        G.edges[KG + "evil", KG + "ferry-song", "performerOf"]["evidence"]


def test_csv_has_one_row_per_credit(G: nx.MultiDiGraph, tmp_path: Path) -> None:
    with write_network(G, tmp_path / "credits.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert len(rows) == G.number_of_edges()
    assert Counter((r["subject_iri"], r["object_iri"], r["relation"]) for r in rows) == credits(G)
    scored = next(r for r in rows if r["subject"] == "Yoko Kanno" and r["object"] == "Cowboy Bebop")
    assert scored["relation"] == "composedMusicFor"
    assert float(scored["confidence"]) == 0.95
    assert scored["sources"] == "doc-a | doc-b | doc-c"
    assert next(r for r in rows if r["relation"] == "wroteLyricsFor" and r["object"] == "Tank!")["confidence"] == ""


def test_svg_is_xml_and_reproducible(G: nx.MultiDiGraph, tmp_path: Path) -> None:
    first = write_network(G, tmp_path / "a.svg")
    assert ET.parse(first).getroot().tag == "{http://www.w3.org/2000/svg}svg"
    assert write_network(G, tmp_path / "b.svg").read_bytes() == first.read_bytes()


def test_png_picture(G: nx.MultiDiGraph, tmp_path: Path) -> None:
    picture = write_network(G, tmp_path / "picture", fmt="png")
    assert picture.read_bytes().startswith(PNG_SIGNATURE)


def test_picture_of_a_big_graph_with_odd_names(tmp_path: Path) -> None:
    # Dollar signs would be TeX to matplotlib; 600 nodes are past the picture's cut.
    credits = [{"s": f"urn:x:{i}", "p": "performerOf", "o": f"urn:x:{(i * 7 + 1) % 600}", "confidence": 1.0,
                "evidence": []} for i in range(600)]
    entities = [{"iri": "urn:x:0", "label": "$100 $ong {x}^2", "types": ["Song"], "aliases": []}]
    G = credit_network(entities, credits)
    assert write_network(G, tmp_path / "big.png").read_bytes().startswith(PNG_SIGNATURE)


def test_format_from_option_over_suffix(G: nx.MultiDiGraph, tmp_path: Path) -> None:
    path = write_network(G, tmp_path / "network.xml", fmt="GraphML")
    assert nx.read_graphml(path).number_of_nodes() == G.number_of_nodes()


def test_unknown_format(G: nx.MultiDiGraph, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown network format 'pdf'"):
        write_network(G, tmp_path / "g.pdf")
