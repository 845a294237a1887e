"""Named SPARQL queries, kept as ``.rq`` files in ``queries/`` beside this module.

Each file opens with comment lines that document it::

    # name: show-music-staff
    # description: Who made the music of a show, by role.
    # param show: literal - the show's name as written anywhere

A parameter is a variable of the query; its value is bound as an RDF term (a literal
or an IRI, as declared), never pasted into the query text. Oxigraph binds only variables
that the query projects, so a named query lists its parameters first in its SELECT; the
bound columns are left out of the result.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

import pyoxigraph as ox

from animekg.errors import QueryError

from .guard import LEXEME
from .store import GraphStore, QueryResult

PARAM = re.compile(r"^#\s*param\s+(?P<name>\w+)\s*:\s*(?P<kind>iri|literal)\s*(?:-\s*(?P<doc>.*))?$")


@dataclass(frozen=True)
class NamedQuery:
    name: str
    description: str
    text: str
    params: dict[str, tuple[str, str]] = field(default_factory=dict)  # name -> (kind, doc)

    def bind(self, values: dict[str, str]) -> dict[str, ox.NamedNode | ox.Literal]:
        unknown = sorted(set(values) - set(self.params))
        if unknown:
            declared = ", ".join(self.params) or "none"
            raise QueryError(f"query {self.name!r} has no parameter {', '.join(unknown)} "
                             f"(its parameters: {declared})")
        missing = sorted(set(self.params) - set(values))
        if missing:
            raise QueryError(f"query {self.name!r} needs --param {missing[0]}=VALUE "
                             f"({self.params[missing[0]][1]})")
        bound = {}
        for key, value in values.items():
            kind = self.params[key][0]
            try:
                bound[key] = ox.NamedNode(value) if kind == "iri" else ox.Literal(value)
            except ValueError as exc:
                raise QueryError(f"query {self.name!r}: parameter {key} must be an IRI, not {value!r}") from exc
        return bound


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
        tokens = [m for m in LEXEME.finditer(text) if m.lastgroup not in ("space", "comment")]
        twice = next((i for i in range(len(tokens) - 2)
                      if tokens[i].lastgroup in ("word", "iri") and tokens[i + 1].group() == "|"
                      and tokens[i + 2].group() == tokens[i].group()), None)
        if twice is None:
            break
        text = text[:tokens[twice].end()] + text[tokens[twice + 2].end():]
    tokens = [m for m in LEXEME.finditer(text) if m.lastgroup not in ("space", "comment")]
    select = next((i for i, m in enumerate(tokens) if m.lastgroup == "word" and m.group().upper() == "SELECT"), None)
    if select is not None and tokens[select + 1].group().upper() not in ("DISTINCT", "REDUCED"):
        text = text[:tokens[select].end()] + " DISTINCT" + text[tokens[select].end():]
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
        tokens = [(m.lastgroup, m.group(), m.start(), m.end()) for m in LEXEME.finditer(text)
                  if m.lastgroup not in ("space", "comment")]
        at = next((i for i, (kind, word, _, _) in enumerate(tokens)
                   if kind == "word" and word.upper() == "LATERAL"), None)
        if at is None:
            return text
        if at + 1 >= len(tokens) or tokens[at + 1][1] != "{":
            raise QueryError("LATERAL must be followed by a { ... } block")
        depth, close = 0, None
        for j in range(at + 1, len(tokens)):
            if tokens[j][0] == "open":
                depth += 1
            elif tokens[j][0] == "close":
                depth -= 1
                if depth == 0:
                    close = j
                    break
        if close is None:
            raise QueryError("a LATERAL block is not closed")
        keyword, opening, closing = tokens[at], tokens[at + 1], tokens[close]
        inner_first = tokens[at + 2][1].upper() if at + 2 < close else ""
        exists = _existence_test(tokens[at + 2:close])
        if exists is not None:
            text = text[:keyword[2]] + "FILTER EXISTS " + text[exists[0]:exists[1]] + text[closing[3]:]
        elif inner_first == "SELECT":  # a sub-SELECT stays a group of its own
            text = text[:keyword[2]] + text[opening[2]:]
        else:
            # Dots around the block where a triple before or inside it needs one ("." may
            # follow any pattern; it may not open a group).
            before = "" if at == 0 or tokens[at - 1][1] in ("{", ".") else ". "
            after = "" if tokens[close - 1][1] == "." else " ."
            text = text[:keyword[2]] + before + text[opening[3]:closing[2]] + after + text[closing[3]:]


def _existence_test(tokens: list[tuple[str, str, int, int]]) -> tuple[int, int] | None:
    """Where the WHERE group of ``SELECT ?x ?y WHERE { ... } LIMIT 1`` starts and ends, if
    the tokens are such a sub-SELECT: the named queries' way to ask, once per row, whether
    a document states a fact (its variables are all bound outside). Joined in the ordinary
    way it would keep one row of the whole store, so it is written as FILTER EXISTS."""
    words = [t[1].upper() for t in tokens]
    if len(words) < 6 or words[0] != "SELECT" or words[-2:] != ["LIMIT", "1"] or "WHERE" not in words:
        return None
    where = words.index("WHERE")
    if not all(w.startswith("?") for w in words[1:where]) or words[where + 1] != "{":
        return None
    depth = 0
    for j in range(where + 1, len(tokens)):
        depth += {"open": 1, "close": -1}.get(tokens[j][0], 0)
        if depth == 0:
            return (tokens[where + 1][2], tokens[j][3]) if j == len(tokens) - 3 else None
    return None


def _parse(text: str, fallback_name: str) -> NamedQuery:
    name, description, params = fallback_name, "", {}
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        if m := PARAM.match(line):
            params[m["name"]] = (m["kind"], (m["doc"] or "").strip())
        elif line.startswith("# name:"):
            name = line.split(":", 1)[1].strip()
        elif line.startswith("# description:"):
            description = line.split(":", 1)[1].strip()
    return NamedQuery(name, description, text, params)


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


def run_named_query(store: GraphStore, name: str, params: dict[str, str] | None = None) -> QueryResult:
    """The rows of a named query, less the columns of its parameters (the caller's own values)."""
    query = named_query(name)
    text = query.text if store.reads_lateral else portable_query(query.text)
    result = store.query(text, query.bind(params or {}))
    result.variables = [v for v in result.variables if v not in query.params]
    return result
