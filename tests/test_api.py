"""The library API in-process: the same flows as the CLI, through animekg.api."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
import rdflib

from animekg import api
from animekg.graph.dataset import Dataset
from animekg.errors import AnimekgError, InputError, QueryError, StoreError
from animekg.graph.store import GraphStore

from .conftest import as_oxigraph_keeps

EXAMPLES = Path(__file__).parents[1] / "examples"
GOOD = Path(__file__).parent / "data" / "cli" / "good.txt"


@pytest.fixture(scope="module")
def built(module_store):
    """The bundled examples in a store of each backend, with the report and the documents seen."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", "1700000000")
        store = module_store
        seen = []
        report = api.build([EXAMPLES], store, progress=seen.append)
    return store, report, seen


def snapshot(store: GraphStore) -> list[str]:
    return sorted(as_oxigraph_keeps(str(q)) for q in store.quads())


def test_open_store():
    memory = api.open_store(api.MEMORY)
    assert isinstance(memory, GraphStore) and memory.path is None
    assert api.open_store(memory) is memory


def test_open_store_read_only_needs_a_store(tmp_path):
    with pytest.raises(AnimekgError, match=r"no-store-here: no graph store here"):
        api.open_store(tmp_path / "no-store-here", read_only=True)
    assert not (tmp_path / "no-store-here").exists()


def test_build_report(built):
    store, report, seen = built
    assert (report.added, report.unchanged) == (5, 0)
    assert report.inferred > 0
    assert report.stats == api.stats(store)
    assert report.stats["documents"] == 5
    assert report.stats["entities"]["Composer"] >= 1
    # Where the build stood: once before the first document, after each, once before deriving.
    assert [(step.to_extract, step.unchanged, step.written) for step in seen[:2]] == [(5, 0, 0), (5, 0, 1)]
    assert sorted(step.document.doc_id for step in seen[1:-1]) == sorted(p.stem for p in EXAMPLES.iterdir())
    assert seen[-1].deriving and seen[-1].written == 5 and seen[-1].document is None
    assert [step.words for step in seen[1:-1]] == sorted(step.words for step in seen[1:-1]) and seen[-1].words > 0


def test_building_again_changes_nothing(built):
    store, report, _ = built
    before = snapshot(store)
    again = api.build([EXAMPLES], store)
    assert (again.added, again.unchanged) == (0, 5)
    assert again.inferred == report.inferred
    assert snapshot(store) == before


def test_a_bad_file_stops_the_build_before_anything_is_written(built, tmp_path):
    store, _, _ = built
    before = snapshot(store)
    shutil.copy(GOOD, tmp_path / "good.txt")
    (tmp_path / "silent.txt").write_text("   \n\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"silent\.txt: is empty"):
        api.build([tmp_path], store)
    assert snapshot(store) == before


def test_run_query_by_name(built):
    store, _, _ = built
    records = api.run_query(store, name="composers").records()
    kanno = next(r for r in records if r["composer"] == "Yoko Kanno")
    assert "Cowboy Bebop" in kanno["titles"].split(" | ")


def test_run_query_by_name_with_a_param(built):
    store, _, _ = built
    rows = api.run_query(store, name="show-music-staff", params={"show": "cowboy bebop"}).records()
    assert {"person": "Yoko Kanno", "role": "composer", "work": ""} in rows


def test_run_query_text_and_params(built):
    store, _, _ = built
    text = ("PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
            "SELECT DISTINCT ?name ?who WHERE { ?who rdfs:label ?name }")
    assert api.run_query(store, text, params={"name": "Yoko Kanno"}).records() == [
        {"name": "Yoko Kanno", "who": "https://w3id.org/animekg/id/agent/kanno-yoko"}]
    assert api.run_query(store, text, params={"name": '" } DROP ALL { "'}).records() == []


def test_run_query_reads_the_dataset_it_is_given(built):
    store, _, _ = built
    graphs = store.document_graphs()
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    one = api.run_query(store, count, dataset=Dataset((graphs[0],))).records()
    both = api.run_query(store, count, dataset=Dataset(tuple(graphs[:2]))).records()
    in_graph = api.run_query(store, f"SELECT (COUNT(*) AS ?n) FROM {graphs[0]} WHERE {{ ?s ?p ?o }}").records()
    assert one == in_graph and 0 < int(one[0]["n"]) < int(both[0]["n"])


def test_run_query_needs_something_to_run(built):
    store, _, _ = built
    with pytest.raises(QueryError, match="give a SPARQL query"):
        api.run_query(store)
    with pytest.raises(QueryError, match="unknown named query 'nope'"):
        api.run_query(store, name="nope")


@pytest.mark.parametrize("fmt, parse_as, dataset", [
    ("turtle", "turtle", False), ("ntriples", "nt", False),
    ("nquads", "nquads", True), ("trig", "trig", True), ("jsonld", "json-ld", True),
])
def test_export(built, fmt, parse_as, dataset):
    store, _, _ = built
    data = api.export(store, fmt)
    assert isinstance(data, bytes)
    if dataset:
        graph = rdflib.Dataset().parse(data=data.decode("utf-8"), format=parse_as)
        assert len(list(graph.quads((None, None, None, None)))) == api.stats(store)["triples"]
    else:
        graph = rdflib.Graph().parse(data=data.decode("utf-8"), format=parse_as)
        assert len(graph) == len({(q.subject, q.predicate, q.object) for q in store.quads()})


def test_export_unknown_format(built):
    store, _, _ = built
    with pytest.raises(AnimekgError, match="unknown export format 'rdfxml'.*turtle"):
        api.export(store, "rdfxml")


def test_validate(built):
    store, _, _ = built
    report = api.validate(store)
    assert report.conforms, report.text
    assert report.triples > 0


def page_labels(path: Path) -> set[str]:
    html = path.read_text(encoding="utf-8")
    match = re.search(r'<script type="application/json" id="graph-data">(.*?)</script>', html, re.S)
    return {node["label"] for node in json.loads(match.group(1))["nodes"]}


def test_network(built):
    store, _, _ = built
    graph = api.network(store)
    labels = {data["label"] for _, data in graph.nodes(data=True)}
    assert {"Yoko Kanno", "Cowboy Bebop"} <= labels
    assert graph.number_of_edges() > 0


def test_write_view(built, tmp_path):
    store, _, _ = built
    path = api.write_view(store, tmp_path / "all.html")
    assert path == tmp_path / "all.html" and path.is_file()
    assert {"Yoko Kanno", "Cowboy Bebop"} <= page_labels(path)
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", path.read_text(encoding="utf-8"), re.I)


def test_write_view_with_focus(built, tmp_path):
    store, _, _ = built
    everything = page_labels(api.write_view(store, tmp_path / "all.html"))
    focused = page_labels(api.write_view(store, tmp_path / "kanno.html", focus="yoko kanno", depth=1))
    assert {"Yoko Kanno", "Cowboy Bebop"} <= focused
    assert focused < everything


def test_write_view_focus_on_an_unknown_name(built, tmp_path):
    store, _, _ = built
    with pytest.raises(AnimekgError, match="no entity named 'Nobuo Nowhere'"):
        api.write_view(store, tmp_path / "x.html", focus="Nobuo Nowhere")
    assert not (tmp_path / "x.html").exists()


def test_extract_to_folder(built, tmp_path):
    written = api.extract_to_folder([GOOD], tmp_path / "out")
    assert written == [tmp_path / "out" / "good.json"]
    data = json.loads(written[0].read_text(encoding="utf-8"))
    assert data["doc"] == "good"
    assert "Haruto Vance" in {e["name"] for e in data["entities"]}
    assert data["relations"]
    text = api.read_documents([GOOD])[0].text
    for relation in data["relations"]:
        ev = relation["evidence"]
        assert text[ev["start"]:ev["end"]] == ev["sentence"]


# -- extraction in several processes, per-document N-Quads, bulk load ---------------------------

def test_extract_in_two_processes_gives_what_one_gives():
    documents = api.read_documents([EXAMPLES])
    one = [e.to_json() for e in api.extract(documents, jobs=1)]
    two = [e.to_json() for e in api.extract(documents, jobs=2)]
    assert two == one and [e["doc"] for e in one] == [d.doc_id for d in documents]


def test_jobs_must_not_be_negative():
    with pytest.raises(AnimekgError, match="--jobs must be 0"):
        api.extract(api.read_documents([GOOD]), jobs=-1)


def test_nquads_per_document_then_load_gives_the_built_graph(built, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    store, _, _ = built
    written = api.extract_to_folder([EXAMPLES], tmp_path, fmt="nquads")
    assert sorted(p.name for p in written) == sorted(p.stem + ".nq" for p in EXAMPLES.iterdir())
    fresh = api.open_store(api.MEMORY)
    report = api.load([tmp_path], fresh)
    assert (report.added, report.unchanged) == (5, 0)
    assert snapshot(fresh) == snapshot(store)
    again = api.load([tmp_path], fresh)
    assert (again.added, again.unchanged) == (0, 5)


def test_load_checks_every_file_before_writing(built, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    store, _, _ = built
    api.extract_to_folder([GOOD], tmp_path, fmt="nquads")
    fresh = api.open_store(api.MEMORY)
    (tmp_path / "zz-broken.nq").write_text("<http://a> <http://b> .\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"zz-broken\.nq: not valid N-Quads"):
        api.load([tmp_path], fresh)
    (tmp_path / "zz-broken.nq").write_text('<http://a> <http://b> "c" <http://other/graph> .\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"zz-broken\.nq: not one document's graph"):
        api.load([tmp_path], fresh)
    assert fresh.quads() == []
    with pytest.raises(InputError, match=r"no \.nq files"):
        api.load([EXAMPLES], fresh)


def test_unknown_extract_format(tmp_path):
    with pytest.raises(AnimekgError, match="unknown extract format 'rdf'"):
        api.extract_to_folder([GOOD], tmp_path, fmt="rdf")


def test_a_store_with_an_old_document_graph_is_told_to_rebuild(empty_store, tmp_path):
    # animekg 0.1 named the graph of "Kajiura's notes.txt" by a slug; building on would
    # keep that graph beside the new one, the document twice.
    import pyoxigraph as ox

    from animekg.graph.triples import slug_document_iri

    notes = tmp_path / "Kajiura's notes.txt"
    notes.write_text(GOOD.read_text(encoding="utf-8"), encoding="utf-8")
    old = slug_document_iri("Kajiura's notes")
    empty_store.backend.extend([ox.Quad(old, ox.NamedNode("https://w3id.org/animekg/ontology#sha256"),
                                        ox.Literal("0" * 64), old)])
    before = snapshot(empty_store)
    with pytest.raises(StoreError) as caught:
        api.build([tmp_path], empty_store)
    message = str(caught.value)
    assert f"holds {notes} as graph <{old.value}>" in message
    assert message.endswith("rebuild the store: remove it and run `animekg build` again")
    assert snapshot(empty_store) == before
