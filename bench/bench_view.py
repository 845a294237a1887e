"""Time to produce the view page for graphs of 1,000 and 5,000 entities.

    .venv/bin/python bench/bench_view.py [--entities 1000 5000] [--out DIR]

The graph is synthetic (synthetic.py) and stored with ``GraphStore.add_extraction`` until
it holds the asked number of entities (not timed). Timed: ``api.network`` (the two
named queries of the view and the networkx graph) and ``write_view_page`` with every
node drawn (``animekg view`` draws the 1,500 most connected by default; the page for
all is the harder case). Goal: the page for 5,000 entities in under 2 seconds.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
from report import markdown_table, write_result  # noqa: E402
from synthetic import extractions  # noqa: E402

from animekg import api  # noqa: E402
from animekg.graph.store import GraphStore  # noqa: E402
from animekg.graph.triples import KIND_OF_TYPE  # noqa: E402
from animekg.normalize import name_key, order_free_key  # noqa: E402
from animekg.views import write_view_page  # noqa: E402

GOAL_S = 2.0


def store_with_entities(n: int, seed: int) -> GraphStore:
    """A memory store of synthetic documents holding about ``n`` entities."""
    store = GraphStore.in_memory()
    seen: set[tuple[str, str]] = set()
    for record in extractions(seed):
        store.add_extraction(record)
        # An entity's IRI comes from its kind and its order-free name key.
        seen |= {(KIND_OF_TYPE[t], order_free_key(name_key(e.name))) for e in record.entities for t in e.types}
        if len(seen) >= n:
            break
    store.materialize_inferred()
    return store


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--entities", type=int, nargs="+", default=[1000, 5000], help="(default 1000 5000)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--out", help="write view.json to this folder")
    args = ap.parse_args(argv)
    started = time.perf_counter()
    result = {"benchmark": "view", "goal": f"page for 5,000 entities in under {GOAL_S:g} s", "sizes": []}
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.entities:
            store = store_with_entities(n, args.seed)
            start = time.perf_counter()
            graph = api.network(store)
            built = time.perf_counter()
            write_view_page(graph, Path(tmp) / f"view-{n}.html", max_nodes=max(1, graph.number_of_nodes()))
            done = time.perf_counter()
            row = {"entities_asked": n, "nodes": graph.number_of_nodes(), "credits": graph.number_of_edges(),
                   "network_s": round(built - start, 3), "page_s": round(done - built, 3),
                   "total_s": round(done - start, 3),
                   "page_mb": round((Path(tmp) / f"view-{n}.html").stat().st_size / 1e6, 2)}
            if n >= 5000:
                row["goal_met"] = row["total_s"] <= GOAL_S
            result["sizes"].append(row)
    result["seconds"] = round(time.perf_counter() - started, 1)
    print(markdown_table({"view": result}))
    if args.out:
        write_result(args.out, result)
    return result


if __name__ == "__main__":
    main()
