"""The recognizer's spans made into names, on Docs built by hand (a blank English
pipeline with the entities set by hand, as the recognizer would set them)."""

from __future__ import annotations

import spacy

from animekg.extract.reading import recognized_mentions

NLP = spacy.blank("en")


def names(text: str, spans: list[tuple[str, str]]) -> list[tuple[str, str]]:
    doc = NLP(text)
    for tok in doc:
        tok.is_sent_start = tok.i == 0
    ents = []
    for name, label in spans:
        start = text.index(name)
        ents.append(doc.char_span(start, start + len(name), label=label, alignment_mode="expand"))
    doc.ents = ents
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
