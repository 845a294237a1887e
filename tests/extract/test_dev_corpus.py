"""The reading rules against the shared dev corpus, scored by the shared scorer.

The rules were written from these 16 texts, so these are training scores: they hold the
rules (``--model stock``: the stock pipeline, no learned part) where they stood, strict
F1 of entities and types >= 0.85, of relations >= 0.75, and no relation the corpus has
left with zero recall. The learned model is measured on valid/ (test_valid_corpus.py).

The corpus and scorer live beside the checkout in ../shared, which a user's clone does
not have: then these tests skip.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from animekg import api

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
CORPUS = SHARED / "corpus" / "dev"
SCORER = SHARED / "tools" / "score.py"

pytestmark = pytest.mark.skipif(not (CORPUS / "docs").is_dir() or not SCORER.is_file(),
                                reason="../shared (dev corpus and scorer) is not beside this checkout")


@pytest.fixture(scope="module")
def scores(tmp_path_factory) -> dict:
    out = tmp_path_factory.mktemp("predictions")
    api.extract_to_folder([CORPUS / "docs"], out, model="stock")
    result = subprocess.run([sys.executable, str(SCORER), str(CORPUS), str(out), "--json"],
                            capture_output=True, text=True, check=True)
    return json.loads(result.stdout)["scores"]


def test_every_document_gets_a_prediction(tmp_path):
    written = api.extract_to_folder([CORPUS / "docs"], tmp_path, model="stock")
    assert sorted(p.stem for p in written) == sorted(p.stem for p in (CORPUS / "gold").glob("*.json"))


def test_strict_relations_f1(scores):
    assert scores["strict/relations"]["f1"] >= 0.75


def test_strict_entities_and_types_f1(scores):
    assert scores["strict/entities"]["f1"] >= 0.85
    assert scores["strict/types"]["f1"] >= 0.85


def test_no_relation_of_the_corpus_is_never_found(scores):
    missed = [key for key, s in scores.items()
              if key.startswith("strict/relation/") and s["tp"] + s["fn"] > 0 and s["tp"] == 0]
    assert missed == []
