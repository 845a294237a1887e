"""Track numbers and running times in the graph: triples, SHACL, album-tracks, the CLI.

The extractions are built by hand (no spaCy) from our texts in tests/data/tracklists; their
TrackListings come from extract/tracklists.py reading the same texts, as the pipeline does.
"""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox
import pyshacl
import pytest
import rdflib
from typer.testing import CliRunner

from animekg.cli import app
from animekg.extract.records import Evidence, Extraction, TrackListing
from animekg.graph.queries import run_named_query
from animekg.graph.store import GraphStore
from animekg.graph.triples import extraction_nquads, extraction_quads
from animekg.graph.validate import validate_store
from animekg.ontology import load_ontology, load_shapes

from .conftest import CINDER_OST, CINDER_VOCAL, LAMP

# rdflib's N-Quads parser uses its own deprecated Dataset API; not ours to fix.
pytestmark = pytest.mark.filterwarnings("ignore:Dataset.default_context is deprecated:DeprecationWarning")

AMK = "https://w3id.org/animekg/ontology#"
ID = "https://w3id.org/animekg/id/"
MO = "http://purl.org/ontology/mo/"
SCHEMA = "https://schema.org/"
XSD = "http://www.w3.org/2001/XMLSchema#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
PROV = "http://www.w3.org/ns/prov#"
TYPE = ox.NamedNode(RDF + "type")
NUMBER = ox.NamedNode(MO + "track_number")
DURATION = ox.NamedNode(SCHEMA + "duration")
LISTED_AS = ox.NamedNode(AMK + "listedAs")
TRACK = ox.NamedNode(MO + "track")
# xsd:duration restricted to hours, minutes and seconds, as the shapes want it.
TIME_DURATION = re.compile(r"^PT(\d+H)?(\d+M)?(\d+S)?$")


def rows(store: GraphStore, query: str, **params) -> list[dict]:
    return run_named_query(store, query, params).records()


@pytest.fixture
def tracks_store(empty_store, records) -> GraphStore:
    for extraction in (records.lamp_harbor(), records.cinder_vale()):
        assert extraction.tracks, "the texts have track lists"
        assert empty_store.add_extraction(extraction)
    empty_store.materialize_inferred()
    return empty_store


# -- the quads ---------------------------------------------------------------------------------

def test_each_listing_is_a_track_node_of_the_trackof_credit(records):
    extraction = records.lamp_harbor()
    graph, quads = extraction_quads(extraction)
    tracks = {q.subject for q in quads if q.predicate == TYPE and q.object == ox.NamedNode(AMK + "Track")}
    assert len(tracks) == 4 and all(q.graph_name == graph for q in quads)
    by_song = {}
    for track in tracks:
        (credit,) = [q.subject for q in quads if q.predicate == LISTED_AS and q.object == track]
        (song,) = [q.object for q in quads if q.subject == credit and q.predicate.value == RDF + "subject"]
        (predicate,) = [q.object for q in quads if q.subject == credit and q.predicate.value == RDF + "predicate"]
        (album,) = [q.subject for q in quads if q.predicate == TRACK and q.object == track]
        assert predicate.value == AMK + "trackOf" and album.value == ID + "album/lamp-harbor-ost"
        (number,) = [q.object for q in quads if q.subject == track and q.predicate == NUMBER]
        (duration,) = [q.object for q in quads if q.subject == track and q.predicate == DURATION]
        assert number.datatype.value == XSD + "int" and duration.datatype.value == XSD + "duration"
        (title,) = [q.object.value for q in quads if q.subject == song and q.predicate.value.endswith("#label")]
        by_song[title] = (int(number.value), duration.value)
    assert by_song == {"Harbor Lights": (1, "PT2M41S"), "Fog Bell": (2, "PT4M2S"),
                       "Rope and Anchor": (3, "PT3M15S"), "The Long Tide": (4, "PT10M18S")}


def test_the_track_line_is_evidence_of_the_credit_and_the_source_of_the_track(records):
    extraction = records.lamp_harbor()
    _, quads = extraction_quads(extraction)
    text = extraction.document.text
    (track,) = [q.subject for q in quads if q.predicate == NUMBER and q.object.value == "4"]
    (line,) = [q.object for q in quads if q.subject == track and q.predicate.value == PROV + "wasDerivedFrom"]
    (credit,) = [q.subject for q in quads if q.predicate == LISTED_AS and q.object == track]
    evidence = {q.object for q in quads if q.subject == credit and q.predicate.value == AMK + "evidence"}
    assert line in evidence and len(evidence) == 2       # the prose sentence and the track line
    sentence = {q.predicate.value.rsplit("#")[1]: q.object.value for q in quads if q.subject == line}
    assert sentence["sentence"] == "4. The Long Tide (10:18)"
    assert text[int(sentence["startOffset"]):int(sentence["endOffset"])] == sentence["sentence"]


def test_durations_are_valid_xsd_durations(records):
    _, quads = extraction_quads(records.cinder_vale())
    durations = [q.object for q in quads if q.predicate == DURATION]
    assert sorted(d.value for d in durations) == ["PT3M45S", "PT4M2S", "PT6M5S"]
    for duration in durations:
        assert TIME_DURATION.match(duration.value)
        # rdflib reads it as a well-typed duration, the way the SHACL validator does.
        assert not rdflib.Literal(duration.value, datatype=rdflib.XSD.duration).ill_typed


def test_a_listing_without_a_trackof_credit_or_with_nothing_to_say_writes_nothing(records):
    extraction = records.lamp_harbor(with_tracks=False)
    line = Evidence("9. Lost Song (1:00)", 0, 19)
    extraction.tracks = [TrackListing("Lost Song", LAMP, 9, 60, line),           # no such credit
                         TrackListing("Fog Bell", LAMP, None, None, line)]      # no number, no time
    _, quads = extraction_quads(extraction)
    assert not [q for q in quads if q.predicate in (NUMBER, DURATION, LISTED_AS, TRACK)]
    assert extraction_quads(extraction) == extraction_quads(records.lamp_harbor(with_tracks=False))


def test_one_track_per_credit(records):
    extraction = records.lamp_harbor(with_tracks=False)
    line = Evidence("x", 0, 1)
    extraction.tracks = [TrackListing("Fog Bell", LAMP, 2, None, line), TrackListing("Fog Bell", LAMP, 7, None, line)]
    _, quads = extraction_quads(extraction)
    assert [q.object.value for q in quads if q.predicate == NUMBER] == ["2"]


# -- album-tracks ------------------------------------------------------------------------------

def test_album_tracks_by_number_with_running_times(tracks_store):
    # The readers credited "The Long Tide" first (from prose); the list puts it fourth.
    assert [(r["track"], r["position"], r["duration"]) for r in rows(tracks_store, "album-tracks", album=LAMP)] == [
        ("Harbor Lights", "1", "PT2M41S"), ("Fog Bell", "2", "PT4M2S"),
        ("Rope and Anchor", "3", "PT3M15S"), ("The Long Tide", "4", "PT10M18S")]


def test_album_tracks_typed_values(tracks_store):
    result = run_named_query(tracks_store, "album-tracks", {"album": LAMP})
    first = result.rows[0]
    assert first["position"].datatype.value == XSD + "integer"
    assert first["duration"].datatype.value == XSD + "duration"


def test_album_tracks_of_each_album_of_one_text(tracks_store):
    assert [(r["track"], r["position"], r["duration"]) for r in rows(tracks_store, "album-tracks", album=CINDER_OST)] == [
        ("Ashfall Overture", "1", ""), ("Kiln Song", "2", ""), ("Night of Sparks", "3", "")]
    assert [(r["track"], r["position"], r["duration"]) for r in rows(tracks_store, "album-tracks", album=CINDER_VOCAL)] == [
        ("Kiln Song", "1", "PT3M45S"), ("Night of Sparks", "3", "PT6M5S"), ("Ember Lullaby", "7", "PT4M2S")]


def test_without_listings_the_order_is_where_the_document_credits_them(empty_store, records):
    assert empty_store.add_extraction(records.lamp_harbor(with_tracks=False))
    assert [(r["track"], r["position"], r["duration"]) for r in rows(empty_store, "album-tracks", album=LAMP)] == [
        ("The Long Tide", "", ""), ("Harbor Lights", "", ""), ("Fog Bell", "", ""), ("Rope and Anchor", "", "")]


def test_albums_lists_the_same_tracks(tracks_store):
    for album in (LAMP, CINDER_OST, CINDER_VOCAL):
        listed = [r for r in rows(tracks_store, "albums") if r["album"] == album]
        assert listed == [{"album": album, **r} for r in rows(tracks_store, "album-tracks", album=album)]


def stored(path: Path, *extractions: Extraction) -> None:
    """A store on disk holding the extractions, closed again so that the CLI can open it."""
    store = GraphStore(path)
    for extraction in extractions:
        assert store.add_extraction(extraction)
    store.materialize_inferred()
    store.flush()
    del store


def test_the_cli_prints_the_columns(tmp_path, records):
    stored(tmp_path / "store", records.lamp_harbor())
    result = CliRunner().invoke(app, ["query", "--name", "album-tracks", "--param", f"album={LAMP}",
                                      "--format", "csv", "--store", str(tmp_path / "store")])
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert lines[0].split(",") == ["label", "show", "track", "position", "duration"]
    assert lines[-1].split(",") == ["", "Lamp Harbor", "The Long Tide", "4", "PT10M18S"]


# -- SHACL -------------------------------------------------------------------------------------

def test_a_store_with_tracks_conforms(tracks_store):
    report = validate_store(tracks_store)
    assert report.conforms, report.text


def test_the_extracted_quads_conform_with_xsd_int_numbers(records):
    # What `animekg extract --format nquads` writes, before any store: numbers as xsd:int.
    dataset = rdflib.Dataset()
    for extraction in (records.lamp_harbor(), records.cinder_vale()):
        dataset.parse(data=extraction_nquads(extraction).decode("utf-8"), format="nquads")
    union = rdflib.Graph()
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        union.add((s, p, o))
    numbers = list(union.objects(None, rdflib.URIRef(MO + "track_number")))
    assert len(numbers) == 10 and {n.datatype for n in numbers} == {rdflib.XSD.int}
    conforms, _, text = pyshacl.validate(union, shacl_graph=load_shapes(), ont_graph=load_ontology(),
                                         inference="none", advanced=True)
    assert conforms, text


def test_the_cli_validates_a_store_with_tracks(tmp_path, records):
    stored(tmp_path / "store", records.lamp_harbor(), records.cinder_vale())
    result = CliRunner().invoke(app, ["validate", "--store", str(tmp_path / "store")])
    assert result.exit_code == 0, result.output


def one_track(store: GraphStore, number: str = "4") -> ox.NamedNode:
    """The Lamp Harbor track of that number (Oxigraph keeps an xsd:int as xsd:integer)."""
    (quad,) = [q for q in store.backend.quads_for_pattern(None, NUMBER, None, None)
               if q.object.value == number and q.graph_name.value.endswith("/lamp_harbor")]
    return quad.subject


def graph_of(store: GraphStore, track: ox.NamedNode) -> ox.NamedNode:
    (quad,) = store.backend.quads_for_pattern(track, TYPE, None, None)
    return quad.graph_name


def replace(store: GraphStore, subject, predicate, new) -> None:
    graph = graph_of(store, subject)
    for quad in list(store.backend.quads_for_pattern(subject, predicate, None, None)):
        store.backend.remove(quad)
    if new is not None:
        store.backend.add(ox.Quad(subject, predicate, new, graph))


def literal(value: str, datatype: str) -> ox.Literal:
    return ox.Literal(value, datatype=ox.NamedNode(XSD + datatype))


def number_zero(store):
    replace(store, one_track(store), NUMBER, literal("0", "int"))


def number_beyond_int(store):
    replace(store, one_track(store), NUMBER, literal("2147483648", "integer"))


def number_as_string(store):
    replace(store, one_track(store), NUMBER, ox.Literal("4"))


def two_numbers(store):
    track = one_track(store)
    store.backend.add(ox.Quad(track, NUMBER, literal("5", "int"), graph_of(store, track)))


def duration_as_clock(store):
    replace(store, one_track(store), DURATION, ox.Literal("10:18"))


def duration_in_years(store):
    replace(store, one_track(store), DURATION, literal("P1Y", "duration"))


def neither_number_nor_duration(store):
    track = one_track(store)
    replace(store, track, DURATION, None)
    replace(store, track, NUMBER, None)


def track_of_another_relation(store):
    # Moved from its trackOf credit to the album's soundtrackOf credit.
    track = one_track(store)
    (link,) = store.backend.quads_for_pattern(None, LISTED_AS, track, None)
    store.backend.remove(link)
    (other,) = store.backend.quads_for_pattern(None, ox.NamedNode(RDF + "predicate"),
                                               ox.NamedNode(AMK + "soundtrackOf"), link.graph_name)
    store.backend.add(ox.Quad(other.subject, LISTED_AS, track, link.graph_name))


def track_off_its_album(store):
    track = one_track(store)
    for quad in list(store.backend.quads_for_pattern(None, TRACK, track, None)):
        store.backend.remove(quad)


def credit_listed_twice(store):
    track, other = one_track(store, "4"), one_track(store, "3")
    (link,) = store.backend.quads_for_pattern(None, LISTED_AS, track, None)
    store.backend.add(ox.Quad(link.subject, LISTED_AS, other, link.graph_name))


NUMBER_RULE = "at most one mo:track_number, a positive xsd:int"
DURATION_RULE = "at most one schema:duration, an xsd:duration in hours, minutes and seconds"


@pytest.mark.parametrize("spoil, message", [
    (number_zero, NUMBER_RULE), (number_beyond_int, NUMBER_RULE), (number_as_string, NUMBER_RULE),
    (two_numbers, NUMBER_RULE), (duration_as_clock, DURATION_RULE), (duration_in_years, DURATION_RULE),
    (neither_number_nor_duration, "must conform to one or more shapes"),
    (track_of_another_relation, "A track qualifies a trackOf credit, no other relation."),
    (track_off_its_album, "A track is not on the album of its credit"),
    (credit_listed_twice, "A credit is listed as at most one amk:Track"),
])
def test_a_spoiled_track_fails_validation(tracks_store, spoil, message):
    spoil(tracks_store)
    report = validate_store(tracks_store)
    assert not report.conforms and message in report.text, report.text
