"""The endpoint on a socket: http.server threads in front of the worker pool.

    with SparqlServer("my-store", port=0) as server:   # port 0: any free port
        httpx.get(server.url + "/sparql", params={"query": "ASK {}"})
"""

from __future__ import annotations

import logging
import signal
import socket
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from animekg.graph.store import GraphStore

from .config import ServeConfig, ServeError, store_spec
from .protocol import Endpoint, Request, Response
from .workers import WorkerPool

log = logging.getLogger("animekg.serve")

# Queries and updates are text; a bigger body is a mistake or an attack.
MAX_BODY_BYTES = 4 * 1024 * 1024


class SparqlServer:
    """A SPARQL endpoint over a store folder (or URL), served from a background thread."""

    def __init__(self, store: str | Path | GraphStore, host: str = "127.0.0.1", port: int = 0,
                 config: ServeConfig | None = None):
        self.config = config or ServeConfig()
        self.host = host
        self.port = port
        self.pool = WorkerPool(store_spec(store), writable=self.config.allow_update,
                               size=self.config.worker_count, timeout=self.config.timeout,
                               max_memory=self.config.max_memory)
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        """The base URL, e.g. http://127.0.0.1:8000; the endpoint is url + '/sparql'."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    def start(self) -> SparqlServer:
        """Start the workers, then listen; ServeError if either cannot be done."""
        self.pool.start()
        try:
            self._httpd = _HTTPServer((self.host, self.port), Endpoint(self.config, self.pool.run))
        except OSError as exc:
            self.pool.close()
            raise ServeError(f"cannot listen on {self.host}:{self.port} ({exc.strerror or exc}); "
                             "choose another --port or --host") from exc
        self.port = self._httpd.server_address[1]
        self._httpd.endpoint.allowed_hosts = allowed_hosts(self.host, self.config.public_hosts)
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.2},
                                        name="animekg-serve", daemon=True)
        self._thread.start()
        return self

    def close(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._thread.join()
            self._httpd = None
        self.pool.close()

    def __enter__(self) -> SparqlServer:
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.close()


LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")
WILDCARD_ADDRESSES = ("", "0.0.0.0", "::")


def allowed_hosts(bound: str, public_hosts: tuple[str, ...] = ()) -> frozenset[str]:
    """The names a request's Host header may give (without its port): loopback, the bound
    address unless it is a wildcard, and the ``--public-host`` names."""
    names = {*LOOPBACK_NAMES, *(h.strip().lower() for h in public_hosts)}
    if bound not in WILDCARD_ADDRESSES:
        names.add(bound.lower())
    return frozenset(n.removeprefix("[").removesuffix("]") for n in names if n)


def serve_until_stopped(server: SparqlServer, ready: Callable[[str], None] | None = None) -> None:
    """Run the server until Ctrl+C or SIGTERM, then stop it and its workers."""
    stopped = threading.Event()
    previous = None
    if threading.current_thread() is threading.main_thread():
        previous = signal.signal(signal.SIGTERM, lambda signum, frame: stopped.set())
    try:
        with server:
            if ready is not None:
                ready(server.url)
            stopped.wait()
    except KeyboardInterrupt:
        pass
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True  # a client holding a connection open must not hold up a stop

    def __init__(self, address: tuple[str, int], endpoint: Endpoint):
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        self.endpoint = endpoint
        super().__init__(address, _Handler)


class _Handler(BaseHTTPRequestHandler):
    server: _HTTPServer
    protocol_version = "HTTP/1.1"
    server_version = "animekg"
    timeout = 120  # seconds an idle keep-alive connection may hold a thread

    def setup(self) -> None:
        super().setup()
        # Headers and body go out in two writes; without this, Nagle's algorithm holds the
        # second until the client's delayed ACK (~40 ms per request on a kept-alive connection).
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def version_string(self) -> str:
        return self.server_version  # not the Python version: nothing for a scanner to match

    def do_GET(self) -> None:
        self._dispatch()

    do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = do_GET

    def do_HEAD(self) -> None:
        self._dispatch(send_body=False)

    def _dispatch(self, send_body: bool = True) -> None:
        path, _, query_string = self.path.partition("?")
        body = self._read_body()
        if isinstance(body, Response):
            response = body
        else:
            request = Request(self.command, path, query_string, self.headers, body)
            response = self.server.endpoint.handle(request)
        self.send_response(response.status)
        self.send_header("Content-Type", response.content_type)
        self.send_header("Content-Length", str(len(response.body)))
        for name, value in response.headers.items():
            self.send_header(name, value)
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if send_body:
            self.wfile.write(response.body)

    def _read_body(self) -> bytes | Response:
        """The request body, or the error response when it cannot be read."""
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            self.close_connection = True
            return Response(411, b"send the body with a Content-Length, not chunked\n")
        length = self.headers.get("Content-Length")
        if length is None:
            return b""
        if not length.isdigit():
            self.close_connection = True
            return Response(400, b"Content-Length is not a number\n")
        if int(length) > MAX_BODY_BYTES:
            # The body stays unread, so the connection cannot carry another request.
            self.close_connection = True
            return Response(413, f"the request body is over {MAX_BODY_BYTES // 2**20} MiB\n".encode())
        return self.rfile.read(int(length))

    def log_message(self, format: str, *args) -> None:
        log.info("%s %s", self.address_string(), format % args)
