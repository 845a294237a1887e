"""Credit rules on Docs built by hand (a blank English pipeline with the recognizer's
entities set by hand), so what they show does not hang on a statistical model's guess.
The names are invented; the labels are those the rules read (a title-like name is
WORK_OF_ART, a person PERSON)."""

from __future__ import annotations

import pytest

from animekg.extract.components import find_candidates
from animekg.extract.pipeline import read_by_rules

from .conftest import hand_doc


def rule_read(text: str, spans: list[tuple[str, str]], cues: list[tuple[str, str]] = ()):
    doc = find_candidates(hand_doc(text, spans, cues), {})
    reading = read_by_rules(doc)
    return {(c.subject, c.relation, c.object) for c in reading.credits}, {e.name: e.types for e in reading.entities}


# A group's name may look like a title to the recognizer; people "form" no show.
@pytest.mark.parametrize("text, spans, members", [
    ("The Paper Swallows were formed in 2009 by Sayo Kurogane, Rin Aozora and Mio Kanda.",
     [("The Paper Swallows", "WORK_OF_ART"), ("Sayo Kurogane", "PERSON"), ("Rin Aozora", "PERSON"),
      ("Mio Kanda", "PERSON")], ("Sayo Kurogane", "Rin Aozora", "Mio Kanda")),
    ("Sayo Kurogane, the drummer of The Paper Swallows, also sings.",
     [("The Paper Swallows", "WORK_OF_ART"), ("Sayo Kurogane", "PERSON")], ("Sayo Kurogane",)),
])
def test_a_group_named_like_a_title_has_members(text, spans, members):
    triples, types = rule_read(text, spans)
    assert {(m, "memberOf", "Paper Swallows") for m in members} <= triples
    assert types["Paper Swallows"] == {"Performer"}


@pytest.mark.parametrize("text, spans", [
    ("Sayo Kurogane, the singer of The Paper Swallows's opening, also sings.",
     [("The Paper Swallows", "WORK_OF_ART"), ("Sayo Kurogane", "PERSON")]),
    ("The Paper Swallows consists of Sayo Kurogane's songs and Mio Kanda's.",  # only "formed"/"founded" say a group
     [("The Paper Swallows", "WORK_OF_ART"), ("Sayo Kurogane", "PERSON"), ("Mio Kanda", "PERSON")]),
])
def test_a_title_is_no_group_without_a_word_for_one(text, spans):
    triples, _ = rule_read(text, spans)
    assert not {t for t in triples if t[1] == "memberOf"}


def test_two_names_in_brackets_after_a_group_are_its_members():
    text = "The insert song was sung by Night Lantern (Sayo Kurogane / Mio Kanda)."
    triples, _ = rule_read(text, [("Night Lantern", "ORG"), ("Sayo Kurogane", "PERSON"), ("Mio Kanda", "PERSON")])
    assert {("Sayo Kurogane", "memberOf", "Night Lantern"), ("Mio Kanda", "memberOf", "Night Lantern")} <= triples


def test_one_name_in_brackets_is_no_member():
    text = "The heroine Mio Kanda (Sayo Kurogane) sings the ending."
    triples, _ = rule_read(text, [("Mio Kanda", "PERSON"), ("Sayo Kurogane", "PERSON")])
    assert not {t for t in triples if t[1] == "memberOf"}


def test_a_relation_left_to_the_rules_is_stated_whatever_kind_the_recognizer_gave():
    from animekg.extract.learned import CreditModel, LinearScorer
    from animekg.extract.reading import read_learned

    text = "The Paper Swallows were formed in 2009 by Sayo Kurogane and Mio Kanda."
    # The recognizer's own labels: it took the group for a show.
    doc = find_candidates(hand_doc(text, [("The Paper Swallows", "SHOW"), ("Sayo Kurogane", "AGENT"),
                                          ("Mio Kanda", "AGENT")]), {})
    never = LinearScorer({}, -20.0)
    model = CreditModel({"memberOf": never, "performedMusicFor": never}, {}, threshold=0.1,
                        rule_relations={"memberOf": 0.43})
    reading = read_learned(doc, model, read_by_rules(doc))
    credits = {(c.subject, c.relation, c.object): c.confidence for c in reading.credits}
    assert credits == {("Sayo Kurogane", "memberOf", "Paper Swallows"): 0.43,
                       ("Mio Kanda", "memberOf", "Paper Swallows"): 0.43}
    types = {e.name: e.types for e in reading.entities}
    assert "Performer" in types["Paper Swallows"] and "Show" not in types["Paper Swallows"]


@pytest.mark.parametrize("text, spans, cues, expected", [
    ("“Paper Comet” will be released on May 2 via Harbor Tone Records.",
     [("May 2", "DATE"), ("Harbor Tone Records", "ORG")], [], ("Paper Comet", "Harbor Tone Records")),
    ("Their album Glass Lanterns was reissued in 2007 by Harbor Tone.",
     [("Glass Lanterns", "WORK_OF_ART"), ("2007", "DATE"), ("Harbor Tone", "ORG")], [("album", "ALBUM")],
     ("Glass Lanterns", "Harbor Tone")),
])
def test_a_release_and_its_label(text, spans, cues, expected):
    triples, types = rule_read(text, spans, cues)
    assert (expected[0], "releasedBy", expected[1]) in triples
    assert "Album" in types[expected[0]] and "Label" in types[expected[1]]


@pytest.mark.parametrize("text, spans", [
    ("“Paper Comet” was released by Sayo Kurogane in 2010.", [("Sayo Kurogane", "PERSON")]),  # a person is no label
    ("Harbor Tone Records said “Paper Comet” sold well.", [("Harbor Tone Records", "ORG")]),  # no release word
])
def test_no_label_where_none_released_the_work(text, spans):
    triples, _ = rule_read(text, spans)
    assert not {t for t in triples if t[1] == "releasedBy"}


def test_a_dash_list_of_singers_songs_and_shows():
    text = ("My favourite insert songs\n\n"
            "1) Sayo Kurogane – Paper Comet (Glass Orchard)\n"
            "2) Mio Kanda – Tin Harbor (Copper Moon ED)\n"
            "3) Night Lantern – Ember Road (Lumen Academy)\n")
    # The recognizer knows the first two singers and not the third: the list's order tells.
    triples, types = rule_read(text, [("Sayo Kurogane", "PERSON"), ("Mio Kanda", "PERSON")],
                               [("insert songs", "INSERT"), ("ED", "ENDING")])
    assert {("Sayo Kurogane", "performerOf", "Paper Comet"), ("Mio Kanda", "performerOf", "Tin Harbor"),
            ("Night Lantern", "performerOf", "Ember Road")} <= triples
    assert ("Paper Comet", "insertSongOf", "Glass Orchard") in triples
    assert ("Tin Harbor", "endingThemeOf", "Copper Moon") in triples  # the brackets' word wins over the heading's
    assert ("Ember Road", "insertSongOf", "Lumen Academy") in triples
    assert "Copper Moon ED" not in types


def test_a_dash_list_with_the_song_first():
    text = "• Paper Comet - Sayo Kurogane\n• Tin Harbor - Mio Kanda\n"
    triples, _ = rule_read(text, [("Sayo Kurogane", "PERSON")], [])
    assert {("Sayo Kurogane", "performerOf", "Paper Comet"), ("Mio Kanda", "performerOf", "Tin Harbor")} <= triples


def test_a_line_up_is_no_list_of_songs():
    text = "- Sayo Kurogane – Vocals\n- Mio Kanda – Drums\n"
    triples, _ = rule_read(text, [("Sayo Kurogane", "PERSON"), ("Mio Kanda", "PERSON")],
                           [("Vocals", "PERFORM"), ("Drums", "PERFORM")])
    assert not {t for t in triples if t[1] == "performerOf"}


def test_a_dash_line_whose_names_do_not_tell_credits_nothing():
    triples, _ = rule_read("1) Paper Comet – Tin Harbor (Glass Orchard)\n", [], [])
    assert not triples
