"""The shipped model against the shared valid/ corpus: texts nobody wrote a rule or chose a
weight from. Measured only: the figures are in the README; these tests hold what must stay
true whatever they are.

They skip without ../shared (a user's clone) and without a shipped model (`make model`).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from animekg import api
from animekg.extract.pipeline import resolve_model

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
CORPUS = SHARED / "corpus" / "valid"

pytestmark = [pytest.mark.trained_model,
              pytest.mark.skipif(not (CORPUS / "docs").is_dir(), reason="../shared/corpus/valid is not beside this checkout"),
              pytest.mark.skipif(resolve_model(None)[1] is None, reason="no trained model is shipped (make model)")]


@pytest.fixture(scope="module")
def learned():
    return api.evaluate(CORPUS)


@pytest.fixture(scope="module")
def rules():
    return api.evaluate(CORPUS, model="stock")


def f1(evaluation, what: str) -> float:
    return evaluation.scores[f"strict/{what}"]["f1"]


def test_the_learned_model_reads_unseen_texts_better_than_the_rules_alone(learned, rules):
    assert f1(learned, "entities") > f1(rules, "entities")
    assert f1(learned, "types") > f1(rules, "types")
    assert f1(learned, "relations") > f1(rules, "relations")


def test_confidence_is_calibrated_where_there_are_enough_credits(learned):
    buckets = [r for r in learned.reliability if r.count >= 20]
    assert buckets
    for r in buckets:
        assert abs(r.share_correct - r.mean_confidence) <= 0.10, r
