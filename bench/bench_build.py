"""Build speed: documents and triples per second into the embedded on-disk store, and
peak memory.

    .venv/bin/python bench/bench_build.py [--documents 250 1000] [--end-to-end-mb 0.1] [--out DIR]

1. The store's write path, without spaCy: the synthetic documents' Extraction records
   (synthetic.py, made before the clock starts) go through ``GraphStore.add_extraction``
   one by one into a new on-disk store, then ``materialize_inferred`` and ``flush``:
   what ``animekg build`` does once the extractor has read the texts. Each size runs in
   a fresh process, so its peak memory is its own; the time per document at the start
   and at the end of the build shows whether writing slows down as the store grows.
2. End to end (``--end-to-end-mb``): ``api.build`` on that many MB of synthetic text
   files, spaCy included, with jobs 1 (and 2 when ``api.build`` takes ``jobs``).
3. A big build (``--big-build 2500 10000``): ``animekg build --jobs 2`` of that many
   synthetic text files as a new process, each size in a fresh one: documents and words
   per second, and the peak memory of its largest process (flat in the number of
   documents is the goal).
"""

from __future__ import annotations

import argparse
import inspect
import itertools
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
from measure import peak_rss_mb, rss_mb  # noqa: E402
from report import markdown_table, write_result  # noqa: E402
from synthetic import corpus, extractions  # noqa: E402


def _write_path_worker(documents: int, seed: int, work_dir: str | None) -> None:
    """In a fresh process: build ``documents`` records into an on-disk store; print figures."""
    from animekg.graph.store import GraphStore

    records = list(itertools.islice(extractions(seed), documents))
    before = rss_mb()
    per_document = []
    with tempfile.TemporaryDirectory(prefix="animekg-bench-", dir=work_dir) as tmp:
        store = GraphStore(Path(tmp) / "store")
        start = time.perf_counter()
        for record in records:
            t = time.perf_counter()
            store.add_extraction(record)
            per_document.append(time.perf_counter() - t)
        added = time.perf_counter()
        inferred = store.materialize_inferred()
        store.flush()
        done = time.perf_counter()
        triples = store.stats()["triples"]
        del store
    tenth = max(1, len(per_document) // 10)
    print(json.dumps({
        "documents": documents, "triples": triples, "inferred": inferred,
        "seconds": done - start, "add_s": added - start, "inference_s": done - added,
        "ms_per_document_first_tenth": 1000 * sum(per_document[:tenth]) / tenth,
        "ms_per_document_last_tenth": 1000 * sum(per_document[-tenth:]) / tenth,
        "rss_mb_before": before, "peak_rss_mb": peak_rss_mb()}))


def write_path(documents: int, seed: int, work_dir: str | None) -> dict:
    command = [sys.executable, str(Path(__file__).resolve()), "--worker-documents", str(documents),
               "--seed", str(seed)] + (["--work-dir", work_dir] if work_dir else [])
    figures = json.loads(subprocess.run(command, capture_output=True, text=True, check=True).stdout.splitlines()[-1])
    return {"documents": documents, "triples": figures["triples"], "inferred": figures["inferred"],
            "seconds": round(figures["seconds"], 2),
            "documents_per_s": round(documents / figures["seconds"], 1),
            "triples_per_s": round(figures["triples"] / figures["seconds"]),
            "inference_s": round(figures["inference_s"], 2),
            "ms_per_document_first_tenth": round(figures["ms_per_document_first_tenth"], 1),
            "ms_per_document_last_tenth": round(figures["ms_per_document_last_tenth"], 1),
            "rss_mb_before_build": round(figures["rss_mb_before"]), "peak_rss_mb": round(figures["peak_rss_mb"])}


def end_to_end(mb: float, work_dir: str | None) -> list[dict]:
    """api.build on synthetic text files, spaCy and all, into an on-disk store."""
    from animekg import api

    jobs = (1, 2) if "jobs" in inspect.signature(api.build).parameters else (1,)
    rows = []
    with tempfile.TemporaryDirectory(prefix="animekg-bench-", dir=work_dir) as tmp:
        folder, warm = Path(tmp) / "texts", Path(tmp) / "warm"
        folder.mkdir()
        warm.mkdir()
        texts = list(corpus(int(mb * 1_000_000)))
        for i, text in enumerate(texts):
            (folder / f"doc{i:05d}.txt").write_text(text, encoding="utf-8")
        (warm / "doc.txt").write_text(texts[0], encoding="utf-8")
        api.build([warm], api.open_store(api.MEMORY))  # loads the model, which every build then shares
        for n in jobs:
            store = api.open_store(Path(tmp) / f"store-{n}")
            start = time.perf_counter()
            report = api.build([folder], store, **({"jobs": n} if len(jobs) > 1 else {}))
            seconds = time.perf_counter() - start
            triples = report.stats["triples"]
            rows.append({"jobs": n, "documents": len(texts), "words": sum(len(t.split()) for t in texts),
                         "triples": triples, "seconds": round(seconds, 2),
                         "documents_per_s": round(len(texts) / seconds, 1), "triples_per_s": round(triples / seconds)})
            del store
    return rows


def big_build(documents: int, jobs: int, work_dir: str | None) -> dict:
    """``animekg build --jobs N`` of that many synthetic text files, as a person runs it:
    a new process, timed from the outside; the peak memory of the largest of its processes
    (the build's own or an extracting one), as the system counted it."""
    from itertools import islice

    with tempfile.TemporaryDirectory(prefix="animekg-bench-", dir=work_dir) as tmp:
        folder = Path(tmp) / "texts"
        folder.mkdir()
        words = 0
        for i, record in enumerate(islice(extractions(7), documents)):
            (folder / f"doc{i:05d}.txt").write_text(record.document.text, encoding="utf-8")
            words += len(record.document.text.split())
        start = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "animekg", "build", str(folder), "--jobs", str(jobs),
                               "--store", str(Path(tmp) / "store")], capture_output=True, text=True)
        seconds = time.perf_counter() - start
        if done.returncode:
            raise SystemExit(f"animekg build failed: {done.stderr[-2000:]}")
    return {"documents": documents, "jobs": jobs, "words": words, "seconds": round(seconds, 1),
            "documents_per_s": round(documents / seconds, 1), "words_per_s": round(words / seconds),
            "peak_mb_of_one_process": round(peak_rss_mb(children=True))}


def main(argv: list[str] | None = None) -> dict | None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--documents", type=int, nargs="+", default=[250, 1000],
                    help="build sizes in documents, about 270 triples each (default 250 1000)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--end-to-end-mb", type=float, default=0,
                    help="also time api.build, spaCy included, on this many MB of text files")
    ap.add_argument("--big-build", type=int, nargs="+", default=[],
                    help="also run `animekg build --jobs 2` of this many synthetic text files, each size in turn")
    ap.add_argument("--work-dir", help="where the on-disk stores are made (default: the system's temp folder)")
    ap.add_argument("--out", help="write build.json to this folder")
    ap.add_argument("--worker-documents", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--big-build-worker", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.worker_documents:
        _write_path_worker(args.worker_documents, args.seed, args.work_dir)
        return None
    if args.big_build_worker:
        print(json.dumps(big_build(args.big_build_worker, 2, args.work_dir)))
        return None
    started = time.perf_counter()
    result = {"benchmark": "build",
              "write_path": "GraphStore.add_extraction of synthetic Extraction records, then materialize_inferred "
                            "and flush, into a new on-disk store (no spaCy)",
              "sizes": []}
    for n in args.documents:
        result["sizes"].append(write_path(n, args.seed, args.work_dir))
        print(json.dumps(result["sizes"][-1]), file=sys.stderr)
    if args.end_to_end_mb:
        result["end_to_end"] = end_to_end(args.end_to_end_mb, args.work_dir)
    for documents in args.big_build:
        # Each size in a process of its own, so that the peak is that size's.
        done = subprocess.run([sys.executable, __file__, "--big-build-worker", str(documents)]
                              + (["--work-dir", args.work_dir] if args.work_dir else []),
                              capture_output=True, text=True, check=True)
        row = json.loads(done.stdout)
        result.setdefault("big_build", []).append(row)
        print(f"  animekg build --jobs 2, {documents:,} documents: {row['seconds']} s, "
              f"{row['documents_per_s']} docs/s, {row['words_per_s']:,} words/s, "
              f"peak {row['peak_mb_of_one_process']} MB", file=sys.stderr)
    result["seconds"] = round(time.perf_counter() - started, 1)
    print(markdown_table({"build": result}))
    if args.out:
        write_result(args.out, result)
    return result


if __name__ == "__main__":
    main()
