"""Hand-made extractions of two invented texts (tests/data/graph/*.txt).

The records are written out by hand, as the extractor would hand them over, so that the
graph tests do not depend on spaCy or on how the extractor reads a text.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from types import SimpleNamespace

import pytest

from animekg.extract.records import Credit, Document, Entity, Evidence, Extraction
from animekg.extract.tracklists import track_listings
from animekg.graph.store import GraphStore

DATA = Path(__file__).parents[1] / "data" / "graph"
TRACKLISTS = Path(__file__).parents[1] / "data" / "tracklists"
LAMP = "Lamp Harbor Original Soundtrack"
CINDER_OST, CINDER_VOCAL = "Cinder Vale Original Soundtrack", "Cinder Vale Vocal Collection"
EPOCH = "1700000000"  # 2023-11-14T22:13:20Z


def document(doc_id: str, text: str, source: str | None = None, title: str = "") -> Document:
    return Document(doc_id=doc_id, text=text, source=source or f"notes/{doc_id}.txt",
                    sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(), title=title)


def evidence(text: str, sentence: str) -> Evidence:
    start = text.index(sentence)
    return Evidence(sentence, start, start + len(sentence))


def credit(text: str, s: str, p: str, o: str, sentence: str, confidence: float = 0.9) -> Credit:
    return Credit(s, p, o, confidence, evidence(text, sentence))


def lantern_ferry(text: str | None = None) -> Extraction:
    text = text if text is not None else (DATA / "lantern_ferry.txt").read_text(encoding="utf-8")
    s1 = "Aoi Minase composed the music of Lantern Ferry."
    s2 = 'Its opening theme, "Paper Moon Signal", is sung by Kaito Ren.'
    s3 = "The Lantern Ferry Original Soundtrack came out on Tidewater Records."
    s4 = 'The album closes with "Salt Road", arranged by Minase herself.'
    ost = "Lantern Ferry Original Soundtrack"
    return Extraction(
        document("lantern_ferry", text, title="Lantern Ferry and its music"),
        [Entity("Aoi Minase", {"Composer", "Arranger"}, {"Minase"}),
         Entity("Lantern Ferry", {"Show"}),
         Entity("Paper Moon Signal", {"Song"}),
         Entity("Kaito Ren", {"Performer"}),
         Entity(ost, {"Album"}),
         Entity("Tidewater Records", {"Label"}),
         Entity("Salt Road", {"Song"})],
        [credit(text, "Aoi Minase", "composedMusicFor", "Lantern Ferry", s1, 0.95),
         credit(text, "Paper Moon Signal", "openingThemeOf", "Lantern Ferry", s2),
         credit(text, "Kaito Ren", "performerOf", "Paper Moon Signal", s2, 0.85),
         credit(text, ost, "soundtrackOf", "Lantern Ferry", s3, 0.8),
         credit(text, ost, "releasedBy", "Tidewater Records", s3, 0.8),
         credit(text, "Salt Road", "trackOf", ost, s4, 0.7),
         credit(text, "Aoi Minase", "arrangerOf", "Salt Road", s4, 0.7)],
        extractor_version="test-1",
    )


def glass_orchard() -> Extraction:
    text = (DATA / "glass_orchard.txt").read_text(encoding="utf-8")
    s1 = "Glass Orchard was scored by Aoi Minase, five years after her ferry show."
    s2 = ('Its ending, "Dusk Relay", was written by Sora Ichinose and is performed by '
          "the Hollow Bell Orchestra.")
    return Extraction(
        document("glass_orchard", text, title="Notes on Glass Orchard"),
        [Entity("Aoi Minase", {"Composer"}),
         Entity("Glass Orchard", {"Show"}),
         Entity("Dusk Relay", {"Song"}),
         Entity("Sora Ichinose", {"Composer"}),
         Entity("Hollow Bell Orchestra", {"Orchestra", "Performer"}, {"the Hollow Bell Orchestra"},
                group=True)],
        [credit(text, "Aoi Minase", "composedMusicFor", "Glass Orchard", s1),
         credit(text, "Dusk Relay", "endingThemeOf", "Glass Orchard", s2),
         credit(text, "Sora Ichinose", "composerOf", "Dusk Relay", s2, 0.75),
         credit(text, "Hollow Bell Orchestra", "performerOf", "Dusk Relay", s2, 0.75)],
        extractor_version="test-1",
    )


def lamp_harbor(with_tracks: bool = True) -> Extraction:
    text = (TRACKLISTS / "lamp_harbor_review.txt").read_text(encoding="utf-8")
    s1 = "Nobu Karasawa scored all twelve episodes of Lamp Harbor"
    songs = ["Harbor Lights", "Fog Bell", "Rope and Anchor", "The Long Tide"]
    # The readers credit the tracks from prose, in another order than the list: the
    # review names the finale's piano piece first.
    s2 = "The disc opens with the\ntitle theme and ends on the long piano piece that closed the finale."
    credits = [credit(text, "Nobu Karasawa", "composedMusicFor", "Lamp Harbor", s1),
               credit(text, LAMP, "soundtrackOf", "Lamp Harbor", "Lamp Harbor Original Soundtrack: a review"),
               credit(text, "The Long Tide", "trackOf", LAMP, s2, 0.6),
               *[credit(text, song, "trackOf", LAMP, song if song != "Fog Bell" else '"Fog Bell"')
                 for song in songs[:3]]]
    return Extraction(
        document("lamp_harbor", text, title="Lamp Harbor Original Soundtrack: a review"),
        [Entity("Nobu Karasawa", {"Composer"}), Entity("Lamp Harbor", {"Show"}), Entity(LAMP, {"Album"}),
         *[Entity(song, {"Song"}) for song in songs]],
        credits, "test-1", track_listings(text, credits) if with_tracks else [])


def cinder_vale() -> Extraction:
    text = (TRACKLISTS / "cinder_vale_booklet.txt").read_text(encoding="utf-8")
    first = "The Cinder Vale Original Soundtrack came out on Emberline Music."
    second = "The Cinder Vale Vocal Collection came out a month later."
    pairs = [("Ashfall Overture", CINDER_OST), ("Kiln Song", CINDER_OST), ("Night of Sparks", CINDER_OST),
             ("Kiln Song", CINDER_VOCAL), ("Night of Sparks", CINDER_VOCAL), ("Ember Lullaby", CINDER_VOCAL)]
    credits = [credit(text, CINDER_OST, "releasedBy", "Emberline Music", first),
               *[credit(text, song, "trackOf", album, first if album == CINDER_OST else second)
                 for song, album in pairs]]
    return Extraction(
        document("cinder_vale", text, title="Cinder Vale: notes from two releases"),
        [Entity(CINDER_OST, {"Album"}), Entity(CINDER_VOCAL, {"Album"}), Entity("Emberline Music", {"Label"}),
         *[Entity(song, {"Song"}) for song in dict.fromkeys(song for song, _ in pairs)]],
        credits, "test-1", track_listings(text, credits))


@pytest.fixture(autouse=True)
def fixed_time(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)


@pytest.fixture
def records():
    """The builders above, for tests that need a variant of the records."""
    return record_builders()


def record_builders() -> SimpleNamespace:
    return SimpleNamespace(document=document, evidence=evidence, credit=credit,
                           lantern_ferry=lantern_ferry, glass_orchard=glass_orchard,
                           lamp_harbor=lamp_harbor, cinder_vale=cinder_vale,
                           Entity=Entity, Extraction=Extraction)


@pytest.fixture
def store(empty_store) -> GraphStore:
    """Both documents in a fresh store of each backend (tests/conftest.py), with the derived facts."""
    graph = empty_store
    assert graph.add_extraction(lantern_ferry())
    assert graph.add_extraction(glass_orchard())
    graph.materialize_inferred()
    return graph
