"""`animekg serve` as a user runs it: a subprocess on a free port, stopped by SIGTERM."""

from __future__ import annotations

import json
import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx

from .conftest import TOKEN


def animekg(*args: str, env: dict[str, str], cwd: Path, **popen) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "animekg", *args], cwd=cwd, env=env, text=True,
                            encoding="utf-8", stdout=subprocess.PIPE, stderr=subprocess.PIPE, **popen)


def clean_env(**extra: str) -> dict[str, str]:
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "200", **extra}
    for name in ("ANIMEKG_STORE", "ANIMEKG_UPDATE_TOKEN"):
        if name not in extra:
            env.pop(name, None)
    return env


def first_line(stream, timeout: float) -> str:
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: lines.put(stream.readline()), daemon=True).start()
    return lines.get(timeout=timeout)


def children(pid: int) -> set[int]:
    return {int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()}


def gone(pid: int) -> bool:
    """Exited: no such process, or a zombie no one has reaped yet."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] in "ZX"
    except FileNotFoundError:
        return True


def test_serve_answers_queries_and_token_updates_then_stops_on_sigterm(store_copy: Path, tmp_path: Path):
    # The token comes from the environment, as the help advises, not the command line.
    process = animekg("serve", "--store", str(store_copy), "--port", "0", "--allow-update",
                      "--timeout", "10", "--max-results", "2", "--cors", "http://localhost:3000",
                      env=clean_env(ANIMEKG_UPDATE_TOKEN=TOKEN), cwd=tmp_path)
    try:
        line = first_line(process.stdout, timeout=120)
        match = re.fullmatch(r"serving (http://127\.0\.0\.1:(\d+))/sparql \(updates with the token\), "
                             r"query page \1/ \(Ctrl\+C stops\)\n", line)
        assert match, line
        url = match[1]
        workers = children(process.pid)
        assert workers  # the writable worker, and multiprocessing's resource tracker
        with httpx.Client(base_url=url, timeout=60) as http:
            response = http.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"},
                                headers={"Accept": "text/csv"})
            assert response.status_code == 200
            assert response.headers["x-sparql-maxrows"] == "2" and len(response.text.splitlines()) == 3
            cross = http.get("/sparql", params={"query": "ASK {}"}, headers={"Origin": "http://localhost:3000"})
            assert cross.headers["access-control-allow-origin"] == "http://localhost:3000"
            update = {"update": "INSERT DATA { <urn:x:cli> <urn:x:p> 'from the CLI test' }"}
            assert http.post("/update", data=update).status_code == 401
            assert http.post("/update", data=update, headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 200
            ask = http.get("/sparql", params={"query": "ASK { <urn:x:cli> ?p ?o }"})
            assert json.loads(ask.content)["boolean"] is True
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0
        log = process.stderr.read()
        assert '"GET /sparql?query=' in log and '"POST /update HTTP/1.1" 200' in log
        # multiprocessing's resource tracker leaves when it sees its parent's pipe close.
        deadline = time.monotonic() + 10
        while not all(gone(pid) for pid in workers):
            assert time.monotonic() < deadline, [(pid, Path(f"/proc/{pid}/cmdline").read_bytes()) for pid in workers
                                                 if not gone(pid)]
            time.sleep(0.05)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_serve_refuses_bad_settings_in_one_line(tmp_path: Path):
    cases = [(["--allow-update"], ("animekg: error: --allow-update needs a token: give --update-token TOKEN "
                                   "or set ANIMEKG_UPDATE_TOKEN")),
             (["--store", ":memory:"], "animekg: error: cannot serve a memory store"),
             (["--cors", "example.org"], "animekg: error: --cors 'example.org' is not a web origin")]
    for args, message in cases:
        process = animekg("serve", "--port", "0", *args, env=clean_env(), cwd=tmp_path)
        stdout, stderr = process.communicate(timeout=120)
        assert process.returncode == 1, stderr
        assert stderr.startswith(message), stderr
        assert len(stderr.strip().splitlines()) == 1 and stdout == ""
