"""The recognizer's spans made into names, on Docs built by hand (a blank English
pipeline with the entities set by hand, as the recognizer would set them)."""

from __future__ import annotations

import pytest

from animekg.extract.reading import recognized_mentions

from .conftest import hand_doc


def names(text: str, spans: list[tuple[str, str]]) -> list[tuple[str, str]]:
    doc = hand_doc(text, spans)
    return [(m.text, m.ner_label) for m in recognized_mentions(doc)]


def test_a_span_over_a_list_comma_or_a_spaced_dash_is_two_names():
    assert names("Favourites: Glass Orchard, Iron Lotus.", [("Glass Orchard, Iron Lotus", "SHOW")]) == [
        ("Glass Orchard", "SHOW"), ("Iron Lotus", "SHOW")]
    assert names("Aoi Minase – Glass Orchard OST [2019]", [("Aoi Minase – Glass Orchard OST", "ALBUM")]) == [
        ("Aoi Minase", "ALBUM"), ("Glass Orchard OST", "ALBUM")]
    # no space around it: one title
    assert names("Tide-Clock is great.", [("Tide-Clock", "SHOW")]) == [("Tide-Clock", "SHOW")]


def test_a_release_number_is_put_back_and_a_running_time_taken_off():
    assert names("The Iron Lotus Soundtrack Vol. 2 is out.", [("Iron Lotus Soundtrack Vol", "ALBUM")]) == [
        ("Iron Lotus Soundtrack Vol. 2", "ALBUM")]
    assert names("4. Paper Comet (3:58)\n", [("Paper Comet (3:58)", "SONG")]) == [("Paper Comet", "SONG")]
    assert names("4. Paper Comet (KT)\n", [("Paper Comet (KT)", "SONG")]) == [("Paper Comet", "SONG")]
    assert names("4. Paper Comet (Piano Version)\n", [("Paper Comet (Piano Version)", "SONG")]) == [
        ("Paper Comet (Piano Version)", "SONG")]


def test_a_trailing_possessive_is_no_part_of_a_name_and_other_labels_are_not_read():
    assert names("Aoi Minase's score for Glass Orchard, in 2019.",
                 [("Aoi Minase's", "AGENT"), ("2019", "DATE")]) == [("Aoi Minase", "AGENT")]


# -- names said again, and what a credit cue says of the name after it ---------------------


from animekg.extract.names import resolve_names  # noqa: E402
from animekg.extract.reading import entity_kinds, whole_word_occurrences, with_repeated_names  # noqa: E402




def test_a_name_recognized_once_is_found_where_the_text_says_it_again():
    text = "Aoi Minase wrote the score.\nLater Aoi Minase arranged the ending, and Minase sang it.\n"
    doc = hand_doc(text, [("Aoi Minase", "AGENT")], proper=("Minase",))
    found = [(m.text, m.start, m.found_by) for m in with_repeated_names(doc, recognized_mentions(doc))]
    assert found == [("Aoi Minase", 0, "NER"), ("Aoi Minase", 34, "REPEAT"), ("Minase", 70, "REPEAT")]


def test_a_surname_counts_again_only_as_a_proper_noun():
    text = "Rin Harbor sang it.\nThe harbor at night.\nHarbor again.\n"
    doc = hand_doc(text, [("Rin Harbor", "AGENT")], proper=())
    assert [m.text for m in with_repeated_names(doc, recognized_mentions(doc))] == ["Rin Harbor"]


@pytest.mark.parametrize(("text", "form", "expected"), [
    ("Mio sang; Mio_B and Mio2 did not; (Mio)", "Mio", [0, 35]),  # digits and "_" are word characters
    ("Sōta Ōno, Ōno", "Ōno", [5, 10]),
    ("Kai Kai Kai", "Kai Kai", [0]),  # not overlapping, as a regex search finds them
    ("no name here", "Ren", []),
])
def test_a_name_is_found_only_as_whole_words(text, form, expected):
    assert whole_word_occurrences(text, form) == expected


def kinds_of(doc) -> dict[str, str]:
    mentions = recognized_mentions(doc)
    entities, entity_of = resolve_names(mentions)
    kinds = entity_kinds(doc, mentions, entity_of)
    return {e.name: kinds[id(e)] for e in entities}


def test_a_credit_cue_before_a_name_makes_it_an_agent_whatever_the_recognizer_said():
    doc = hand_doc("Glass Orchard (music: Sayo Kurogane)\n", [("Glass Orchard", "SHOW"), ("Sayo Kurogane", "SHOW")],
                   cues=[("music", "COMPOSE")])
    assert kinds_of(doc) == {"Glass Orchard": "SHOW", "Sayo Kurogane": "AGENT"}
    doc = hand_doc("Paper Comet, released by Harbor Tone.\n", [("Paper Comet", "SONG"), ("Harbor Tone", "SONG")],
                   cues=[("released", "LABEL")])
    assert kinds_of(doc)["Harbor Tone"] == "LABEL"


def test_a_theme_word_with_a_colon_leaves_the_recognizer_s_kind():
    # "OP: Paper Comet" names a song: a theme word is a role only before "by".
    doc = hand_doc("OP: Paper Comet\n", [("Paper Comet", "SONG")], cues=[("OP", "OPENING")])
    assert kinds_of(doc) == {"Paper Comet": "SONG"}
