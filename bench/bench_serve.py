"""Latency of the SPARQL endpoint on one kept-alive connection.

    .venv/bin/python bench/bench_serve.py [--requests 200]

Serves a small store (the two hand-made documents of tests/data/serve) and sends
sequential ASK requests over one HTTP/1.1 connection, as a client library with a
connection pool does; prints the median and 95th percentile. Without TCP_NODELAY the
server's second write of each response waited for the client's delayed ACK: ~44 ms per
request. Goal: a median of a few milliseconds.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()

    from animekg.serve import ServeConfig, SparqlServer
    from tests.serve.conftest import build_store

    with tempfile.TemporaryDirectory() as tmp:
        store = Path(tmp) / "store"
        build_store(store)
        with SparqlServer(store, port=0, config=ServeConfig(workers=1)) as server, \
                httpx.Client(base_url=server.url) as http:
            http.get("/sparql", params={"query": "ASK {}"})  # opens the connection
            times = []
            for _ in range(args.requests):
                start = time.perf_counter()
                response = http.get("/sparql", params={"query": "ASK { ?s ?p ?o }"})
                times.append(time.perf_counter() - start)
                assert response.status_code == 200
    times.sort()
    print(f"{args.requests} requests on one kept-alive connection: median {statistics.median(times) * 1000:.2f} ms, "
          f"p95 {times[int(0.95 * len(times))] * 1000:.2f} ms")


if __name__ == "__main__":
    main()
