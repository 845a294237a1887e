"""The benchmark suite runs: the synthetic generator, and the query, view and
extraction-scaling benchmarks at a tiny size.

No figure is checked against a goal: speed goals live in the benchmarks (bench/), never
in unit tests, whose timings move with the machine.
"""

from __future__ import annotations

import importlib.util
import itertools
import json
import os
import subprocess
import sys
from pathlib import Path

from animekg.graph.queries import named_queries

BENCH = Path(__file__).resolve().parents[2] / "bench"


def _synthetic():
    """bench/synthetic.py, imported under a name of its own (bench/ is not a package)."""
    name = "animekg_bench_synthetic"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, BENCH / "synthetic.py")
        sys.modules[name] = importlib.util.module_from_spec(spec)  # dataclasses look their module up
        spec.loader.exec_module(sys.modules[name])
    return sys.modules[name]


def test_synthetic_documents_hold_what_their_text_says():
    synthetic = _synthetic()
    records = list(itertools.islice(synthetic.extractions(seed=3), 60))
    again = list(itertools.islice(synthetic.extractions(seed=3), 60))
    assert [r.document.text for r in records] == [r.document.text for r in again]  # seeded
    assert len({r.document.source.split("/")[1] for r in records}) >= 4  # kinds of document
    for record in records:
        text = record.document.text
        names = {e.name for e in record.entities}
        for entity in record.entities:
            assert entity.types and entity.name in text
            assert all(alias in text for alias in entity.aliases)
        for credit in record.credits:
            assert {credit.subject, credit.object} <= names
            assert text[credit.evidence.start:credit.evidence.end] == credit.evidence.sentence


def test_query_benchmark_writes_a_row_per_named_query(tmp_path):
    out = tmp_path / "results"
    subprocess.run(
        [sys.executable, str(BENCH / "bench_query.py"), "--triples", "5000", "--reps", "2", "--budget", "2",
         "--timeout", "10", "--rdflib-reps", "2", "--rdflib-budget", "1", "--rdflib-timeout", "1",
         "--cache-dir", str(tmp_path / "cache"), "--work-dir", str(tmp_path), "--out", str(out)],
        check=True, capture_output=True, text=True, timeout=300)

    result = json.loads((out / "query.json").read_text(encoding="utf-8"))
    assert result["machine"]["cores"] and result["date"]
    (size,) = result["sizes"]
    assert size["triples"] >= 5000 and size["documents"] > 0
    rows = {row["query"]: row for row in size["queries"]}
    # Each named query's page, and each listing once more with every row (oxigraph only).
    listings = [q.name for q in named_queries().values() if q.listing]
    assert set(rows) == set(named_queries()) | {f"{name} --all" for name in listings}
    for name in listings:
        whole, page = rows[f"{name} --all"]["oxigraph"], rows[name]["oxigraph"]
        assert whole["error"] is None and page["rows"] == min(whole["rows"], 100), name
    for name, row in rows.items():
        if "skipped" in row:
            assert row["skipped"], name
            continue
        for store in ("oxigraph", "rdflib") if "rdflib" in row else ("oxigraph",):
            figures = row[store]
            if figures["stopped_after_s"] or (figures["error"] and store == "rdflib"):
                continue  # a time limit, or one of rdflib's own errors: reported, not ours to fix
            assert figures["error"] is None, (name, store, figures["error"])
            assert figures["runs"] >= 1 and isinstance(figures["rows"], int), (name, store)
            assert 0 < figures["median_ms"] <= figures["p95_ms"], (name, store)


def test_view_store_benchmark_writes_its_figures(tmp_path):
    out = tmp_path / "results"
    cold = os.access("/proc/sys/vm/drop_caches", os.W_OK)  # root: the first view of a store not in memory
    subprocess.run([sys.executable, str(BENCH / "bench_view_store.py"), "--triples", "5000", "--reps", "1",
                    "--cache-dir", str(tmp_path / "cache"), "--out", str(out), *(["--cold"] if cold else [])],
                   check=True, capture_output=True, text=True, timeout=300)
    (size,) = json.loads((out / "view_store.json").read_text(encoding="utf-8"))["sizes"]
    assert size["triples"] >= 5000 and size["infer_with_summary_s"] > 0
    assert 0 < size["write_view_s"]["median"] <= size["write_view_s"]["max"]
    assert 0 < size["cli_view_s"]["median"] and size["whole_network_s"] > 0
    assert size["goal_met"] == (size["cli_view_s"]["median"] <= size["goal_s"])
    assert (size.get("cli_view_cold_s", 0) > 0) == cold


def test_big_build_benchmark_runs_the_command(tmp_path):
    out = tmp_path / "results"
    subprocess.run([sys.executable, str(BENCH / "bench_build.py"), "--documents", "20", "--big-build", "12",
                    "--work-dir", str(tmp_path), "--out", str(out)], check=True, capture_output=True, text=True,
                   timeout=600)
    (row,) = json.loads((out / "build.json").read_text(encoding="utf-8"))["big_build"]
    assert row["documents"] == 12 and row["jobs"] == 2 and row["words"] > 0
    assert row["documents_per_s"] > 0 and row["peak_mb_of_one_process"] > 50


def _scaling():
    """bench/bench_extract_scaling.py, imported under a name of its own."""
    name = "animekg_bench_extract_scaling"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, BENCH / "bench_extract_scaling.py")
        sys.modules[name] = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(sys.modules[name])
    return sys.modules[name]


def test_unpunctuated_names_have_no_sentence_end():
    text, names = _scaling().unpunctuated_names(5_000)
    assert len(text) >= 4_950 and names > 200
    assert not set(".!?\n") & set(text)
    assert ", " in text and " / " in text
    assert text == _scaling().unpunctuated_names(5_000)[0]  # seeded


def test_scaling_benchmark_writes_a_row_per_size(tmp_path):
    out = tmp_path / "results"
    printed = subprocess.run(
        [sys.executable, str(BENCH / "bench_extract_scaling.py"), "--names-mb", "0.005", "0.01",
         "--document-mb", "0.01", "--out", str(out)],
        check=True, capture_output=True, text=True, timeout=300)

    result = json.loads((out / "extract_scaling.json").read_text(encoding="utf-8"))
    assert result["machine"]["cores"] and result["date"]
    kinds = {k["kind"]: k for k in result["kinds"]}
    assert [r["mb"] for r in kinds["names"]["runs"]] == [0.005, 0.01]
    assert [r["mb"] for r in kinds["document"]["runs"]] == [0.01]
    for kind in kinds.values():
        for run in kind["runs"]:
            assert run["characters"] >= 0.95 * run["mb"] * 1e6
            assert run["seconds"] > 0 and run["peak_rss_mb"] >= run["rss_before_mb"] > 0
            assert run["credits"] == sum(run["credits_by_relation"].values())
    assert kinds["names"]["runs"][1]["names"] > kinds["names"]["runs"][0]["names"] > 0
    assert kinds["names"]["seconds_per_mb_growth"] is not None and isinstance(kinds["names"]["goal_met"], bool)
    assert kinds["document"]["runs"][0]["credits"] > 0  # the synthetic texts are read
    assert kinds["document"]["goal_met"] is None  # one size: nothing to compare

    # The table it prints: a row per size, the goal on the largest of a kind.
    rows = [line for line in printed.stdout.splitlines() if line.startswith("| extraction by length")]
    assert len(rows) == 3
    assert "0.005 MB, one line of names" in rows[0] and "0.01 MB, one document" in rows[2]
    assert "flat per MB" in rows[1] and "flat per MB" not in rows[0] + rows[2]
