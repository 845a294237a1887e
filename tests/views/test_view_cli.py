"""`animekg view` and `animekg export-network` filters, run as a user runs them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import networkx as nx
import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def animekg(*args: object, cwd: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "ANIMEKG_STORE"}
    return subprocess.run([sys.executable, "-m", "animekg", *map(str, args)], cwd=cwd, env=env,
                          capture_output=True, text=True, encoding="utf-8")


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("view-cli")
    result = animekg("build", EXAMPLES, "--store", folder / "store", cwd=folder)
    assert result.returncode == 0, result.stderr
    return folder / "store"


def page_data(path: Path) -> dict:
    class Data(HTMLParser):
        inside, text = False, ""

        def handle_starttag(self, tag, attrs):
            self.inside = ("id", "graph-data") in attrs

        def handle_data(self, data):
            if self.inside:
                self.text += data

    parser = Data()
    parser.feed(path.read_text(encoding="utf-8"))
    return json.loads(parser.text)


def test_types_relations_and_focus_together(store: Path, tmp_path: Path) -> None:
    result = animekg("view", "--types", "Composer,Show", "--relations", "composedMusicFor",
                     "--focus", "Yoko Kanno", "--depth", "2", "-o", tmp_path / "v.html", "--store", store, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    data = page_data(tmp_path / "v.html")
    labels = {n["label"] for n in data["nodes"]}
    assert {"Yoko Kanno", "Cowboy Bebop"} <= labels
    assert all({"Composer", "Show"} & set(n["types"]) for n in data["nodes"])
    assert data["edges"] and {e["label"] for e in data["edges"]} == {"composedMusicFor"}
    # Focused: every node is within two composedMusicFor steps of Kanno.
    G = nx.Graph((e["from"], e["to"]) for e in data["edges"])
    kanno = next(n["id"] for n in data["nodes"] if n["label"] == "Yoko Kanno")
    assert set(nx.single_source_shortest_path_length(G, kanno, cutoff=2)) == {n["id"] for n in data["nodes"]}


def test_focus_filtered_away_is_one_line_error(store: Path, tmp_path: Path) -> None:
    result = animekg("view", "--types", "Show", "--focus", "Yoko Kanno", "-o", tmp_path / "v.html",
                     "--store", store, cwd=tmp_path)
    assert result.returncode == 1
    assert "no entity named 'Yoko Kanno'" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "v.html").exists()


def test_export_network_with_filters(store: Path, tmp_path: Path) -> None:
    result = animekg("export-network", "--format", "graphml", "-o", tmp_path / "scores.xml",
                     "--relations", "composedMusicFor", "--store", store, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    G = nx.read_graphml(tmp_path / "scores.xml", force_multigraph=True)
    assert G.number_of_edges() > 0
    assert {rel for *_, rel in G.edges(keys=True)} == {"composedMusicFor"}
    assert all(G.degree(n) > 0 for n in G)  # a relation filter keeps only the nodes it links
