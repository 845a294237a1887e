"""The page an entity's IRI opens on the server (``GET /id/agent/some-name``).

Everything on it comes from web text (names, sentences, sources), so every value is
escaped as it is written into the HTML; the page runs no script, and its small picture of
the entity's neighbourhood is an SVG drawn here: the entity in the middle, each entity a
credit links it to on a circle around it, each a link to that entity's own page.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from html import escape
from urllib.parse import quote

from animekg.ontology import ID

from .formats import ResultFormat

HTML = ResultFormat("html", ("text/html", "application/xhtml+xml"), None)
PAGE_POLICY = ("default-src 'none'; style-src 'self'; img-src data:; base-uri 'none'; form-action 'none'; "
               "frame-ancestors 'none'")
MAX_NEIGHBOURS = 24  # the picture stays readable; the table below lists every credit
SIZE, RADIUS = 640, 230


@dataclass(frozen=True)
class CreditRow:
    side: str  # "subject": the entity is the credit's subject; "object": its object
    relation: str
    other: str  # the other entity's IRI
    other_name: str
    confidence: str
    sentence: str
    source: str


def entity_path(iri: str) -> str | None:
    """The server path of an entity IRI of this graph (``/id/...``); None for other IRIs."""
    if not iri.startswith(ID):
        return None
    return "/id/" + quote(iri[len(ID):], safe="/-._~")


def _link(iri: str, text: str) -> str:
    path = entity_path(iri)
    return f'<a href="{escape(path)}">{escape(text)}</a>' if path else escape(text)


def _source(source: str) -> str:
    if source.startswith(("http://", "https://")):
        return f'<a href="{escape(source)}" rel="noopener noreferrer nofollow">{escape(source)}</a>'
    return escape(source)


def neighbourhood_svg(name: str, credits: list[CreditRow]) -> str:
    """The entity and the entities its credits name, as an SVG of labelled links."""
    neighbours: dict[str, tuple[str, list[str]]] = {}
    for c in credits:
        label, relations = neighbours.setdefault(c.other, (c.other_name or c.other, []))
        arrow = f"{c.relation} \u2192" if c.side == "subject" else f"\u2190 {c.relation}"
        if arrow not in relations:
            relations.append(arrow)
    shown = list(neighbours.items())[:MAX_NEIGHBOURS]
    centre = SIZE / 2
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {SIZE} {SIZE}" role="img" '
             f'aria-label="{escape(name)} and the {len(shown)} entities its credits name">']
    places = []
    for i, (iri, (label, relations)) in enumerate(shown):
        angle = 2 * math.pi * i / max(1, len(shown)) - math.pi / 2
        x, y = centre + RADIUS * math.cos(angle), centre + RADIUS * math.sin(angle)
        places.append((iri, label, relations, x, y))
        parts.append(f'<line x1="{centre:.1f}" y1="{centre:.1f}" x2="{x:.1f}" y2="{y:.1f}" class="edge"/>')
        mx, my = (centre + x) / 2, (centre + y) / 2
        parts.append(f'<text x="{mx:.1f}" y="{my:.1f}" class="relation">{escape(", ".join(relations))}</text>')
    for iri, label, _, x, y in places:
        node = (f'<circle cx="{x:.1f}" cy="{y:.1f}" r="9" class="node"/>'
                f'<text x="{x:.1f}" y="{y + 24:.1f}" class="label">{escape(label)}</text>')
        path = entity_path(iri)
        parts.append(f'<a href="{escape(path)}">{node}</a>' if path else node)
    parts.append(f'<circle cx="{centre}" cy="{centre}" r="14" class="centre"/>'
                 f'<text x="{centre}" y="{centre + 32}" class="label centre-label">{escape(name)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def entity_page_html(iri: str, names: list[tuple[str, str]], credits: list[CreditRow]) -> str:
    """The page: names and types, the neighbourhood, and every credit with its evidence.
    ``names`` are (what, value) rows of the entity-names query: label, alias or type."""
    labels = [v for w, v in names if w == "label"]
    aliases = [v for w, v in names if w == "alias" and v not in labels]
    types = [v for w, v in names if w == "type"]
    name = labels[0] if labels else iri
    rows = []
    for c in credits:
        other = _link(c.other, c.other_name or c.other)
        subject, obj = (escape(name), other) if c.side == "subject" else (other, escape(name))
        rows.append(f"<tr><td>{subject}</td><td>{escape(c.relation)}</td><td>{obj}</td>"
                    f"<td>{escape(c.confidence)}</td><td>{escape(c.sentence.strip())}</td>"
                    f"<td>{_source(c.source)}</td></tr>")
    alias_line = (f'<p class="aliases">Also written: {escape(", ".join(aliases))}</p>' if aliases else "")
    turtle = entity_path(iri) or ""
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(name)} - animekg</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/static/entity.css">
<link rel="alternate" type="text/turtle" href="{escape(turtle)}?format=turtle">
</head>
<body>
<header>
  <h1>{escape(name)}</h1>
  <p class="types">{" ".join(f'<span class="type">{escape(t)}</span>' for t in types)}</p>
  {alias_line}
  <p class="iri"><code>{escape(iri)}</code> &middot; <a href="{escape(turtle)}?format=turtle">as Turtle</a>
  &middot; <a href="/">query page</a></p>
</header>
<main>
<section id="neighbourhood">
<h2>Neighbourhood</h2>
{neighbourhood_svg(name, credits)}
</section>
<section id="credits">
<h2>Credits ({len(credits)})</h2>
<table>
<thead><tr><th>Subject</th><th>Relation</th><th>Object</th><th>Confidence</th><th>Sentence</th><th>Source</th></tr></thead>
<tbody>
{chr(10).join(rows)}
</tbody>
</table>
</section>
</main>
</body>
</html>
"""


__all__ = ["HTML", "PAGE_POLICY", "CreditRow", "entity_page_html", "entity_path", "neighbourhood_svg"]
