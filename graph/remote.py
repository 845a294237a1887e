"""A SPARQL 1.1 server as a graph store: Oxigraph server, Apache Jena Fuseki, Virtuoso, GraphDB.

:class:`SparqlStore` speaks the SPARQL 1.1 Protocol (query and update) and answers with
the same objects as an embedded ``pyoxigraph.Store`` (``QuerySolutions``, ``Quad``...), for
the part of that interface :class:`~animekg.graph.store.GraphStore` uses. So a build, a
query, an export or a view runs the same code against either.

Two things the protocol does not give and how they are done here:

- *The union of all graphs as the default graph* (animekg keeps every document in its own
  named graph and queries them together). The standard way is to name the graphs in the
  request: every named graph as ``default-graph-uri`` and as ``named-graph-uri``. An
  Oxigraph server (known by its ``Server`` header) takes ``union-default-graph`` instead;
  ``animekg serve`` reads the union when no graph is named. A query that names its own
  graphs (FROM) is sent as it is, and a dataset the caller gives goes as those parameters.
- *Parameters bound as RDF terms*, as the embedded store binds them (SEP-0007
  substitution: the variable holds the value everywhere, FILTERs included). Each value is
  serialized by Oxigraph as an RDF term (escaped, an IRI checked) and put in place of the
  variable's tokens, found by a lexer that skips strings, IRIs and comments; in a SELECT
  projection the variable becomes ``(TERM AS ?var)``, so it is still a column. The result
  is parsed by Oxigraph before it is sent.

An update request is one transaction on the servers above, so a document's graph is still
replaced atomically: written to a staging graph, then dropped and moved in one request.
(Virtuoso applies a request's operations one by one: a failure half-way leaves the ones
before it; a syntax error, found before any runs, leaves nothing.)

On a server that holds other data, animekg lists, reads and counts only its own graphs
(OWN_GRAPHS). Where Virtuoso 7.2 departs from the standards, the client works around it
(ASK as a one-row SELECT, datatypes it cannot keep stored as animekg's own, INSERT DATA in
blocks, a query with FROM and no FROM NAMED told of no named graph) or refuses (FROM and a
caller's graphs together). Every server's answer that is not what was asked for is one
StoreError line naming the server and what it said.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING
from urllib.parse import urlsplit, urlunsplit

import pyoxigraph as ox

from animekg.errors import QueryError, StoreError
from animekg.ontology import ID

from .dataset import names_graphs_by_name, states_dataset
from .guard import tokens, words

if TYPE_CHECKING:  # imported by a store that is a server: every command imports this module
    import httpx

Term = ox.NamedNode | ox.BlankNode | ox.Literal
SPARQL_JSON = "application/sparql-results+json"
N_TRIPLES = "application/n-triples"


def endpoints(url: str, update_url: str | None = None) -> tuple[str, str]:
    """The query and update endpoints for a store URL.

    ``http://host:7878`` (an Oxigraph server's root) means ``/query`` and ``/update``;
    a URL ending in ``/query`` has its update endpoint at ``/update`` beside it (Oxigraph,
    Fuseki); any other URL (``/sparql`` of Virtuoso, a GraphDB repository) is taken for
    both unless ``update_url`` says otherwise.
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise StoreError(f"{url}: not a SPARQL endpoint URL; give http(s)://host:port/... ")
    path = parts.path.rstrip("/")
    if path == "":
        query = urlunsplit(parts._replace(path="/query"))
        update = urlunsplit(parts._replace(path="/update"))
    elif path.endswith("/query"):
        query, update = url, urlunsplit(parts._replace(path=path[: -len("query")] + "update"))
    else:
        query = update = url
    return query, update_url or update


# The tokens that may hold a "?x" that is not a variable, and the variables themselves.
_TOKENS = re.compile(r"""
    (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'\'\'(?:[^'\\]|\\.|'(?!''))*'\'\'
              |"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<comment>\#[^\n]*)
  | (?P<var>[?$][A-Za-z0-9_\u00B7\u00C0-\uFFFF]+)
  | (?P<keyword>\b(?:SELECT|WHERE|BY|LIMIT|OFFSET|HAVING|VALUES)\b)
  | (?P<brace>[{}])
""", re.VERBOSE | re.IGNORECASE)


def substitute(query: str, substitutions: dict[ox.Variable, Term] | None) -> str:
    """The query with each bound variable replaced by its value as an RDF term."""
    if not substitutions:
        return query
    terms = {v.value: str(t) for v, t in substitutions.items()}
    # The query's SELECT takes (TERM AS ?var), so the column stays; a sub-SELECT drops the
    # variable (its value is everywhere already, and a second AS would clash); GROUP BY
    # and ORDER BY take (TERM).
    out, last, place, selects = [], 0, "pattern", 0
    for m in _TOKENS.finditer(query):
        kind = m.lastgroup
        if kind == "keyword":
            word = m.group().upper()
            selects += word == "SELECT"
            place = {"SELECT": "projection" if selects == 1 else "subprojection", "BY": "order"}.get(word, "pattern")
        elif kind == "brace":
            place = "pattern"
        elif kind == "var" and m.group()[1:] in terms:
            name, term = m.group()[1:], terms[m.group()[1:]]
            out.append(query[last:m.start()])
            out.append({"projection": f"({term} AS ?{name})", "subprojection": "",
                        "order": f"({term})"}.get(place, term))
            last = m.end()
    out.append(query[last:])
    return "".join(out)


RESULT_TYPES = {SPARQL_JSON, "application/json"}
VIRTUOSO_ASK = "__ASK_RETVAL"
RDF_TYPES = {N_TRIPLES: ox.RdfFormat.N_TRIPLES, "text/plain": ox.RdfFormat.N_TRIPLES,
             "text/turtle": ox.RdfFormat.TURTLE, "application/x-turtle": ox.RdfFormat.TURTLE}


def _media_type(response: httpx.Response) -> str:
    return response.headers.get("content-type", "").split(";")[0].strip().lower()


def _gist(response: httpx.Response, length: int = 300) -> str:
    """The start of a server's answer on one line (an error page may be HTML)."""
    text = " ".join(response.text.split())
    return (text[:length] + " ...") if len(text) > length else (text or "(empty)")


# animekg's graphs on a server that may hold others.
OWN_GRAPHS = f'FILTER(STRSTARTS(STR(?g), "{ID}"))'
# Triples per GRAPH block of an INSERT DATA: Virtuoso's parser gives up past 4,990.
BLOCK_TRIPLES = 4_000


def insert_data(by_graph: dict[ox.NamedNode, list[ox.Triple]]) -> str:
    """One INSERT DATA operation for the triples of each graph, in blocks a server parses."""
    blocks = []
    for graph, triples in by_graph.items():
        for start in range(0, len(triples), BLOCK_TRIPLES):
            body = ox.serialize(triples[start:start + BLOCK_TRIPLES], format=ox.RdfFormat.N_TRIPLES).decode("utf-8")
            blocks.append(f"GRAPH {graph} {{\n{body}}}")
    return "INSERT DATA {\n" + "\n".join(blocks) + "\n}"


# Virtuoso 7.2 cannot store an xsd:duration literal (it answers 500, "SR553"), and answers
# xsd:int for both xsd:int and xsd:integer: on Virtuoso an xsd:duration or xsd:int literal
# is written under a datatype of animekg's own, which it keeps as it is, and read back as
# the type it was. Every literal is matched whole, so none is rewritten from inside another.
XSD = "http://www.w3.org/2001/XMLSchema#"
STORED_TYPES = {XSD + "duration": ID + "datatype/duration", XSD + "int": ID + "datatype/int"}
_LITERAL = re.compile(r'("(?:[^"\\\n]|\\.)*")(\^\^<([^<>"\s]*)>)?')


def _retyped(text: str, types: dict[str, str]) -> str:
    def swap(m: re.Match) -> str:
        return m.group(1) + f"^^<{types[m.group(3)]}>" if m.group(3) in types else m.group(0)
    return _LITERAL.sub(swap, text)


def _stored_types_named(sparql: str) -> str:
    """A query or update for Virtuoso, with the datatypes it cannot keep named as they are
    stored there (in STRDT, DATATYPE comparisons, typed literals)."""
    prefixed = {f"xsd:{iri[len(XSD):]}": stored for iri, stored in STORED_TYPES.items()}
    out, last = [], 0
    for m, _ in tokens(sparql):
        token = m.group()
        stored = STORED_TYPES.get(token[1:-1]) if m.lastgroup == "iri" else prefixed.get(token) if m.lastgroup == "word" else None
        if stored is not None:
            out.append(sparql[last:m.start()] + f"<{stored}>")
            last = m.end()
    out.append(sparql[last:])
    return "".join(out)


def _boolean(answer: bool) -> ox.QueryBoolean:
    return ox.parse_query_results(b'{"head": {}, "boolean": %s}' % (b"true" if answer else b"false"),
                                  format=ox.QueryResultsFormat.JSON)


def ask_as_select(query: str) -> str:
    """An ASK query as a SELECT of at most one row, which is there if the answer is yes.
    Virtuoso 7.2 answers ASK wrongly when the request names graphs (yes for a graph
    that does not exist), and its SELECT rightly."""
    outer = [m for m, depth in tokens(query) if m.lastgroup == "word" and depth == 0]
    ask = next(m for m in outer if m.group().upper() == "ASK")
    values_after = any(m.group().upper() == "VALUES" and m.start() > ask.start() for m in outer)
    return query[:ask.start()] + "SELECT *" + query[ask.end():] + ("" if values_after else "\nLIMIT 1")


def with_base(sparql: str, base_iri: str | None) -> str:
    """The text with a BASE before its prologue unless it has one, so that a server
    resolves relative IRIs as the embedded store would."""
    if base_iri is None or "BASE" in words(sparql):
        return sparql  # a BASE of its own: some servers (Virtuoso) would take the first one
    return f"BASE {ox.NamedNode(base_iri)}\n{sparql}"


class SparqlStore:
    """The subset of ``pyoxigraph.Store`` that animekg uses, over HTTP."""

    def __init__(self, url: str, update_url: str | None = None, *, timeout: float = 120.0):
        self.query_url, self.update_url = endpoints(url, update_url)
        self.url = url
        import httpx

        self._http = httpx.Client(timeout=timeout, follow_redirects=True,
                                  headers={"User-Agent": "animekg"})
        self._server: str | None = None  # its Server header, once it has answered

    def __repr__(self) -> str:
        return f"SparqlStore({self.query_url!r})"

    def close(self) -> None:
        self._http.close()

    # -- the protocol ------------------------------------------------------------------

    def _post(self, url: str, data: dict[str, str | list[str]], accept: str | None = None) -> httpx.Response:
        import httpx

        try:
            response = self._http.post(url, data=data, headers={"Accept": accept} if accept else {})
        except httpx.HTTPError as exc:
            raise StoreError(f"{url}: cannot reach the SPARQL server ({exc}); is it running, "
                             "and is the URL its query endpoint?") from exc
        if self._server is None:
            self._server = response.headers.get("server", "").lower()
        if response.status_code == 400:
            raise SyntaxError(f"the server refused the request: {_gist(response, 500)}")
        if response.status_code >= 300:
            hint = ""
            if "SR186" in response.text and "SPARQL_" in response.text:
                hint = ("; on Virtuoso, let the endpoint write: GRANT SPARQL_UPDATE TO \"SPARQL\"; "
                        "(in isql-vt, as dba)")
            raise StoreError(f"{url}: the SPARQL server answered {response.status_code} "
                             f"{response.reason_phrase}: {_gist(response)}{hint}")
        return response

    def _results(self, response: httpx.Response) -> ox.QuerySolutions | ox.QueryBoolean:
        """A SELECT or ASK answer, or StoreError when the server sent something else."""
        kind = _media_type(response)
        if kind not in RESULT_TYPES:
            raise self._unexpected(response, "SPARQL JSON results")
        try:
            result = ox.parse_query_results(self._read_back(response.content), format=ox.QueryResultsFormat.JSON)
        except (SyntaxError, ValueError) as exc:
            raise self._unexpected(response, "SPARQL JSON results", exc) from exc
        if isinstance(result, ox.QuerySolutions) and [v.value for v in result.variables] == [VIRTUOSO_ASK]:
            # Virtuoso 7.2 answers ASK with a table: one row of 1 for true, no row for false.
            rows = list(result)
            return _boolean(bool(rows) and rows[0][VIRTUOSO_ASK] is not None and rows[0][VIRTUOSO_ASK].value != "0")
        return result

    def _triples(self, response: httpx.Response) -> list[ox.Triple]:
        """A CONSTRUCT or DESCRIBE answer, or StoreError when the server sent something else."""
        fmt = RDF_TYPES.get(_media_type(response))
        if fmt is None:
            raise self._unexpected(response, "RDF triples (N-Triples or Turtle)")
        try:
            return [ox.Triple(q.subject, q.predicate, q.object)
                    for q in ox.parse(self._read_back(response.content), format=fmt)]
        except (SyntaxError, ValueError) as exc:
            raise self._unexpected(response, f"RDF triples in {_media_type(response)}", exc) from exc

    @staticmethod
    def _unexpected(response: httpx.Response, wanted: str, exc: Exception | None = None) -> StoreError:
        kind = _media_type(response) or "no content type"
        why = f" that cannot be read ({' '.join(str(exc).split())[:200]})" if exc is not None else ""
        return StoreError(f"{response.request.url.copy_with(query=None)}: the SPARQL server answered {kind}{why} "
                          f"where {wanted} were asked for: {_gist(response)}")

    def _select(self, sparql: str, dataset: dict[str, str | list[str]] | None = None) -> ox.QuerySolutions:
        response = self._post(self.query_url, {"query": sparql, **(dataset or {})}, SPARQL_JSON)
        result = self._results(response)
        if not isinstance(result, ox.QuerySolutions):
            raise self._unexpected(response, "rows of a SELECT (it sent a boolean)")
        return result

    def _server_name(self) -> str:
        """The server's name from its Server header, learnt from a first question if need be."""
        if self._server is None:
            self._results(self._post(self.query_url, {"query": "ASK {}"}, SPARQL_JSON))
        return self._server

    @property
    def reads_lateral(self) -> bool:
        """Whether the server reads LATERAL (Oxigraph's, and animekg serve, which is Oxigraph)."""
        return self._server_name().startswith(("oxigraph", "animekg"))

    def _union_dataset(self) -> dict[str, str | list[str]]:
        self._server_name()
        if self._server.startswith("animekg"):
            return {}  # its default graph is the union already
        if self._server.startswith("oxigraph"):
            return {"union-default-graph": ""}
        # Its own graphs by name; with none, one that does not exist, so that the default
        # graph is empty rather than whatever else the server holds.
        graphs = [g.value for g in self.named_graphs()] or [ID + "graph/none"]
        return {"default-graph-uri": graphs, "named-graph-uri": graphs}

    def query(self, query: str, *, use_default_graph_as_union: bool = False,
              default_graph: list[ox.NamedNode] | None = None, named_graphs: list[ox.NamedNode] | None = None,
              substitutions: dict[ox.Variable, Term] | None = None, base_iri: str | None = None,
              **_: object) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples | list[ox.Triple]:
        sparql = with_base(query, base_iri)
        if substitutions:
            # The same contract as the embedded store: Oxigraph checks here, on an empty
            # store, that the query parses and projects every bound variable, and then
            # that the substituted text parses too.
            ox.Store().query(sparql, substitutions=substitutions)
            sparql = substitute(sparql, substitutions)
        # Parsed (and run on an empty store) to know its form, so that the Accept header
        # asks for triples or for results and nothing else: a server free to choose may
        # answer a CONSTRUCT with a results table.
        form = ox.Store().query(sparql)
        gives_triples = isinstance(form, ox.QueryTriples)
        virtuoso = self._is_virtuoso()
        asks_as_select = virtuoso and isinstance(form, ox.QueryBoolean)
        if asks_as_select:
            sparql = ask_as_select(sparql)
        if virtuoso:
            sparql = _stored_types_named(_retyped(sparql, STORED_TYPES))
        if default_graph is not None or named_graphs is not None:
            if virtuoso and states_dataset(sparql):
                raise QueryError("Virtuoso adds the request's graphs to the query's FROM instead of "
                                 "replacing them, as the SPARQL protocol says; give the graphs either "
                                 "in the query or with the request, not both")
            dataset = {"default-graph-uri": [g.value for g in default_graph or []],
                       "named-graph-uri": [g.value for g in named_graphs or []]}
        elif use_default_graph_as_union:
            dataset = self._union_dataset()
        elif virtuoso and states_dataset(sparql) and not names_graphs_by_name(sparql):
            # A query with FROM but no FROM NAMED has no named graph; Virtuoso would show
            # it every one, so it is told of one that does not exist.
            dataset = {"named-graph-uri": [ID + "graph/none"]}
        else:
            dataset = {}
        accept = f"{N_TRIPLES}, text/turtle;q=0.9" if gives_triples else SPARQL_JSON
        response = self._post(self.query_url, {"query": sparql, **dataset}, accept)
        if asks_as_select:
            return _boolean(any(True for _ in self._results(response)))
        return self._triples(response) if gives_triples else self._results(response)

    def update(self, update: str, *, base_iri: str | None = None, **_: object) -> None:
        text = with_base(update, base_iri)
        if self._is_virtuoso():
            text = _stored_types_named(_retyped(text, STORED_TYPES))
        self._post(self.update_url, {"update": text})

    def _is_virtuoso(self) -> bool:
        return self._server_name().startswith("virtuoso")

    def _read_back(self, content: bytes) -> bytes:
        """An answer with the datatypes Virtuoso could not keep put back (see STORED_TYPES)."""
        if not self._is_virtuoso():
            return content
        # It answers xsd:int for an integer it stored: a real xsd:int was stored as ours.
        read_back = {XSD + "int": XSD + "integer", **{v: k for k, v in STORED_TYPES.items()}}
        text = _retyped(content.decode("utf-8"), read_back)  # N-Triples
        for stored, iri in read_back.items():
            text = text.replace(f'"{stored}"', f'"{iri}"')  # the datatype of a SPARQL JSON literal
        return text.encode("utf-8")

    # -- what GraphStore needs of a store ------------------------------------------------

    def named_graphs(self) -> Iterator[ox.NamedNode]:
        """animekg's own named graphs (a shared server has others: Virtuoso keeps its own
        system graphs). ``GRAPH ?g { ?s ?p ?o }``, not ``{ }``: Virtuoso answers the empty
        pattern with one empty row."""
        rows = self._select(f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {OWN_GRAPHS} }}")
        return (s["g"] for s in rows if s["g"] is not None)

    def contains_named_graph(self, graph: ox.NamedNode) -> bool:
        return bool(self.query("ASK { GRAPH ?g { ?s ?p ?o } }", substitutions={ox.Variable("g"): graph}))

    def remove_graph(self, graph: ox.NamedNode) -> None:
        self.update(f"DROP SILENT GRAPH {graph}")

    def quads_for_pattern(self, subject: Term | None, predicate: Term | None, object: Term | None,
                          graph_name: Term | None = None) -> Iterator[ox.Quad]:
        """Quads of animekg's own named graphs (it writes nothing to the default graph)."""
        bound = {ox.Variable(v): t for v, t in zip("spog", (subject, predicate, object, graph_name))
                 if t is not None}
        sparql = substitute(f"SELECT ?s ?p ?o ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {OWN_GRAPHS} }}", bound)
        for s in self._select(sparql):
            yield ox.Quad(s["s"], s["p"], s["o"], s["g"])

    def __iter__(self) -> Iterator[ox.Quad]:
        return self.quads_for_pattern(None, None, None, None)

    def __len__(self) -> int:
        (row,) = self._select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {OWN_GRAPHS} }}")
        return int(row["n"].value)

    def extend(self, quads: Iterable[ox.Quad]) -> None:
        """All the quads in one INSERT DATA request: one transaction."""
        by_graph: dict[ox.NamedNode, list[ox.Triple]] = {}
        for q in quads:
            if not isinstance(q.graph_name, ox.NamedNode):
                raise StoreError("animekg writes only to named graphs; got a quad in the default graph")
            by_graph.setdefault(q.graph_name, []).append(ox.Triple(q.subject, q.predicate, q.object))
        if by_graph:
            self.update(insert_data(by_graph))

    def add(self, quad: ox.Quad) -> None:
        self.extend([quad])

    def remove(self, quad: ox.Quad) -> None:
        triple = ox.serialize([ox.Triple(quad.subject, quad.predicate, quad.object)],
                              format=ox.RdfFormat.N_TRIPLES).decode("utf-8")
        self.update(f"DELETE DATA {{ GRAPH {quad.graph_name} {{ {triple} }} }}")

    def dump(self, output: None = None, format: ox.RdfFormat = ox.RdfFormat.N_QUADS, **_: object) -> bytes:
        return ox.serialize(list(self), format=format)

    def flush(self) -> None:
        """Every request is committed by the server when it answers."""


__all__ = ["SparqlStore", "endpoints", "insert_data"]
