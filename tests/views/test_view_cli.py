"""`animekg view` and `animekg export-network` filters, run as a user runs them."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import networkx as nx
import pytest
import rdflib

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


# -- control characters in names ------------------------------------------------------------

SONG = "Tank\x1b[31m!"  # an ESC that would turn a terminal red
BAND = "Seat\x0bbelts [/]\x85"  # a vertical tab XML forbids, rich markup, a C1 control


@pytest.fixture(scope="module")
def control_store(tmp_path_factory) -> Path:
    """A store whose one credit joins two names with control characters in them."""
    from animekg.extract.document import read_text
    from animekg.extract.records import Credit, Entity, Evidence, Extraction
    from animekg.graph.triples import extraction_nquads

    folder = tmp_path_factory.mktemp("controls")
    sentence = f"{SONG} was performed by {BAND}."
    extraction = Extraction(read_text(sentence, doc_id="controls"),
                            [Entity(SONG, {"Song"}), Entity(BAND, {"Performer"}, group=True)],
                            [Credit(BAND, "performerOf", SONG, 0.9, Evidence(sentence, 0, len(sentence)))])
    (folder / "controls.nq").write_bytes(extraction_nquads(extraction))
    result = animekg("load", folder / "controls.nq", "--store", folder / "store", cwd=folder)
    assert result.returncode == 0, result.stderr
    return folder / "store"


def export(store: Path, path: Path) -> Path:
    result = animekg("export-network", "-o", path, "--store", store, cwd=path.parent)
    assert result.returncode == 0, result.stderr
    return path


def test_exports_of_names_with_control_characters_read_back(control_store: Path, tmp_path: Path) -> None:
    escaped = {"Tank\\x1b[31m!", "Seat\\x0bbelts [/]\\x85"}
    for graph in (nx.read_graphml(export(control_store, tmp_path / "n.graphml")),
                  nx.read_gexf(export(control_store, tmp_path / "n.gexf"))):
        assert {data["label"] for _, data in graph.nodes(data=True)} == escaped
        assert [data["relation"] for _, _, data in graph.edges(data=True)] == ["performerOf"]
    # JSON keeps the names exactly, every control character as a \u escape.
    text = export(control_store, tmp_path / "n.json").read_text(encoding="utf-8")
    assert "\\u001b" in text and "\\u0085" in text and not re.search("[\x00-\x09\x0b-\x1f\x7f-\x9f]", text)
    graph = nx.node_link_graph(json.loads(text), edges="edges")
    assert {data["label"] for _, data in graph.nodes(data=True)} == {SONG, BAND}
    with export(control_store, tmp_path / "n.csv").open(encoding="utf-8", newline="") as f:
        assert [(r["subject"], r["object"]) for r in csv.DictReader(f)] == [("Seat\\x0bbelts [/]\\x85", "Tank\\x1b[31m!")]
    svg = export(control_store, tmp_path / "n.svg")
    ET.parse(svg)  # well-formed XML; matplotlib draws labels as paths and names them in comments
    assert "<!-- Tank\\x1b[31m! -->" in svg.read_text(encoding="utf-8")
    assert export(control_store, tmp_path / "n.png").read_bytes().startswith(b"\x89PNG")


def test_query_output_of_names_with_control_characters(control_store: Path, tmp_path: Path) -> None:
    def query(*args: str) -> str:
        result = animekg("query", *args, "--store", control_store, cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        return result.stdout

    labels = "SELECT ?label WHERE { ?x <http://www.w3.org/2000/01/rdf-schema#label> ?label } ORDER BY ?label"
    table = query(labels)
    assert "\x1b" not in table and "\x0b" not in table and "\x85" not in table
    assert "Tank\\x1b[31m!" in table and "Seat\\x0bbelts [/]\\x85" in table  # escaped, and "[/]" is no markup
    as_json = query(labels, "--format", "json")
    assert not re.search("[\x00-\x09\x0b-\x1f\x7f-\x9f]", as_json)
    assert json.loads(as_json) == [{"label": BAND}, {"label": SONG}]
    # csv is for programs: the data exactly as stored (README, "Command line").
    assert [r["label"] for r in csv.DictReader(io.StringIO(query(labels, "--format", "csv")))] == [BAND, SONG]
    construct = query("CONSTRUCT { ?x <urn:label> ?label } WHERE { ?x <http://www.w3.org/2000/01/rdf-schema#label> ?label }")
    assert not re.search("[\x00-\x09\x0b-\x1f\x7f-\x9f]", construct)
    assert {t for t in rdflib.Graph().parse(data=construct, format="nt").objects()} == {
        rdflib.Literal(SONG), rdflib.Literal(BAND)}
