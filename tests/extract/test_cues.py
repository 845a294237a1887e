"""The cue table: what each cue label means, checked against the patterns when loaded.

The rule tests here run on hand-built ``Doc``s (``spacy.blank("en")`` with entities set by
hand), so what they show does not hang on a statistical model's guess.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import spacy
from spacy.tokens import Doc, Span

from animekg.errors import ModelError
from animekg.extract.components import find_candidates
from animekg.extract.cues import (CUES, MEANINGS_FILE, PATTERNS_FILE, CueLabel, CueTable, EntityType,
                                  Relation, load_cue_table, packaged_file)
from animekg.extract.mentions import select_mentions, type_mentions
from animekg.extract.records import ENTITY_TYPES, RELATIONS


def _lines(path: Path) -> list[str]:
    return [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _write(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def packaged(tmp_path) -> tuple[list[str], list[str]]:
    """The packaged table's rows and the packaged patterns, as lines to extend."""
    return _lines(packaged_file(MEANINGS_FILE)), _lines(packaged_file(PATTERNS_FILE))


def _one_line_error(meanings: Path, patterns: Path) -> str:
    with pytest.raises(ModelError) as caught:
        load_cue_table(meanings, patterns)
    message = str(caught.value)
    assert "\n" not in message
    return message


def test_the_packaged_table_covers_every_pattern_label_once():
    used = {json.loads(line)["label"] for line in _lines(packaged_file(PATTERNS_FILE))}
    assert set(CUES.labels) == used
    assert len(CUES.labels) == len(used)
    assert {label.value for label in CueLabel} == used
    assert CueLabel.COMPOSE == "COMPOSE"


def test_the_views_say_what_a_cue_means():
    assert CUES.agent_by["COMPOSE"] == "Composer"  # "music by X"
    assert CUES.agent_by["LABEL"] == "Label"  # "released by X"
    assert "LABEL" not in CUES.agent_near  # a label is credited "by", but makes no music
    assert CUES.work_for["OPENING"] == "Show"  # "the opening of X"
    assert CUES.names_next["SHOW"] == "Show"  # "the anime X"
    assert CUES.theme_relation == {"OPENING": "openingThemeOf", "ENDING": "endingThemeOf",
                                   "INSERT": "insertSongOf", "THEME": "themeSongOf"}
    assert CUES.placed_themes == {"OPENING", "ENDING", "INSERT"}
    assert "NOT_MUSIC" in CUES.role_words and "NOT_MUSIC" not in CUES.role
    # Views hold plain strings, as spaCy's labels and the records' types are.
    assert all(type(v) is str for v in CUES.agent_by.values())


def test_the_spec_enums_and_the_records_tuples_agree():
    assert ENTITY_TYPES == tuple(t.value for t in EntityType)
    assert RELATIONS == tuple(r.value for r in Relation)
    assert all(type(name) is str for name in ENTITY_TYPES + RELATIONS)


def test_an_unknown_label_in_the_patterns_is_refused(tmp_path, packaged):
    rows, patterns = packaged
    meanings = _write(tmp_path / "meanings.jsonl", rows)
    bad = _write(tmp_path / "cues.jsonl", [*patterns, '{"label": "COMPOZE", "pattern": [{"LOWER": "scorer"}]}'])
    message = _one_line_error(meanings, bad)
    assert str(bad) in message and f"line {len(patterns) + 1}" in message and "'COMPOZE'" in message
    assert "add a row for COMPOZE" in message


def test_a_row_no_pattern_uses_is_refused(tmp_path, packaged):
    rows, patterns = packaged
    meanings = _write(tmp_path / "meanings.jsonl", [*rows, '{"label": "CONDUCT", "example": "conducted by X"}'])
    message = _one_line_error(meanings, _write(tmp_path / "cues.jsonl", patterns))
    assert str(meanings) in message and "(CONDUCT)" in message and "remove the row or add a pattern" in message


@pytest.mark.parametrize("row, says", [
    ({"agent_by": "Conductor"}, "agent_by 'Conductor' is no entity type"),
    ({"relation": "conductorOf"}, "relation 'conductorOf' is no relation of the spec"),
    ({"role_word": "yes"}, "role_word must be true or false"),
    ({"agnet_by": "Composer"}, "unknown column 'agnet_by'"),
    ({"example": ""}, "no \"example\""),
])
def test_a_row_with_a_bad_value_is_refused(tmp_path, packaged, row, says):
    rows, patterns = packaged
    new = {"label": "CONDUCT", "example": "conducted by Aoi Minase", **row}
    meanings = _write(tmp_path / "meanings.jsonl", [*rows, json.dumps(new)])
    cues = _write(tmp_path / "cues.jsonl", [*patterns, '{"label": "CONDUCT", "pattern": [{"LOWER": "conducted"}]}'])
    message = _one_line_error(meanings, cues)
    assert f"{meanings}: line {len(rows) + 1} (CONDUCT)" in message and says in message


def test_a_repeated_row_and_a_line_that_is_not_json_are_refused(tmp_path, packaged):
    rows, patterns = packaged
    cues = _write(tmp_path / "cues.jsonl", patterns)
    message = _one_line_error(_write(tmp_path / "twice.jsonl", [*rows, rows[0]]), cues)
    assert f"line {len(rows) + 1} (COMPOSE) repeats line 1" in message
    message = _one_line_error(_write(tmp_path / "broken.jsonl", [*rows, "{label: 1"]), cues)
    assert f"line {len(rows) + 1} is not JSON" in message


def _types_after_reading(table: CueTable, patterns: Path, words: list[tuple[str, str]], person: str) -> set[str]:
    """The types the rules give ``person`` in one sentence of (word, part of speech), on
    a blank pipeline whose only cue words are ``patterns`` and whose only entity is
    ``person``, set by hand as a PERSON."""
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("span_ruler", config={"spans_key": "cues", "validate": True})
    ruler.add_patterns([json.loads(line) for line in _lines(patterns)])
    doc = Doc(nlp.vocab, words=[w for w, _ in words], spaces=[True] * (len(words) - 2) + [False, False],
              pos=[p for _, p in words], sent_starts=[True] + [False] * (len(words) - 1))
    first = [w for w, _ in words].index(person.split()[0])
    doc.ents = [Span(doc, first, first + len(person.split()), label="PERSON")]
    doc = ruler(doc)
    find_candidates(doc, {}, table)
    mentions = select_mentions(doc)
    type_mentions(doc, mentions, cues=table)
    return next(m.types for m in mentions if m.text == person)


# "The suite was orchestrated by Aoi Minase."
SENTENCE = [("The", "DET"), ("suite", "NOUN"), ("was", "AUX"), ("orchestrated", "VERB"), ("by", "ADP"),
            ("Aoi", "PROPN"), ("Minase", "PROPN"), (".", "PUNCT")]


def test_adding_a_cue_is_one_row_and_its_patterns(tmp_path, packaged):
    rows, patterns = packaged
    before = _types_after_reading(CUES, packaged_file(PATTERNS_FILE), SENTENCE, "Aoi Minase")
    assert "Arranger" not in before

    meanings = _write(tmp_path / "meanings.jsonl", [*rows, json.dumps(
        {"label": "ORCHESTRATE", "example": "orchestrated by Aoi Minase", "agent_by": "Arranger"})])
    cues = _write(tmp_path / "cues.jsonl", [*patterns, '{"label": "ORCHESTRATE", "pattern": [{"LOWER": "orchestrated"}]}'])
    table = load_cue_table(meanings, cues)
    assert table["ORCHESTRATE"].agent_by is EntityType.ARRANGER
    assert _types_after_reading(table, cues, SENTENCE, "Aoi Minase") == {"Arranger"}


# "The score (comps.: Aoi Minase)."; "(arr. Aoi Minase)."; "(lyr.: Aoi Minase)."
@pytest.mark.parametrize("abbreviation, dot_colon, role", [
    ("comps", [(".", "PUNCT"), (":", "PUNCT")], "Composer"),
    ("arr", [(".", "PUNCT")], "Arranger"),
    ("lyr", [(".", "PUNCT"), (":", "PUNCT")], "Lyricist"),
])
def test_abbreviated_roles_are_cues(abbreviation, dot_colon, role):
    words = [("The", "DET"), ("score", "NOUN"), ("(", "PUNCT"), (abbreviation, "NOUN"), *dot_colon,
             ("Aoi", "PROPN"), ("Minase", "PROPN"), (")", "PUNCT"), (".", "PUNCT")]
    assert role in _types_after_reading(CUES, packaged_file(PATTERNS_FILE), words, "Aoi Minase")


def test_roles_joined_before_by_each_type_the_name():
    # "All music composed & arranged by Aoi Minase ."
    words = [("All", "DET"), ("music", "NOUN"), ("composed", "VERB"), ("&", "CCONJ"), ("arranged", "VERB"),
             ("by", "ADP"), ("Aoi", "PROPN"), ("Minase", "PROPN"), (".", "PUNCT")]
    assert {"Composer", "Arranger"} <= _types_after_reading(CUES, packaged_file(PATTERNS_FILE), words, "Aoi Minase")
    # "music directed & arranged by ...": a non-music role joined adds nothing
    words[2] = ("directed", "VERB")
    assert "Composer" not in _types_after_reading(CUES, packaged_file(PATTERNS_FILE), words, "Aoi Minase")


def test_the_cue_patterns_as_phrases_find_what_the_token_patterns_find():
    from animekg.extract.pipeline import as_phrase_patterns

    rows = [json.loads(line) for line in _lines(packaged_file(PATTERNS_FILE))]
    # Without a tagger no pattern may ask for a part of speech.
    rows = [r for r in rows if not any("POS" in t for t in r["pattern"])]
    text = ("MUSIC BY Sayo Kurogane; Theme Song performed by Rin Harbor (comp. Aoi Minase, arr. Ren Mori). "
            "Lyrics: Kai Okubo. The Opening Theme and the ending theme were sung by the band.")
    found = {}
    for name, phrases in (("token", False), ("phrase", True)):
        nlp = spacy.blank("en")
        ruler = nlp.add_pipe("span_ruler", config={"spans_key": "cues", "phrase_matcher_attr": "LOWER"})
        ruler.add_patterns(as_phrase_patterns(nlp, rows) if phrases else rows)
        doc = nlp(text)
        found[name] = [(s.start, s.end, s.label_) for s in doc.spans["cues"]]
    assert len(found["token"]) >= 8
    assert found["phrase"] == found["token"]
    assert sum(isinstance(r["pattern"], str) for r in as_phrase_patterns(spacy.blank("en"), rows)) > len(rows) // 2
