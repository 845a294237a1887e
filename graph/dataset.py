"""Which graphs a query or an update reads: its own, the request's, or animekg's union.

SPARQL lets three parties name the dataset, and the most specific wins:

1. the SPARQL 1.1 Protocol's parameters (``default-graph-uri`` / ``named-graph-uri`` for a
   query, ``using-graph-uri`` / ``using-named-graph-uri`` for an update), which override
2. the text's own ``FROM`` / ``FROM NAMED`` (``USING`` / ``USING NAMED`` / ``WITH`` in an
   update), which override
3. the service's default. animekg's is a choice: every document lives in its own named
   graph, so a query that names no graphs reads the union of all of them as its default
   graph, and every graph by name.

An update's protocol dataset is written into its text as ``USING`` clauses (Oxigraph takes
no such parameter), each IRI serialized by Oxigraph as a term; an update that also names
its own dataset is refused, as the protocol says.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import pyoxigraph as ox

from animekg.errors import QueryError

from .guard import tokens, uses_keyword, words


@dataclass(frozen=True)
class Dataset:
    """A dataset named by a request: the graphs merged into the default graph, and the
    graphs a ``GRAPH`` pattern may visit. Either may be empty, which means no graph."""

    default: tuple[ox.NamedNode, ...] = ()
    named: tuple[ox.NamedNode, ...] = ()

    @classmethod
    def of_iris(cls, default: Iterable[str] = (), named: Iterable[str] = ()) -> Dataset:
        """From IRIs as text; QueryError naming the first one that is not an absolute IRI."""
        return cls(tuple(_iri(i) for i in default), tuple(_iri(i) for i in named))

    def __bool__(self) -> bool:
        return bool(self.default or self.named)


def _iri(text: str) -> ox.NamedNode:
    try:
        return ox.NamedNode(text)
    except ValueError:
        raise QueryError(f"{text!r} is not an absolute IRI; a graph is named by its full IRI, "
                         "e.g. https://w3id.org/animekg/id/doc/my_review") from None


@lru_cache(maxsize=256)  # the same texts come again and again (named queries)
def states_dataset(query: str) -> bool:
    """Whether the query names its own dataset (``FROM`` or ``FROM NAMED``).

    >>> states_dataset("SELECT * FROM <http://example.org/g> WHERE { ?s ?p ?o }")
    True
    >>> states_dataset("SELECT ?from WHERE { ?from ?p 'from' }")
    False
    """
    # Most queries have no word FROM outside strings, IRIs and comments: no need to parse.
    if "FROM" not in words(query):
        return False
    return uses_keyword(query, "from", "query")


def names_graphs_by_name(query: str) -> bool:
    """Whether a query that states its dataset has a FROM NAMED clause (it may have FROM
    clauses only, which leave it no named graph)."""
    found = words(query)
    return any(a == "FROM" and b == "NAMED" for a, b in zip(found, found[1:]))


def with_using(update: str, dataset: Dataset) -> str:
    """The update with the dataset as ``USING`` / ``USING NAMED`` clauses before the
    ``WHERE`` of each of its ``INSERT``/``DELETE ... WHERE`` operations.

    >>> with_using("INSERT { ?s a <http://example.org/C> } WHERE { ?s ?p ?o }",
    ...            Dataset.of_iris(["http://example.org/g"]))
    'INSERT { ?s a <http://example.org/C> } USING <http://example.org/g> WHERE { ?s ?p ?o }'
    """
    if not dataset:
        return update
    for word in ("using", "with"):
        if uses_keyword(update, word, "update"):
            raise QueryError(f"the update names its own dataset ({word.upper()}), so it cannot also be "
                             "given using-graph-uri or using-named-graph-uri: drop one of them")
    clause = " ".join([f"USING {g}" for g in dataset.default] + [f"USING NAMED {g}" for g in dataset.named]) + " "
    out, last, before = [], 0, ""
    for m, depth in tokens(update):
        kind, token = m.lastgroup, m.group()
        if kind == "escape":
            raise QueryError("an update given using-graph-uri or using-named-graph-uri must spell its "
                             "keywords without \\u escapes")
        if kind == "word" and depth == 0 and token.upper() == "WHERE":
            if before.upper() == "DELETE":
                raise QueryError("DELETE WHERE cannot take using-graph-uri or using-named-graph-uri; "
                                 "write it as DELETE { ... } WHERE { ... }")
            out.append(update[last:m.start()] + clause)
            last = m.start()
        before = token
    out.append(update[last:])
    return "".join(out)


__all__ = ["Dataset", "names_graphs_by_name", "states_dataset", "with_using"]
