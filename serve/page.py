"""The pages people see: the query page and the network view of a query's result.

The query page is this HTML plus ``static/query.js`` and ``static/query.css``, all
served by the endpoint itself, so it works with no network. Its script fetches the
named queries and results as JSON and puts every value into the DOM as text. The HTML
lives here rather than in static/ because the repository ignores ``*.html`` files.
"""

from __future__ import annotations

from collections.abc import Iterable
from importlib.resources import files

import networkx as nx
import pyoxigraph as ox

STATIC_TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8"}

QUERY_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>animekg SPARQL endpoint</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="static/query.css">
</head>
<body>
<header>
  <h1>animekg SPARQL endpoint</h1>
  <span class="hint">SPARQL 1.1 Protocol at <code>/sparql</code>; queries run over the union of all graphs</span>
</header>
<main>
  <section id="editor">
    <div class="row">
      <label for="example">Example</label>
      <select id="example"><option value="">Your own query</option></select>
      <span id="description"></span>
    </div>
    <div id="params"></div>
    <textarea id="query" spellcheck="false" rows="14" aria-label="SPARQL query">SELECT ?s ?p ?o
WHERE { ?s ?p ?o }
LIMIT 25</textarea>
    <div class="row">
      <button id="run" type="button">Run</button>
      <span class="hint">Ctrl+Enter</span>
      <a id="view-link" target="_blank" rel="noopener" hidden>Network view of this result</a>
      <span id="status" role="status"></span>
    </div>
  </section>
  <section id="results">
    <pre id="error" hidden></pre>
    <table id="table"></table>
    <pre id="text" hidden></pre>
  </section>
</main>
<script src="static/query.js"></script>
</body>
</html>
"""


def static_file(name: str) -> tuple[bytes, str] | None:
    """A file of ``static/`` and its content type; None for anything else, so that a
    path cannot name a file outside the folder."""
    folder = files("animekg.serve").joinpath("static")
    suffix = name[name.rfind("."):] if "." in name else ""
    if suffix not in STATIC_TYPES or not any(entry.name == name for entry in folder.iterdir()):
        return None
    return folder.joinpath(name).read_bytes(), STATIC_TYPES[suffix]


def result_subgraph(graph: nx.MultiDiGraph, terms: Iterable[ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple],
                    depth: int) -> nx.MultiDiGraph:
    """The entities the terms name (by IRI, or a literal equal to their label) and their
    neighbours up to ``depth`` credits away, with the credits among them."""
    terms = list(terms)
    iris = {t.value for t in terms if isinstance(t, ox.NamedNode)}
    names = {t.value for t in terms if isinstance(t, ox.Literal)}
    hits = [n for n, data in graph.nodes(data=True) if n in iris or data.get("label") in names]
    keep = set()
    undirected = graph.to_undirected(as_view=True)
    for hit in hits:
        keep |= set(nx.single_source_shortest_path_length(undirected, hit, cutoff=depth))
    return graph.subgraph(keep).copy()


def result_view_html(graph: nx.MultiDiGraph) -> str:
    from animekg.views import view_page_html

    n = graph.number_of_nodes()
    return view_page_html(graph, title=f"animekg network: {n} {'entity' if n == 1 else 'entities'} of a query result")
