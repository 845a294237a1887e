"""Named SPARQL queries, kept as ``.rq`` files in ``queries/`` beside this module.

Each file opens with comment lines that document it::

    # name: show-music-staff
    # description: Who made the music of a show, by role.
    # param show: literal - the show's name as written anywhere

A parameter is a variable of the query; its value is bound as an RDF term (a literal
or an IRI, as declared), never pasted into the query text. Oxigraph binds only variables
that the query projects, so a named query lists its parameters first in its SELECT; the
bound columns are left out of the result.

A parameter of kind ``iris`` or ``literals`` takes a list of values: the query gets them
as ``VALUES ?name { ... }`` at the start of its WHERE group, each value written by
pyoxigraph as an RDF term, and keeps its column (each row says which value it is for).
A parameter of kind ``integer`` (a whole number, as xsd:integer) goes in the same way, as
one value: Oxigraph filters on a VALUES row several times faster than on a bound variable
(view-ranked, when it filtered its places by a limit: 50 against 400 ms at a million
triples). One of kind ``places`` is a whole number N given as the list 1 to N: a query for
the first N places of a ranking looks each place up, where a FILTER on the place reads
every place of the store (view-ranked: 259 ms at ten million triples that way).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources

import pyoxigraph as ox

from animekg.errors import QueryError

from .guard import tokens
from .store import GraphStore, QueryResult

PARAM = re.compile(r"^#\s*param\s+(?P<name>\w+)\s*:\s*(?P<kind>iris|iri|literals|literal|integer|places)\s*(?:-\s*(?P<doc>.*))?$")
LISTS = {"iris": ox.NamedNode, "literals": ox.Literal}  # kinds that take several values
INTEGER = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
MAX_PLACES = 100_000  # a places parameter becomes a VALUES list of that many numbers
Term = ox.NamedNode | ox.Literal
PAGE_END = re.compile(r"^[ \t]*# LIMIT page-end[ \t]*$", re.MULTILINE)  # see with_page_end
PAGE = 100  # rows of a named query's page unless asked otherwise: what a person reads at once


@dataclass(frozen=True)
class NamedQuery:
    name: str
    description: str
    text: str
    params: dict[str, tuple[str, str]] = field(default_factory=dict)  # name -> (kind, doc)
    listing: bool = False  # a whole-graph listing whose rows are kept at build time (graph/listings.py)

    def bind(self, values: dict[str, str | list[str]]) -> dict[str, Term | list[Term]]:
        """The values as RDF terms: one per parameter, a list for a list kind (``iris``
        also splits a text at white space)."""
        unknown = sorted(set(values) - set(self.params))
        if unknown:
            declared = ", ".join(self.params) or "none"
            raise QueryError(f"query {self.name!r} has no parameter {', '.join(unknown)} "
                             f"(its parameters: {declared})")
        missing = sorted(set(self.params) - set(values))
        if missing:
            raise QueryError(f"query {self.name!r} needs --param {missing[0]}=VALUE "
                             f"({self.params[missing[0]][1]})")
        bound: dict[str, Term | list[Term]] = {}
        for key, value in values.items():
            kind = self.params[key][0]
            if kind in ("integer", "places"):
                if not isinstance(value, str) or not value.strip().isdigit():
                    raise QueryError(f"query {self.name!r}: parameter {key} must be a whole number, not {value!r}")
                number = int(value)
                if kind == "integer":
                    bound[key] = [ox.Literal(str(number), datatype=INTEGER)]
                elif number > MAX_PLACES:
                    raise QueryError(f"query {self.name!r}: parameter {key} is at most {MAX_PLACES:,}, not {number:,}")
                else:
                    bound[key] = [ox.Literal(str(place), datatype=INTEGER) for place in range(1, number + 1)]
            elif kind in LISTS:
                items = value.split() if isinstance(value, str) and kind == "iris" else \
                    [value] if isinstance(value, str) else list(value)
                bound[key] = [self._term(key, LISTS[kind], item) for item in items]
            elif not isinstance(value, str):
                raise QueryError(f"query {self.name!r}: parameter {key} takes one value, not {len(value)}")
            else:
                bound[key] = self._term(key, ox.NamedNode if kind == "iri" else ox.Literal, value)
        return bound

    def _term(self, key: str, make: type, value: str) -> Term:
        try:
            return make(value.removeprefix("<").removesuffix(">") if make is ox.NamedNode else value)
        except ValueError as exc:
            raise QueryError(f"query {self.name!r}: parameter {key} must be an IRI, not {value!r}") from exc


@lru_cache(maxsize=64)  # the same few texts, on every call to a store that needs them
def portable_query(text: str) -> str:
    """The named query for a server that follows the SPARQL 1.1 spec to the letter and
    reads no LATERAL: its LATERAL blocks joined (:func:`without_lateral`), a path ``p|p``
    written ``p``, and its rows DISTINCT.

    Oxigraph answers a path once per pair of ends, and reads the union default graph as a
    bag (once per graph that holds a triple): the named queries write a step as ``p|p`` to
    have each pair once. By the spec an alternative path is a union, which answers twice,
    so there it is ``p``; and where the default graph made of the named graphs is a bag
    too (Virtuoso), a row found through two graphs is kept once by DISTINCT. Every named
    query means its rows to be distinct, and none sums or counts without DISTINCT.

    >>> portable_query("SELECT * WHERE { ?s rdfs:label|rdfs:label ?o LATERAL { ?o a|a ?c } }")
    'SELECT DISTINCT * WHERE { ?s rdfs:label ?o .  ?o a ?c  . }'
    """
    text = without_lateral(text)
    while True:
        found = [m for m, _ in tokens(text)]
        twice = next((i for i in range(len(found) - 2)
                      if found[i].lastgroup in ("word", "iri") and found[i + 1].group() == "|"
                      and found[i + 2].group() == found[i].group()), None)
        if twice is None:
            break
        text = text[:found[twice].end()] + text[found[twice + 2].end():]
    found = [m for m, _ in tokens(text)]
    select = next((i for i, m in enumerate(found) if m.lastgroup == "word" and m.group().upper() == "SELECT"), None)
    if select is not None and found[select + 1].group().upper() not in ("DISTINCT", "REDUCED"):
        text = text[:found[select].end()] + " DISTINCT" + text[found[select].end():]
    return text


def without_lateral(text: str) -> str:
    """The query in standard SPARQL 1.1: each ``LATERAL { ... }`` block written into the
    group around it (a sub-SELECT keeps its braces).

    ``LATERAL`` (SEP-0006; Oxigraph, Jena 4.7+) only tells the engine to evaluate a block
    once per row found so far, which is what keeps the named queries fast on a big store;
    a named query is written so that the same block joined in the ordinary way gives the
    same rows (tests/graph/test_queries.py checks every one), and so runs on servers that
    do not read the keyword.

    >>> without_lateral("SELECT * WHERE { ?s ?p ?o LATERAL { ?o ?q ?r } }")
    'SELECT * WHERE { ?s ?p ?o .  ?o ?q ?r  . }'
    """
    while True:
        found = list(tokens(text))
        at = next((i for i, (m, _) in enumerate(found) if m.lastgroup == "word" and m.group().upper() == "LATERAL"),
                  None)
        if at is None:
            return text
        if at + 1 >= len(found) or found[at + 1][0].group() != "{":
            raise QueryError("LATERAL must be followed by a { ... } block")
        close = _closing(found, at + 1)
        keyword, opening, closing = found[at][0], found[at + 1][0], found[close][0]
        inner = [m for m, _ in found[at + 2:close]]
        exists = _existence_test([(m, depth) for m, depth in found[at + 2:close]])
        if exists is not None:
            text = text[:keyword.start()] + "FILTER EXISTS " + text[exists[0]:exists[1]] + text[closing.end():]
        elif inner and inner[0].group().upper() == "SELECT":  # a sub-SELECT stays a group of its own
            text = text[:keyword.start()] + text[opening.start():]
        else:
            # Dots around the block where a triple before or inside it needs one ("." may
            # follow any pattern; it may not open a group).
            before = "" if at == 0 or found[at - 1][0].group() in ("{", ".") else ". "
            after = "" if inner and inner[-1].group() == "." else " ."
            text = text[:keyword.start()] + before + text[opening.end():closing.start()] + after + text[closing.end():]


def _closing(found: list[tuple[re.Match, int]], opening: int) -> int:
    """The index of the bracket that closes the one at ``opening``."""
    depth = found[opening][1]
    close = next((j for j in range(opening + 1, len(found))
                  if found[j][0].lastgroup == "close" and found[j][1] == depth), None)
    if close is None:
        raise QueryError("a LATERAL block is not closed")
    return close


def _existence_test(found: list[tuple[re.Match, int]]) -> tuple[int, int] | None:
    """Where the WHERE group of ``SELECT ?x ?y WHERE { ... } LIMIT 1`` starts and ends, if
    the tokens are such a sub-SELECT: the named queries' way to ask, once per row, whether
    a document states a fact (its variables are all bound outside). Joined in the ordinary
    way it would keep one row of the whole store, so it is written as FILTER EXISTS."""
    upper = [m.group().upper() for m, _ in found]
    if len(upper) < 6 or upper[0] != "SELECT" or upper[-2:] != ["LIMIT", "1"] or "WHERE" not in upper:
        return None
    where = upper.index("WHERE")
    if not all(w.startswith("?") for w in upper[1:where]) or upper[where + 1] != "{":
        return None
    close = _closing(found, where + 1)
    return (found[where + 1][0].start(), found[close][0].end()) if close == len(found) - 3 else None


def _parse(text: str, fallback_name: str) -> NamedQuery:
    name, description, params, listing = fallback_name, "", {}, False
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        if m := PARAM.match(line):
            params[m["name"]] = (m["kind"], (m["doc"] or "").strip())
        elif line.startswith("# name:"):
            name = line.split(":", 1)[1].strip()
        elif line.startswith("# description:"):
            description = line.split(":", 1)[1].strip()
        elif line.startswith("# listing:"):
            listing = True
    return NamedQuery(name, description, text, params, listing)


@cache
def named_queries() -> dict[str, NamedQuery]:
    folder = resources.files("animekg.graph").joinpath("queries")
    queries = {}
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".rq"):
            q = _parse(entry.read_text(encoding="utf-8"), entry.name[:-3])
            queries[q.name] = q
    return queries


def named_query(name: str) -> NamedQuery:
    queries = named_queries()
    if name not in queries:
        raise QueryError(f"unknown named query {name!r}; known: {', '.join(queries)}")
    return queries[name]


def run_named_query(store: GraphStore, name: str, params: dict[str, str | list[str]] | None = None, *,
                    limit: int | None = None, offset: int = 0) -> QueryResult:
    """The rows of a named query, less the columns of its one-value parameters (the
    caller's own values); ``limit`` rows from ``offset`` of them if given, as LIMIT and
    OFFSET after the query's own ORDER BY."""
    query = named_query(name)
    text = query.text if store.reads_lateral else portable_query(query.text)
    bound = query.bind(params or {})
    lists = {k: v for k, v in bound.items() if isinstance(v, list)}
    if limit is not None and store.reads_lateral:
        text = with_page_end(text, limit + offset)
    text = with_values(text, lists) + page_clause(limit, offset)
    result = store.query(text, {k: v for k, v in bound.items() if k not in lists})
    result.variables = [v for v in result.variables if v not in query.params or query.params[v][0] in LISTS]
    return result


def with_page_end(text: str, rows: int) -> str:
    r"""The query with ``LIMIT rows`` in place of its ``# LIMIT page-end`` line, if it has one.

    A query about one entity may list hundreds of its credits, each with a sentence, a
    source and labels to look up: it finds the credits in a cheap order first, in a
    sub-SELECT that projects the parameter and ends with that line, and looks up the rest
    for the first ``rows`` of them only. The outer ORDER BY must begin with the
    sub-SELECT's (which orders its rows totally) and every credit found must give at least
    one row (what is looked up after is OPTIONAL): then the first ``rows`` rows of the
    whole answer are among those of the first ``rows`` credits, and a page is the page of
    the whole answer. :func:`run_named_query` pages inside only where the store reads the
    query as written (``reads_lateral``): the portable form goes to engines that may join
    the parameter after evaluating the sub-SELECT, where a limit would cut the credits of
    the whole store, so there the line stays a comment.

    >>> with_page_end("SELECT * WHERE { { SELECT ?c WHERE { ?c a ?k } ORDER BY ?c\n# LIMIT page-end\n} }", 300)
    'SELECT * WHERE { { SELECT ?c WHERE { ?c a ?k } ORDER BY ?c\nLIMIT 300\n} }'
    """
    return PAGE_END.sub(f"LIMIT {rows}", text)


def page_clause(limit: int | None, offset: int) -> str:
    """LIMIT and OFFSET for the end of a query (after a comment's end of line).

    >>> page_clause(100, 200)
    '\\nLIMIT 100 OFFSET 200'
    """
    check_page(limit, offset)
    return "".join(["\n" if limit is not None or offset else "", f"LIMIT {limit}" if limit is not None else "",
                    " " if limit is not None and offset else "", f"OFFSET {offset}" if offset else ""])


def check_page(limit: int | None, offset: int) -> None:
    if limit is not None and (not isinstance(limit, int) or limit < 0):
        raise QueryError(f"a page's limit must be a whole number of rows, not {limit!r}")
    if not isinstance(offset, int) or offset < 0:
        raise QueryError(f"a page's offset must be a whole number of rows, not {offset!r}")


def with_values(text: str, values: dict[str, list[Term]]) -> str:
    """The query with ``VALUES ?name { ... }`` for each list at the start of its WHERE
    group, the values written as RDF terms by pyoxigraph.

    >>> with_values("SELECT ?e WHERE { ?e a ?c }", {"e": [ox.NamedNode("urn:x"), ox.NamedNode("urn:y")]})
    'SELECT ?e WHERE { VALUES ?e { <urn:x> <urn:y> } ?e a ?c }'
    """
    if not values:
        return text
    found = [m for m, _ in tokens(text)]
    where = next((i for i, m in enumerate(found) if m.lastgroup == "word" and m.group().upper() == "WHERE"), None)
    if where is None or where + 1 >= len(found) or found[where + 1].group() != "{":
        raise QueryError("a query with list parameters needs a WHERE { ... } group")
    blocks = " ".join(f"VALUES ?{name} {{ {' '.join(str(t) for t in terms)} }}" for name, terms in values.items())
    at = found[where + 1].end()
    return text[:at] + " " + blocks + text[at:]
