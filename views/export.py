"""The credit network in files other tools read: Gephi, Cytoscape, spreadsheets, papers.

GraphML and GEXF hold only scalar attributes, so lists are joined with `` | `` and
the evidence pairs are left to the ``sentences`` and ``sources`` columns; node-link
JSON keeps every attribute as it is.

A control character in a name (an ESC, a vertical tab) would make GraphML and GEXF invalid
XML, and is no use in a spreadsheet or a picture: those formats write it as visible
``\x1b`` (:mod:`animekg.controls`). JSON keeps it exactly, as a ``\u001b`` escape.
"""

from __future__ import annotations

import csv
import json
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import networkx as nx

from animekg.controls import escape_controls, escape_controls_in_serialized
from animekg.views.network import OTHER, most_connected
from animekg.views.page import KIND_STYLE

LIST_SEPARATOR = " | "
# A static picture of thousands of nodes is a grey blur, and the layout is quadratic.
PICTURE_MAX_NODES = 300
# Past this many nodes only the hubs are named, or the labels hide the drawing.
PICTURE_ALL_LABELS = 60
# vis-network shapes of the page as matplotlib markers, so a picture reads like the page.
MARKERS = {"dot": "o", "hexagon": "h", "star": "*", "square": "s", "triangle": "^", "triangleDown": "v"}


def _scalar(value: Any) -> Any:
    if isinstance(value, (list, tuple, set)):
        return escape_controls(LIST_SEPARATOR.join(str(v) for v in value))
    return escape_controls(value) if isinstance(value, str) else value


def scalar_network(G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy of ``G`` whose attributes are all strings (control characters escaped)
    or numbers.

    ``evidence`` (a list of pairs) is dropped: ``sentences`` and ``sources`` carry it.
    A missing confidence is left out rather than written as a fake number.
    """
    flat = nx.MultiDiGraph()
    for node, data in G.nodes(data=True):
        flat.add_node(node, **{k: _scalar(v) for k, v in data.items() if v is not None})
    for u, v, key, data in G.edges(keys=True, data=True):
        flat.add_edge(u, v, key=key,
                      **{k: _scalar(x) for k, x in data.items() if k != "evidence" and x is not None})
    return flat


def write_graphml(G: nx.MultiDiGraph, path: Path) -> None:
    nx.write_graphml(scalar_network(G), path, encoding="utf-8")


def write_gexf(G: nx.MultiDiGraph, path: Path) -> None:
    nx.write_gexf(scalar_network(G), path, encoding="utf-8")


def write_node_link_json(G: nx.MultiDiGraph, path: Path) -> None:
    data = nx.node_link_data(G, edges="edges")
    text = escape_controls_in_serialized(json.dumps(data, indent=1, ensure_ascii=False))
    path.write_text(text + "\n", encoding="utf-8")


CSV_COLUMNS = ("subject", "relation", "object", "confidence", "sources", "subject_iri", "object_iri")


def write_credits_csv(G: nx.MultiDiGraph, path: Path) -> None:
    """One row per credit; names for reading, IRIs because names are not unique."""
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(CSV_COLUMNS)
        for u, v, key, data in G.edges(keys=True, data=True):
            confidence = data.get("confidence")
            writer.writerow([escape_controls(G.nodes[u]["label"]), data.get("relation", key),
                             escape_controls(G.nodes[v]["label"]), "" if confidence is None else confidence,
                             _scalar(data.get("sources", [])), u, v])


def write_picture(G: nx.MultiDiGraph, path: Path, fmt: str = "png",
                  max_nodes: int = PICTURE_MAX_NODES, title: str = "animekg network") -> None:
    """A static drawing (``svg`` or ``png``) coloured and shaped like the page's nodes."""
    # A bare Figure renders with Agg without touching pyplot's global backend, which
    # a notebook that calls this has set up for its own plots.
    from matplotlib import rc_context
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D

    keep = most_connected(G, max_nodes) if len(G) > max_nodes else list(G.nodes)
    simple = nx.DiGraph(G.subgraph(keep))
    pos = nx.spring_layout(simple, seed=7, k=1.8 / math.sqrt(max(len(simple), 1))) if len(simple) else {}
    degree = dict(simple.to_undirected(as_view=True).degree)

    fig = Figure(figsize=(12, 9), dpi=100, layout="constrained")
    ax = fig.add_subplot()
    ax.set_axis_off()
    title = escape_controls(title)
    ax.set_title(title if len(keep) == len(G) else f"{title}: the {len(keep):,} most connected of {len(G):,} nodes")
    nx.draw_networkx_edges(simple, pos, ax=ax, edge_color="#9aa5b1", width=0.8, arrowsize=8, node_size=120)
    kinds = {}
    for node in simple:
        kind = G.nodes[node].get("kind", OTHER)
        kinds.setdefault(kind if kind in KIND_STYLE else OTHER, []).append(node)
    for kind, nodes in kinds.items():
        colour, shape, _ = KIND_STYLE[kind]
        nx.draw_networkx_nodes(simple, pos, nodelist=nodes, ax=ax, node_color=colour,
                               node_shape=MARKERS.get(shape, "o"),
                               node_size=[60 + 40 * degree[n] for n in nodes], edgecolors="white", linewidths=0.5)
    named = keep if len(keep) <= PICTURE_ALL_LABELS else keep[:PICTURE_ALL_LABELS // 2]
    for node in named:
        x, y = pos[node]
        # parse_math off: a name with two dollar signs is a name, not TeX.
        ax.text(x, y, escape_controls(G.nodes[node].get("label", node)), fontsize=8, ha="center", va="bottom",
                parse_math=False, clip_on=True)
    ax.legend(handles=[Line2D([], [], ls="", marker=MARKERS.get(KIND_STYLE[k][1], "o"), color=KIND_STYLE[k][0],
                              markersize=8, label=k) for k in KIND_STYLE if k in kinds],
              loc="lower left", fontsize=8, frameon=False)
    # Fixed hash salt and no date, so the same graph gives the same SVG bytes.
    with rc_context({"svg.hashsalt": "animekg"}):
        fig.savefig(path, format=fmt, metadata={"Date": None} if fmt == "svg" else None)


WRITERS: dict[str, Callable[[nx.MultiDiGraph, Path], None]] = {
    "graphml": write_graphml,
    "gexf": write_gexf,
    "json": write_node_link_json,
    "csv": write_credits_csv,
    "svg": lambda G, path: write_picture(G, path, "svg"),
    "png": lambda G, path: write_picture(G, path, "png"),
}
NETWORK_FORMATS = tuple(WRITERS)


def write_network(G: nx.MultiDiGraph, path: str | Path, fmt: str | None = None) -> Path:
    """Write ``G`` in ``fmt`` (by default the file's suffix) and return the path."""
    out = Path(path)
    fmt = (fmt or out.suffix.lstrip(".")).lower()
    if fmt not in WRITERS:
        raise ValueError(f"unknown network format {fmt!r}; choose one of {', '.join(NETWORK_FORMATS)}")
    out.parent.mkdir(parents=True, exist_ok=True)
    WRITERS[fmt](G, out)
    return out
