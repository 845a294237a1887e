"""The benchmark suite runs: the synthetic generator, and the query benchmark at a tiny size.

No figure is checked against a goal: speed goals live in the benchmarks (bench/), never
in unit tests, whose timings move with the machine.
"""

from __future__ import annotations

import importlib.util
import itertools
import json
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
    assert set(rows) == set(named_queries())
    for name, row in rows.items():
        if "skipped" in row:
            assert row["skipped"], name
            continue
        for store in ("oxigraph", "rdflib"):
            figures = row[store]
            if figures["stopped_after_s"] or (figures["error"] and store == "rdflib"):
                continue  # a time limit, or one of rdflib's own errors: reported, not ours to fix
            assert figures["error"] is None, (name, store, figures["error"])
            assert figures["runs"] >= 1 and isinstance(figures["rows"], int), (name, store)
            assert 0 < figures["median_ms"] <= figures["p95_ms"], (name, store)
