"""Time for `animekg view` to write its page from a big store on disk.

    .venv/bin/python bench/bench_view_store.py [--triples 100000 1000000] [--reps 5] [--out DIR]

For each size, the synthetic graph of bench_query.py (synthetic_graph.py, cached as
N-Quads) is bulk-loaded into an on-disk store, then ``animekg infer`` writes the inferred
and summary graphs as every build does (timed: what the summary adds to a build is in
it). Timed then, on the store opened read-only: ``api.write_view`` (the page of the 1,500
most connected entities, read from the summary graph) and the whole ``animekg view``
command as a new process (Python start, imports and opening the store included), and,
for comparison, ``api.network`` (reading every entity and credit, as the view did before;
up to ``--whole-network-up-to`` triples). With ``--cold`` (root only), the command once
more after the system dropped its cache of files: the first view of a store none of whose
pages are in memory.
Goal: ``animekg view`` writes the page in at most 2 s at a million triples, 3 s at ten million.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
from bench_query import load_oxigraph  # noqa: E402
from report import write_result  # noqa: E402
from synthetic_graph import synthetic_graph  # noqa: E402

from animekg import api  # noqa: E402

GOAL_S = 2.0
GOAL_BIG_S, BIG = 3.0, 5_000_000  # the goal for ten million triples


def timed(action, reps: int) -> list[float]:
    seconds = []
    for _ in range(reps):
        start = time.perf_counter()
        action()
        seconds.append(time.perf_counter() - start)
    return seconds


def bench_size(triples: int, args) -> dict:
    graph = synthetic_graph(triples, args.seed, args.cache_dir)
    row = {"triples": graph.triples, "documents": graph.documents}
    with tempfile.TemporaryDirectory(prefix="animekg-bench-view-") as tmp:
        store_path, page = Path(tmp) / "store", Path(tmp) / "view.html"
        row["load_s"] = round(load_oxigraph(graph.path, store_path), 2)
        start = time.perf_counter()
        api.infer(api.open_store(store_path))
        row["infer_with_summary_s"] = round(time.perf_counter() - start, 2)
        store = api.open_store(store_path, read_only=True)
        view = timed(lambda: api.write_view(store, page), args.reps)
        row["write_view_s"] = {"median": round(statistics.median(view), 2), "max": round(max(view), 2)}
        if graph.triples <= args.whole_network_up_to:
            whole = timed(lambda: api.network(store), 1)
            row["whole_network_s"] = round(whole[0], 2)
        store = None  # closed: the command opens it itself
        command = [str(Path(sys.executable).parent / "animekg"), "view", "--store", str(store_path), "-o", str(page)]
        cli = timed(lambda: subprocess.run(command, check=True, capture_output=True), args.reps)
        row["cli_view_s"] = {"median": round(statistics.median(cli), 2), "max": round(max(cli), 2)}
        if args.cold:
            subprocess.run(["sync"], check=True)
            Path("/proc/sys/vm/drop_caches").write_text("3\n")
            row["cli_view_cold_s"] = round(timed(lambda: subprocess.run(command, check=True, capture_output=True),
                                                 1)[0], 2)
    row["goal_s"] = GOAL_S if graph.triples < BIG else GOAL_BIG_S
    row["goal_met"] = row["cli_view_s"]["median"] <= row["goal_s"]
    print(f"{graph.triples:,} triples: {row}", file=sys.stderr)
    return row


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--triples", type=int, nargs="+", default=[100_000, 1_000_000])
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--whole-network-up-to", type=int, default=2_000_000,
                    help="time reading the whole network only up to this many triples (default 2,000,000; "
                         "it takes minutes at 10M)")
    ap.add_argument("--cold", action="store_true",
                    help="also time the command once after dropping the system's file cache (needs root)")
    ap.add_argument("--cache-dir", help="where generated graphs are kept (default bench/.cache)")
    ap.add_argument("--out", help="write view_store.json to this folder")
    args = ap.parse_args(argv)
    if args.cold and not os.access("/proc/sys/vm/drop_caches", os.W_OK):
        ap.error("--cold drops the system's file cache, which needs root")
    result = {"benchmark": "view_store", "goal": f"animekg view <= {GOAL_S} s at 1M triples, {GOAL_BIG_S} s at 10M",
              "sizes": [bench_size(n, args) for n in args.triples]}
    if args.out:
        write_result(args.out, result)
    return result


if __name__ == "__main__":
    main()
