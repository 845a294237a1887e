"""Write the credit graph as one self-contained, interactive HTML page.

We render our own small template instead of pyvis's ``Network``: its template links
Bootstrap from a CDN whatever ``cdn_resources`` says, and ``from_nx`` is superlinear.
The vis-network code and CSS are still the ones shipped in the pyvis package, read
from disk and inlined, so the page opens with no network access.

All names, aliases and evidence come from arbitrary web text. They travel as JSON
inside a ``<script type="application/json">`` block with ``<``, ``>`` and ``&``
escaped, and the page's JS puts them into the DOM with ``textContent`` only.
"""

from __future__ import annotations

import functools
import html
import json
import math
import re
from importlib.resources import files
from pathlib import Path
from string import Template
from typing import Any

import networkx as nx

from animekg.views.network import OTHER, most_connected

# Nodes a page draws at most: past a few thousand, vis.js in a browser turns slow.
MAX_NODES = 1500

# (colour, vis shape, legend glyph). Only shapes that draw the label outside the
# node take a size, so node size by degree works for all of them.
KIND_STYLE: dict[str, tuple[str, str, str]] = {
    "Orchestra": ("#8e44ad", "hexagon", "\u2b22"),
    "Composer": ("#d62728", "dot", "\u25cf"),
    "Performer": ("#ff7f0e", "dot", "\u25cf"),
    "Lyricist": ("#e377c2", "dot", "\u25cf"),
    "Arranger": ("#bcbd22", "dot", "\u25cf"),
    "Show": ("#1f77b4", "star", "\u2605"),
    "Album": ("#17becf", "square", "\u25a0"),
    "Song": ("#2ca02c", "triangle", "\u25b2"),
    "Label": ("#8c564b", "triangleDown", "\u25bc"),
    OTHER: ("#7f7f7f", "dot", "\u25cf"),
}
# Tooltips stay readable when one credit was found in hundreds of documents.
MAX_EVIDENCE = 8
# Kamada-Kawai pre-layout is quadratic; past this, physics alone is faster.
IMPROVED_LAYOUT_LIMIT = 150


@functools.cache
def _vis_assets() -> tuple[str, str]:
    """vis-network's JS and CSS from the newest copy bundled with pyvis."""
    lib = files("pyvis") / "templates" / "lib"
    versions = sorted(
        (d for d in lib.iterdir() if d.name.startswith("vis-")),
        key=lambda d: tuple(int(x) for x in re.findall(r"\d+", d.name)),
    )
    if not versions:
        raise FileNotFoundError(f"no vis-network bundle under {lib}")
    newest = versions[-1]
    js = (newest / "vis-network.min.js").read_text(encoding="utf-8")
    css = (newest / "vis-network.css").read_text(encoding="utf-8")
    # Neither file contains these today; the guard keeps a future bundle from ending
    # our <script>/<style> element early.
    return js.replace("</script", "<\\/script"), css.replace("</style", "<\\/style")


def _json_for_html(data: Any) -> str:
    """JSON that cannot close its <script> element or open markup."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                         ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(char, escape)
    return text


def _page_data(G: nx.MultiDiGraph, keep: list[str]) -> dict[str, Any]:
    kept = set(keep)
    nodes = []
    for node in keep:
        data = G.nodes[node]
        # A part read from a big store knows each node's degree in the whole network.
        degree = data.get("degree", G.degree(node))
        kind = data.get("kind", OTHER)
        nodes.append({
            "id": node,
            "label": data.get("label", node),
            "group": kind if kind in KIND_STYLE else OTHER,
            "types": data.get("types", []),
            "aliases": data.get("aliases", []),
            "degree": degree,
            "size": round(8 + 4 * math.sqrt(degree), 1),
        })
    edges = []
    parallel: dict[tuple[str, str], int] = {}
    for u, v, rel, data in G.edges(keys=True, data=True):
        if u not in kept or v not in kept:
            continue
        # Parallel credits (composed and arranged the same song) would draw on top of
        # each other; bend each extra one a little more.
        nth = parallel[u, v] = parallel.get((u, v), -1) + 1
        evidence = data.get("evidence") or [{"sentence": s, "source": ""} for s in data.get("sentences", [])]
        confidence = data.get("confidence")
        edge = {
            "from": u,
            "to": v,
            "label": data.get("relation", rel),
            "confidence": confidence,
            "evidence": evidence[:MAX_EVIDENCE],
            "moreEvidence": max(0, len(evidence) - MAX_EVIDENCE),
            "sources": data.get("sources", []),
            "width": 1 + 2 * confidence if confidence is not None else 1,
        }
        if nth:
            edge["smooth"] = {"enabled": True, "type": "curvedCW", "roundness": 0.2 * nth}
        edges.append(edge)
    # total: the nodes of the network drawn from; of a part read from a big store, the
    # store's entities with a credit (it does not count the others).
    return {"nodes": nodes, "edges": edges, "total": G.graph.get("connected", G.number_of_nodes())}


def _options(n_nodes: int) -> dict[str, Any]:
    return {
        "groups": {k: {"color": c, "shape": s} for k, (c, s, _) in KIND_STYLE.items()},
        "nodes": {"font": {"size": 14}, "borderWidth": 1},
        "edges": {
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
            "color": {"color": "#9aa5b1", "highlight": "#333333"},
            "font": {"size": 9, "color": "#555555", "strokeWidth": 2, "align": "middle"},
            "smooth": False,
        },
        "layout": {"improvedLayout": n_nodes <= IMPROVED_LAYOUT_LIMIT, "randomSeed": 7},
        "interaction": {"hover": True, "tooltipDelay": 150, "navigationButtons": False},
        "physics": {
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {"gravitationalConstant": -60, "springLength": 110,
                                 "springConstant": 0.06, "avoidOverlap": 0.2},
            "minVelocity": 1,
            "stabilization": {"enabled": True, "iterations": 400, "updateInterval": 50},
        },
    }


def _legend() -> str:
    return "".join(
        f'<span class="kind"><span style="color:{colour}">{glyph}</span> {html.escape(kind)}</span>'
        for kind, (colour, _, glyph) in KIND_STYLE.items()
    )


_TEMPLATE = Template("""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${title}</title>
<style>${vis_css}</style>
<style>
  html, body { margin: 0; height: 100%; font: 14px system-ui, sans-serif; }
  body { display: flex; flex-direction: column; }
  header { padding: 6px 10px; border-bottom: 1px solid #ddd; display: flex; flex-wrap: wrap;
           gap: 6px 16px; align-items: center; }
  h1 { font-size: 16px; margin: 0; }
  .kind { white-space: nowrap; margin-right: 10px; }
  #notice { background: #fff3cd; border: 1px solid #e0c36a; padding: 2px 8px; }
  #status { color: #666; }
  #graph { flex: 1; min-height: 400px; }
  div.vis-tooltip { max-width: 480px; white-space: normal; font-size: 12px; }
  .tip-head { font-weight: bold; margin-bottom: 4px; }
  .tip-quote { margin: 4px 0; padding-left: 6px; border-left: 3px solid #ccc; }
  .tip-src { color: #666; font-size: 11px; }
</style>
</head>
<body>
<header>
  <h1>${title}</h1>
  <form id="search"><input id="q" list="names" placeholder="Find a name" size="28">
    <button type="submit">Find</button></form>
  <datalist id="names"></datalist>
  <span id="status"></span>
  ${notice}
  <span id="legend">${legend}</span>
</header>
<div id="graph"></div>
<script type="application/json" id="graph-data">${data}</script>
<script type="application/json" id="graph-options">${options}</script>
<script>${vis_js}</script>
<script>
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("graph-data").textContent);
  var options = JSON.parse(document.getElementById("graph-options").textContent);

  // Tooltips are DOM elements filled with textContent: a string title would be
  // parsed as HTML by some vis-network versions, and these strings are web text.
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function nodeTip(n) {
    var box = el("div");
    box.appendChild(el("div", "tip-head", n.label));
    box.appendChild(el("div", "", "Types: " + (n.types.join(", ") || "unknown")));
    if (n.aliases.length) box.appendChild(el("div", "", "Also: " + n.aliases.join("; ")));
    box.appendChild(el("div", "tip-src", n.degree + " credit(s)"));
    return box;
  }
  function edgeTip(e, labels) {
    var box = el("div");
    box.appendChild(el("div", "tip-head", labels[e.from] + " \\u2192 " + e.label + " \\u2192 " + labels[e.to]));
    if (e.confidence !== null) box.appendChild(el("div", "", "Confidence: " + e.confidence.toFixed(2)));
    e.evidence.forEach(function (ev) {
      var q = el("div", "tip-quote", ev.sentence);
      if (ev.source) q.appendChild(el("div", "tip-src", ev.source));
      box.appendChild(q);
    });
    if (e.moreEvidence) box.appendChild(el("div", "tip-src", "\\u2026 and " + e.moreEvidence + " more"));
    box.appendChild(el("div", "tip-src", "Sources: " + (e.sources.join(", ") || "none")));
    return box;
  }

  var labels = {};
  data.nodes.forEach(function (n) { labels[n.id] = n.label; n.title = nodeTip(n); });
  data.edges.forEach(function (e) { e.title = edgeTip(e, labels); });

  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var status = document.getElementById("status");
  status.textContent = "Laying out " + data.nodes.length + " nodes\\u2026";
  var network = new vis.Network(document.getElementById("graph"), {nodes: nodes, edges: edges}, options);
  // For scripting from the console, and for the browser tests that count what is drawn.
  window.animekgNetwork = network;
  // Settle once, then freeze: a graph that keeps drifting cannot be read or clicked.
  network.once("stabilizationIterationsDone", function () {
    network.setOptions({physics: false});
    status.textContent = "";
  });

  var names = document.getElementById("names");
  data.nodes.forEach(function (n) {
    var o = document.createElement("option");
    o.value = n.label;
    names.appendChild(o);
  });
  function find(query) {
    var q = query.trim().toLowerCase();
    if (!q) return null;
    var exact = null, partial = null;
    data.nodes.forEach(function (n) {
      var all = [n.label].concat(n.aliases).map(function (s) { return s.toLowerCase(); });
      if (!exact && all.indexOf(q) >= 0) exact = n;
      if (!partial && all.some(function (s) { return s.indexOf(q) >= 0; })) partial = n;
    });
    return exact || partial;
  }
  document.getElementById("search").addEventListener("submit", function (ev) {
    ev.preventDefault();
    var hit = find(document.getElementById("q").value);
    if (!hit) { status.textContent = "No match"; return; }
    status.textContent = "";
    network.selectNodes([hit.id]);
    network.focus(hit.id, {scale: 1.4, animation: {duration: 600}});
  });
}());
</script>
</body>
</html>
""")


def view_page_html(G: nx.MultiDiGraph, title: str = "animekg network", max_nodes: int = MAX_NODES) -> str:
    """``G`` as the text of an interactive page that needs no network.

    Past ``max_nodes`` only the most connected nodes (by degree) are drawn, and the
    page says how many of how many it shows.
    """
    if max_nodes < 1:
        raise ValueError(f"max_nodes must be at least 1, got {max_nodes}")
    keep = most_connected(G, max_nodes) if len(G) > max_nodes else list(G.nodes)
    notice = ""
    if len(keep) < len(G):
        notice = (f'<span id="notice">Showing the {len(keep):,} most connected of '
                  f"{len(G):,} nodes.</span>")
    elif "connected" in G.graph:  # the part of a big store read by animekg.store_network
        notice = (f'<span id="notice">Showing the {len(keep):,} most connected of the '
                  f"{G.graph['connected']:,} entities with a credit.</span>")
    vis_js, vis_css = _vis_assets()
    return _TEMPLATE.substitute(
        title=html.escape(title),
        vis_css=vis_css,
        vis_js=vis_js,
        legend=_legend(),
        notice=notice,
        data=_json_for_html(_page_data(G, keep)),
        options=_json_for_html(_options(len(keep))),
    )


def write_view_page(
    G: nx.MultiDiGraph, path: str | Path, title: str = "animekg network", max_nodes: int = MAX_NODES
) -> Path:
    """Write ``G`` as an interactive page at ``path`` (see ``view_page_html``) and return the path."""
    page = view_page_html(G, title=title, max_nodes=max_nodes)
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(page, encoding="utf-8")
    return out


def inline_view(G: nx.MultiDiGraph, height: int = 600, title: str = "animekg network", max_nodes: int = MAX_NODES):
    """The page in a notebook output cell.

    An iframe ``srcdoc`` rather than the raw page: the page's script and CSS stay in
    their own document, and JupyterLab and VS Code both run an iframe's scripts
    without a server to fetch a file from.
    """
    from IPython.display import HTML  # only notebooks need IPython

    page = html.escape(view_page_html(G, title=title, max_nodes=max_nodes), quote=True)
    # In a <div>: IPython warns about HTML that starts with <iframe, suggesting IFrame,
    # which needs a URL the notebook's browser can fetch.
    return HTML(f'<div><iframe srcdoc="{page}" '
                f'style="width:100%;height:{int(height)}px;border:1px solid #ddd"></iframe></div>')
