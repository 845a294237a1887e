from __future__ import annotations

import json
from html.parser import HTMLParser
from importlib.resources import files
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from animekg.views.network import credit_network
from animekg.views.page import write_view_page

EVIL = "<img src=x onerror=alert(1)>"


class PageParser(HTMLParser):
    """Collects tags with their attributes, inline script bodies and visible text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: dict[str, str] = {}  # id (or position) -> body
        self.text: list[str] = []
        self._script: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag == "script":
            self._script = dict(attrs).get("id") or f"script-{len(self.scripts)}"
            self.scripts[self._script] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._script = None

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self.scripts[self._script] += data
        else:
            self.text.append(data)


def parse(path: Path) -> PageParser:
    parser = PageParser()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    return parser


def page_data(parser: PageParser) -> dict[str, Any]:
    return json.loads(parser.scripts["graph-data"])


@pytest.fixture
def page(graph: nx.MultiDiGraph, tmp_path: Path) -> Path:
    return write_view_page(graph, tmp_path / "out" / "page.html")


def test_returns_path_and_writes_file(page: Path) -> None:
    assert page.is_file() and page.name == "page.html"


def test_no_external_resources(page: Path) -> None:
    parser = parse(page)
    for tag, attrs in parser.tags:
        for name in ("src", "href"):
            value = (attrs.get(name) or "").lower()
            assert "http://" not in value and "https://" not in value, (tag, attrs)
        assert tag != "link", f"external stylesheet link: {attrs}"
        assert not (tag == "script" and "src" in attrs), f"script loaded from elsewhere: {attrs}"
    assert "<link" not in page.read_text(encoding="utf-8").lower()


def test_vis_network_is_inline(page: Path) -> None:
    lib = files("pyvis") / "templates" / "lib" / "vis-9.1.2"
    vis_js = (lib / "vis-network.min.js").read_text(encoding="utf-8")
    vis_css = (lib / "vis-network.css").read_text(encoding="utf-8")
    parser = parse(page)
    assert any(vis_js in body for body in parser.scripts.values())
    assert vis_css in page.read_text(encoding="utf-8")


def test_malicious_text_is_escaped(graph: nx.MultiDiGraph, tmp_path: Path) -> None:
    path = write_view_page(graph, tmp_path / "p.html", title="<script>alert('t')</script>")
    text = path.read_text(encoding="utf-8")
    assert "<img src=x onerror" not in text.lower()
    assert "<b>bold</b>" not in text and "<i>Ferry Song</i>" not in text
    assert "<script>alert(" not in text
    assert "&lt;script&gt;alert(&#x27;t&#x27;)&lt;/script&gt;" in text
    # The name is still there, intact once the JSON is decoded.
    data = page_data(parse(path))
    assert EVIL in {node["label"] for node in data["nodes"]}
    evidence = [ev for edge in data["edges"] for ev in edge["evidence"]]
    assert {"sentence": f"{EVIL} sang <i>Ferry Song</i>.", "source": "doc-<x>"} in evidence


def test_page_carries_the_whole_small_graph(graph: nx.MultiDiGraph, page: Path) -> None:
    parser = parse(page)
    data = page_data(parser)
    assert len(data["nodes"]) == graph.number_of_nodes()
    assert data["total"] == graph.number_of_nodes()
    assert len(data["edges"]) == graph.number_of_edges()
    assert not any(attrs.get("id") == "notice" for _, attrs in parser.tags)


def test_node_and_edge_payload(graph: nx.MultiDiGraph, page: Path) -> None:
    data = page_data(parse(page))
    kanno = next(n for n in data["nodes"] if n["label"] == "Yoko Kanno")
    assert kanno["group"] == "Composer"
    assert kanno["types"] == ["Composer", "Person"]
    assert kanno["aliases"] == ["菅野よう子", "Kanno Yoko"]
    assert kanno["degree"] == graph.degree(kanno["id"])
    sizes = {n["id"]: n["size"] for n in data["nodes"]}
    assert sizes[kanno["id"]] > sizes["http://example.org/kg/plain-person"]
    scored = next(e for e in data["edges"]
                  if e["from"] == kanno["id"] and e["to"].endswith("cowboy-bebop"))
    assert scored["label"] == "composedMusicFor"
    assert scored["confidence"] == 0.95
    assert scored["sources"] == ["doc-a", "doc-b", "doc-c"]
    assert {"sentence": "The score is by Yoko Kanno.", "source": "doc-a"} in scored["evidence"]


def test_page_has_legend_search_and_settling_physics(page: Path) -> None:
    parser = parse(page)
    ids = {attrs.get("id") for _, attrs in parser.tags}
    assert {"legend", "search", "q", "graph"} <= ids
    visible = " ".join(parser.text)
    for kind in ("Orchestra", "Composer", "Performer", "Show", "Song", "Album", "Label"):
        assert kind in visible
    options = json.loads(parser.scripts["graph-options"])
    assert options["physics"]["stabilization"]["iterations"] > 0
    assert "stabilizationIterationsDone" in page.read_text(encoding="utf-8")
    assert options["groups"]["Show"]["shape"] != options["groups"]["Song"]["shape"]


def hub_graph() -> nx.MultiDiGraph:
    """Three hubs with 6, 5 and 4 leaves: the hubs are the most connected nodes."""
    credits = [
        {"s": f"urn:x:hub{h}", "p": "composedMusicFor", "o": f"urn:x:show{h}-{i}", "confidence": 1.0,
         "evidence": []}
        for h, leaves in enumerate((6, 5, 4))
        for i in range(leaves)
    ]
    return credit_network([], credits)


def test_max_nodes_keeps_highest_degree_nodes(tmp_path: Path) -> None:
    G = hub_graph()
    parser = parse(write_view_page(G, tmp_path / "cut.html", max_nodes=3))
    data = page_data(parser)
    assert {n["id"] for n in data["nodes"]} == {"urn:x:hub0", "urn:x:hub1", "urn:x:hub2"}
    assert data["total"] == G.number_of_nodes() == 18
    assert data["edges"] == []  # no edge has both ends among the kept nodes
    notice = " ".join(parser.text)
    assert "Showing the 3 most connected of 18 nodes." in notice
    assert any(attrs.get("id") == "notice" for _, attrs in parser.tags)


def test_max_nodes_keeps_edges_among_kept_nodes(tmp_path: Path) -> None:
    G = hub_graph()
    data = page_data(parse(write_view_page(G, tmp_path / "cut.html", max_nodes=10)))
    kept = {n["id"] for n in data["nodes"]}
    degrees = sorted((d for _, d in G.degree), reverse=True)
    assert sorted((G.degree(n) for n in kept), reverse=True) == degrees[:10]
    assert data["edges"] and all(e["from"] in kept and e["to"] in kept for e in data["edges"])


def test_rejects_non_positive_max_nodes(graph: nx.MultiDiGraph, tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        write_view_page(graph, tmp_path / "p.html", max_nodes=0)


def test_five_thousand_nodes(tmp_path: Path) -> None:
    entities = [
        {"iri": f"urn:x:{i}", "label": f"Name {i}", "types": ["Composer" if i % 2 else "Song"],
         "aliases": []}
        for i in range(5000)
    ]
    credits = [
        {"s": f"urn:x:{i}", "p": "composedMusicFor", "o": f"urn:x:{(i * 7 + 2) % 5000}",
         "confidence": 0.8, "evidence": [{"sentence": f"Sentence {i}.", "source": f"doc-{i % 50}"}]}
        for i in range(1, 5000, 2)
    ]
    G = credit_network(entities, credits)
    assert G.number_of_nodes() == 5000
    parser = parse(write_view_page(G, tmp_path / "big.html"))
    assert len(page_data(parser)["nodes"]) == 1500
    assert "Showing the 1,500 most connected of 5,000 nodes." in " ".join(parser.text)
    full = page_data(parse(write_view_page(G, tmp_path / "all.html", max_nodes=5000)))
    assert len(full["nodes"]) == 5000
