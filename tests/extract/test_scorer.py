"""Candidate pairs from the structure of a text, on Docs built by hand: a blank English
pipeline, sentences at line starts, the recognizer's entities set by hand."""

from __future__ import annotations

import re

import spacy

from animekg.extract.names import resolve_names
from animekg.extract.reading import entity_kinds, recognized_mentions, with_pronouns
from animekg.extract.scorer import MAX_PAIRS_PER_UNIT, candidate_pairs

NLP = spacy.blank("en")


def parsed(text: str, names: dict[str, str]):
    """A Doc whose sentences start at line starts and after '. ', with each name's
    occurrences as entities of its kind."""
    doc = NLP(text)
    for tok in doc:
        if tok.lower_ in {"he", "she"}:
            tok.pos_ = "PRON"
        before = doc[tok.i - 1] if tok.i else None
        tok.is_sent_start = before is None or "\n" in before.text + before.whitespace_ or before.text == "."
    spans = []
    for name, label in names.items():
        for m in re.finditer(re.escape(name), text):
            spans.append(doc.char_span(m.start(), m.end(), label=label))
    doc.ents = sorted(spans, key=lambda s: s.start)
    doc.spans["cues"] = []
    return doc


def pairs(doc):
    mentions = recognized_mentions(doc)
    entities, entity_of = resolve_names(mentions)
    kinds = entity_kinds(doc, mentions, entity_of)
    mentions, entity_of = with_pronouns(doc, mentions, entity_of, kinds)
    return {(c.subject.name, c.object.name): c.features for c in candidate_pairs(doc, mentions, entity_of, kinds)}


def test_a_track_line_is_paired_with_the_album_above_it():
    found = pairs(parsed("Glass Orchard Original Soundtrack\n\n1. Paper Comet (3:10)\n2. Harbor Lights (4:02)\n",
                         {"Glass Orchard Original Soundtrack": "ALBUM", "Paper Comet": "SONG",
                          "Harbor Lights": "SONG"}))
    assert "track_under_album" in found[("Paper Comet", "Glass Orchard Original Soundtrack")]
    assert "track_under_album" in found[("Harbor Lights", "Glass Orchard Original Soundtrack")]


def test_a_credit_line_is_paired_with_the_title_it_stands_under():
    found = pairs(parsed("Paper Comet\nLyrics: Sora Ichinose\nComposition: Aoi Minase\n",
                         {"Paper Comet": "SONG", "Sora Ichinose": "AGENT", "Aoi Minase": "AGENT"}))
    assert {"credit_block", "block_key=lyrics"} <= found[("Sora Ichinose", "Paper Comet")]
    assert "block_key=composition" in found[("Aoi Minase", "Paper Comet")]
    assert ("Paper Comet", "Sora Ichinose") not in found  # no relation goes from a song to a person


def test_words_between_a_pair_are_features_with_names_replaced_by_their_kind():
    found = pairs(parsed("Paper Comet is sung by Mika Hoshizora for Glass Orchard.",
                         {"Paper Comet": "SONG", "Mika Hoshizora": "AGENT", "Glass Orchard": "SHOW"}))
    performer = found[("Mika Hoshizora", "Paper Comet")]
    assert {"os:btw=sung", "os:btw=by", "same_sentence", "kinds=AGENT>SONG"} <= performer
    assert "os:right1=for" in performer and "os:right2=<SHOW>" in performer


def test_a_pronoun_stands_for_the_person_named_just_before():
    found = pairs(parsed("Aoi Minase debuted early. She scored Glass Orchard.",
                         {"Aoi Minase": "AGENT", "Glass Orchard": "SHOW"}))
    assert "same_sentence" in found[("Aoi Minase", "Glass Orchard")]


def test_a_line_of_hundreds_of_names_gives_a_bounded_number_of_pairs():
    names = {f"Agent{n} Name": "AGENT" for n in range(150)} | {f"Show{n} Title": "SHOW" for n in range(150)}
    text = ", ".join(names) + "\n"
    found = pairs(parsed(text, names))
    # one sentence that is also one line: at most MAX_PAIRS_PER_UNIT mention pairs each, both ways
    assert 0 < len(found) <= 2 * 2 * MAX_PAIRS_PER_UNIT


def test_a_pair_only_the_rules_credit_becomes_a_candidate_with_their_vote():
    from animekg.extract.scorer import with_rule_pairs

    text = "Glass Orchard OST\n\n1. Paper Comet\n2. Harbor Lights\n\nComposed by:\nAoi Minase\n"
    doc = parsed(text, {"Glass Orchard OST": "ALBUM", "Paper Comet": "SONG", "Harbor Lights": "SONG",
                        "Aoi Minase": "AGENT"})
    mentions = recognized_mentions(doc)
    entities, entity_of = resolve_names(mentions)
    kinds = entity_kinds(doc, mentions, entity_of)
    candidates = candidate_pairs(doc, mentions, entity_of, kinds)
    assert ("Aoi Minase", "Paper Comet") not in {(c.subject.name, c.object.name) for c in candidates}
    votes = {("Aoi Minase", "Paper Comet"): {"composerOf"}, ("Paper Comet", "Glass Orchard OST"): {"trackOf"},
             ("Nobody Named", "Paper Comet"): {"composerOf"}}
    more = with_rule_pairs(candidates, votes, {e.name: e for e in entities}, kinds, {("Aoi Minase", "Paper Comet"): 6})
    added = {(c.subject.name, c.object.name): c for c in more[len(candidates):]}
    assert set(added) == {("Aoi Minase", "Paper Comet")}  # the track pair is a candidate already
    assert {"rule_only", "rule=composerOf", "kinds=AGENT>SONG"} <= added[("Aoi Minase", "Paper Comet")].features
    assert added[("Aoi Minase", "Paper Comet")].sentence == 6
