"""The evaluator: the annotation spec's scoring rules on small hand-made cases, and
agreement with the shared scorer on the dev corpus when ../shared is beside the checkout."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from animekg import api
from animekg.extract.evaluate import EvaluationError, close_relations, evaluate, format_report, spec_key

SHARED = Path(__file__).resolve().parents[2].parent / "shared"


def write(folder: Path, doc: str, data: dict) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{doc}.json").write_text(json.dumps({"doc": doc, **data}), encoding="utf-8")


GOLD = {
    "entities": [
        {"name": "Yuna Minase", "types": ["Composer"], "aliases": ["Minase"]},
        {"name": "Glassmoor", "types": ["Show"]},
        {"name": "Driftward", "types": ["Song"]},
        {"name": "Some Blogger Song", "types": ["Song"]},
    ],
    "relations": [
        {"s": "Yuna Minase", "p": "composedMusicFor", "o": "Glassmoor"},
        {"s": "Driftward", "p": "openingThemeOf", "o": "Glassmoor", "hard": True},
    ],
    "ignore": ["Some Blogger Song"],
}


def test_keys_fold_what_the_spec_folds():
    assert spec_key("Minase Yuuna") == spec_key("minase yuna")
    assert spec_key("Kenta Satou") == spec_key("Kenta Sato")
    assert spec_key("The Tin-Lantern") == spec_key("tin lantern")
    assert spec_key("Café") == spec_key("cafe")


def test_derivation_rules_close_both_sides():
    closed = close_relations({("S", "openingThemeOf", "X"), ("A", "performerOf", "S"),
                              ("T", "trackOf", "Al"), ("Al", "soundtrackOf", "Y"), ("C", "composerOf", "T")})
    assert {("S", "themeSongOf", "X"), ("S", "featuredIn", "X"), ("A", "performedMusicFor", "X"),
            ("T", "featuredIn", "Y"), ("C", "composedMusicFor", "Y")} <= closed


def test_perfect_prediction_by_other_name_forms(tmp_path):
    write(tmp_path / "gold", "d", GOLD)
    write(tmp_path / "pred", "d", {
        "entities": [{"name": "Minase Yuuna", "types": ["Composer"]}, {"name": "Glassmoor", "types": ["Show"]},
                     {"name": "Driftward", "types": ["Song"]}],
        "relations": [{"s": "Minase Yuuna", "p": "composedMusicFor", "o": "Glassmoor"},
                      {"s": "Driftward", "p": "openingThemeOf", "o": "Glassmoor"}]})
    scores = evaluate(tmp_path / "gold", tmp_path / "pred").scores
    assert scores["strict/relations"]["f1"] == 1.0
    assert scores["strict/entities"]["f1"] == 1.0


def test_hard_relations_count_only_when_strict(tmp_path):
    write(tmp_path / "gold", "d", GOLD)
    write(tmp_path / "pred", "d", {
        "entities": [{"name": "Yuna Minase", "types": ["Composer"]}, {"name": "Glassmoor", "types": ["Show"]}],
        "relations": [{"s": "Yuna Minase", "p": "composedMusicFor", "o": "Glassmoor"}]})
    scores = evaluate(tmp_path / "gold", tmp_path / "pred").scores
    # strict: the hard opening theme and what it implies (themeSongOf, featuredIn) are missed
    assert scores["strict/relations"]["fn"] == 3 and scores["strict/relations"]["tp"] == 1
    assert scores["lenient/relations"]["fn"] == 0 and scores["lenient/relations"]["f1"] == 1.0


def test_ignored_names_and_missing_predictions(tmp_path):
    write(tmp_path / "gold", "d", GOLD)
    write(tmp_path / "gold", "e", {"entities": [{"name": "Glassmoor", "types": ["Show"]}], "relations": []})
    write(tmp_path / "pred", "d", {"entities": [{"name": "Some Blogger Song", "types": ["Song"]}], "relations": []})
    result = evaluate(tmp_path / "gold", tmp_path / "pred")
    assert result.scores["strict/entities"]["fp"] == 0          # the ignored name is no error
    assert result.per_doc["e"]["f1"] == 1.0                      # no relations on either side
    assert result.scores["strict/entities"]["fn"] == 4           # 3 in d, 1 in e with no prediction


def test_bad_files_are_named(tmp_path):
    write(tmp_path / "gold", "d", {"entities": [{"name": "X", "types": ["Director"]}], "relations": []})
    (tmp_path / "pred").mkdir()
    with pytest.raises(EvaluationError, match="unknown entity types"):
        evaluate(tmp_path / "gold", tmp_path / "pred")
    with pytest.raises(EvaluationError, match="no gold"):
        evaluate(tmp_path / "pred", tmp_path / "pred")


@pytest.mark.skipif(not (SHARED / "tools" / "score.py").is_file(), reason="../shared is not beside this checkout")
def test_agrees_with_the_shared_scorer_on_the_dev_corpus(tmp_path):
    corpus = SHARED / "corpus" / "dev"
    api.extract_to_folder([corpus / "docs"], tmp_path)
    theirs = subprocess.run([sys.executable, str(SHARED / "tools" / "score.py"), str(corpus), str(tmp_path),
                             "--per-doc", "--show-errors"], capture_output=True, text=True, check=True).stdout
    ours = format_report(evaluate(corpus, tmp_path), per_doc=True, show_errors=True)
    assert ours.strip() == theirs.strip()


def test_reliability_buckets_predicted_credits_by_confidence(tmp_path):
    from animekg.extract.evaluate import format_reliability, reliability

    gold, pred = tmp_path / "gold", tmp_path / "pred"
    gold.mkdir()
    pred.mkdir()
    entities = [{"name": "Aoi Minase", "types": ["Composer"]}, {"name": "Glass Orchard", "types": ["Show"]},
                {"name": "Paper Comet", "types": ["Song"]}]
    (gold / "d.json").write_text(json.dumps({"doc": "d", "entities": entities, "relations": [
        {"s": "Aoi Minase", "p": "composerOf", "o": "Paper Comet"},
        {"s": "Paper Comet", "p": "openingThemeOf", "o": "Glass Orchard"}]}), encoding="utf-8")
    (pred / "d.json").write_text(json.dumps({"doc": "d", "entities": entities, "relations": [
        {"s": "Aoi Minase", "p": "composedMusicFor", "o": "Glass Orchard", "confidence": 0.93},  # implied: right
        {"s": "Paper Comet", "p": "featuredIn", "o": "Glass Orchard", "confidence": 0.91},
        {"s": "Aoi Minase", "p": "performerOf", "o": "Paper Comet", "confidence": 0.45}]}), encoding="utf-8")
    rows = reliability(gold, pred)
    assert [(r.low, r.count, r.share_correct) for r in rows] == [(0.4, 1, 0.0), (0.9, 2, 1.0)]
    assert rows[1].mean_confidence == 0.92
    assert "0.9-1.0" in format_reliability(rows)
