"""Store backends for the whole suite: every store test runs against the embedded Oxigraph
store and against a real Oxigraph server (`oxigraph serve`, the `oxigraph` package of the
test extras), started on a loopback port for each store and stopped after it.

A test asks for ``empty_store`` (a fresh store of each backend) or ``module_store`` (one
of each backend shared by a module, for a costly build).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from animekg.graph.store import GraphStore

BACKENDS = ["embedded", "oxigraph-server"]


def oxigraph_binary() -> str | None:
    beside_python = Path(sys.executable).parent / "oxigraph"
    return str(beside_python) if beside_python.exists() else shutil.which("oxigraph")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def oxigraph_server(location: Path | None = None) -> Iterator[str]:
    """A fresh `oxigraph serve` on a loopback port (in memory unless ``location``); its URL."""
    binary = oxigraph_binary()
    if binary is None:
        if os.environ.get("CI"):
            pytest.fail("no `oxigraph` server binary: `make test` installs it with the test extras")
        pytest.skip("no `oxigraph` server binary (pip install oxigraph)")
    port = free_port()
    command = [binary, "serve", "--bind", f"127.0.0.1:{port}"]
    if location is not None:
        command += ["--location", str(location)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 15
        while True:
            try:
                httpx.post(url + "/query", data={"query": "ASK {}"}, timeout=1).raise_for_status()
                break
            except httpx.HTTPError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"oxigraph serve did not start: {process.stderr.read().decode()}")
                time.sleep(0.02)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


@contextlib.contextmanager
def open_backend(kind: str) -> Iterator[GraphStore]:
    if kind == "embedded":
        yield GraphStore.in_memory()
        return
    with oxigraph_server() as url:
        store = GraphStore.remote(url)
        try:
            yield store
        finally:
            store.backend.close()


@pytest.fixture(params=BACKENDS)
def empty_store(request) -> Iterator[GraphStore]:
    with open_backend(request.param) as store:
        yield store


@pytest.fixture(scope="module", params=BACKENDS)
def module_store(request) -> Iterator[GraphStore]:
    """An empty store of each backend, shared by a module's tests (for costly builds)."""
    with open_backend(request.param) as store:
        yield store


@pytest.fixture
def oxigraph_url(tmp_path) -> Iterator[str]:
    """A fresh Oxigraph server persisting to a test folder, for tests that drive it by URL."""
    with oxigraph_server(tmp_path / "oxigraph-data") as url:
        yield url


# Debian's chromium, which `make test` installs; Playwright drives it, with no browser
# download. No sandbox: CI runs as root. The rest keeps Chromium from calling home, which
# would show up as requests a page did not make.
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="session")
def browser():
    """Headless Chromium for the pages' tests; outside CI they skip without it, in CI they must run."""
    if not CHROMIUM.exists() and not os.environ.get("CI"):
        pytest.skip("no /usr/bin/chromium (make test installs Debian's chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()
