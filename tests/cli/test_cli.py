"""The animekg command line, run as a user runs it: ``python -m animekg ...`` in a subprocess.

spaCy loads in every process that extracts (~2 s), so the bundled examples are built once
per module; only `build` and `extract` runs that get past reading their input load it.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
import rdflib

from animekg.extract.document import read_document
from animekg.extract.records import ENTITY_TYPES, RELATIONS

from ..conftest import as_oxigraph_keeps

EXAMPLES = Path(__file__).parents[2] / "examples"
DATA = Path(__file__).parents[1] / "data" / "cli"
EPOCH = "1700000000"
QUERY_NAMES = ["composers", "evidence", "person-credits", "show-music-staff", "view-credits", "view-entities"]


def animekg(*args, cwd: Path, fault: str | None = None) -> subprocess.CompletedProcess:
    """The CLI as a new process; ``fault`` names where it kills itself (graph.inference.fault_point)."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "COLUMNS": "200", "NO_COLOR": "1"}
    env.pop("ANIMEKG_STORE", None)
    if fault:
        env["ANIMEKG_FAULT"] = fault
    return subprocess.run([sys.executable, "-m", "animekg", *map(str, args)], cwd=cwd, env=env,
                          capture_output=True, text=True, encoding="utf-8")


def ok(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 0, result.stderr
    return result.stdout


def nquads(store: Path, cwd: Path) -> str:
    return ok(animekg("export", "--format", "nquads", "--store", store, cwd=cwd))


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> SimpleNamespace:
    """The bundled examples built once into a store folder, and what `build` printed."""
    cwd = tmp_path_factory.mktemp("cli")
    store = cwd / "store"
    result = animekg("build", EXAMPLES, "--store", store, cwd=cwd)
    ok(result)
    return SimpleNamespace(cwd=cwd, store=store, build=result, nquads=nquads(store, cwd))


def run(built, *args) -> subprocess.CompletedProcess:
    return animekg(*args, "--store", built.store, cwd=built.cwd)


def counts(stdout: str, title: str) -> dict[str, int]:
    """The indented `name  count` lines under a heading of the build/stats summary."""
    section = stdout.split(f"{title}:\n", 1)[1]
    found = {}
    for line in section.splitlines():
        if not line.startswith("  "):
            break
        name, n = line.split()
        found[name] = int(n)
    return found


# -- build, stats ----------------------------------------------------------------------------

def test_build_prints_a_summary(built):
    stdout = built.build.stdout
    assert "documents: 5 in the store (5 added, 0 unchanged)" in stdout
    entities = counts(stdout, "entities by type")
    credits = counts(stdout, "credits by relation")
    assert entities["Composer"] >= 1 and entities["Show"] >= 1 and entities["Song"] >= 1
    assert credits["composedMusicFor"] >= 1
    assert set(entities) <= set(ENTITY_TYPES)
    assert set(credits) <= set(RELATIONS)
    assert re.search(r"^triples: \d+ \(\d+ inferred\)$", stdout, re.M)


def test_stats_json_agrees_with_the_build_summary(built):
    figures = json.loads(ok(run(built, "stats", "--json")))
    assert figures["documents"] == 5
    assert figures["entities"] == counts(built.build.stdout, "entities by type")
    assert figures["credits"] == counts(built.build.stdout, "credits by relation")
    assert f"triples: {figures['triples']} (" in built.build.stdout


def test_stats_as_text(built):
    stdout = ok(run(built, "stats"))
    assert stdout.startswith("documents: 5\n")
    assert counts(stdout, "credits by relation") == counts(built.build.stdout, "credits by relation")


# -- extract ----------------------------------------------------------------------------------

def test_extract_writes_one_json_file_per_document(tmp_path):
    stdout = ok(animekg("extract", EXAMPLES, "--out", "out", cwd=tmp_path))
    sources = {p.stem: p for p in EXAMPLES.iterdir()}
    files = sorted((tmp_path / "out").glob("*.json"))
    assert [f.stem for f in files] == sorted(sources)
    assert f"wrote {len(files)} files" in stdout

    composers = set()
    for file in files:
        data = json.loads(file.read_text(encoding="utf-8"))
        assert set(data) - {"tracks"} == {"doc", "entities", "relations"}  # tracks: where a text lists them
        assert data["doc"] == file.stem
        text = read_document(sources[file.stem]).text
        names = set()
        for entity in data["entities"]:
            assert set(entity) == {"name", "types", "aliases"}
            assert set(entity["types"]) <= set(ENTITY_TYPES)
            assert entity["name"] not in entity["aliases"]
            names.add(entity["name"])
            if "Composer" in entity["types"]:
                composers.add(entity["name"])
        for relation in data["relations"]:
            assert {"s", "p", "o", "evidence"} <= set(relation)
            assert relation["p"] in RELATIONS
            assert {relation["s"], relation["o"]} <= names
            ev = relation["evidence"]
            assert set(ev) == {"sentence", "start", "end"}
            assert text[ev["start"]:ev["end"]] == ev["sentence"]
    assert "Yoko Kanno" in composers
    top5 = json.loads((tmp_path / "out" / "top5_anime_scores.json").read_text(encoding="utf-8"))
    assert {"s": "Yoko Kanno", "p": "composedMusicFor", "o": "Cowboy Bebop"} in [
        {k: r[k] for k in ("s", "p", "o")} for r in top5["relations"]]


# -- query ------------------------------------------------------------------------------------

PREFIXES = ("PREFIX amk: <https://w3id.org/animekg/ontology#> "
            "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> ")


def test_query_sparql_text_as_json(built):
    text = PREFIXES + "SELECT DISTINCT ?name WHERE { ?c a amk:Composer ; rdfs:label ?name } ORDER BY ?name"
    rows = json.loads(ok(run(built, "query", text, "--format", "json")))
    assert {"name": "Yoko Kanno"} in rows
    assert all(set(r) == {"name"} for r in rows)


def test_query_text_with_a_param(built):
    text = PREFIXES + "SELECT DISTINCT ?name ?who WHERE { ?who rdfs:label ?name }"
    rows = json.loads(ok(run(built, "query", text, "--param", "name=Yoko Kanno", "--format", "json")))
    assert rows == [{"name": "Yoko Kanno", "who": "https://w3id.org/animekg/id/agent/kanno-yoko"}]


def test_query_from_reads_only_the_graphs_it_names(built):
    # The reference: plain Oxigraph over the exported quads, which reads FROM as the spec says.
    import pyoxigraph as ox

    reference = ox.Store()
    reference.load(built.nquads.encode("utf-8"), format=ox.RdfFormat.N_QUADS)
    graph = sorted(g.value for g in reference.named_graphs() if "/doc/" in g.value)[0]
    for text in (f"SELECT (COUNT(*) AS ?n) FROM <{graph}> WHERE {{ ?s ?p ?o }}",
                 f"SELECT (COUNT(*) AS ?n) FROM NAMED <{graph}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}"):
        (row,) = json.loads(ok(run(built, "query", text, "--format", "json")))
        assert int(row["n"]) == int(next(iter(reference.query(text)))["n"].value)
    (everything,) = json.loads(ok(run(built, "query", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "--format", "json")))
    assert int(everything["n"]) > int(row["n"])  # no FROM: the union of all graphs


def test_query_ask(built):
    assert ok(run(built, "query", PREFIXES + "ASK { ?s amk:composedMusicFor ?o }")).strip() == "true"


def test_query_rq_file_as_csv(built):
    rows = list(csv.DictReader(io.StringIO(ok(run(built, "query", DATA / "staff.rq", "--format", "csv")))))
    assert list(rows[0]) == ["composer"]
    assert "Yoko Kanno" in [r["composer"] for r in rows]


def test_named_query_composers_as_table(built):
    stdout = ok(run(built, "query", "--name", "composers"))
    assert "Yoko Kanno" in stdout
    assert re.search(r"^\d+ rows$", stdout, re.M)


def test_named_query_composers_as_csv_and_json(built):
    records = list(csv.DictReader(io.StringIO(ok(run(built, "query", "--name", "composers", "--format", "csv")))))
    as_json = json.loads(ok(run(built, "query", "--name", "composers", "--format", "json")))
    assert records == [{k: "" if v is None else v for k, v in row.items()} for row in as_json]
    kanno = next(r for r in records if r["composer"] == "Yoko Kanno")
    assert set(kanno) == {"composer", "shows", "titles"}
    assert "Cowboy Bebop" in kanno["titles"].split(" | ")
    assert int(kanno["shows"]) == len(kanno["titles"].split(" | "))


def test_named_query_with_a_param(built):
    result = run(built, "query", "--name", "show-music-staff", "--param", "show=Cowboy Bebop", "--format", "json")
    rows = json.loads(ok(result))
    assert {"person": "Yoko Kanno", "role": "composer", "work": ""} in rows


def test_query_list(built):
    stdout = ok(run(built, "query", "--list"))
    for name in QUERY_NAMES:
        assert re.search(rf"^{re.escape(name)}\b", stdout, re.M), name
    assert "show-music-staff --param show=..." in stdout
    assert "Every composer with the shows they wrote music for" in stdout


# -- export, validate, view -------------------------------------------------------------------

def test_export_formats_parse_back_with_the_same_triples(built):
    figures = json.loads(ok(run(built, "stats", "--json")))
    turtle = rdflib.Graph().parse(data=ok(run(built, "export")), format="turtle")  # the default
    quads = rdflib.Dataset().parse(data=built.nquads, format="nquads")
    jsonld = rdflib.Dataset().parse(data=ok(run(built, "export", "--format", "jsonld")), format="json-ld")
    nq = list(quads.quads((None, None, None, None)))
    assert len(nq) == figures["triples"] > 0
    assert len(list(jsonld.quads((None, None, None, None)))) == figures["triples"]
    assert len(turtle) == len({(s, p, o) for s, p, o, _ in nq}) > 0


def test_export_to_a_file(built, tmp_path):
    result = run(built, "export", "--format", "nquads", "-o", tmp_path / "all.nq")
    ok(result)
    assert (tmp_path / "all.nq").read_text(encoding="utf-8") == built.nquads
    assert "wrote" in result.stderr


def test_validate_the_built_examples(built):
    stdout = ok(run(built, "validate"))
    assert re.match(r"conforms: \d+ triples pass the SHACL shapes", stdout)


def page_data(path: Path) -> dict:
    html = path.read_text(encoding="utf-8")
    match = re.search(r'<script type="application/json" id="graph-data">(.*?)</script>', html, re.S)
    return json.loads(match.group(1))


def test_list_and_number_parameters(built):
    labelled = json.loads(ok(run(built, "query", "--name", "view-labelled", "--param", "label=Yoko Kanno",
                                 "--param", "label=Macross Plus", "--format", "json")))
    assert [r["label"] for r in labelled] == ["Yoko Kanno", "Macross Plus"]
    kanno = labelled[0]["iri"]
    ranked = json.loads(ok(run(built, "query", "--name", "view-ranked", "--param", "places=2", "--format", "json")))
    assert [r["rank"] for r in ranked] == ["1", "2"] and ranked[0]["iri"] == kanno  # the most credited
    links = json.loads(ok(run(built, "query", "--name", "view-links", "--param", f"iri={kanno} {ranked[1]['iri']}",
                              "--format", "json")))
    assert {r["iri"] for r in links} == {kanno, ranked[1]["iri"]}
    bad = run(built, "query", "--name", "view-ranked", "--param", "places=many")
    assert bad.returncode == 1 and "parameter places must be a whole number, not 'many'" in bad.stderr
    bad = run(built, "query", "--name", "view-ranked", "--param", "places=200000")
    assert bad.returncode == 1 and "parameter places is at most 100,000, not 200,000" in bad.stderr
    bad = run(built, "query", "--name", "person-credits", "--param", "name=A", "--param", "name=B")
    assert bad.returncode == 1 and "parameter name takes one value, not 2" in bad.stderr


def test_a_named_query_answers_a_page(built):
    every = json.loads(ok(run(built, "query", "--name", "albums", "--all", "--format", "json")))
    assert len(every) > 4
    first = run(built, "query", "--name", "albums", "--limit", "2", "--format", "json")
    assert json.loads(ok(first)) == every[:2]
    assert first.stderr.strip() == "rows 1 to 2: --offset 2 for the next page, --all for every row"
    later = run(built, "query", "--name", "albums", "--limit", "2", "--offset", "3", "--format", "csv")
    assert ok(later).splitlines()[1:] == [",".join(r.values()) for r in every[3:5]]
    last = run(built, "query", "--name", "albums", "--offset", str(len(every) - 1), "--format", "json")
    assert json.loads(ok(last)) == every[-1:] and not last.stderr  # not a full page: nothing more
    # By default a page of 100, and a named query with parameters pages the same way.
    assert json.loads(ok(run(built, "query", "--name", "albums", "--format", "json"))) == every[:100]
    staff = json.loads(ok(run(built, "query", "--name", "show-music-staff", "--param", "show=Macross Plus",
                              "--all", "--format", "json")))
    assert json.loads(ok(run(built, "query", "--name", "show-music-staff", "--param", "show=Macross Plus",
                             "--limit", "1", "--offset", "1", "--format", "json"))) == staff[1:2]
    for args, message in [(["SELECT * WHERE { ?s ?p ?o }", "--limit", "5"], "--limit pages a named query"),
                          (["--name", "albums", "--all", "--offset", "2"], "--all is every row"),
                          (["--name", "albums", "--limit", "-1"], "limit must be a whole number of rows, not -1")]:
        bad = run(built, "query", *args)
        assert bad.returncode != 0 and message in bad.stderr, bad.stderr


def test_view_writes_an_offline_page(built, tmp_path):
    page = tmp_path / "page.html"
    ok(run(built, "view", "-o", page))
    html = page.read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", html, re.I)
    labels = {n["label"] for n in page_data(page)["nodes"]}
    assert {"Yoko Kanno", "Cowboy Bebop"} <= labels


def test_view_focus(built, tmp_path):
    ok(run(built, "view", "-o", tmp_path / "all.html"))
    ok(run(built, "view", "--focus", "Yoko Kanno", "--depth", "1", "-o", tmp_path / "kanno.html"))
    everything = page_data(tmp_path / "all.html")["nodes"]
    focus = page_data(tmp_path / "kanno.html")
    labels = {n["label"] for n in focus["nodes"]}
    assert {"Yoko Kanno", "Cowboy Bebop"} <= labels
    assert len(focus["nodes"]) < len(everything)
    # --depth 1: Yoko Kanno and her direct neighbours only.
    kanno = {n["id"] for n in focus["nodes"] if n["label"] == "Yoko Kanno"}
    neighbours = {e["to"] for e in focus["edges"] if e["from"] in kanno} | {
        e["from"] for e in focus["edges"] if e["to"] in kanno}
    assert {n["id"] for n in focus["nodes"]} == kanno | neighbours


def test_view_filters_by_type_and_relation(built, tmp_path):
    ok(run(built, "view", "--types", "Composer,Show", "-o", tmp_path / "cs.html"))
    nodes = page_data(tmp_path / "cs.html")["nodes"]
    assert nodes and all({"Composer", "Show"} & set(n["types"]) for n in nodes)
    ok(run(built, "view", "--relations", "composedMusicFor", "-o", tmp_path / "c.html"))
    assert {e["label"] for e in page_data(tmp_path / "c.html")["edges"]} == {"composedMusicFor"}
    bad = run(built, "view", "--types", "Directr", "-o", tmp_path / "x.html")
    assert bad.returncode == 1 and "no type 'Directr'" in bad.stderr and len(bad.stderr.strip().splitlines()) == 1


def test_export_network_for_other_tools(built, tmp_path):
    import networkx as nx

    for fmt in ("graphml", "gexf", "json", "csv", "svg", "png"):
        ok(run(built, "export-network", "-o", tmp_path / f"net.{fmt}"))
    graph = nx.read_graphml(tmp_path / "net.graphml", force_multigraph=True)
    labels = {d["label"] for _, d in graph.nodes(data=True)}
    assert {"Yoko Kanno", "Cowboy Bebop"} <= labels
    rows = list(csv.DictReader(io.StringIO((tmp_path / "net.csv").read_text(encoding="utf-8"))))
    assert len(rows) == graph.number_of_edges()
    assert (tmp_path / "net.png").read_bytes()[:4] == b"\x89PNG"
    bad = run(built, "export-network", "-o", tmp_path / "net.xyz")
    assert bad.returncode == 1 and "unknown network format" in bad.stderr


def test_extract_nquads_in_two_processes_then_load(built, tmp_path):
    """The path for a batch runner: per-document graphs written anywhere, loaded together."""
    ok(animekg("extract", EXAMPLES, "--out", tmp_path / "nq", "--format", "nquads", "--jobs", "2", cwd=tmp_path))
    assert sorted(p.name for p in (tmp_path / "nq").iterdir()) == sorted(p.stem + ".nq" for p in EXAMPLES.iterdir())
    loaded = ok(animekg("load", tmp_path / "nq", "--store", tmp_path / "store", cwd=tmp_path))
    assert loaded == built.build.stdout
    assert nquads(tmp_path / "store", tmp_path) == built.nquads
    bad = animekg("load", EXAMPLES, "--store", tmp_path / "store", cwd=tmp_path)
    assert bad.returncode == 1 and "no .nq files" in bad.stderr


def test_outside_bulk_load_then_infer(built, oxigraph_url, tmp_path):
    """The same files loaded by the server itself (Oxigraph's /store), then `animekg infer`."""
    import httpx

    ok(animekg("extract", EXAMPLES, "--out", tmp_path / "nq", "--format", "nquads", cwd=tmp_path))
    for file in sorted((tmp_path / "nq").iterdir()):
        httpx.post(oxigraph_url + "/store", content=file.read_bytes(),
                   headers={"Content-Type": "application/n-quads"}).raise_for_status()
    assert re.fullmatch(r"inferred: [1-9]\d* triples\n", ok(animekg("infer", "--store", oxigraph_url, cwd=tmp_path)))
    assert sorted(nquads(oxigraph_url, tmp_path).splitlines()) == sorted(built.nquads.splitlines())


def same_rows(output: str) -> list[dict]:
    return sorted(({k: " | ".join(sorted((v or "").split(" | "))) for k, v in row.items()} for row in json.loads(output)),
                  key=lambda row: json.dumps(row, sort_keys=True))


@pytest.mark.parametrize("server", ["oxigraph-server", "virtuoso"])
def test_the_same_commands_against_a_sparql_server(built, server, tmp_path, request):
    """--store URL: build (here in two processes), stats, query, export and view give what
    the embedded store gives."""
    if server == "virtuoso":
        virtuoso = request.getfixturevalue("virtuoso")
        virtuoso.clear()
        url = virtuoso.url
    else:
        url = request.getfixturevalue("oxigraph_url")
    remote = SimpleNamespace(cwd=built.cwd, store=url)
    assert ok(run(remote, "build", EXAMPLES, "--jobs", "2")) == built.build.stdout
    assert ok(run(remote, "stats", "--json")) == ok(run(built, "stats", "--json"))
    for args in (["--name", "show-music-staff", "--param", "show=Cowboy Bebop"], ["--name", "composers"]):
        theirs, ours = (ok(run(where, "query", *args, "--format", "json")) for where in (remote, built))
        if server == "virtuoso":  # another engine: a GROUP_CONCAT's parts in any order, of nothing ""
            assert same_rows(theirs) == same_rows(ours)
        else:
            assert theirs == ours
    ok(run(remote, "view", "-o", tmp_path / "remote.html"))
    ok(run(built, "view", "-o", tmp_path / "local.html"))
    assert page_data(tmp_path / "remote.html") == page_data(tmp_path / "local.html")
    again = ok(run(remote, "build", EXAMPLES))
    assert "(0 added, 5 unchanged)" in again
    exported = sorted(map(as_oxigraph_keeps, nquads(url, built.cwd).splitlines()))
    assert exported == sorted(built.nquads.splitlines())


def test_eval_scores_a_gold_corpus(tmp_path):
    corpus = Path(__file__).resolve().parents[1] / "data" / "eval"
    # The reading rules (``--model stock``) read this small list exactly: what is checked
    # here is how eval scores and prints, not how well a trained model reads.
    report = ok(animekg("eval", corpus, "--model", "stock", "--per-doc", "--out", tmp_path / "pred", cwd=tmp_path))
    lines = {line[:28].strip(): line[28:].split() for line in report.splitlines() if line[:28].strip()}
    # The gold names one show that the text does not: five of six entities are found.
    assert lines["strict entities"] == ["1.000", "0.833", "0.909", "5/0/1"]
    assert lines["strict relations"][:3] == ["1.000", "1.000", "1.000"]
    assert (tmp_path / "pred" / "scores.json").is_file()
    figures = json.loads(ok(animekg("eval", corpus, "--model", "stock", "--json", cwd=tmp_path)))
    assert figures["scores"]["strict/relations"]["f1"] == 1.0
    bad = animekg("eval", tmp_path, cwd=tmp_path)
    assert bad.returncode == 1 and "no docs/ folder" in bad.stderr


SHARED = Path(__file__).resolve().parents[2].parent / "shared"


@pytest.mark.skipif(not (SHARED / "tools" / "score.py").is_file(), reason="../shared is not beside this checkout")
def test_eval_prints_what_the_shared_scorer_prints(tmp_path):
    corpus = SHARED / "corpus" / "dev"
    ours = ok(animekg("eval", corpus, "--per-doc", "--out", tmp_path / "pred", cwd=tmp_path))
    theirs = subprocess.run([sys.executable, str(SHARED / "tools" / "score.py"), str(corpus), str(tmp_path / "pred"),
                             "--per-doc"], capture_output=True, text=True, check=True).stdout
    assert ours == theirs


def test_version(tmp_path):
    assert ok(animekg("version", cwd=tmp_path)).strip() == "0.1.0"


# -- bad input: one line on stderr, non-zero exit, store unchanged ----------------------------

def _empty(d):
    (d / "empty.txt").write_bytes(b"")
    return ["build", d / "empty.txt"]


def _binary(d):
    (d / "tape.txt").write_bytes(b"Tank! by the Seatbelts\x00\x00\x01\x02 session reel \x00")
    return ["build", d / "tape.txt"]


def _undecodable(d):
    (d / "mojibake.txt").write_bytes(bytes([0x9D, 0x81, 0xFE, 0x8F, 0x90, 0xC3, 0x9D, 0x8D, 0xFF, 0x81]) * 5)
    return ["build", d / "mojibake.txt"]


def _missing(d):
    return ["build", d / "liner_notes_missing.txt"]


def _half_good_folder(d):
    folder = d / "notes"
    folder.mkdir()
    shutil.copy(DATA / "good.txt", folder / "good.txt")
    (folder / "zero.txt").write_bytes(b"")
    return ["build", folder]


def _looping_link_in_a_folder(d):
    folder = d / "notes"
    folder.mkdir()
    shutil.copy(DATA / "good.txt", folder / "good.txt")
    (folder / "loop.txt").symlink_to("loop.txt")
    return ["build", folder]


def _fifo_in_a_folder(d):
    folder = d / "notes"
    folder.mkdir()
    shutil.copy(DATA / "good.txt", folder / "good.txt")
    os.mkfifo(folder / "pipe.txt")  # a build that opened it would wait for a writer for ever
    return ["build", folder]


def _looping_nq_link(d):
    (d / "graphs").mkdir()
    (d / "graphs" / "loop.nq").symlink_to("loop.nq")
    return ["load", d / "graphs"]


def _looping_nq_link_named(d):
    (d / "loop.nq").symlink_to("loop.nq")
    return ["load", d / "loop.nq"]


def _non_utf8_query_file(d):
    (d / "latin1.rq").write_bytes('SELECT ?s WHERE { ?s ?p "Café Bebop" }'.encode("latin-1"))
    return ["query", d / "latin1.rq"]


CASES = {
    "looping link in a folder": (_looping_link_in_a_folder, ["loop.txt", "symbolic link loop"]),
    "FIFO in a folder": (_fifo_in_a_folder, ["pipe.txt", "not a regular file but a FIFO"]),
    "looping .nq link in a folder": (_looping_nq_link, ["loop.nq", "symbolic link loop"]),
    "looping .nq link": (_looping_nq_link_named, ["loop.nq", "symbolic link loop"]),
    "non-UTF-8 query file": (_non_utf8_query_file, ["latin1.rq", "not UTF-8"]),
    "empty file": (_empty, ["empty.txt", "empty"]),
    "binary file": (_binary, ["tape.txt", "binary"]),
    "undecodable file": (_undecodable, ["mojibake.txt", "cannot decode"]),
    "missing path": (_missing, ["liner_notes_missing.txt", "no such file or folder"]),
    "folder with an empty file": (_half_good_folder, ["zero.txt", "empty"]),
    "malformed SPARQL": (lambda d: ["query", "SELECT ?x WHERE { ?x ?y }"], ["malformed SPARQL query"]),
    "unknown named query": (lambda d: ["query", "--name", "top-hits"], ["unknown named query 'top-hits'"]),
    "unknown parameter": (lambda d: ["query", "--name", "composers", "--param", "decade=1990s"],
                          ["'composers'", "no parameter decade"]),
    "missing parameter": (lambda d: ["query", "--name", "evidence"], ["'evidence'", "needs --param name"]),
    "unknown export format": (lambda d: ["export", "--format", "rdfxml"], ["unknown export format 'rdfxml'"]),
    "unknown output format": (lambda d: ["query", "--name", "composers", "--format", "xml"],
                              ["unknown output format 'xml'"]),
    "unknown focus": (lambda d: ["view", "--focus", "Nobuo Nowhere", "-o", d / "x.html"],
                      ["'Nobuo Nowhere'", "no entity named"]),
}


@pytest.mark.parametrize("case", list(CASES))
def test_bad_input_fails_cleanly_and_changes_nothing(built, tmp_path, case):
    setup, expected = CASES[case]
    result = run(built, *setup(tmp_path))
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("animekg: error: ")
    for part in expected:
        assert part in lines[0]
    assert "Traceback" not in result.stderr + result.stdout
    after = nquads(built.store, built.cwd)
    assert after == built.nquads
    assert "Okada" not in after and "Paper Lantern Drift" not in after


def _extract_looping_link(d):
    _looping_link_in_a_folder(d)
    return ["extract", d / "notes", "--out", d / "out"]


def _extract_to_a_file(d):
    (d / "out").write_text("an existing file, not a folder\n", encoding="utf-8")
    return ["extract", DATA / "good.txt", "--out", d / "out"]


@pytest.mark.parametrize("setup, expected", [
    (_extract_looping_link, ["loop.txt", "symbolic link loop"]),
    (_extract_to_a_file, ["out", "exists and is not a folder"]),
], ids=["looping link", "--out at a file"])
def test_bad_extract_input_fails_cleanly(tmp_path, setup, expected):
    result = animekg(*setup(tmp_path), cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("animekg: error: "), result.stderr
    assert all(part in lines[0] for part in expected)
    assert (tmp_path / "out").is_file() or not (tmp_path / "out").exists()


def test_utf8_with_a_bad_byte_builds_with_one_warning(tmp_path):
    # Read as a single-byte code page, the dash would be three letters of mojibake.
    text = "Liner notes \u2014 Paper Lantern Drift\n\nMirelle Okada composed the music of Paper Lantern Drift.\n"
    (tmp_path / "notes.txt").write_bytes(text.encode() + b"Reissued in 2004 \xff on vinyl.\n")
    result = animekg("build", tmp_path / "notes.txt", "--store", tmp_path / "store", cwd=tmp_path)
    assert "documents: 1 in the store (1 added, 0 unchanged)" in ok(result)
    assert result.stderr.splitlines() == [
        f"animekg: warning: {tmp_path / 'notes.txt'}: not valid UTF-8 at 1 place (the first at byte "
        f"{len(text.encode()) + 17}); read as UTF-8 with U+FFFD in their place; fix those bytes or "
        "re-save the file as UTF-8"]
    assert '"Liner notes \u2014 Paper Lantern Drift"' in nquads(tmp_path / "store", tmp_path)


def test_reading_a_store_that_does_not_exist(tmp_path):
    result = animekg("stats", cwd=tmp_path)  # default store: ./animekg-store
    assert result.returncode != 0
    assert result.stderr.strip() == ("animekg: error: animekg-store: no graph store here; "
                                     "build one first with `animekg build PATH`")
    assert not (tmp_path / "animekg-store").exists()


# -- rebuilds ---------------------------------------------------------------------------------

def test_rebuild_is_reproducible_and_incremental(tmp_path):
    # Two fresh stores side by side (not the module's store: the extractor may be edited
    # while the tests run, and reproducibility is about the same code on the same texts).
    for name in ("one", "two"):
        ok(animekg("build", EXAMPLES, "--store", tmp_path / name, cwd=tmp_path))
    one, two = nquads(tmp_path / "one", tmp_path), nquads(tmp_path / "two", tmp_path)
    assert one.strip()
    assert sorted(one.splitlines()) == sorted(two.splitlines())

    again = ok(animekg("build", EXAMPLES, "--store", tmp_path / "one", cwd=tmp_path))
    assert "documents: 5 in the store (0 added, 5 unchanged)" in again
    assert sorted(nquads(tmp_path / "one", tmp_path).splitlines()) == sorted(one.splitlines())


# -- document ids -----------------------------------------------------------------------------

def _dup_tree(root: Path) -> Path:
    """Three texts with one file name between them: a/review.txt, b/review.txt, review.md."""
    dup = root / "dup"
    texts = {"a/review.txt": "Mirelle Okada composed the music of Paper Lantern Drift.\n",
             "b/review.txt": "Haruto Vance composed the music of Glass Orchard.\n",
             "review.md": "# Notes\n\nSena Ilves composed the music of Quiet Harbor Nine.\n"}
    for rel, text in texts.items():
        (dup / rel).parent.mkdir(parents=True, exist_ok=True)
        (dup / rel).write_text(text, encoding="utf-8")
    return dup


def test_files_with_one_name_in_a_tree_are_three_documents(tmp_path):
    dup = _dup_tree(tmp_path)
    store = tmp_path / "store"
    assert "documents: 3 in the store (3 added, 0 unchanged)" in ok(animekg("build", dup, "--store", store, cwd=tmp_path))
    assert "documents: 3 in the store (0 added, 3 unchanged)" in ok(animekg("build", dup, "--store", store, cwd=tmp_path))
    sources = "SELECT ?g ?source WHERE { GRAPH ?g { ?g <http://purl.org/dc/terms/source> ?source } }"
    rows = json.loads(ok(animekg("query", sources, "--format", "json", "--store", store, cwd=tmp_path)))
    doc = "https://w3id.org/animekg/id/doc/"
    assert sorted((r["g"], r["source"]) for r in rows) == [
        (doc + "a/review", str(dup / "a/review.txt")), (doc + "b/review", str(dup / "b/review.txt")),
        (doc + "review", str(dup / "review.md"))]


def test_extract_writes_a_file_per_document_in_the_tree_of_texts(tmp_path):
    dup = _dup_tree(tmp_path)
    assert "wrote 3 files" in ok(animekg("extract", dup, "--out", "out", cwd=tmp_path))
    files = sorted(p.relative_to(tmp_path / "out").as_posix() for p in (tmp_path / "out").rglob("*.json"))
    assert files == ["a/review.json", "b/review.json", "review.json"]
    assert json.loads((tmp_path / "out/b/review.json").read_text(encoding="utf-8"))["doc"] == "b/review"

    ok(animekg("extract", dup, "--out", "nq", "--format", "nquads", cwd=tmp_path))
    loaded = ok(animekg("load", "nq", "--store", "store", cwd=tmp_path))
    assert "documents: 3 in the store (3 added, 0 unchanged)" in loaded


def test_files_named_directly_with_one_name_are_two_documents(tmp_path):
    dup = _dup_tree(tmp_path)
    result = animekg("build", dup / "a/review.txt", dup / "b/review.txt", "--store", "store", cwd=tmp_path)
    assert "documents: 2 in the store (2 added, 0 unchanged)" in ok(result)


def test_a_folder_named_like_a_graph_file_is_walked(tmp_path):
    dup = _dup_tree(tmp_path)
    ok(animekg("extract", dup / "review.md", "--out", tmp_path / "graphs" / "more.nq", "--format", "nquads",
               cwd=tmp_path))
    loaded = ok(animekg("load", tmp_path / "graphs", "--store", "store", cwd=tmp_path))
    assert "documents: 1 in the store (1 added, 0 unchanged)" in loaded
