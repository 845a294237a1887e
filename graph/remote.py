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
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from urllib.parse import urlsplit, urlunsplit

import httpx
import pyoxigraph as ox

from animekg.errors import StoreError

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
RDF_TYPES = {N_TRIPLES: ox.RdfFormat.N_TRIPLES, "text/plain": ox.RdfFormat.N_TRIPLES,
             "text/turtle": ox.RdfFormat.TURTLE, "application/x-turtle": ox.RdfFormat.TURTLE}


def _media_type(response: httpx.Response) -> str:
    return response.headers.get("content-type", "").split(";")[0].strip().lower()


def _gist(response: httpx.Response, length: int = 300) -> str:
    """The start of a server's answer on one line (an error page may be HTML)."""
    text = " ".join(response.text.split())
    return (text[:length] + " ...") if len(text) > length else (text or "(empty)")


def with_base(sparql: str, base_iri: str | None) -> str:
    """The text with a BASE before its own prologue (a BASE of its own comes later and
    wins), so a server resolves relative IRIs as the embedded store would."""
    return sparql if base_iri is None else f"BASE {ox.NamedNode(base_iri)}\n{sparql}"


class SparqlStore:
    """The subset of ``pyoxigraph.Store`` that animekg uses, over HTTP."""

    def __init__(self, url: str, update_url: str | None = None, *, timeout: float = 120.0):
        self.query_url, self.update_url = endpoints(url, update_url)
        self.url = url
        self._http = httpx.Client(timeout=timeout, follow_redirects=True,
                                  headers={"User-Agent": "animekg"})
        self._server: str | None = None  # its Server header, once it has answered

    def __repr__(self) -> str:
        return f"SparqlStore({self.query_url!r})"

    def close(self) -> None:
        self._http.close()

    # -- the protocol ------------------------------------------------------------------

    def _post(self, url: str, data: dict[str, str | list[str]], accept: str | None = None) -> httpx.Response:
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
            raise StoreError(f"{url}: the SPARQL server answered {response.status_code} "
                             f"{response.reason_phrase}: {_gist(response)}")
        return response

    def _results(self, response: httpx.Response) -> ox.QuerySolutions | ox.QueryBoolean:
        """A SELECT or ASK answer, or StoreError when the server sent something else."""
        kind = _media_type(response)
        if kind not in RESULT_TYPES:
            raise self._unexpected(response, "SPARQL JSON results")
        try:
            return ox.parse_query_results(response.content, format=ox.QueryResultsFormat.JSON)
        except (SyntaxError, ValueError) as exc:
            raise self._unexpected(response, "SPARQL JSON results", exc) from exc

    def _triples(self, response: httpx.Response) -> list[ox.Triple]:
        """A CONSTRUCT or DESCRIBE answer, or StoreError when the server sent something else."""
        fmt = RDF_TYPES.get(_media_type(response))
        if fmt is None:
            raise self._unexpected(response, "RDF triples (N-Triples or Turtle)")
        try:
            return [ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(response.content, format=fmt)]
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
        graphs = [g.value for g in self.named_graphs()]
        return {"default-graph-uri": graphs, "named-graph-uri": graphs} if graphs else {}

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
        gives_triples = isinstance(ox.Store().query(sparql), ox.QueryTriples)
        if default_graph is not None or named_graphs is not None:
            dataset = {"default-graph-uri": [g.value for g in default_graph or []],
                       "named-graph-uri": [g.value for g in named_graphs or []]}
        else:
            dataset = self._union_dataset() if use_default_graph_as_union else {}
        accept = f"{N_TRIPLES}, text/turtle;q=0.9" if gives_triples else SPARQL_JSON
        response = self._post(self.query_url, {"query": sparql, **dataset}, accept)
        return self._triples(response) if gives_triples else self._results(response)

    def update(self, update: str, *, base_iri: str | None = None, **_: object) -> None:
        self._post(self.update_url, {"update": with_base(update, base_iri)})

    # -- what GraphStore needs of a store ------------------------------------------------

    def named_graphs(self) -> Iterator[ox.NamedNode]:
        return (s["g"] for s in self._select("SELECT DISTINCT ?g WHERE { GRAPH ?g { } }"))

    def contains_named_graph(self, graph: ox.NamedNode) -> bool:
        return bool(self.query("ASK { GRAPH ?g { } }", substitutions={ox.Variable("g"): graph}))

    def remove_graph(self, graph: ox.NamedNode) -> None:
        self.update(f"DROP SILENT GRAPH {graph}")

    def quads_for_pattern(self, subject: Term | None, predicate: Term | None, object: Term | None,
                          graph_name: Term | None = None) -> Iterator[ox.Quad]:
        """Quads of the named graphs (animekg writes nothing to the default graph)."""
        bound = {ox.Variable(v): t for v, t in zip("spog", (subject, predicate, object, graph_name))
                 if t is not None}
        sparql = substitute("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }", bound)
        for s in self._select(sparql):
            yield ox.Quad(s["s"], s["p"], s["o"], s["g"])

    def __iter__(self) -> Iterator[ox.Quad]:
        return self.quads_for_pattern(None, None, None, None)

    def __len__(self) -> int:
        (row,) = self._select("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
        return int(row["n"].value)

    def extend(self, quads: Iterable[ox.Quad]) -> None:
        """All the quads in one INSERT DATA request: one transaction."""
        by_graph: dict[ox.NamedNode, list[ox.Triple]] = {}
        for q in quads:
            if not isinstance(q.graph_name, ox.NamedNode):
                raise StoreError("animekg writes only to named graphs; got a quad in the default graph")
            by_graph.setdefault(q.graph_name, []).append(ox.Triple(q.subject, q.predicate, q.object))
        if not by_graph:
            return
        blocks = []
        for graph, triples in by_graph.items():
            body = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode("utf-8")
            blocks.append(f"GRAPH {graph} {{\n{body}}}")
        self.update("INSERT DATA {\n" + "\n".join(blocks) + "\n}")

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


__all__ = ["SparqlStore", "endpoints"]
