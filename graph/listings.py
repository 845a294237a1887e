"""Pages of the whole-graph listings, kept at build time for big stores.

A listing (a named query marked ``# listing:``, such as ``albums``) reads every entity of
a kind and sorts them: seconds at a million triples, and more with every document, while
a person reads a hundred rows at a time. So whenever the inferred graph is rebuilt (build,
load, infer), each listing is run once and its rows are written into the graph
``id:graph/listings``, one triple per row, where a page is a handful of direct lookups::

    id:listing/albums     amk:rowCount 8772 .
    id:listing/albums/0   amk:resultRow "\"Some Album\"\t\"Some Label\"\t..." .

A row is ``id:listing/NAME/N`` for its place N (from 0, as an offset counts); its cells
are one line of SPARQL's TSV results (each an RDF term in N-Triples syntax, empty where
the row leaves a column unbound), which Oxigraph's own results parser reads back. (A
triple per cell, with the names and titles as literals, made Virtuoso 7.2 lose rows of
other queries over the same store.) A page (:func:`listing_page`) is therefore the same
rows, in the same order, as the whole listing sliced, as long as nothing changed the
store since; a SPARQL update removes the kept rows (GraphStore.run_update), and a store
that has none answers a page by running the listing itself with LIMIT and OFFSET:
slower, the same rows.
"""

from __future__ import annotations

import pyoxigraph as ox

from animekg.ontology import AMK, ID

from .guard import tokens
from .queries import NamedQuery, check_page, named_queries, run_named_query
from .store import GraphStore, QueryResult
from .triples import LISTINGS_GRAPH

ROW_COUNT = ox.NamedNode(AMK + "rowCount")
RESULT_ROW = ox.NamedNode(AMK + "resultRow")
INTEGER = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
CHUNK = 2000  # rows asked for in one query: a VALUES block of this many IRIs parses fast


def listing_queries() -> list[NamedQuery]:
    return [q for q in named_queries().values() if q.listing]


def listing_iri(name: str) -> ox.NamedNode:
    return ox.NamedNode(f"{ID}listing/{name}")


def row_iri(name: str, place: int) -> ox.NamedNode:
    return ox.NamedNode(f"{ID}listing/{name}/{place}")


def columns(query: NamedQuery) -> list[str]:
    """The variables a SELECT projects, in order: plain ones and ``(... AS ?name)``.

    >>> columns(NamedQuery("q", "", "SELECT ?a (COUNT(?b) AS ?n) WHERE { ?a ?p ?b } GROUP BY ?a"))
    ['a', 'n']
    """
    found, selecting, after_as = [], False, False
    for m, depth in tokens(query.text):
        word = m.group()
        if m.lastgroup == "open" and word == "{" or m.lastgroup == "word" and word.upper() == "WHERE":
            if selecting:
                break
        if m.lastgroup != "word":
            continue
        if word.upper() == "SELECT" and not selecting:
            selecting = True
        elif selecting and word[0] in "?$" and (depth == 0 or after_as):
            found.append(word[1:])
        after_as = selecting and word.upper() == "AS"
    return found


def listing_triples(name: str, result: QueryResult) -> list[ox.Triple]:
    """A listing's rows as triples (see the module's docstring).

    >>> rows = QueryResult("select", ["a", "b"], [{"a": ox.Literal("x"), "b": None}])
    >>> [(t.subject.value.rsplit("/", 1)[-1], t.object.value) for t in listing_triples("demo", rows)]
    [('demo', '1'), ('0', '"x"\\t')]
    """
    triples = [ox.Triple(listing_iri(name), ROW_COUNT, ox.Literal(str(len(result.rows)), datatype=INTEGER))]
    for place, row in enumerate(result.rows):
        cells = "\t".join("" if row.get(v) is None else str(row[v]) for v in result.variables)
        triples.append(ox.Triple(row_iri(name, place), RESULT_ROW, ox.Literal(cells)))
    return triples


def keep_listings(store: GraphStore) -> int:
    """Run every listing and keep its rows in ``id:graph/listings``, replacing what was
    kept (one graph for all, replaced in one step: GraphStore.rewrite_kept_graph); the
    number of rows kept."""
    triples, rows = [], 0
    for query in listing_queries():
        result = run_named_query(store, query.name)
        triples += listing_triples(query.name, result)
        rows += len(result.rows)
    store.rewrite_kept_graph(LISTINGS_GRAPH, triples, "listings:removed")
    return rows


def listing_page(store: GraphStore, name: str, limit: int, offset: int = 0) -> QueryResult:
    """Rows ``offset`` to ``offset + limit`` of a listing: from the kept rows where the
    store has them, else from the listing itself with LIMIT and OFFSET."""
    check_page(limit, offset)
    variables = columns(named_queries()[name])
    wanted = [listing_iri(name)] + [row_iri(name, p) for p in range(offset, offset + limit)]
    total, lines = None, {}
    for start in range(0, len(wanted), CHUNK):
        found = run_named_query(store, "listing-rows", {"graph": LISTINGS_GRAPH.value,
                                                        "row": [iri.value for iri in wanted[start:start + CHUNK]]})
        for row in found.rows:
            if row["column"] == ROW_COUNT:
                total = int(row["value"].value)
            elif row["column"] == RESULT_ROW:
                lines[row["row"].value] = row["value"].value
        if start == 0 and total is None:
            # Nothing kept (a store built before listings were kept, a kill while keeping
            # them, an update since): the listing itself, sliced.
            return run_named_query(store, name, limit=limit, offset=offset)
        if start + CHUNK > total - offset:
            break  # the rest is past the listing's end
    places = range(offset, min(offset + limit, total))
    if any(row_iri(name, p).value not in lines for p in places):
        return run_named_query(store, name, limit=limit, offset=offset)  # rows kept by halves: not ours
    tsv = "\n".join(["\t".join(f"?{v}" for v in variables)] + [lines[row_iri(name, p).value] for p in places])
    solutions = ox.parse_query_results((tsv + "\n").encode("utf-8"), format=ox.QueryResultsFormat.TSV)
    return QueryResult("select", variables, [{v: s[v] for v in variables} for s in solutions])


__all__ = ["keep_listings", "listing_page", "listing_queries", "columns", "listing_triples", "ROW_COUNT",
           "RESULT_ROW"]
