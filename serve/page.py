"""The pages people see: the query page and the network view of a query's result.

The query page is YASGUI (``static/yasgui.min.*``, @zazuko/yasgui 4.6.2, MIT; the
licenses of what it bundles are in ``static/THIRD-PARTY-LICENSES.txt``) set up by
``static/query.js``: this server's endpoint only, the named queries as examples, entity
IRIs linked to their pages, nothing fetched from elsewhere and nothing kept in the
browser. All of it is served by the endpoint itself, so the page works with no network.
The HTML lives here rather than in static/ because the repository ignores ``*.html``.
"""

from __future__ import annotations

from importlib.resources import files

import networkx as nx

STATIC_TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8",
                ".txt": "text/plain; charset=utf-8"}

QUERY_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>animekg SPARQL endpoint</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="static/yasgui.min.css">
<link rel="stylesheet" href="static/query.css">
</head>
<body>
<header>
  <h1>animekg SPARQL endpoint</h1>
  <span class="hint">SPARQL 1.1 Protocol at <code>/sparql</code>; queries that name no graph read the union
  of all graphs; Ctrl+Enter runs the query</span>
</header>
<section id="examples">
  <label for="example">Example</label>
  <select id="example"><option value="">Open a named query in a new tab</option></select>
  <span id="description"></span>
  <a id="view-link" href="view" target="_blank" rel="noopener">Network view of this query's result</a>
  <div id="params"></div>
</section>
<main id="yasgui"></main>
<script src="static/yasgui.min.js"></script>
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


def result_view_html(graph: nx.MultiDiGraph) -> str:
    from animekg.views import view_page_html

    n = graph.number_of_nodes()
    return view_page_html(graph, title=f"animekg network: {n} {'entity' if n == 1 else 'entities'} of a query result")
