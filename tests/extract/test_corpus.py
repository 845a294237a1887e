"""Gold names placed onto their text: the spans the recognizer is trained on."""

from __future__ import annotations

from pathlib import Path

import pytest

from animekg.errors import InputError
from animekg.extract.corpus import Kind, annotated, kind_of, place_entities, read_corpus
from animekg.extract.document import read_text

TRAIN = Path(__file__).parents[1] / "data" / "train"


def placed(text: str, entities: list[dict], ignore: list[str] | None = None):
    item = annotated(read_text(text, doc_id="t"), {"entities": entities, "relations": [], "ignore": ignore or []})
    spans, missing = place_entities(item)
    return [(text[s.start:s.end], s.kind, s.entity) for s in spans], [e.name for e in missing]


def test_longest_form_wins_and_every_occurrence_is_placed():
    spans, missing = placed(
        "Glass Orchard Original Soundtrack is the album of Glass Orchard. Glass Orchard ran long.",
        [{"name": "Glass Orchard", "types": ["Show"]},
         {"name": "Glass Orchard Original Soundtrack", "types": ["Album"]}])
    assert spans == [("Glass Orchard Original Soundtrack", Kind.ALBUM, "Glass Orchard Original Soundtrack"),
                     ("Glass Orchard", Kind.SHOW, "Glass Orchard"), ("Glass Orchard", Kind.SHOW, "Glass Orchard")]
    assert missing == []


def test_aliases_whole_words_and_case_only_when_the_exact_form_is_absent():
    spans, missing = placed(
        "AOI MINASE wrote it; Minase again. Minaseki is someone else.",
        [{"name": "Aoi Minase", "types": ["Composer"], "aliases": ["Minase"]}])
    assert [s[0] for s in spans] == ["Minase"]  # the exact alias found: no case-folded guess
    spans, _ = placed("AOI MINASE wrote it.", [{"name": "Aoi Minase", "types": ["Composer"]}])
    assert spans == [("AOI MINASE", Kind.AGENT, "Aoi Minase")]


def test_unplaced_and_undecided_names():
    spans, missing = placed("Only Ren Kaito is here, with a nod to Tide Clock.",
                            [{"name": "Ren Kaito", "types": ["Composer"]}, {"name": "Iron Lotus", "types": ["Show"]}],
                            ignore=["Tide Clock"])
    assert ("Tide Clock", None, "Tide Clock") in spans
    assert missing == ["Iron Lotus"]


def test_kind_of_a_name_with_two_types():
    assert kind_of({"Song", "Album"}) is Kind.SONG
    assert kind_of({"Composer", "Performer"}) is Kind.AGENT
    assert kind_of(set()) is None


def test_read_corpus_reads_our_training_texts_and_refuses_other_folders(tmp_path):
    corpus = read_corpus(TRAIN)
    assert [c.document.doc_id for c in corpus] == ["t1", "t2", "t3", "t4", "t5", "t6"]
    assert all(not place_entities(c)[1] for c in corpus)
    with pytest.raises(InputError, match="not a corpus folder"):
        read_corpus(tmp_path)
