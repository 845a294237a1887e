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
    result = store.query(query.text, query.bind(params or {}))
    result.variables = [v for v in result.variables if v not in query.params]
    return result
