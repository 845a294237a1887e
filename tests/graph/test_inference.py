"""The rules' facts: derived from the documents alone, and never lost or left half-written.

The oracle is the rules run over the union of the document graphs (everything but the
inferred graph) in a store of their own, as ontology/rules describes them. The kill tests
run `animekg load`, `animekg infer` and `animekg build` in a subprocess that
$ANIMEKG_FAULT kills by SIGKILL at one named point of the inference, then run again.
"""

from __future__ import annotations

import gc
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from animekg.extract.records import Credit, Entity, Evidence, Extraction
from animekg.graph.inference import named_iris
from animekg.graph.store import SCRATCH_PREFIX, GraphStore
from animekg.graph.triples import INFERRED_GRAPH, LISTINGS_GRAPH, SUMMARY_GRAPH, TYPE, entity_iri, extraction_nquads
from animekg.ontology import rule_queries

from .conftest import DATA, EPOCH, document, glass_orchard, lantern_ferry

AMK = "https://w3id.org/animekg/ontology#"
ID = "https://w3id.org/animekg/id/"
DERIVED = ox.NamedNode(ID + "graph/test-oracle")


def node(path: str) -> ox.NamedNode:
    return ox.NamedNode(ID + path)


def amk(name: str) -> ox.NamedNode:
    return ox.NamedNode(AMK + name)


def short(triples) -> set[tuple[str, str, str]]:
    return {(t.subject.value.removeprefix(ID), t.predicate.value.removeprefix(AMK),
             t.object.value.removeprefix(AMK).removeprefix(ID)) for t in triples}


def inferred(store: GraphStore) -> set[ox.Triple]:
    return {ox.Triple(q.subject, q.predicate, q.object)
            for q in store.backend.quads_for_pattern(None, None, None, INFERRED_GRAPH)}


def oracle(quads) -> set[ox.Triple]:
    """The rules to a fixpoint over the union of every graph but the inferred and scratch ones."""
    union = ox.Store()
    union.extend(q for q in quads if q.graph_name != INFERRED_GRAPH
                 and not (isinstance(q.graph_name, ox.NamedNode) and q.graph_name.value.startswith(SCRATCH_PREFIX)))
    while True:
        new = {ox.Quad(t.subject, t.predicate, t.object, DERIVED)
               for _, rule in rule_queries() for t in union.query(rule, use_default_graph_as_union=True)}
        new = {q for q in new if not any(union.quads_for_pattern(q.subject, q.predicate, q.object, None))}
        if not new:
            return {ox.Triple(q.subject, q.predicate, q.object)
                    for q in union.quads_for_pattern(None, None, None, DERIVED)}
        union.extend(new)


def one_sentence(doc_id: str, text: str, entities: list[Entity], *credits) -> Extraction:
    """A document whose credits all cite its whole text."""
    ev = Evidence(text, 0, len(text))
    return Extraction(document(doc_id, text), entities, [Credit(s, p, o, 0.8, ev) for s, p, o in credits],
                      extractor_version="test-1")


def ferry_without_its_theme() -> Extraction:
    """lantern_ferry rewritten: Kaito Ren still sings "Paper Moon Signal", which is no
    longer said to be the show's opening theme."""
    text = 'Kaito Ren sings "Paper Moon Signal". Aoi Minase composed the music of Lantern Ferry.\n'
    return one_sentence("lantern_ferry", text,
                        [Entity("Kaito Ren", {"Performer"}), Entity("Paper Moon Signal", {"Song"}),
                         Entity("Aoi Minase", {"Composer"}), Entity("Lantern Ferry", {"Show"})],
                        ("Kaito Ren", "performerOf", "Paper Moon Signal"),
                        ("Aoi Minase", "composedMusicFor", "Lantern Ferry"))


def every_rule() -> Extraction:
    """A third document that sets off each rule (Mira Sato, a member of a band, is typed a
    Composer only: rule 5 makes her a Performer)."""
    text = "A made-up text that credits everything at once.\n"
    return one_sentence(
        "every_rule", text,
        [Entity("Mira Sato", {"Composer"}), Entity("Low Lanterns", {"Performer"}, group=True),
         Entity("Rin Oda", {"Lyricist"}), Entity("Ken Ito", {"Composer"}), Entity("Hana Mori", {"Arranger"}),
         Entity("Quiet Pier", {"Song"}), Entity("Stone Harbor", {"Song"}), Entity("Harbor Days", {"Show"}),
         Entity("Harbor Days Songbook", {"Album"}), Entity("Gull Records", {"Label"})],
        ("Mira Sato", "memberOf", "Low Lanterns"),
        ("Low Lanterns", "performerOf", "Quiet Pier"),
        ("Quiet Pier", "insertSongOf", "Harbor Days"),
        ("Rin Oda", "lyricistOf", "Quiet Pier"),
        ("Stone Harbor", "themeSongOf", "Harbor Days"),
        ("Ken Ito", "composerOf", "Stone Harbor"),
        ("Hana Mori", "arrangerOf", "Stone Harbor"),
        ("Quiet Pier", "trackOf", "Harbor Days Songbook"),
        ("Harbor Days Songbook", "soundtrackOf", "Harbor Days"),
        ("Harbor Days Songbook", "releasedBy", "Gull Records"),
        ("Low Lanterns", "artistOf", "Harbor Days Songbook"))


# -- what the rules read -----------------------------------------------------------------------

def test_named_iris_are_the_rules_iris_and_prefixed_names_not_comments_or_strings():
    rule = """# amk:inAComment <http://example.org/commented>
PREFIX amk: <https://w3id.org/animekg/ontology#>
PREFIX : <http://example.org/>
CONSTRUCT { ?s amk:featuredIn ?o } WHERE {
  ?s amk:trackOf|<http://example.org/full> ?a . ?a :soundtrackOf ?o .
  FILTER (?s != "amk:inAString") BIND (amk:Show AS ?type)
}"""
    assert {n.value for n in named_iris([("r", rule)])} == {
        AMK + "featuredIn", AMK + "trackOf", "http://example.org/full", "http://example.org/soundtrackOf",
        AMK + "Show"}


def test_named_iris_of_the_ontology_rules_cover_every_relation_they_chain():
    names = {n.value.removeprefix(AMK) for n in named_iris(rule_queries())}
    assert names >= {"openingThemeOf", "endingThemeOf", "insertSongOf", "themeSongOf",
                                       "featuredIn", "trackOf", "soundtrackOf", "performerOf", "composerOf",
                                       "memberOf", "Composer", "Performer", "Show", "Song", "Album", "Label"}


# -- what the rules derive ---------------------------------------------------------------------

def test_the_inferred_graph_is_the_rules_over_the_union_of_the_documents(store):
    store.add_extraction(every_rule())
    count = store.materialize_inferred()
    derived = inferred(store)
    assert count == len(derived)
    assert derived == oracle(store.quads())
    pier, stone, show = entity_iri("song", "Quiet Pier"), entity_iri("song", "Stone Harbor"), entity_iri("show", "Harbor Days")
    band, ken, songbook = entity_iri("agent", "Low Lanterns"), entity_iri("agent", "Ken Ito"), entity_iri("album", "Harbor Days Songbook")
    assert {ox.Triple(pier, amk("themeSongOf"), show),                # rule 1
            ox.Triple(stone, amk("featuredIn"), show),                # rule 1, from themeSongOf
            ox.Triple(band, amk("performedMusicFor"), show),          # rule 3 on rule 1
            ox.Triple(ken, amk("composedMusicFor"), show),            # rule 4 on rule 1
            ox.Triple(entity_iri("agent", "Mira Sato"), TYPE, amk("Performer")),  # rule 5, memberOf
            ox.Triple(pier, amk("featuredIn"), show),                 # rule 2 as well as rule 1
            } <= derived
    assert ox.Triple(songbook, TYPE, amk("Album")) not in derived  # the document says so already


def test_stale_facts_in_the_old_inferred_graph_are_neither_kept_nor_read(store):
    """The rules read the documents, not the inferred graph they are about to replace: a
    fact planted there without grounds goes, with what it would imply, and a sound fact
    missing from it comes back."""
    sound = next(t for t in inferred(store) if t.predicate == amk("featuredIn"))
    store.backend.remove(ox.Quad(sound.subject, sound.predicate, sound.object, INFERRED_GRAPH))
    planted = ox.Quad(node("song/dusk-relay"), amk("themeSongOf"), node("show/ferry-lantern"), INFERRED_GRAPH)
    store.backend.add(planted)

    store.materialize_inferred()
    derived = inferred(store)
    assert sound in derived
    assert ox.Triple(planted.subject, planted.predicate, planted.object) not in derived
    assert ox.Triple(node("song/dusk-relay"), amk("featuredIn"), node("show/ferry-lantern")) not in derived
    assert derived == oracle(store.quads())


def test_facts_derived_from_a_replaced_document_go_with_it_chains_included(store):
    before = short(inferred(store))
    gone = {("song/paper-mon-signal", "themeSongOf", "show/ferry-lantern"),
            ("song/paper-mon-signal", "featuredIn", "show/ferry-lantern"),
            ("agent/kaito-ren", "performedMusicFor", "show/ferry-lantern")}  # rule 3 on rule 1
    assert gone <= before

    store.add_extraction(ferry_without_its_theme())
    count = store.materialize_inferred()
    after = inferred(store)
    assert not gone & short(after)
    assert ("song/dusk-relay", "featuredIn", "show/glass-orchard") in short(after)
    assert count == len(after) and after == oracle(store.quads())


def test_a_fact_a_document_now_states_leaves_the_inferred_graph(store):
    fact = ox.Triple(node("song/dusk-relay"), amk("featuredIn"), node("show/glass-orchard"))
    assert fact in inferred(store)
    store.add_extraction(one_sentence("dusk_relay_note", "Dusk Relay is heard in Glass Orchard.\n",
                                      [Entity("Dusk Relay", {"Song"}), Entity("Glass Orchard", {"Show"})],
                                      ("Dusk Relay", "featuredIn", "Glass Orchard")))
    store.materialize_inferred()
    assert fact not in inferred(store)
    assert any(store.backend.quads_for_pattern(fact.subject, fact.predicate, fact.object, None))


# -- scratch graphs left by older versions ---------------------------------------------------------

def broken_by_an_old_kill(store: GraphStore) -> ox.NamedNode:
    """The state an inference killed before its MOVE left: no inferred graph, a scratch graph."""
    scratch = ox.NamedNode(SCRATCH_PREFIX + "0123456789abcdef0123456789abcdef")
    half = sorted(inferred(store), key=str)[:3]
    store.backend.remove_graph(INFERRED_GRAPH)
    store.backend.extend([ox.Quad(t.subject, t.predicate, t.object, scratch) for t in half])
    return scratch


def test_inference_removes_a_scratch_graph_an_old_kill_left(store):
    good = inferred(store)
    scratch = broken_by_an_old_kill(store)
    assert store.materialize_inferred() == len(good)
    assert inferred(store) == good
    assert scratch not in set(store.backend.named_graphs())


def test_opening_a_store_to_write_removes_a_leftover_scratch_graph(tmp_path):
    path = tmp_path / "store"
    store = GraphStore(path)
    store.add_extraction(lantern_ferry())
    store.materialize_inferred()
    scratch = broken_by_an_old_kill(store)
    store.flush()
    del store
    gc.collect()

    reader = GraphStore(path, read_only=True)   # reading changes nothing
    assert scratch in set(reader.backend.named_graphs())
    del reader
    gc.collect()

    writer = GraphStore(path)
    assert scratch not in set(writer.backend.named_graphs())
    writer.materialize_inferred()
    assert inferred(writer) == oracle(writer.quads()) != set()


# -- killed at each point, then run again ----------------------------------------------------------

def animekg(*args, cwd: Path, fault: str | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH}
    env.pop("ANIMEKG_STORE", None)
    env.pop("ANIMEKG_FAULT", None)
    if fault:
        env["ANIMEKG_FAULT"] = fault
    return subprocess.run([sys.executable, "-m", "animekg", *map(str, args)], cwd=cwd, env=env,
                          capture_output=True, text=True, encoding="utf-8")


def ok(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 0, result.stderr
    return result.stdout


def killed(result: subprocess.CompletedProcess) -> None:
    assert result.returncode == -signal.SIGKILL, (result.returncode, result.stdout, result.stderr)


def on_disk(path: Path) -> tuple[list[ox.NamedNode], set[ox.Triple], set[ox.Triple], list[str]]:
    """The store's graph names, inferred graph, oracle and every quad, read and let go."""
    store = GraphStore(path, read_only=True)
    quads = store.quads()
    found = (sorted(store.backend.named_graphs(), key=str), inferred(store), oracle(quads),
             sorted(str(q) for q in quads))
    del store
    gc.collect()
    return found


def write_nquads(folder: Path, *extractions: Extraction) -> Path:
    folder.mkdir()
    for extraction in extractions:
        (folder / f"{extraction.document.doc_id}.nq").write_bytes(extraction_nquads(extraction))
    return folder


POINTS = ["inference:start", "inference:round-1", "inference:round-2",
          "inference:derived", "inference:replaced", "summary:removed", "listings:removed"]


@pytest.fixture(scope="module")
def loads(tmp_path_factory):
    """Two versions of the same two documents as .nq files, and a store loaded cleanly with
    the second (what every killed-then-repaired store must equal)."""
    root = tmp_path_factory.mktemp("kills")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("SOURCE_DATE_EPOCH", EPOCH)  # the .nq files' ingest time, as the subprocesses'
        first = write_nquads(root / "first", lantern_ferry(), glass_orchard())
        second = write_nquads(root / "second", ferry_without_its_theme(), glass_orchard(), every_rule())
    clean = root / "clean"
    ok(animekg("load", second, "--store", clean, cwd=root))
    ok(animekg("load", first, "--store", root / "first-store", cwd=root))
    return root, first, second, on_disk(clean), on_disk(root / "first-store")


@pytest.mark.parametrize("point", POINTS)
def test_load_killed_at_each_point_of_inference_then_infer(loads, tmp_path, point):
    root, first, second, clean, before = loads
    store = shutil.copytree(root / "first-store", tmp_path / "store")
    killed(animekg("load", second, "--store", store, cwd=tmp_path, fault=point))

    graphs, derived, _, _ = on_disk(store)
    # Killed, the store holds the old inferred graph or the new one, whole, and no scratch
    # graph. The graphs kept for speed went with the first document written (they were
    # stale from then on); of them only the summary graph (graph/summary.py), written
    # whole before the listings' rows (graph/listings.py), is back before the last point.
    assert derived == (clean[1] if point in ("inference:replaced", "summary:removed", "listings:removed")
                       else before[1])
    assert INFERRED_GRAPH in graphs and not [g for g in graphs if g.value.startswith(SCRATCH_PREFIX)]
    assert (SUMMARY_GRAPH in graphs) == (point == "listings:removed")
    assert LISTINGS_GRAPH not in graphs

    assert ok(animekg("infer", "--store", store, cwd=tmp_path)) == f"inferred: {len(clean[1])} triples\n"
    graphs, derived, expected, quads = on_disk(store)
    assert derived == expected == clean[1]
    assert graphs == clean[0] and quads == clean[3]
    assert short(clean[1]) != short(before[1])  # the second version does change what is derived


@pytest.mark.parametrize("point", ["summary:removed", "listings:removed"])
def test_infer_killed_while_a_kept_graph_is_rewritten_leaves_it_whole_or_none(loads, tmp_path, point):
    """`animekg infer` writes no document, so what it keeps for speed is only rewritten:
    killed in between, the graph being rewritten is gone, never half written."""
    root, first, second, clean, before = loads
    path = shutil.copytree(root / "first-store", tmp_path / "store")
    store = GraphStore(path)  # a stale row in each, so that infer rewrites both
    stale = ox.Literal("stale")
    store.backend.extend([ox.Quad(ox.NamedNode("urn:x"), ox.NamedNode("urn:y"), stale, g)
                          for g in (SUMMARY_GRAPH, LISTINGS_GRAPH)])
    del store
    gc.collect()
    killed(animekg("infer", "--store", path, cwd=tmp_path, fault=point))
    graphs, _, _, quads = on_disk(path)
    if point == "summary:removed":  # the summary first: the listings' rows not yet touched
        assert SUMMARY_GRAPH not in graphs and LISTINGS_GRAPH in graphs
    else:
        assert SUMMARY_GRAPH in graphs and LISTINGS_GRAPH not in graphs
    ok(animekg("infer", "--store", path, cwd=tmp_path))
    graphs, _, _, quads = on_disk(path)
    assert SUMMARY_GRAPH in graphs and LISTINGS_GRAPH in graphs and graphs == before[0]


@pytest.mark.parametrize("point", ["inference:round-1", "inference:derived"])
def test_infer_killed_too_then_run_again(loads, tmp_path, point):
    """A load killed before its inference, then the `infer` meant to catch up killed as well."""
    root, first, second, clean, before = loads
    store = shutil.copytree(root / "first-store", tmp_path / "store")
    killed(animekg("load", second, "--store", store, cwd=tmp_path, fault="inference:start"))
    killed(animekg("infer", "--store", store, cwd=tmp_path, fault=point))
    assert on_disk(store)[1] == before[1]
    assert ok(animekg("infer", "--store", store, cwd=tmp_path)) == f"inferred: {len(clean[1])} triples\n"
    assert on_disk(store)[1:] == clean[1:]


def test_build_killed_in_inference_then_built_again(tmp_path):
    """The one run with spaCy: `animekg build` of our texts, killed after the first round
    of the rules, then the same build again."""
    store = tmp_path / "store"
    killed(animekg("build", DATA, "--store", store, cwd=tmp_path, fault="inference:round-1"))
    graphs, derived, _, _ = on_disk(store)
    assert INFERRED_GRAPH not in graphs and derived == set()   # a first build: nothing derived yet
    assert len([g for g in graphs if g.value.startswith(ID + "doc/")]) == 4

    again = ok(animekg("build", DATA, "--store", store, cwd=tmp_path))
    assert "documents: 4 in the store (0 added, 4 unchanged)" in again
    graphs, derived, expected, _ = on_disk(store)
    assert derived == expected and len(derived) > 0
    assert f"({len(derived)} inferred)" in again
    assert not [g for g in graphs if g.value.startswith(SCRATCH_PREFIX)]
