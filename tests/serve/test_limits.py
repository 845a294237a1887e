"""The time limit, the result limit and workers that die: one bad query, or one lost
process, must not take the service down."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from animekg.serve import ServeConfig, SparqlServer

from .conftest import SLOW_QUERY

LIMIT = 2.0
MAX_RESULTS = 3
# Time for the answer to travel and for a loaded two-core machine to get to it.
SLACK = 3.0
# Spawning a worker imports animekg and opens the store: a second or two, more under load.
RESPAWN = 60.0


@pytest.fixture(scope="module")
def limited(store_dir: Path) -> Iterator[SparqlServer]:
    config = ServeConfig(timeout=LIMIT, max_results=MAX_RESULTS, workers=2)
    with SparqlServer(store_dir, port=0, config=config) as running:
        yield running


@pytest.fixture
def http(limited) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=limited.url, timeout=120.0) as client:
        yield client


def ask(http: httpx.Client) -> bool:
    response = http.get("/sparql", params={"query": "ASK { ?s ?p ?o }"})
    assert response.status_code == 200, response.text
    return json.loads(response.content)["boolean"]


def wait_for_workers(server: SparqlServer, gone: set[int]) -> list[int]:
    """The pool's pids once it is back to full size with none of ``gone`` left."""
    deadline = time.monotonic() + RESPAWN
    while time.monotonic() < deadline:
        pids = server.pool.pids()
        if len(pids) == server.pool.size and not gone & set(pids):
            return pids
        time.sleep(0.1)
    raise AssertionError(f"the pool did not recover: {server.pool.pids()} (gone: {gone})")


def proc_stat(pid: int) -> list[str]:
    """The fields of /proc/PID/stat after the command name: state first."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except FileNotFoundError:
        return ["X"]


def cpu_seconds(pid: int) -> float:
    fields = proc_stat(pid)
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def dead(pid: int) -> bool:
    """Gone, or a zombie whose threads have all exited: only then are its pipes closed
    (the main thread of a store's process is a zombie while its other threads wind down)."""
    if proc_stat(pid)[0] not in "ZX":
        return False
    try:
        return len(os.listdir(f"/proc/{pid}/task")) <= 1
    except FileNotFoundError:
        return True


def kill_and_wait(pids: set[int]) -> None:
    for pid in pids:
        os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + 10
    while not all(dead(pid) for pid in pids):
        assert time.monotonic() < deadline, "SIGKILL did not take"
        time.sleep(0.02)


def test_the_slow_query_really_outlasts_the_limit(store_dir: Path):
    """Run alone, straight on Oxigraph, it is still counting well after the limit."""
    script = ("import sys, pyoxigraph as ox\n"
              "store = ox.Store.read_only(sys.argv[1])\n"
              "print(list(store.query(sys.argv[2], use_default_graph_as_union=True)))\n")
    with pytest.raises(subprocess.TimeoutExpired):
        subprocess.run([sys.executable, "-c", script, str(store_dir), SLOW_QUERY],
                       timeout=2 * LIMIT + 1, capture_output=True, check=False)


def test_a_query_over_the_time_limit_is_503_and_the_next_one_is_answered(limited, http):
    before = set(limited.pool.pids())
    started = time.monotonic()
    response = http.post("/sparql", data={"query": SLOW_QUERY})
    took = time.monotonic() - started
    assert response.status_code == 503
    assert response.text.startswith("the query ran longer than the time limit of 2 s and was stopped")
    assert LIMIT <= took < LIMIT + SLACK
    assert ask(http)  # at once, by the other worker
    after = wait_for_workers(limited, gone=set())
    assert len(before - set(after)) == 1  # the one that ran it was killed and replaced
    assert ask(http) and ask(http)


def test_two_bad_queries_at_once_do_not_keep_out_a_third(limited, http):
    wait_for_workers(limited, gone=set())
    with ThreadPoolExecutor(3) as pool:
        slow = [pool.submit(http.post, "/sparql", data={"query": SLOW_QUERY}) for _ in range(2)]
        time.sleep(0.5)  # both workers busy: the next request waits for a fresh one
        fast = pool.submit(ask, http)
        assert [f.result().status_code for f in slow] == [503, 503]
        assert fast.result(timeout=LIMIT + RESPAWN) is True


@pytest.mark.parametrize(("query", "accept", "count"), [
    ("SELECT * WHERE { ?s ?p ?o }", "application/sparql-results+json",
     lambda r: len(json.loads(r.content)["results"]["bindings"])),
    ("SELECT * WHERE { ?s ?p ?o }", "text/csv", lambda r: len(r.text.splitlines()) - 1),
    ("CONSTRUCT WHERE { ?s ?p ?o }", "application/n-triples", lambda r: len(r.text.splitlines())),
    ("DESCRIBE ?s WHERE { ?s ?p ?o }", "application/n-triples", lambda r: len(r.text.splitlines())),
])
def test_results_stop_at_the_limit_and_the_header_says_so(http, query, accept, count):
    response = http.get("/sparql", params={"query": query}, headers={"Accept": accept})
    assert response.status_code == 200, response.text
    assert response.headers["x-sparql-maxrows"] == str(MAX_RESULTS)
    assert count(response) == MAX_RESULTS


@pytest.mark.parametrize(("values", "cut"), [("1 2", False), ("1 2 3", False), ("1 2 3 4", True)])
def test_only_a_result_over_the_limit_is_marked(http, values, cut):
    response = http.get("/sparql", params={"query": f"SELECT ?x WHERE {{ VALUES ?x {{ {values} }} }}"})
    rows = [b["x"]["value"] for b in json.loads(response.content)["results"]["bindings"]]
    assert rows == values.split()[:MAX_RESULTS]
    assert ("x-sparql-maxrows" in response.headers) is cut


def test_a_worker_killed_while_idle_is_replaced(limited, http):
    pids = set(wait_for_workers(limited, gone=set()))
    kill_and_wait(pids)
    assert ask(http)  # waits for a replacement if it must
    assert not pids & set(wait_for_workers(limited, gone=pids))
    assert ask(http)


def test_a_worker_killed_mid_query_is_503_and_replaced(store_dir: Path):
    config = ServeConfig(timeout=120.0, workers=1)
    with SparqlServer(store_dir, port=0, config=config) as server, \
            httpx.Client(base_url=server.url, timeout=120.0) as http:
        [pid] = server.pool.pids()
        idle_cpu = cpu_seconds(pid)
        answer = {}
        thread = threading.Thread(target=lambda: answer.update(
            response=http.post("/sparql", data={"query": SLOW_QUERY})))
        thread.start()
        deadline = time.monotonic() + 30
        while cpu_seconds(pid) < idle_cpu + 0.3 and time.monotonic() < deadline:
            time.sleep(0.05)  # until the worker is busy with the query
        os.kill(pid, signal.SIGKILL)
        thread.join(30)
        response = answer["response"]
        assert response.status_code == 503
        assert "the query worker stopped unexpectedly" in response.text
        assert response.headers["retry-after"] == "1"
        assert ask(http)
        assert server.pool.pids() != [pid]
