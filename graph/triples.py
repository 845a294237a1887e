"""Extractions as RDF: deterministic IRIs, one named graph per source document.

See ontology/README.md for the shape of the data. Nothing here knows how the credits
were read; it only turns the typed records into quads.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable
from datetime import datetime, timezone
from urllib.parse import quote

from pyoxigraph import Literal, NamedNode, Quad, RdfFormat, serialize

from animekg.extract.records import OBJECT_TYPE, RELATIONS, SUBJECT_TYPE, Entity, Evidence, Extraction
from animekg.extract.tracklists import xsd_duration
from animekg.normalize import name_key, order_free_key
from animekg.ontology import AMK, ID

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
PROV = "http://www.w3.org/ns/prov#"
DCTERMS = "http://purl.org/dc/terms/"
MO = "http://purl.org/ontology/mo/"
SCHEMA = "https://schema.org/"

TYPE = NamedNode(RDF + "type")
LABEL = NamedNode(RDFS + "label")
ALT_LABEL = NamedNode(SKOS + "altLabel")
INFERRED_GRAPH = NamedNode(ID + "graph/inferred")
SUMMARY_GRAPH = NamedNode(ID + "graph/summary")
LISTINGS_GRAPH = NamedNode(ID + "graph/listings")  # rows of the whole-graph listings (graph/listings.py)

AGENT_ROLES = {"Composer", "Performer", "Lyricist", "Arranger", "Orchestra"}
KIND_OF_TYPE = {**{t: "agent" for t in AGENT_ROLES}, "Show": "show", "Song": "song",
                "Album": "album", "Label": "label"}
BASE_CLASS = {"show": "Show", "song": "Song", "album": "Album", "label": "Label"}
# The kind of IRI at each end of a relation; artistOf's subject is an agent of either role.
SUBJECT_KIND = {rel: KIND_OF_TYPE[SUBJECT_TYPE.get(rel, "Composer")] for rel in RELATIONS}
OBJECT_KIND = {rel: KIND_OF_TYPE[OBJECT_TYPE[rel]] for rel in RELATIONS}

# Resolves (kind, all forms of a name) to a known entity: its IRI, its label, and for an
# agent whether it is a group (None for other kinds); or None.
Resolver = Callable[[str, list[str]], "tuple[NamedNode, str, bool | None] | None"]


def slug(name: str) -> str:
    key = order_free_key(name_key(name))
    text = re.sub(r"\s+", "-", key)
    if not text:
        text = "x" + hashlib.sha1(name.encode()).hexdigest()[:12]
    return text


def entity_iri(kind: str, name: str) -> NamedNode:
    return NamedNode(f"{ID}{kind}/{slug(name)}")


_PLAIN_ID = re.compile(r"[A-Za-z0-9_.-]*[A-Za-z0-9_-][A-Za-z0-9_.-]*")


def document_iri(doc_id: str) -> NamedNode:
    """The document's graph: a plain id (letters, digits, ``_.-``, as the ids of flat
    folders mostly are) as it is; any other id percent-encoded segment by segment, ``/``
    kept. One IRI per id: a plain id has no ``%``, ``~`` or ``/``, and every other has."""
    if _PLAIN_ID.fullmatch(doc_id):
        return NamedNode(f"{ID}doc/{doc_id}")
    return NamedNode(f"{ID}doc/" + "/".join(_iri_segment(part) for part in doc_id.split("/")))


def _iri_segment(part: str) -> str:
    # "." and ".." would be removed by IRI resolution, taking the folder with them.
    # surrogatepass: a file name that is not UTF-8 reaches Python with lone surrogates.
    return quote(part.encode("utf-8", "surrogatepass"), safe="") if part.strip(".") else part.replace(".", "%2E")


def slug_document_iri(doc_id: str) -> NamedNode:
    """The graph animekg 0.1 gave a document whose id is not plain (a slug of it, which
    two ids could share); only to tell the user of such a store to rebuild it."""
    return NamedNode(f"{ID}doc/{doc_id if re.fullmatch(r'[A-Za-z0-9_.-]+', doc_id) else slug(doc_id)}")


def ingest_time() -> datetime:
    """Now, or SOURCE_DATE_EPOCH when set, so that a rebuild can be byte-for-byte the same."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return datetime.fromtimestamp(int(epoch), tz=timezone.utc)
    return datetime.now(timezone.utc).replace(microsecond=0)


def _hash(*parts: str) -> str:
    return hashlib.sha1("\x1f".join(parts).encode()).hexdigest()[:20]


def _kinds(entity: Entity) -> list[str]:
    return sorted({KIND_OF_TYPE[t] for t in entity.types if t in KIND_OF_TYPE})


def extraction_quads(extraction: Extraction, resolve: Resolver | None = None,
                     when: datetime | None = None) -> tuple[NamedNode, list[Quad]]:
    """The named graph of one document and every quad in it."""
    document = extraction.document
    g = document_iri(document.doc_id)
    quads: list[Quad] = []

    def add(s, p, o):
        quads.append(Quad(s, p, o, g))

    when = when or ingest_time()
    add(g, TYPE, NamedNode(AMK + "SourceDocument"))
    add(g, TYPE, NamedNode(PROV + "Entity"))
    add(g, NamedNode(DCTERMS + "source"), Literal(document.source))
    add(g, NamedNode(AMK + "sha256"), Literal(document.sha256))
    if document.title:
        add(g, NamedNode(DCTERMS + "title"), Literal(document.title))
    add(g, NamedNode(PROV + "generatedAtTime"),
        Literal(when.strftime("%Y-%m-%dT%H:%M:%SZ"), datatype=NamedNode(XSD + "dateTime")))

    iris: dict[tuple[str, str], NamedNode] = {}
    for entity in extraction.entities:
        for kind in _kinds(entity):
            known = resolve(kind, entity.forms) if resolve else None
            iri, label, known_group = known or (entity_iri(kind, entity.name), entity.name, None)
            iris[(entity.name, kind)] = iri
            if kind == "agent":
                # A person in one document and a group in another would be both: the
                # graph keeps what it first knew.
                group = known_group if known_group is not None else entity.group or "Orchestra" in entity.types
                add(iri, TYPE, NamedNode(AMK + ("Group" if group else "Person")))
                for role in sorted(entity.types & AGENT_ROLES):
                    add(iri, TYPE, NamedNode(AMK + role))
            else:
                add(iri, TYPE, NamedNode(AMK + BASE_CLASS[kind]))
            # One label across the whole graph: the name the entity was first known by.
            add(iri, LABEL, Literal(label))
            for alias in sorted(set(entity.forms) - {label}):
                add(iri, ALT_LABEL, Literal(alias))

    def add_evidence(node: NamedNode, ev: Evidence) -> NamedNode:
        evidence = NamedNode(f"{ID}evidence/{_hash(node.value, str(ev.start), str(ev.end))}")
        add(node, NamedNode(AMK + "evidence"), evidence)
        add(evidence, TYPE, NamedNode(AMK + "Evidence"))
        add(evidence, TYPE, NamedNode(PROV + "Entity"))
        add(evidence, NamedNode(AMK + "sentence"), Literal(ev.sentence))
        add(evidence, NamedNode(AMK + "startOffset"), Literal(str(ev.start), datatype=NamedNode(XSD + "integer")))
        add(evidence, NamedNode(AMK + "endOffset"), Literal(str(ev.end), datatype=NamedNode(XSD + "integer")))
        add(evidence, NamedNode(PROV + "wasDerivedFrom"), g)
        return evidence

    kinds_of = {e.name: _kinds(e) for e in extraction.entities}
    track_credits: dict[tuple[str, str], tuple[NamedNode, NamedNode]] = {}
    for credit in extraction.credits:
        s = _pick(iris, kinds_of, credit.subject, SUBJECT_KIND[credit.relation])
        o = _pick(iris, kinds_of, credit.object, OBJECT_KIND[credit.relation])
        if s is None or o is None:
            continue
        p = NamedNode(AMK + credit.relation)
        add(s, p, o)
        node = NamedNode(f"{ID}credit/{_hash(g.value, s.value, p.value, o.value)}")
        if credit.relation == "trackOf":
            track_credits[(credit.subject, credit.object)] = (node, o)
        add(node, TYPE, NamedNode(AMK + "Credit"))
        add(node, TYPE, NamedNode(RDF + "Statement"))
        add(node, NamedNode(RDF + "subject"), s)
        add(node, NamedNode(RDF + "predicate"), p)
        add(node, NamedNode(RDF + "object"), o)
        add(node, NamedNode(AMK + "confidence"),
            Literal(f"{credit.confidence:.2f}", datatype=NamedNode(XSD + "decimal")))
        add(node, NamedNode(PROV + "wasDerivedFrom"), g)
        add(node, NamedNode(AMK + "extractorVersion"), Literal(extraction.extractor_version))
        add_evidence(node, credit.evidence)

    # A track list's number and time qualify the trackOf credit they were read with: a
    # track node per listing (the Music Ontology's record -> track -> number pattern),
    # derived from its line, which is also evidence for the credit. One per credit: the
    # first listing of a song on an album counts.
    for listing in extraction.tracks:
        if (listing.song, listing.album) not in track_credits or \
                (listing.position is None and listing.duration_seconds is None):
            continue
        node, album = track_credits.pop((listing.song, listing.album))
        track = NamedNode(f"{ID}track/{_hash(node.value, str(listing.position), str(listing.evidence.start))}")
        line = add_evidence(node, listing.evidence)
        add(node, NamedNode(AMK + "listedAs"), track)
        add(album, NamedNode(MO + "track"), track)
        add(track, TYPE, NamedNode(AMK + "Track"))
        if listing.position is not None:
            add(track, NamedNode(MO + "track_number"), Literal(str(listing.position), datatype=NamedNode(XSD + "int")))
        if listing.duration_seconds is not None:
            add(track, NamedNode(SCHEMA + "duration"),
                Literal(xsd_duration(listing.duration_seconds), datatype=NamedNode(XSD + "duration")))
        add(track, NamedNode(PROV + "wasDerivedFrom"), line)
    return g, list(dict.fromkeys(quads))


def extraction_nquads(extraction: Extraction) -> bytes:
    """One document's named graph as N-Quads, on its own (no names of other documents)."""
    return serialize(extraction_quads(extraction)[1], format=RdfFormat.N_QUADS)


def _pick(iris, kinds_of, name: str, kind: str) -> NamedNode | None:
    if (name, kind) in iris:
        return iris[(name, kind)]
    kinds = kinds_of.get(name) or []
    return iris.get((name, kinds[0])) if kinds else None


__all__ = ["extraction_quads", "extraction_nquads", "entity_iri", "document_iri", "slug_document_iri", "slug", "INFERRED_GRAPH",
           "SUMMARY_GRAPH", "LISTINGS_GRAPH"]
