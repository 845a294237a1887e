"""``api.serve``: the CLI's one call, which blocks until Ctrl+C or SIGTERM."""

from __future__ import annotations

import json
import os
import signal
from pathlib import Path

import httpx

from animekg import api


def test_api_serve_runs_until_sigterm(store_dir: Path):
    seen = {}

    def ready(url: str) -> None:
        response = httpx.get(url + "/sparql", params={"query": "ASK { ?s ?p ?o }"}, timeout=60)
        seen["answer"] = json.loads(response.content)["boolean"]
        seen["url"] = url
        os.kill(os.getpid(), signal.SIGTERM)  # what `kill` or a service manager sends

    previous = signal.getsignal(signal.SIGTERM)
    api.serve(store_dir, port=0, workers=1, timeout=10, ready=ready)
    assert seen["answer"] is True and seen["url"].startswith("http://127.0.0.1:")
    assert signal.getsignal(signal.SIGTERM) == previous  # put back as it was
    try:
        httpx.get(seen["url"] + "/", timeout=5)
        raise AssertionError("the server still answers after SIGTERM")
    except httpx.ConnectError:
        pass
