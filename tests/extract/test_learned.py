"""Calibrated linear scorers and the credit model file."""

from __future__ import annotations

import json

import pytest

from animekg.errors import ModelError
from animekg.extract.learned import MODEL_FILE, CreditModel, LinearScorer


def test_probability_is_the_calibrated_sigmoid_of_the_score():
    scorer = LinearScorer({"btw=by": 2.0, "kinds=AGENT>SONG": 0.5}, bias=-1.0, calibration=(2.0, -0.5))
    assert scorer.score({"btw=by", "kinds=AGENT>SONG", "unknown"}) == pytest.approx(1.5)
    assert scorer.probability({"btw=by", "kinds=AGENT>SONG"}) == pytest.approx(1 / (1 + 2.718281828 ** -2.5), rel=1e-6)
    assert scorer.probability(set()) < scorer.probability({"btw=by"})


def test_model_round_trips_through_its_json_file(tmp_path):
    model = CreditModel({"performerOf": LinearScorer({"btw=by": 1.25}, -0.5, (1.1, 0.2))},
                        {"Song": LinearScorer({"kind=SONG": 3.0}, -1.0)}, threshold=0.4, type_threshold=0.45,
                        use_rules=False, info={"pairs": 3}, entity=LinearScorer({"found_by=NER": 1.0}, 0.0),
                        entity_threshold=0.3)
    model.save(tmp_path)
    assert CreditModel.load(tmp_path) == model


def test_a_model_file_of_another_format_is_refused_with_what_to_do(tmp_path):
    (tmp_path / MODEL_FILE).write_text(json.dumps({"format": 99}), encoding="utf-8")
    with pytest.raises(ModelError, match="retrain it with `animekg train"):
        CreditModel.load(tmp_path)
    with pytest.raises(ModelError, match="cannot read the credit model"):
        CreditModel.load(tmp_path / "missing")


def test_a_relation_left_to_the_rules_takes_their_share_right_where_they_vote(tmp_path):
    scorer = LinearScorer({"rule=memberOf": 5.0}, -1.0)
    model = CreditModel({"memberOf": scorer, "performerOf": scorer}, {}, 0.2, rule_relations={"memberOf": 0.43})
    voted, silent = frozenset({"rule=memberOf"}), frozenset({"words=member"})
    assert model.probability("memberOf", voted) == 0.43
    assert model.probability("memberOf", silent) == 0.0
    assert model.probability("performerOf", silent) == pytest.approx(scorer.probability(silent))
    loaded = CreditModel.load(model.save(tmp_path).parent)
    assert loaded.rule_relations == {"memberOf": 0.43}
    assert loaded.probability("memberOf", voted) == 0.43
