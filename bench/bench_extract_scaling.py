"""Extraction cost by text length: text without sentence ends, and one long document.

    .venv/bin/python bench/bench_extract_scaling.py [--names-mb 0.25 0.5 1] [--document-mb 1 5 20] [--out DIR]
    .venv/bin/python bench/bench_extract_scaling.py --quick      # 0.1, 0.25 and 0.5 MB of each

Two kinds of text, each size extracted by ``Extractor().extract_all`` in a fresh process
(so that one size's memory does not weigh on the next, and the peak is that size's):

- ``names``: one line of invented person names (random pairs of invented given and family
  names) separated by spaces, commas or " / ", with no full stop anywhere. spaCy finds
  no sentence end in it; before sentences were capped (issue 12, case 6) 20,000 such
  characters took 28.7 s and 1 MB ran past 600 s.
- ``document``: one document of synthetic texts (bench/synthetic.py: reviews, theme
  lists, show pages, comment threads) joined by blank lines: sentences, track lists and
  stat blocks, dense with names. Before, 20 MB took 40 minutes and 8.7 GB.

Figures per size: seconds of extraction (the model loaded and warmed before the clock
starts), seconds per MB, peak resident memory of the process and what extraction added
to it over the loaded model and the text, credits and credits per MB. Goal: cost linear
in length, i.e. seconds per MB and added memory per MB at the largest size at most 1.5x
those at the smallest (both flat per MB). A size that runs past ``--timeout`` is stopped
and reported so.
"""

from __future__ import annotations

import argparse
import gc
import json
import random
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
from measure import peak_rss_mb, rss_mb  # noqa: E402
from report import markdown_table, write_result  # noqa: E402
from synthetic import SYLLABLES, corpus  # noqa: E402

KINDS = ("names", "document")
FULL_SIZES = {"names": [0.25, 0.5, 1.0], "document": [1.0, 5.0, 20.0]}
QUICK_SIZES = {"names": [0.1, 0.25, 0.5], "document": [0.1, 0.25, 0.5]}
GOAL_GROWTH = 1.5  # largest size's cost per MB over the smallest's
NAME_POOL = 400  # invented given names, and as many family names
NAME_SEPARATORS = [" ", ", ", " / "]


def unpunctuated_names(total_chars: int, seed: int = 12) -> tuple[str, int]:
    """One line of invented names, no full stop in it, and how many names it holds."""
    rng = random.Random(seed)

    def word() -> str:
        return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()

    given, family = [word() for _ in range(NAME_POOL)], [word() for _ in range(NAME_POOL)]
    parts, size, names = [], 0, 0
    while size < total_chars:
        part = f"{rng.choice(given)} {rng.choice(family)}{rng.choice(NAME_SEPARATORS)}"
        parts.append(part)
        size += len(part)
        names += 1
    return "".join(parts).rstrip(" ,/"), names


def long_document(total_chars: int) -> str:
    """Synthetic texts joined by blank lines into one document of about total_chars."""
    return "\n\n".join(corpus(total_chars))


def _worker(kind: str, mb: float) -> None:
    """In a fresh process: extract one text of this kind and size; print the figures."""
    import hashlib

    from animekg.extract.pipeline import Extractor, resolve_model
    from animekg.extract.records import Document

    chars = int(mb * 1_000_000)
    names = None
    if kind == "names":
        text, names = unpunctuated_names(chars)
    else:
        text = long_document(chars)
    document = Document(f"scaling-{kind}", text, "<bench>", hashlib.sha256(text.encode()).hexdigest())
    extractor = Extractor()
    # First use of the model (vectors, caches) is not part of the cost of a length.
    list(extractor.extract_all([Document("warm", "Music by Aoi Minase.", "<bench>", "0")]))
    gc.collect()
    before = rss_mb()
    start = time.perf_counter()
    (extraction,) = extractor.extract_all([document])
    seconds = time.perf_counter() - start
    peak = peak_rss_mb()
    relations = Counter(c.relation for c in extraction.credits)
    print(json.dumps({"kind": kind, "mb": mb, "characters": len(text), "words": len(text.split()),
                      "names": names, "seconds": seconds, "peak_rss_mb": peak, "rss_before_mb": before,
                      "credits": len(extraction.credits), "entities": len(extraction.entities),
                      "credits_by_relation": dict(relations.most_common()),
                      "model": "trained" if resolve_model(None)[1] is not None else "stock pipeline, rules"}))


def run_worker(kind: str, mb: float, timeout_s: float) -> dict:
    command = [sys.executable, str(Path(__file__).resolve()), "--worker", kind, str(mb)]
    try:
        out = subprocess.run(command, capture_output=True, text=True, check=True, timeout=timeout_s)
    except subprocess.TimeoutExpired:
        return {"kind": kind, "mb": mb, "stopped_after_s": timeout_s}
    except subprocess.CalledProcessError as exc:
        lines = (exc.stderr or "").strip().splitlines()
        return {"kind": kind, "mb": mb, "error": lines[-1][:200] if lines else f"exit {exc.returncode}"}
    figures = json.loads(out.stdout.strip().splitlines()[-1])
    mb_text = figures["characters"] / 1e6
    added = max(0.0, figures["peak_rss_mb"] - figures["rss_before_mb"])
    figures.update({"seconds": round(figures["seconds"], 2),
                    "seconds_per_mb": round(figures["seconds"] / mb_text, 2),
                    "peak_rss_mb": round(figures["peak_rss_mb"]), "rss_before_mb": round(figures["rss_before_mb"]),
                    "added_mb": round(added), "added_mb_per_mb": round(added / mb_text, 1),
                    "credits_per_mb": round(figures["credits"] / mb_text)})
    return figures


def growth(runs: list[dict], key: str) -> float | None:
    """The largest measured size's figure per MB over the smallest's (1.0: flat)."""
    done = [r for r in runs if key in r]
    if len(done) < 2 or not done[0][key]:
        return None
    return round(done[-1][key] / done[0][key], 2)


def summarize(kind: str, runs: list[dict]) -> dict:
    time_growth, memory_growth = growth(runs, "seconds_per_mb"), growth(runs, "added_mb_per_mb")
    complete = all("seconds" in r for r in runs)
    met = None
    if time_growth is not None:
        # A flat or falling memory per MB is met; so is an added memory too small to measure.
        memory_ok = memory_growth is None or memory_growth <= GOAL_GROWTH
        met = complete and time_growth <= GOAL_GROWTH and memory_ok
    return {"kind": kind, "runs": runs, "seconds_per_mb_growth": time_growth,
            "added_memory_per_mb_growth": memory_growth,
            "goal": f"s/MB and added MB/MB at the largest size <= {GOAL_GROWTH}x the smallest's", "goal_met": met}


def main(argv: list[str] | None = None) -> dict | None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--names-mb", type=float, nargs="*", help=f"sizes of unpunctuated names (default "
                    f"{FULL_SIZES['names']}, --quick {QUICK_SIZES['names']})")
    ap.add_argument("--document-mb", type=float, nargs="*", help=f"sizes of the one document (default "
                    f"{FULL_SIZES['document']}, --quick {QUICK_SIZES['document']})")
    ap.add_argument("--quick", action="store_true", help="small sizes: a check that it runs and stays linear")
    ap.add_argument("--timeout", type=float, default=1800, help="stop a size after this many seconds (default 1800)")
    ap.add_argument("--out", help="write extract_scaling.json to this folder")
    ap.add_argument("--worker", nargs=2, metavar=("KIND", "MB"), help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.worker:
        _worker(args.worker[0], float(args.worker[1]))
        return None

    started = time.perf_counter()
    defaults = QUICK_SIZES if args.quick else FULL_SIZES
    sizes = {"names": defaults["names"] if args.names_mb is None else args.names_mb,
             "document": defaults["document"] if args.document_mb is None else args.document_mb}
    result = {"benchmark": "extract_scaling", "quick": args.quick, "timeout_s": args.timeout, "kinds": []}
    for kind in KINDS:
        runs = []
        for mb in sorted(sizes[kind]):
            print(f"{kind} {mb:g} MB ...", file=sys.stderr, flush=True)
            runs.append(run_worker(kind, mb, args.timeout))
            print(json.dumps(runs[-1]), file=sys.stderr, flush=True)
        if runs:
            result["kinds"].append(summarize(kind, runs))
    result["seconds"] = round(time.perf_counter() - started, 1)
    print(markdown_table({"extract_scaling": result}))
    if args.out:
        write_result(args.out, result)
    return result


if __name__ == "__main__":
    main()
