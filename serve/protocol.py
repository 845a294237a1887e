"""The SPARQL 1.1 Protocol over the worker pool: requests in, responses out, no sockets.

Routes: ``/sparql`` (queries by GET or POST; updates by POST; with neither, a GET answers
the service description), ``/update`` (updates by POST), ``/`` and ``/static/*`` (the
query page), ``/queries`` (the named queries as JSON), ``/queries/NAME`` (a page of one,
as ``animekg query --name`` answers it), ``/view`` (the network page of a query's result).
``/sparql/`` is ``/sparql``.

A query reads the graphs of the protocol's ``default-graph-uri`` / ``named-graph-uri`` if
given, else its own FROM / FROM NAMED, else the union of all graphs; an update's
``using-graph-uri`` / ``using-named-graph-uri`` likewise (graph/dataset.py). Relative IRIs
resolve against the endpoint's own URL. Request bodies must be UTF-8, as the protocol says.

Beyond the protocol, ``$name=TERM`` parameters bind the query's variable ``?name``
(RDF4J's convention): a term in N-Triples syntax (``"a literal"``, ``<an:iri>``), or
plain text, which is taken as a literal. Values are bound as RDF terms, never pasted
into the query text.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from urllib.parse import parse_qs, unquote

import pyoxigraph as ox

from animekg.errors import QueryError
from animekg.graph.dataset import Dataset
from animekg.graph.guard import words
from animekg.graph.queries import PAGE, named_queries
from animekg.ontology import ID

from . import page
from .config import ServeConfig
from .description import service_description
from .formats import GRAPH_FORMATS, SOLUTION_FORMATS, TEXT, NotAcceptable, choose, is_format_name, write_triples
from .jobs import Bindings, EntityJob, Job, NamedQueryJob, QueryJob, Reply, UpdateJob, ViewJob
from .workers import MemoryLimitExceeded, PoolError, TimeLimitExceeded

FORM = "application/x-www-form-urlencoded"
SPARQL_QUERY = "application/sparql-query"
SPARQL_UPDATE = "application/sparql-update"
MAX_VIEW_DEPTH = 3
VARIABLE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# Plain-text answers a browser must not sniff into HTML, and pages that load nothing
# from anywhere but this server.
SAFE_HEADERS = {"X-Content-Type-Options": "nosniff"}
# YASGUI writes three inline styles of its own, allowed by their hashes (of 4.6.2): its column
# resizer's stylesheet, the cursor while a column is dragged, and the underline in a syntax
# error's tooltip (a style attribute, hence 'unsafe-hashes', which allows only that hash).
YASGUI_STYLE_HASHES = ("'sha256-zCK2EVMoPc04mRF/g5CotUvxbJPWS+8V0b+s9ptqQIk=' "
                       "'sha256-c0O6TmFAkgpNbHxKAa1BrveWHHopjEtC47i0PzMudxg=' "
                       "'unsafe-hashes' 'sha256-EntWS0hFrz2vH7susM+dPUxvHlL6sBswmM8K80E5oUk='")
QUERY_PAGE_POLICY = ("default-src 'none'; script-src 'self'; "
                     f"style-src 'self' {YASGUI_STYLE_HASHES}; connect-src 'self'; "
                     "img-src data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
VIEW_PAGE_POLICY = ("default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
                    "img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    query_string: str = ""
    headers: Mapping[str, str] = field(default_factory=dict)  # case-insensitive, as http.server's
    body: bytes = b""


@dataclass
class Response:
    status: int
    body: bytes = b""
    content_type: str = TEXT
    headers: dict[str, str] = field(default_factory=dict)


class HttpError(Exception):
    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status = status
        self.headers = headers or {}


def _text(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    return Response(status, (message.rstrip("\n") + "\n").encode("utf-8"), TEXT, dict(headers or {}))


class Endpoint:
    def __init__(self, config: ServeConfig, run: Callable[[Job], Reply]):
        """``run`` answers a job (the worker pool's ``run``)."""
        self.config = config
        self.run = run
        # Host header names accepted (set by the server once it knows its address); None: any.
        self.allowed_hosts: frozenset[str] | None = None
        self.routes: dict[str, tuple[tuple[str, ...], Callable[[Request], Response]]] = {
            "/": (("GET", "HEAD"), self._query_page),
            "/queries": (("GET", "HEAD"), self._named_queries),
            "/sparql": (("GET", "POST"), self._sparql),
            "/sparql/": (("GET", "POST"), self._sparql),
            "/update": (("POST",), self._update),
            "/view": (("GET",), self._view),
        }

    def handle(self, request: Request) -> Response:
        try:
            response = self._route(request)
        except HttpError as exc:
            response = _text(exc.status, str(exc), exc.headers)
        response.headers.update(SAFE_HEADERS)
        self._cors(request, response)
        return response

    def _cors(self, request: Request, response: Response) -> None:
        """Let a page of an allowed origin (``--cors``) read the response, errors included;
        answer a browser's preflight with what it may send. Without these headers a browser
        hands the page nothing, which is the default."""
        origin = request.headers.get("Origin")
        allowed = self.config.cors_origins
        if not origin or not ("*" in allowed or origin.lower() in {o.lower() for o in allowed}):
            return
        response.headers["Access-Control-Allow-Origin"] = "*" if "*" in allowed else origin
        response.headers["Access-Control-Expose-Headers"] = "X-SPARQL-MaxRows"
        if "*" not in allowed:  # the answer depends on who asks: caches must keep them apart
            vary = response.headers.get("Vary")
            response.headers["Vary"] = f"{vary}, Origin" if vary else "Origin"
        if request.method == "OPTIONS" and "Access-Control-Request-Method" in request.headers:
            response.headers["Access-Control-Allow-Methods"] = response.headers.get("Allow", "GET, POST")
            response.headers["Access-Control-Allow-Headers"] = "Accept, Content-Type, Authorization"
            response.headers["Access-Control-Max-Age"] = "600"

    def _check_host(self, request: Request) -> None:
        """A page on another site can make a browser send requests here under a name of its
        own that resolves to this address (DNS rebinding); such a request names that site in
        its Host header, so only this server's own names are answered."""
        host = request.headers.get("Host")
        if self.allowed_hosts is None or host is None:
            return  # no browser omits Host; a client that does is not a rebinding page
        name = host.strip().lower()
        if name.startswith("["):  # [::1]:8000
            name = name[1:].partition("]")[0]
        elif name.count(":") == 1:  # localhost:8000
            name = name.partition(":")[0]
        if name not in self.allowed_hosts:
            raise HttpError(421, f"this server does not answer to the host name {host!r}; use "
                                 f"{' or '.join(sorted(self.allowed_hosts))}, or start it with "
                                 "--public-host NAME for the name clients use")

    def _route(self, request: Request) -> Response:
        self._check_host(request)
        if request.path.startswith("/static/"):
            methods, handler = ("GET", "HEAD"), self._static
        elif request.path.startswith("/id/"):
            methods, handler = ("GET", "HEAD"), self._entity
        elif request.path.startswith("/queries/"):
            methods, handler = ("GET", "HEAD"), self._named_query
        elif request.path in self.routes:
            methods, handler = self.routes[request.path]
        else:
            raise HttpError(404, f"no such page: {request.path}; the SPARQL endpoint is /sparql, "
                                 "the query page /")
        if request.method == "OPTIONS":
            return Response(204, headers={"Allow": ", ".join(methods)})
        if request.method not in methods:
            raise HttpError(405, f"{request.path} takes {' or '.join(methods)}, not {request.method}",
                            {"Allow": ", ".join(methods)})
        return handler(request)

    # -- the page ----------------------------------------------------------------------

    def _query_page(self, request: Request) -> Response:
        return Response(200, page.QUERY_PAGE.encode("utf-8"), "text/html; charset=utf-8",
                        {"Content-Security-Policy": QUERY_PAGE_POLICY})

    def _static(self, request: Request) -> Response:
        found = page.static_file(request.path.removeprefix("/static/"))
        if found is None:
            raise HttpError(404, f"no such file: {request.path}")
        body, content_type = found
        # no-cache: asked again each time, but answered 304 while the file is the same
        # (YASGUI is a megabyte).
        etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
        headers = {"Cache-Control": "no-cache", "ETag": etag}
        if etag in [t.strip() for t in request.headers.get("If-None-Match", "").split(",")]:
            return Response(304, b"", content_type, headers)
        return Response(200, body, content_type, headers)

    def _named_queries(self, request: Request) -> Response:
        listing = [{"name": q.name, "description": q.description, "text": q.text,
                    "params": [{"name": p, "kind": kind, "doc": doc} for p, (kind, doc) in q.params.items()]}
                   for q in named_queries().values()]
        return Response(200, json.dumps(listing, ensure_ascii=False).encode("utf-8"), "application/json")

    def _named_query(self, request: Request) -> Response:
        """``/queries/NAME?$param=value&limit=N&offset=K``: a page of a named query (100 rows
        unless ``limit`` says; ``all`` for every row), its parameters given as plain text,
        a repeated one as a list, as ``animekg query --name`` takes them."""
        name = unquote(request.path.removeprefix("/queries/"))
        params = _parameters(request)
        unknown = sorted(k for k in params if not k.startswith("$") and k not in ("limit", "offset", "all", "format"))
        if unknown:
            raise HttpError(400, f"{unknown[0]}: /queries/{name} takes limit, offset, all, format and the "
                                 "query's parameters as $name=value")
        limit, offset = _whole(params, "limit", PAGE), _whole(params, "offset", 0)
        if "all" in params:
            if "limit" in params or "offset" in params:
                raise HttpError(400, "all is every row: leave out limit and offset")
            limit = None
        values = {k[1:]: v[0] if len(v) == 1 else v for k, v in params.items() if k.startswith("$")}
        job = NamedQueryJob(name, values, limit, offset, self.config.max_results,
                            request.headers.get("Accept"), _one(params, "format"))
        return self._reply(self._run(job))

    def _view(self, request: Request) -> Response:
        params = _parameters(request)
        sparql = _one(params, "query", required=True)
        depth = _one(params, "depth") or "1"
        if not depth.isdigit() or int(depth) > MAX_VIEW_DEPTH:
            raise HttpError(400, f"depth must be a whole number from 0 to {MAX_VIEW_DEPTH}, not {depth!r}")
        reply = self._run(ViewJob(sparql, self.config.max_results, int(depth), _bindings(params)))
        response = self._reply(reply)
        if reply.status == 200:
            response.headers["Content-Security-Policy"] = VIEW_PAGE_POLICY
        return response

    def _entity(self, request: Request) -> Response:
        """An entity's IRI resolved: its page, or its description as RDF (by Accept or
        ``format``)."""
        try:
            iri = ox.NamedNode(ID + unquote(request.path.removeprefix("/id/"), errors="strict")).value
        except (UnicodeDecodeError, ValueError):
            raise HttpError(400, f"{request.path} does not name an entity: not an IRI once decoded") from None
        params = _parameters(request)
        requested = _one(params, "format", first=True)
        job = EntityJob(iri, self.config.max_results, request.headers.get("Accept"), requested)
        response = self._reply(self._run(job))
        response.headers["Vary"] = "Accept"
        return response

    # -- the protocol ------------------------------------------------------------------

    def _sparql(self, request: Request) -> Response:
        params = _parameters(request)
        if "update" in params:
            if request.method != "POST":
                raise HttpError(400, "SPARQL Update must be sent by POST (form field 'update' or an "
                                     f"{SPARQL_UPDATE} body)")
            if "query" in params:
                raise HttpError(400, "give either a query or an update, not both")
            return self._apply_update(request, params)
        sparql = _one(params, "query")
        if sparql is None:
            if request.method == "GET":
                return self._description(request)
            raise HttpError(400, "no query: send ?query=SPARQL (GET), a form field 'query' or an "
                                 f"{SPARQL_QUERY} body (POST); the query page is at /")
        requested = _one(params, "format", first=True)
        if requested and not is_format_name(requested):
            raise HttpError(400, f"unknown format {requested!r}; give a media type or one of "
                                 "json, xml, csv, tsv (SELECT, ASK) or turtle, ntriples, jsonld, rdfxml "
                                 "(CONSTRUCT, DESCRIBE)")
        accept = request.headers.get("Accept")
        try:  # answer 406 before running a query whose answer nobody can take
            choose(_formats_of(sparql), accept, requested)
        except NotAcceptable as exc:
            raise HttpError(406, str(exc)) from None
        dataset = _dataset(params, "default-graph-uri", "named-graph-uri")
        job = QueryJob(sparql, self.config.max_results, _bindings(params), accept, requested,
                       dataset, _base_iri(request))
        response = self._reply(self._run(job))
        response.headers["Vary"] = "Accept"
        return response

    def _description(self, request: Request) -> Response:
        """The SPARQL 1.1 Service Description of this endpoint, in Turtle unless asked otherwise."""
        try:
            fmt, content_type = choose(GRAPH_FORMATS, request.headers.get("Accept"))
        except NotAcceptable as exc:
            raise HttpError(406, str(exc)) from None
        triples = service_description(_base_iri(request), self.config.allow_update)
        return Response(200, write_triples(triples, fmt), content_type, {"Vary": "Accept"})

    def _update(self, request: Request) -> Response:
        params = _parameters(request)
        if "query" in params:
            raise HttpError(400, "/update takes SPARQL Update only; send queries to /sparql")
        return self._apply_update(request, params)

    def _apply_update(self, request: Request, params: dict[str, list[str]]) -> Response:
        self._authorize(request)
        sparql = _one(params, "update", required=True)
        dataset = _dataset(params, "using-graph-uri", "using-named-graph-uri")
        return self._reply(self._run(UpdateJob(sparql, self.config.allow_load, dataset, _base_iri(request))))

    def _authorize(self, request: Request) -> None:
        if not self.config.allow_update:
            raise HttpError(403, "this endpoint is read-only: SPARQL Update is refused; start it with "
                                 "--allow-update and an --update-token to accept updates")
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise HttpError(401, "an update needs the header 'Authorization: Bearer TOKEN' with the "
                                 "server's update token", {"WWW-Authenticate": 'Bearer realm="animekg"'})
        expected = (self.config.update_token or "").encode("utf-8")
        if not hmac.compare_digest(token.strip().encode("utf-8"), expected):
            raise HttpError(401, "wrong update token", {
                "WWW-Authenticate": 'Bearer realm="animekg", error="invalid_token"'})

    def _run(self, job: Job) -> Reply:
        try:
            return self.run(job)
        except (TimeLimitExceeded, MemoryLimitExceeded) as exc:
            raise HttpError(503, str(exc)) from None
        except PoolError as exc:
            raise HttpError(503, str(exc), {"Retry-After": "1"}) from None

    def _reply(self, reply: Reply) -> Response:
        response = Response(reply.status, reply.body, reply.content_type, dict(reply.headers))
        if reply.truncated_at is not None:
            # Virtuoso's name for it: the result stops at this many rows (or triples).
            response.headers["X-SPARQL-MaxRows"] = str(reply.truncated_at)
        return response


def _parameters(request: Request) -> dict[str, list[str]]:
    """The request's parameters, from the URL and, for a POST, from its body."""
    params = _parse_form(request.query_string)
    if request.method != "POST":
        return params
    media_type, _, rest = request.headers.get("Content-Type", "").partition(";")
    media_type = media_type.strip().lower()
    for option in rest.split(";"):
        key, _, value = option.partition("=")
        charset = value.strip().strip('"')
        if key.strip().lower() == "charset" and charset.lower().replace("-", "") != "utf8":
            raise HttpError(415, f"a request body in {charset!r}: the SPARQL protocol takes UTF-8 only; "
                                 "send the text as UTF-8 (charset=UTF-8, or no charset)")
    try:
        text = request.body.decode("utf-8")
    except UnicodeDecodeError:
        raise HttpError(400, "the request body is not valid UTF-8") from None
    if media_type == FORM:
        for key, values in _parse_form(text).items():
            params.setdefault(key, []).extend(values)
    elif media_type in (SPARQL_QUERY, SPARQL_UPDATE):
        field_name = "query" if media_type == SPARQL_QUERY else "update"
        if field_name in params:
            raise HttpError(400, f"a {media_type} body is the {field_name}: do not also give one in the URL")
        params[field_name] = [text]
    else:
        raise HttpError(415, f"cannot read a POST body of type {media_type or 'none'!r}; send "
                             f"{FORM}, {SPARQL_QUERY} or {SPARQL_UPDATE}")
    return params


FORMS = {"SELECT": SOLUTION_FORMATS, "ASK": SOLUTION_FORMATS, "CONSTRUCT": GRAPH_FORMATS, "DESCRIBE": GRAPH_FORMATS}


def _formats_of(sparql: str) -> tuple:
    """The formats the query's form can be answered in, read from its first keyword after
    the prologue (a sub-SELECT comes later); all of them for a text that has none."""
    form = next((w for w in words(sparql) if w in FORMS), None)
    return FORMS[form] if form else SOLUTION_FORMATS + GRAPH_FORMATS


def _dataset(params: dict[str, list[str]], default_name: str, named_name: str) -> Dataset | None:
    """The dataset the request's parameters name, or None when they name none."""
    if not params.keys() & {default_name, named_name}:
        return None
    try:
        return Dataset.of_iris(params.get(default_name, []), params.get(named_name, []))
    except QueryError as exc:
        raise HttpError(400, f"{default_name} / {named_name}: {exc}") from None


def _base_iri(request: Request) -> str:
    """The endpoint's URL as the client named it: the base of the request's relative IRIs."""
    url = f"http://{request.headers.get('Host') or 'localhost'}{request.path}"
    try:
        return ox.NamedNode(url).value
    except ValueError:  # a Host header no IRI can hold
        return f"http://localhost{request.path}"


def _parse_form(text: str) -> dict[str, list[str]]:
    try:
        return parse_qs(text, keep_blank_values=True, encoding="utf-8", errors="strict")
    except UnicodeDecodeError:
        raise HttpError(400, "a parameter is not valid UTF-8 once percent-decoded") from None


def _one(params: dict[str, list[str]], name: str, required: bool = False, first: bool = False) -> str | None:
    """The single value of a parameter; ``first`` takes the first of several (clients
    such as SPARQLWrapper send ``format`` more than once)."""
    values = params.get(name, [])
    if not values:
        if required:
            raise HttpError(400, f"no {name}: give the parameter {name!r}")
        return None
    if len(values) > 1 and not first:
        raise HttpError(400, f"give one {name}, not {len(values)}")
    return values[0]


def _whole(params: dict[str, list[str]], key: str, default: int) -> int:
    value = _one(params, key)
    if value is None:
        return default
    if not value.isdigit():
        raise HttpError(400, f"{key} must be a whole number of rows, not {value!r}")
    return int(value)


def _bindings(params: dict[str, list[str]]) -> Bindings:
    bindings = {}
    for key, values in params.items():
        if not key.startswith("$"):
            continue
        name = key[1:]
        if not VARIABLE.fullmatch(name) or len(values) != 1:
            raise HttpError(400, f"{key}: bind one value to a variable name, e.g. $show=Cowboy%20Bebop")
        bindings[name] = _term(key, values[0])
    return bindings


def _term(key: str, text: str) -> ox.NamedNode | ox.Literal:
    if not (text.startswith('"') or (text.startswith("<") and text.endswith(">"))):
        return ox.Literal(text)
    try:
        triples = list(ox.parse(f"<urn:x:s> <urn:x:p> {text} .", format=ox.RdfFormat.N_TRIPLES))
    except (SyntaxError, ValueError):
        triples = []
    if len(triples) != 1:  # one term, not a way to smuggle in statements
        raise HttpError(400, f"{key}: {text!r} is not one RDF term; write an IRI as <...>, a literal "
                             'as "..." (N-Triples), or give plain text')
    return triples[0].object
