"""Extraction speed: animekg against the bare spaCy pipeline, and --jobs 2 against --jobs 1.

    .venv/bin/python bench/bench_extract.py [--mb 1.0] [--memory] [--out DIR]

1. Words per second of the bare pipeline (every component of the model, nothing of
   animekg's) and of animekg's extractor (its components plus reading mentions, names
   and credits), on the same synthetic texts in the same process. The corpus is read in
   slices, each slice by both, alternating which goes first, so that both see the same
   load on the machine. Goal: the extractor keeps >= 0.8 of the bare rate.
2. ``api.extract(documents, jobs=N)`` for jobs 1 and 2, each in a fresh process and
   timed as a caller sees it (jobs 2 includes starting the processes and loading the
   model in each). When ``api.extract`` has no ``jobs`` parameter yet, jobs 1 is
   ``Extractor().extract_all`` and jobs 2 is reported as pending.
3. With ``--memory``: peak memory of extracting 0.25, 0.5 and 1x the corpus in fresh
   processes (goal: flat, as documents are streamed), and with ``--single-doc-mb`` of
   one document that large.
"""

from __future__ import annotations

import argparse
import hashlib
import inspect
import json
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
from measure import peak_rss_mb  # noqa: E402
from report import markdown_table, write_result  # noqa: E402
from synthetic import corpus  # noqa: E402

GOAL_RATIO = 0.8
SLICES = 8  # alternations of bare and extractor runs over the corpus


def words(texts: list[str]) -> int:
    return sum(len(t.split()) for t in texts)


def documents(texts: list[str]):
    from animekg.extract.records import Document

    return [Document(f"d{i}", t, "<bench>", hashlib.sha256(t.encode()).hexdigest()) for i, t in enumerate(texts)]


def bare_pipeline():
    """The model as spaCy loads it, every component on."""
    import spacy

    from animekg.extract.pipeline import DEFAULT_MODELS
    for name in DEFAULT_MODELS:
        try:
            return spacy.load(name)
        except OSError:
            continue
    raise SystemExit(f"none of the models {DEFAULT_MODELS} is installed (see README: make install)")


def jobs_supported() -> bool:
    from animekg import api

    return "jobs" in inspect.signature(api.extract).parameters


def side_by_side(texts: list[str]) -> dict:
    """Seconds of the bare pipeline and of the extractor over the same slices of texts."""
    from animekg.extract.pipeline import Extractor

    nlp = bare_pipeline()
    extractor = Extractor()
    docs = documents(texts)
    # Warm both once so neither pays for first-use costs in its timing.
    list(nlp.pipe(texts[:10], batch_size=8)), list(extractor.extract_all(docs[:10]))
    seconds = {"bare": 0.0, "ours": 0.0}
    size = max(1, -(-len(texts) // SLICES))
    for n, first in enumerate(range(0, len(texts), size)):
        runs = [("bare", nlp.pipe, texts[first:first + size]),
                ("ours", extractor.extract_all, docs[first:first + size])]
        for which, read, inputs in (runs if n % 2 == 0 else runs[::-1]):
            start = time.perf_counter()
            for _ in (read(inputs, batch_size=8) if which == "bare" else read(inputs)):
                pass
            seconds[which] += time.perf_counter() - start
    return {"bare_s": seconds["bare"], "extractor_s": seconds["ours"]}


def _worker(mb: float, jobs: int) -> None:
    """In a fresh process: extract the corpus with ``jobs`` processes; print the figures."""
    from animekg import api

    texts = list(corpus(int(mb * 1_000_000)))
    docs = documents(texts)
    if jobs_supported():
        extract = lambda docs: api.extract(docs, jobs=jobs)  # noqa: E731
        list(api.extract(docs[:5], jobs=1))  # loads the model in this process
    else:
        from animekg.extract.pipeline import Extractor
        extractor = Extractor()
        extract = extractor.extract_all
        list(extract(docs[:5]))
    start = time.perf_counter()
    first = None
    for _ in extract(docs):
        # With several jobs the first result waits for the processes to start and load
        # the model: the share of the time a small corpus spends on that.
        first = first or time.perf_counter() - start
    seconds = time.perf_counter() - start
    print(json.dumps({"jobs": jobs, "seconds": seconds, "first_result_s": first, "words_per_s": words(texts) / seconds,
                      "peak_rss_mb": peak_rss_mb(), "peak_rss_mb_largest_worker": peak_rss_mb(children=True)}))


def run_worker(mb: float, jobs: int) -> dict:
    out = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--mb", str(mb), "--worker-jobs", str(jobs)],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def _peak_rss(texts_expression: str) -> float:
    """Peak RSS of a fresh process that extracts the texts the expression makes."""
    code = ("import sys; sys.path.insert(0, sys.argv[1]); from synthetic import corpus; "
            "from bench_extract import documents; from measure import peak_rss_mb; "
            "from animekg.extract.pipeline import Extractor; "
            f"[None for _ in Extractor().extract_all(documents({texts_expression}))]; print(peak_rss_mb())")
    out = subprocess.run([sys.executable, "-c", code, str(BENCH)], capture_output=True, text=True, check=True)
    return float(out.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> dict | None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mb", type=float, default=1.0, help="corpus size in MB of text (default 1.0)")
    ap.add_argument("--memory", action="store_true", help="also measure peak memory at 0.25, 0.5 and 1x the size")
    ap.add_argument("--single-doc-mb", type=float, default=0,
                    help="also measure peak memory of extracting one document of this many MB")
    ap.add_argument("--no-jobs", action="store_true", help="leave out the jobs 1 / jobs 2 comparison")
    ap.add_argument("--out", help="write extract.json to this folder")
    ap.add_argument("--worker-jobs", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.worker_jobs:
        _worker(args.mb, args.worker_jobs)
        return None

    started = time.perf_counter()
    texts = list(corpus(int(args.mb * 1_000_000)))
    n_words = words(texts)
    timing = side_by_side(texts)
    bare, ours = n_words / timing["bare_s"], n_words / timing["extractor_s"]
    result = {"benchmark": "extract", "mb": args.mb, "documents": len(texts),
              "characters": sum(map(len, texts)), "words": n_words,
              "bare_words_per_s": round(bare), "extractor_words_per_s": round(ours),
              "ratio": round(ours / bare, 3), "goal": f"ratio >= {GOAL_RATIO}", "goal_met": ours / bare >= GOAL_RATIO}
    if not args.no_jobs:
        supported = jobs_supported()
        jobs = {"api": "api.extract(documents, jobs=N)" if supported else "Extractor().extract_all(documents)"}
        for n in (1, 2) if supported else (1,):
            figures = run_worker(args.mb, n)
            jobs[f"jobs_{n}"] = {"words_per_s": round(figures["words_per_s"]), "seconds": round(figures["seconds"], 1),
                                 "first_result_s": round(figures["first_result_s"], 1),
                                 "peak_rss_mb": round(figures["peak_rss_mb"]),
                                 "peak_rss_mb_largest_worker": round(figures["peak_rss_mb_largest_worker"])}
        if supported:
            jobs["speedup"] = round(jobs["jobs_2"]["words_per_s"] / jobs["jobs_1"]["words_per_s"], 2)
        else:
            jobs["jobs_2"] = {"pending": "api.extract has no jobs parameter yet"}
        result["jobs"] = jobs
    if args.memory:
        result["peak_rss_mb"] = {f"{f * args.mb:g} MB": round(_peak_rss(f"list(corpus(int({f * args.mb} * 1_000_000)))"))
                                 for f in (0.25, 0.5, 1.0)}
    if args.single_doc_mb:
        result[f"peak_rss_mb_one_{args.single_doc_mb:g}_mb_document"] = round(
            _peak_rss(f"['\\n\\n'.join(corpus(int({args.single_doc_mb} * 1_000_000)))]"))
    result["seconds"] = round(time.perf_counter() - started, 1)
    print(markdown_table({"extract": result}))
    if args.out:
        write_result(args.out, result)
    return result


if __name__ == "__main__":
    main()
