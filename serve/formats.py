"""Result formats: which one a client gets (content negotiation) and how a result cut
at the result limit is written in it.

SELECT and ASK answer in the SPARQL results formats, CONSTRUCT and DESCRIBE in RDF
formats. The ``format`` request parameter, when given, replaces the Accept header: a
short name (``csv``, ``turtle``; ``json`` and ``xml`` mean the results or the RDF
flavour, whichever fits the query) or media types.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pyoxigraph as ox

from animekg.ontology import AMK

TEXT = "text/plain; charset=utf-8"
# Not the entity namespace: its IRIs have slashes, which prefixed names must escape.
PREFIXES = {"amk": AMK, "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
            "rdfs": "http://www.w3.org/2000/01/rdf-schema#", "skos": "http://www.w3.org/2004/02/skos/core#",
            "prov": "http://www.w3.org/ns/prov#", "dcterms": "http://purl.org/dc/terms/",
            "xsd": "http://www.w3.org/2001/XMLSchema#"}


@dataclass(frozen=True)
class ResultFormat:
    name: str
    media_types: tuple[str, ...]  # its own first, then others clients ask for it by
    oxigraph: ox.QueryResultsFormat | ox.RdfFormat
    aliases: tuple[str, ...] = ()


RESULTS = ox.QueryResultsFormat
# In order of preference when the client has none: the first is the default.
SOLUTION_FORMATS = (
    ResultFormat("json", ("application/sparql-results+json", "application/json"), RESULTS.JSON),
    ResultFormat("xml", ("application/sparql-results+xml", "application/xml", "text/xml"), RESULTS.XML),
    ResultFormat("csv", ("text/csv",), RESULTS.CSV),
    ResultFormat("tsv", ("text/tab-separated-values",), RESULTS.TSV),
)
GRAPH_FORMATS = (
    ResultFormat("turtle", ("text/turtle", "application/turtle", "application/x-turtle"), ox.RdfFormat.TURTLE,
                 aliases=("ttl", "n3")),
    ResultFormat("ntriples", ("application/n-triples",), ox.RdfFormat.N_TRIPLES, aliases=("nt", "n-triples")),
    ResultFormat("jsonld", ("application/ld+json",), ox.RdfFormat.JSON_LD, aliases=("json-ld", "json")),
    ResultFormat("rdfxml", ("application/rdf+xml",), ox.RdfFormat.RDF_XML, aliases=("rdf+xml", "xml")),
)
FORMAT_NAMES = sorted({n for f in SOLUTION_FORMATS + GRAPH_FORMATS for n in (f.name, *f.aliases)})


# Oxigraph's limit on one row of a results document it parses (the TSV round trip below).
ROW_LIMIT = 16 * 2**20


class ResultTooLarge(Exception):
    """A result the endpoint cannot write; the message says what to ask for instead."""


class NotAcceptable(Exception):
    """None of the formats a query can be answered in is acceptable to the client."""


def is_format_name(requested: str) -> bool:
    """A ``format`` parameter this endpoint can read: a known name, or media types."""
    return "/" in requested or requested.lower() in FORMAT_NAMES


def choose(formats: Sequence[ResultFormat], accept: str | None, requested: str | None = None
           ) -> tuple[ResultFormat, str]:
    """The format to answer in and the Content-Type to send: the format ``requested``
    names, else the best media type by the Accept header's q-values, ties going to the
    client's first choice, then to ours. A client that asks for an alias (text/xml) gets
    it back under that name."""
    if requested:
        by_name = {n: f for f in formats for n in (f.name, *f.aliases)}
        if requested.lower() in by_name:
            chosen = by_name[requested.lower()]
            return chosen, _content_type(chosen.media_types[0])
        if "/" not in requested:
            raise NotAcceptable(_refusal(formats, f"format={requested}"))
        accept = requested
    ranges = _parse_accept(accept or "*/*")
    # Every format's own media type before any alias, so that */* or text/* never picks one.
    offers = [(f, f.media_types[0]) for f in formats] + [(f, t) for f in formats for t in f.media_types[1:]]
    (q, _), chosen, media_type = max(((_quality(ranges, t), f, t) for f, t in offers), key=lambda o: o[0])
    if q <= 0:
        raise NotAcceptable(_refusal(formats, f"Accept: {accept}"))
    return chosen, _content_type(media_type)


def _content_type(media_type: str) -> str:
    return f"{media_type}; charset=utf-8" if media_type.startswith("text/") else media_type


def _refusal(formats: Sequence[ResultFormat], asked: str) -> str:
    offered = ", ".join(f"{f.media_types[0]} (format={f.name})" for f in formats)
    return f"this query's results come as {offered}; the request asked for {asked}"


def _parse_accept(header: str) -> list[tuple[str, float]]:
    ranges = []
    for part in header.split(","):
        media, *params = (p.strip() for p in part.split(";"))
        if not media:
            continue
        q = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = min(1.0, max(0.0, float(value)))
                except ValueError:
                    q = 0.0
        ranges.append((media.lower(), q))
    return ranges


def _quality(ranges: list[tuple[str, float]], media_type: str) -> tuple[float, int]:
    """(q, -position) of the most specific range matching the media type: an exact
    match outranks type/*, which outranks */* (RFC 9110, 12.5.1)."""
    kind = media_type.partition("/")[0]
    best = None
    for position, (media_range, q) in enumerate(ranges):
        specificity = {media_type: 2, f"{kind}/*": 1, "*/*": 0}.get(media_range)
        if specificity is not None and (best is None or specificity > best[0]):
            best = (specificity, q, -position)
    return (0.0, -len(ranges)) if best is None else best[1:]


def write_solutions(variables: list[str], solutions: list[ox.QuerySolution], fmt: ResultFormat) -> bytes:
    """Solutions already read (maybe cut at the result limit) in a results format.

    Oxigraph writes only the lazy result it produced; so the solutions go out as TSV,
    whose cells are N-Triples terms, and come back through Oxigraph's own parser and
    writer: every format gets Oxigraph's escaping, none of ours.
    """
    lines = ["\t".join(f"?{v}" for v in variables)]
    lines += ["\t".join(_term(s[v]) for v in variables) for s in solutions]
    tsv = ("\n".join(lines) + "\n").encode("utf-8")
    try:
        return ox.parse_query_results(tsv, RESULTS.TSV).serialize(format=fmt.oxigraph)
    except MemoryError as exc:
        # Oxigraph's results parser reads a row into a buffer of at most 16 MiB: a row
        # with a larger value cannot make the round trip (not the process out of memory).
        raise ResultTooLarge(f"a row of the result is over {ROW_LIMIT // 2**20} MiB, more than this endpoint "
                             "can write; select less of the long value (SUBSTR, STRLEN) or a narrower "
                             "result") from exc


def _term(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | None) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.Triple):
        return f"<<( {_term(term.subject)} {_term(term.predicate)} {_term(term.object)} )>>"
    return str(term)


def write_triples(triples: list[ox.Triple], fmt: ResultFormat) -> bytes:
    return ox.serialize(triples, format=fmt.oxigraph, prefixes=PREFIXES)
