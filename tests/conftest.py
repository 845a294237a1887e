"""Store backends for the whole suite: every store test runs against the embedded Oxigraph
store, against a real Oxigraph server (`oxigraph serve`, the `oxigraph` package of the
test extras), started on a loopback port for each store and stopped after it, and against
Virtuoso (Debian's `virtuoso-opensource`, which `make test` installs), one throw-away
server for the session on loopback ports, whose graphs are dropped before each store.

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
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from animekg.graph.store import GraphStore

BACKENDS = ["embedded", "oxigraph-server", "virtuoso"]
EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def oxigraph_binary() -> str | None:
    beside_python = Path(sys.executable).parent / "oxigraph"
    return str(beside_python) if beside_python.exists() else shutil.which("oxigraph")


def as_oxigraph_keeps(nquads_line: str) -> str:
    """An N-Quads line as Oxigraph keeps it: Oxigraph stores every integer type as an
    xsd:integer of the same value (a track number written "2"^^xsd:int reads back as
    "2"^^xsd:integer), where Virtuoso gives back the type written. For comparing a graph
    read from both."""
    return nquads_line.replace(XSD_INT, XSD_INTEGER)


XSD_INT, XSD_INTEGER = "^^<http://www.w3.org/2001/XMLSchema#int>", "^^<http://www.w3.org/2001/XMLSchema#integer>"


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


# A database of its own in a temporary folder, on loopback ports only, with no cap on the
# rows of a result (the [SPARQL] section of Debian's ini would cut them at 10,000).
VIRTUOSO_INI = """[Database]
DatabaseFile = {folder}/virtuoso.db
ErrorLogFile = {folder}/virtuoso.log
LockFile = {folder}/virtuoso.lck
TransactionFile = {folder}/virtuoso.trx
xa_persistent_file = {folder}/virtuoso.pxa
[TempDatabase]
DatabaseFile = {folder}/virtuoso-temp.db
TransactionFile = {folder}/virtuoso-temp.trx
[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
NumberOfBuffers = 1000
MaxDirtyBuffers = 500
[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
"""


@dataclass
class Virtuoso:
    url: str  # its SPARQL endpoint
    system_graphs: frozenset[str]  # the graphs it keeps for itself

    def graphs(self) -> set[str]:
        response = httpx.post(self.url, data={"query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"},
                              headers={"Accept": "application/sparql-results+json"}, timeout=60)
        response.raise_for_status()
        return {b["g"]["value"] for b in response.json()["results"]["bindings"] if "g" in b}

    def clear(self) -> None:
        """Drop every graph but its own: a fresh store for the next test."""
        drops = [f"DROP SILENT GRAPH <{g}>" for g in sorted(self.graphs() - self.system_graphs)]
        if drops:
            httpx.post(self.url, data={"update": " ;\n".join(drops)}, timeout=120).raise_for_status()


@contextlib.contextmanager
def virtuoso_server() -> Iterator[Virtuoso]:
    """A throw-away Virtuoso whose /sparql takes updates (the GRANT it needs is given)."""
    binary, isql = shutil.which("virtuoso-t"), shutil.which("isql-vt")
    if binary is None or isql is None:
        if os.environ.get("CI"):
            pytest.fail("no Virtuoso (virtuoso-t, isql-vt): `make test` installs virtuoso-opensource")
        pytest.skip("no Virtuoso (apt-get install virtuoso-opensource)")
    folder = Path(tempfile.mkdtemp(prefix="animekg-virtuoso-"))
    sql_port, http_port = free_port(), free_port()
    (folder / "virtuoso.ini").write_text(VIRTUOSO_INI.format(folder=folder, sql_port=sql_port, http_port=http_port))
    with open(folder / "output.log", "wb") as log:
        process = subprocess.Popen([binary, "+foreground", "+configfile", str(folder / "virtuoso.ini")],
                                   stdout=log, stderr=subprocess.STDOUT, cwd=folder)
    url = f"http://127.0.0.1:{http_port}/sparql"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                httpx.get(url, params={"query": "ASK {}"}, timeout=2).raise_for_status()
                break
            except httpx.HTTPError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"Virtuoso did not start: {(folder / 'output.log').read_text()[-2000:]}")
                time.sleep(0.1)
        granted = subprocess.run([isql, f"127.0.0.1:{sql_port}", "dba", "dba", 'exec=GRANT SPARQL_UPDATE TO "SPARQL";'],
                                 capture_output=True, text=True, timeout=60)
        assert granted.returncode == 0 and "*** Error" not in granted.stderr + granted.stdout, granted
        server = Virtuoso(url, frozenset())
        server.system_graphs = frozenset(server.graphs())
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def virtuoso() -> Iterator[Virtuoso]:
    with virtuoso_server() as server:
        yield server


@contextlib.contextmanager
def _remote(url: str) -> Iterator[GraphStore]:
    store = GraphStore.remote(url)
    try:
        yield store
    finally:
        store.backend.close()


@pytest.fixture(params=BACKENDS)
def empty_store(request) -> Iterator[GraphStore]:
    if request.param == "embedded":
        yield GraphStore.in_memory()
    elif request.param == "virtuoso":  # the session's server, emptied: it takes seconds to start
        server = request.getfixturevalue("virtuoso")
        server.clear()
        with _remote(server.url) as store:
            yield store
    else:
        with oxigraph_server() as url, _remote(url) as store:
            yield store


@pytest.fixture(scope="module", params=BACKENDS)
def module_store(request) -> Iterator[GraphStore]:
    """An empty store of each backend, shared by a module's tests (for costly builds); a
    server of its own, which the module's other stores leave alone."""
    if request.param == "embedded":
        yield GraphStore.in_memory()
    elif request.param == "virtuoso":
        with virtuoso_server() as server, _remote(server.url) as store:
            yield store
    else:
        with oxigraph_server() as url, _remote(url) as store:
            yield store


@pytest.fixture(scope="module")
def examples(module_store) -> GraphStore:
    """The bundled examples built once per backend and module (spaCy takes some seconds)."""
    from animekg import api

    with pytest.MonkeyPatch.context() as env:
        env.setenv("SOURCE_DATE_EPOCH", "1700000000")
        api.build([EXAMPLES], module_store, model="stock")
    return module_store


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
