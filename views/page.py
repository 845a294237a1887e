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


def communities(G: nx.MultiDiGraph, keep: list[str]) -> dict[str, int]:
    """Each kept node's community (Louvain on the drawn part, undirected, fixed seed),
    numbered from 0 by size, largest first; a node with no credit drawn is alone in its own.

    >>> G = nx.MultiDiGraph([("a", "b"), ("b", "c"), ("a", "c"), ("x", "y")])
    >>> sorted(communities(G, ["a", "b", "c", "x", "y"]).items())
    [('a', 0), ('b', 0), ('c', 0), ('x', 1), ('y', 1)]
    """
    # Louvain's result depends on the order it meets nodes and edges in: sorted, so that
    # the same part gives the same communities however its graph was built.
    simple = nx.Graph()
    simple.add_nodes_from(sorted(keep))
    simple.add_edges_from(sorted((min(u, v), max(u, v)) for u, v in G.subgraph(keep).edges()))
    found = nx.community.louvain_communities(simple, seed=7) if simple.number_of_edges() else [{n} for n in keep]
    place = {n: i for i, n in enumerate(keep)}
    ordered = sorted(found, key=lambda c: (-len(c), min(place[n] for n in c)))
    return {n: i for i, members in enumerate(ordered) for n in members}


def _page_data(G: nx.MultiDiGraph, keep: list[str]) -> dict[str, Any]:
    kept = set(keep)
    community = communities(G, keep)
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
            "community": community[node],
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
        "nodes": {"borderWidth": 1},
        "edges": {
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
            "color": {"color": "#9aa5b1", "highlight": "#333333"},
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
  main { flex: 1; display: flex; min-height: 400px; }
  #graph { flex: 1; min-height: 400px; }
  #panel { width: 340px; overflow-y: auto; border-left: 1px solid #ddd; padding: 8px 12px; font-size: 13px; }
  #panel[hidden] { display: none; }
  #panel h2 { font-size: 15px; margin: 4px 0; }
  #panel .meta { color: #555; margin: 2px 0; }
  #panel ul { list-style: none; padding: 0; margin: 6px 0; }
  #panel li { margin: 0 0 8px 0; }
  #panel button.link { border: 0; background: none; color: #1a5fb4; padding: 0; cursor: pointer; font: inherit;
                       text-decoration: underline; }
  #panel .close { float: right; }
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
  <button id="collapse-all" type="button">Collapse communities</button>
  <button id="open-all" type="button">Open all</button>
  <span id="status"></span>
  ${notice}
  <span id="legend">${legend}</span>
</header>
<main><div id="graph"></div><aside id="panel" hidden></aside></main>
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

  // Nodes most connected first; each community's members likewise, its first naming it.
  var ranked = data.nodes.slice().sort(function (a, b) { return b.degree - a.degree; });
  var labels = {}, byId = {}, members = {};
  ranked.forEach(function (n) {
    labels[n.id] = n.label; byId[n.id] = n;
    (members[n.community] = members[n.community] || []).push(n.id);
  });
  data.edges.forEach(function (e) { e.title = edgeTip(e, labels); });
  // vis draws its labels at the zoom's scale: at a few hundred nodes they are a few pixels
  // high. So vis gets no label, and the page writes names itself at a size the screen
  // keeps (see drawLabels).
  var nodes = new vis.DataSet(data.nodes.map(function (n) {
    return {id: n.id, group: n.group, size: n.size, title: nodeTip(n), community: n.community};
  }));
  var edges = new vis.DataSet(data.edges.map(function (e, i) {
    var item = {id: "e" + i, from: e.from, to: e.to, width: e.width, title: e.title};
    if (e.smooth) item.smooth = e.smooth;
    return item;
  }));
  var status = document.getElementById("status");
  status.textContent = "Laying out " + data.nodes.length + " nodes\u2026";
  var network = new vis.Network(document.getElementById("graph"), {nodes: nodes, edges: edges}, options);
  // For scripting from the console, and for the browser tests that count what is drawn.
  window.animekgNetwork = network;
  // Settle once, then freeze: a graph that keeps drifting cannot be read or clicked.
  network.once("stabilizationIterationsDone", function () {
    network.setOptions({physics: false});
    status.textContent = "";
  });

  // -- labels: the most connected first, each where it overlaps no other ---------------
  var LABEL_PX = 13, EDGE_PX = 11;
  var drawn = {nodes: [], edges: []};  // what the last drawing labelled, for the tests
  function fits(box, taken) {
    for (var i = 0; i < taken.length; i++) {
      var t = taken[i];
      if (box.x < t.x + t.w && t.x < box.x + box.w && box.y < t.y + t.h && t.y < box.y + box.h) return false;
    }
    return true;
  }
  function drawLabels(ctx) {
    var scale = network.getScale(), view = network.getViewPosition();
    var canvas = document.querySelector("#graph canvas");
    var halfW = canvas.clientWidth / 2 / scale, halfH = canvas.clientHeight / 2 / scale;
    var taken = [], shown = [], visible = {};
    network.body.nodeIndices.forEach(function (id) { visible[id] = true; });  // a community's members are not
    ctx.save();
    ctx.textAlign = "center";
    ctx.textBaseline = "top";
    ctx.lineJoin = "round";
    var items = clusterItems().concat(ranked.map(function (n) { return {id: n.id, text: n.label, size: n.size}; }))
      .filter(function (item) { return visible[item.id]; });
    ctx.font = LABEL_PX / scale + "px system-ui, sans-serif";
    items.forEach(function (item) {
      var at = network.getPosition(item.id);
      if (Math.abs(at.x - view.x) > halfW || Math.abs(at.y - view.y) > halfH) return;  // off screen
      var text = item.text.length > 40 ? item.text.slice(0, 39) + "\u2026" : item.text;
      var w = ctx.measureText(text).width, h = LABEL_PX * 1.3 / scale;
      var box = {x: at.x - w / 2, y: at.y + item.size + 2 / scale, w: w, h: h};
      // Most connected first, each where it overlaps none before it: zooming in makes room.
      if (!fits(box, taken)) return;
      taken.push(box);
      shown.push(item.id);
      ctx.lineWidth = 3 / scale;
      ctx.strokeStyle = "rgba(255,255,255,0.9)";
      ctx.strokeText(text, at.x, box.y);
      ctx.fillStyle = "#222";
      ctx.fillText(text, at.x, box.y);
    });
    // A credit's relation at its middle, once both ends are labelled and it has room.
    var named = {};
    shown.forEach(function (id) { named[id] = true; });
    var said = [];
    ctx.font = EDGE_PX / scale + "px system-ui, sans-serif";
    ctx.fillStyle = "#555";
    data.edges.forEach(function (e, i) {
      if (!named[e.from] || !named[e.to]) return;
      var a = network.getPosition(e.from), b = network.getPosition(e.to);
      var w = ctx.measureText(e.label).width, length = Math.hypot(a.x - b.x, a.y - b.y);
      if (length < w + 40 / scale) return;
      var box = {x: (a.x + b.x) / 2 - w / 2, y: (a.y + b.y) / 2 - EDGE_PX / scale, w: w, h: EDGE_PX * 1.2 / scale};
      if (!fits(box, taken)) return;
      taken.push(box);
      said.push("e" + i);
      ctx.strokeText(e.label, (a.x + b.x) / 2, box.y);
      ctx.fillText(e.label, (a.x + b.x) / 2, box.y);
    });
    ctx.restore();
    drawn = {nodes: shown, edges: said, scale: scale, px: LABEL_PX,
             boxes: taken.map(function (b) { return [b.x, b.y, b.w, b.h]; })};
  }
  network.on("afterDrawing", drawLabels);
  window.animekgLabels = function () { return drawn; };

  // -- the side panel: what a click picked, with its credits and their evidence -------
  var panel = document.getElementById("panel");
  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }
  function jump(id) {
    return function () { network.selectNodes([id]); network.focus(id, {scale: 1.2}); showNode(id); };
  }
  function credit(e, side) {
    var li = el("li"), other = side === "from" ? e.to : e.from;
    var head = el("div");
    head.appendChild(el("span", "", side === "from" ? e.label + " \u2192 " : "\u2190 " + e.label + " "));
    var link = el("button", "link", labels[other]);
    link.type = "button";
    link.addEventListener("click", jump(other));
    head.appendChild(link);
    if (e.confidence !== null) head.appendChild(el("span", "meta", " (" + e.confidence.toFixed(2) + ")"));
    li.appendChild(head);
    e.evidence.forEach(function (ev) {
      var q = el("div", "tip-quote", ev.sentence);
      if (ev.source) q.appendChild(el("div", "tip-src", ev.source));
      li.appendChild(q);
    });
    if (e.moreEvidence) li.appendChild(el("div", "tip-src", "\u2026 and " + e.moreEvidence + " more"));
    if (e.sources.length) li.appendChild(el("div", "tip-src", "Sources: " + e.sources.join(", ")));
    return li;
  }
  function open(title) {
    clear(panel);
    panel.hidden = false;
    var close = el("button", "close", "\u00d7");
    close.type = "button";
    close.title = "Close";
    close.addEventListener("click", function () { panel.hidden = true; network.redraw(); });
    panel.appendChild(close);
    panel.appendChild(el("h2", "", title));
  }
  function showNode(id) {
    var n = byId[id];
    open(n.label);
    panel.appendChild(el("div", "meta", "Types: " + (n.types.join(", ") || "unknown")));
    if (n.aliases.length) panel.appendChild(el("div", "meta", "Also: " + n.aliases.join("; ")));
    var mine = data.edges.filter(function (e) { return e.from === id || e.to === id; });
    panel.appendChild(el("div", "meta", n.degree + " credit(s)" +
      (mine.length < n.degree ? ", " + mine.length + " drawn here" : "")));
    var size = members[n.community].length;
    if (size > 1) {
      var fold = el("button", "", "Collapse its community (" + size + " nodes)");
      fold.type = "button";
      fold.id = "collapse-this";
      fold.addEventListener("click", function () { collapse(n.community); showCluster(clusterId(n.community)); });
      panel.appendChild(fold);
    }
    var list = el("ul");
    mine.forEach(function (e) { list.appendChild(credit(e, e.from === id ? "from" : "to")); });
    panel.appendChild(list);
  }
  function showEdge(index) {
    var e = data.edges[index];
    open(labels[e.from] + " \u2192 " + e.label + " \u2192 " + labels[e.to]);
    var list = el("ul");
    list.appendChild(credit(e, "from"));
    panel.appendChild(list);
  }

  // -- communities: one node for many, opened again on a click ------------------------
  // vis logs an error when asked whether an id that is no node is a cluster: the
  // communities collapsed are kept here.
  var collapsed = {};
  function clusterId(c) { return "community:" + c; }
  function expand(c) {
    if (!collapsed[c]) return;
    delete collapsed[c];  // first: opening it redraws, and the labels ask for what is collapsed
    network.openCluster(clusterId(c));
  }
  function collapse(c) {
    if (members[c].length < 2 || collapsed[c]) return;
    collapsed[c] = true;
    var top = members[c][0];
    network.cluster({
      joinCondition: function (n) { return n.community === c; },
      clusterNodeProperties: {id: clusterId(c), shape: "dot", color: "#f2c94c", borderWidth: 2, community: c,
                              size: 14 + 2 * Math.sqrt(members[c].length),
                              title: el("div", "", labels[top] + " and " + (members[c].length - 1) + " more")}
    });
  }
  function clusterItems() {
    return Object.keys(collapsed)
      .map(function (c) {
        return {id: clusterId(c), text: labels[members[c][0]] + " +" + (members[c].length - 1), size: 20};
      });
  }
  function showCluster(id) {
    var c = Number(id.slice("community:".length));
    open("Community of " + members[c].length);
    var unfold = el("button", "", "Open it");
    unfold.type = "button";
    unfold.id = "open-this";
    unfold.addEventListener("click", function () { expand(c); panel.hidden = true; });
    panel.appendChild(unfold);
    var list = el("ul");
    members[c].forEach(function (m) {
      var li = el("li"), link = el("button", "link", labels[m]);
      link.type = "button";
      link.addEventListener("click", function () { expand(c); jump(m)(); });
      li.appendChild(link);
      li.appendChild(el("span", "meta", " " + byId[m].degree + " credit(s)"));
      list.appendChild(li);
    });
    panel.appendChild(list);
  }
  network.on("click", function (params) {
    if (params.nodes.length) {
      var id = params.nodes[0];
      if (byId[id]) showNode(id); else showCluster(id);
    } else if (params.edges.length && params.edges[0].charAt(0) === "e") {
      showEdge(Number(params.edges[0].slice(1)));
    }
  });
  network.on("doubleClick", function (params) {
    if (params.nodes.length && !byId[params.nodes[0]]) expand(Number(params.nodes[0].slice("community:".length)));
  });
  document.getElementById("collapse-all").addEventListener("click", function () {
    Object.keys(members).forEach(function (c) { if (members[c].length >= 3) collapse(Number(c)); });
  });
  document.getElementById("open-all").addEventListener("click", function () {
    Object.keys(collapsed).forEach(function (c) { expand(Number(c)); });
  });
  window.animekgPanel = {showNode: showNode, collapse: collapse, expand: expand, clusterId: clusterId};

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
    expand(hit.community);
    network.selectNodes([hit.id]);
    network.focus(hit.id, {scale: 1.4, animation: {duration: 600}});
    showNode(hit.id);
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
