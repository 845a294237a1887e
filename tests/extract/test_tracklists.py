"""Track lists: positions and running times read from numbered lines (extract/tracklists.py).

No spaCy: the credits are written by hand, as the readers would hand them over, and the
texts in tests/data/tracklists are ours (invented albums and titles).
"""

from __future__ import annotations

import doctest
import json
from pathlib import Path

import pytest

import animekg.extract.tracklists as tracklists
from animekg.extract.records import Credit, Document, Evidence, Extraction, TrackListing
from animekg.extract.tracklists import (
    album_runtimes,
    read_duration,
    read_track_line,
    total_duration,
    track_lines,
    track_listings,
    xsd_duration,
)

DATA = Path(__file__).parents[1] / "data" / "tracklists"
LAMP = "Lamp Harbor Original Soundtrack"
CINDER_OST, CINDER_VOCAL = "Cinder Vale Original Soundtrack", "Cinder Vale Vocal Collection"


def track_of(song: str, album: str) -> Credit:
    return Credit(song, "trackOf", album, 0.9, Evidence("a sentence elsewhere", 0, 20))


def found(text: str, credits: list[Credit]) -> list[tuple[str, str, int | None, int | None]]:
    return [(t.song, t.album, t.position, t.duration_seconds) for t in track_listings(text, credits)]


def test_the_docstring_examples_hold():
    result = doctest.testmod(tracklists)
    assert result.attempted >= 15 and result.failed == 0


# -- one line at a time ------------------------------------------------------------------------

@pytest.mark.parametrize("line, expected", [
    ("4. Tin Kite (10:18)", (4, "Tin Kite", 618)),
    ("04 - Tin Kite 3:45", (4, "Tin Kite", 225)),
    ("04 – Tin Kite – 3:45", (4, "Tin Kite", 225)),
    ("Track 7: Tin Kite", (7, "Tin Kite", None)),
    ("TRACK 07 - Tin Kite (2:05)", (7, "Tin Kite", 125)),
    ("7) Tin Kite [4:02]", (7, "Tin Kite", 242)),
    ("(7) Tin Kite", (7, "Tin Kite", None)),
    ("#12 Tin Kite 1:02:33", (12, "Tin Kite", 3753)),
    ("  - 3. Tin Kite (sung by Mara Vell) (4:02)", (3, "Tin Kite (sung by Mara Vell)", 242)),
    ("5. Tin Kite [0:58] (TV size)", (5, "Tin Kite (TV size)", 58)),
])
def test_track_line_shapes(line, expected):
    assert read_track_line(line) == expected


@pytest.mark.parametrize("line", [
    "1998. The year it all began",      # a year, not a track number
    "4.5 stars out of five",            # a decimal
    "10:18 is a long time for a cue",   # a time at the start
    "Tracks 1-3 are the best",          # no number of its own
    "Tin Kite (4:02)",                  # no number at all
    "0. Tin Kite",                      # tracks count from 1
    "3.",                               # a number and nothing else
])
def test_lines_that_are_not_track_lines(line):
    assert read_track_line(line) is None


@pytest.mark.parametrize("clock, seconds", [("0:58", 58), ("10:18", 618), ("1:02:33", 3753)])
def test_clock_times(clock, seconds):
    assert read_duration(clock) == seconds


@pytest.mark.parametrize("clock", ["4:75", "1:60:00", "7"])
def test_impossible_clock_times(clock):
    assert read_duration(clock) is None


def test_a_time_that_is_not_at_the_end_nor_bracketed_is_part_of_the_title():
    assert read_track_line("2. 3:16 Express to Dawn") == (2, "3:16 Express to Dawn", None)


@pytest.mark.parametrize("seconds, lexical", [
    (618, "PT10M18S"), (3753, "PT1H2M33S"), (3600, "PT1H"), (60, "PT1M"), (45, "PT45S"), (0, "PT0S")])
def test_xsd_duration(seconds, lexical):
    assert xsd_duration(seconds) == lexical


def test_xsd_duration_rejects_a_negative_time():
    with pytest.raises(ValueError, match="negative"):
        xsd_duration(-1)


def test_track_lines_keep_their_spans():
    text = "Heading\n  1. One (1:00)  \nprose\n2. Two\n"
    lines = track_lines(text)
    assert [(t.position, t.title, t.duration_seconds) for t in lines] == [(1, "One", 60), (2, "Two", None)]
    assert [text[t.start:t.end] for t in lines] == ["1. One (1:00)", "2. Two"]


# -- total running time ---------------------------------------------------------------------------

@pytest.mark.parametrize("text, seconds", [
    ("Total time: 58:21", 3501),
    ("Total Playing Time 1:02:33", 3753),
    ("TOTAL RUNNING TIME - 47:10", 2830),
    ("Total length (41:05)", 2465),
    ("Runtime: 58:21", 3501),
    ("Total: 58:21", 3501),
    ("Tracks:\n1. One\nTotal time: 9:99\nTotal time: 9:59", 599),  # the first real time
])
def test_total_duration(text, seconds):
    assert total_duration(text) == seconds


@pytest.mark.parametrize("text", ["It lasts 58:21 in all.", "Total: 3 discs", "No times here."])
def test_no_total_duration(text):
    assert total_duration(text) is None


# -- our texts: which song sits where -----------------------------------------------------------

def lamp_harbor_credits() -> list[Credit]:
    return [track_of(song, LAMP) for song in ("Harbor Lights", "Fog Bell", "Rope and Anchor", "The Long Tide")]


def test_a_timed_track_list_under_its_album():
    text = (DATA / "lamp_harbor_review.txt").read_text(encoding="utf-8")
    assert found(text, lamp_harbor_credits()) == [
        ("Harbor Lights", LAMP, 1, 161),
        ("Fog Bell", LAMP, 2, 242),            # '"Fog Bell" (sung by Ina Sorel)' leads with it
        ("Rope and Anchor", LAMP, 3, 195),
        ("The Long Tide", LAMP, 4, 618),       # not 1, its place in the ranking below
    ]


def test_evidence_is_the_track_line():
    text = (DATA / "lamp_harbor_review.txt").read_text(encoding="utf-8")
    for listing in track_listings(text, lamp_harbor_credits()):
        ev = listing.evidence
        assert text[ev.start:ev.end] == ev.sentence
        assert ev.sentence.startswith(f"{listing.position}. ")


def test_the_album_total_of_a_review():
    text = (DATA / "lamp_harbor_review.txt").read_text(encoding="utf-8")
    (runtime,) = album_runtimes(text, lamp_harbor_credits())
    assert (runtime.album, runtime.seconds, runtime.evidence.sentence) == (LAMP, 1216, "Total time: 20:16")
    assert runtime.seconds == sum(t.duration_seconds for t in track_listings(text, lamp_harbor_credits()))


def cinder_vale_credits() -> list[Credit]:
    return [track_of("Ashfall Overture", CINDER_OST), track_of("Kiln Song", CINDER_OST),
            track_of("Night of Sparks", CINDER_OST), track_of("Kiln Song", CINDER_VOCAL),
            track_of("Night of Sparks", CINDER_VOCAL), track_of("Ember Lullaby", CINDER_VOCAL),
            Credit(CINDER_OST, "releasedBy", "Emberline Music", 0.9, Evidence("x", 0, 1))]


def test_two_albums_in_one_text_each_song_under_its_own_album():
    text = (DATA / "cinder_vale_booklet.txt").read_text(encoding="utf-8")
    assert found(text, cinder_vale_credits()) == [
        ("Ashfall Overture", CINDER_OST, 1, None),
        ("Kiln Song", CINDER_OST, 2, None),
        ("Night of Sparks", CINDER_OST, 3, None),
        ("Kiln Song", CINDER_VOCAL, 1, 225),
        ("Night of Sparks", CINDER_VOCAL, 3, 365),   # "Night of Sparks (Reprise)"
        ("Ember Lullaby", CINDER_VOCAL, 7, 242),
    ]


def test_the_total_goes_to_the_album_it_sits_under():
    text = (DATA / "cinder_vale_booklet.txt").read_text(encoding="utf-8")
    assert [(r.album, r.seconds) for r in album_runtimes(text, cinder_vale_credits())] == [
        (CINDER_VOCAL, 4470)]


def test_only_trackof_credits_get_a_place():
    text = "Blue Lantern OST\n1. Tin Kite (3:00)\n"
    credits = [Credit("Tin Kite", "openingThemeOf", "Blue Lantern", 0.9, Evidence("x", 0, 1))]
    assert track_listings(text, credits) == []


def test_a_song_on_no_numbered_line_gets_no_place():
    text = "Blue Lantern OST\nIt closes with Tin Kite, at 3:00 exactly.\n1. Paper Gate\n"
    assert found(text, [track_of("Tin Kite", "Blue Lantern OST")]) == []


def test_a_ranked_list_with_no_album_above_gives_no_place():
    text = "My favourite songs this year:\n1. Tin Kite\n2. Paper Gate\n"
    assert found(text, [track_of("Tin Kite", "Blue Lantern OST")]) == []


def test_a_line_that_says_track_or_gives_a_time_needs_no_album_above():
    text = "The soundtrack, at last:\nTrack 4: Tin Kite\n5. Paper Gate (2:10)\n"
    credits = [track_of("Tin Kite", "Blue Lantern OST"), track_of("Paper Gate", "Blue Lantern OST")]
    assert found(text, credits) == [("Tin Kite", "Blue Lantern OST", 4, None),
                                    ("Paper Gate", "Blue Lantern OST", 5, 130)]


def test_a_line_goes_to_the_song_it_names_exactly():
    # "Bell" is in "Copper Bell" too: the exact title wins the line, the other waits for its own.
    text = "Blue Lantern OST\n1. Copper Bell\n2. Bell\n"
    credits = [track_of("Bell", "Blue Lantern OST"), track_of("Copper Bell", "Blue Lantern OST")]
    assert found(text, credits) == [("Copper Bell", "Blue Lantern OST", 1, None),
                                    ("Bell", "Blue Lantern OST", 2, None)]


def test_titles_match_whatever_the_case_and_quotes():
    text = "Blue Lantern OST\n3. “TIN KITE” (4:02)\n"
    assert found(text, [track_of("Tin Kite", "Blue Lantern OST")]) == [
        ("Tin Kite", "Blue Lantern OST", 3, 242)]


def test_windows_line_ends():
    text = "Blue Lantern OST\r\n1. Tin Kite (4:02)\r\nTotal time: 4:02\r\n"
    credits = [track_of("Tin Kite", "Blue Lantern OST")]
    (listing,) = track_listings(text, credits)
    assert (listing.position, listing.duration_seconds, listing.evidence.sentence) == (1, 242, "1. Tin Kite (4:02)")
    assert [r.seconds for r in album_runtimes(text, credits)] == [242]


def test_no_credits_or_no_lines_give_nothing():
    assert track_listings("Blue Lantern OST\n1. Tin Kite\n", []) == []
    assert track_listings("", [track_of("Tin Kite", "Blue Lantern OST")]) == []
    assert album_runtimes("Total time: 3:00", []) == []


# -- the records ---------------------------------------------------------------------------------

def extraction(tracks: list[TrackListing]) -> Extraction:
    document = Document("t", "text", "t.txt", "0" * 64)
    return Extraction(document, [], [track_of("Tin Kite", "Blue Lantern OST")], "v", tracks)


def test_to_json_carries_tracks_only_when_there_are_some():
    assert "tracks" not in extraction([]).to_json()
    listing = TrackListing("Tin Kite", "Blue Lantern OST", 3, 242, Evidence("3. Tin Kite (4:02)", 17, 35))
    data = json.loads(json.dumps(extraction([listing]).to_json()))
    assert data["tracks"] == [{"song": "Tin Kite", "album": "Blue Lantern OST", "position": 3,
                               "duration_seconds": 242,
                               "evidence": {"sentence": "3. Tin Kite (4:02)", "start": 17, "end": 35}}]
    assert [r["p"] for r in data["relations"]] == ["trackOf"]


def test_extraction_keeps_its_old_constructor():
    document = Document("t", "text", "t.txt", "0" * 64)
    assert Extraction(document, [], []).tracks == []


def test_a_timed_track_list_beats_a_ranked_list_above_it():
    text = "Blue Lantern OST, my ranking:\n1. Paper Gate\n2. Tin Kite\n\nThe tracks:\n1. Tin Kite (3:00)\n2. Paper Gate (2:10)\n"
    credits = [track_of("Tin Kite", "Blue Lantern OST"), track_of("Paper Gate", "Blue Lantern OST")]
    assert found(text, credits) == [("Tin Kite", "Blue Lantern OST", 1, 180),
                                    ("Paper Gate", "Blue Lantern OST", 2, 130)]
