"""How an endpoint is set up: limits, updates, workers; checked before anything starts."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from animekg.errors import ServeError
from animekg.graph.store import GraphStore

MEMORY = ":memory:"
# A bearer token as RFC 6750 spells it, so that it survives any HTTP client unchanged.
TOKEN = re.compile(r"[A-Za-z0-9\-._~+/]+=*")
# Below this a token can be guessed by a client with time on its hands.
MIN_TOKEN_LENGTH = 16
# A web origin as a browser sends it: scheme, host, maybe a port; no path.
ORIGIN = re.compile(r"https?://(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::[0-9]{1,5})?")
GiB = 2**30
DEFAULT_MAX_MEMORY = 1 * GiB
# A worker's address space after importing animekg and pyoxigraph, opening a store and
# answering a first query (pyoxigraph 0.5.13, Linux x86-64: VmPeak 521 MiB, VmSize 434 MiB,
# of which 82 MiB resident; the rest is what RocksDB and malloc reserve). A limit must
# leave room for queries above it.
BASELINE_MEMORY = 544 * 2**20
MIN_MAX_MEMORY = 640 * 2**20


@dataclass(frozen=True)
class ServeConfig:
    """What the endpoint allows. ``workers=None`` means two read-only query processes,
    or the single writer when updates are allowed."""

    allow_update: bool = False
    update_token: str | None = None
    timeout: float = 30.0
    max_results: int = 10_000
    workers: int | None = None
    allow_load: bool = False
    # Address space per query worker, enforced by the kernel (RLIMIT_AS): a query that needs
    # more fails inside its worker, which answers 503 and is replaced.
    max_memory: int = DEFAULT_MAX_MEMORY
    # Host header values accepted beyond the bound address and loopback names.
    public_hosts: tuple[str, ...] = ()
    # Web origins whose pages may read the answers (CORS), or "*" for any; none by default.
    cors_origins: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        for origin in self.cors_origins:
            if origin != "*" and not ORIGIN.fullmatch(origin):
                raise ServeError(f"--cors {origin!r} is not a web origin; give scheme, host and port only, "
                                 "e.g. --cors https://yasgui.example.org or --cors http://localhost:3000")
        if "*" in self.cors_origins and self.allow_update:
            raise ServeError("--cors '*' lets a page on any site use this server; with --allow-update, name "
                             "the origins that may (--cors https://yasgui.example.org)")
        if not self.timeout > 0:
            raise ServeError(f"--timeout must be a positive number of seconds, not {self.timeout}")
        if self.max_results < 1:
            raise ServeError(f"--max-results must be at least 1, not {self.max_results}")
        if self.max_memory < MIN_MAX_MEMORY:
            raise ServeError(f"--max-memory must be at least {MIN_MAX_MEMORY // 2**20} MiB (a worker needs about "
                             f"{BASELINE_MEMORY // 2**20} MiB of address space before its first query), "
                             f"not {self.max_memory // 2**20} MiB")
        if self.workers is not None and self.workers < 1:
            raise ServeError(f"--workers must be at least 1, not {self.workers}")
        if not self.allow_update:
            return
        if not self.update_token:
            raise ServeError("--allow-update needs a token: give --update-token TOKEN or set "
                             "ANIMEKG_UPDATE_TOKEN; clients then send 'Authorization: Bearer TOKEN'")
        if not TOKEN.fullmatch(self.update_token) or len(self.update_token) < MIN_TOKEN_LENGTH:
            raise ServeError(f"the update token must be at least {MIN_TOKEN_LENGTH} characters of "
                             "A-Z a-z 0-9 - . _ ~ + / (e.g. from `python -c 'import secrets; "
                             "print(secrets.token_urlsafe())'`)")
        if self.workers not in (None, 1):
            raise ServeError("--allow-update serves the store from its one writable process: "
                             "leave out --workers or give --workers 1")

    @property
    def worker_count(self) -> int:
        return 1 if self.allow_update else (self.workers or 2)


def store_spec(store: str | Path | GraphStore) -> str:
    """The store as a folder or server URL that each worker process opens for itself."""
    if isinstance(store, GraphStore):
        remote = store.location.startswith(("http://", "https://"))
        store = store.path or (store.location if remote else MEMORY)
    if str(store) == MEMORY:
        raise ServeError("cannot serve a memory store: queries run in worker processes, and a "
                         "memory store lives in one process; build the graph into a folder "
                         "(`animekg build PATH --store DIR`) and serve that folder")
    return str(store)
