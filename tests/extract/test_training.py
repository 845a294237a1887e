"""`animekg train` on a small corpus we wrote (tests/data/train): the training path end to
end, run as a user runs it, and its reproducibility. Nothing here needs ../shared."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from animekg.extract.corpus import Kind
from animekg.extract.learned import MODEL_FILE, RECOGNIZER_DIR, CreditModel
from animekg.extract.pipeline import load_base
from animekg.extract.training import KEPT_STOCK_LABELS, with_labels_only

TRAIN = Path(__file__).parents[1] / "data" / "train"
EPOCHS = "4"


def animekg(*args, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    return subprocess.run([sys.executable, "-m", "animekg", *map(str, args)], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def trained(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("model")
    result = animekg("train", TRAIN, "--out", out, "--epochs", EPOCHS, cwd=out)
    assert result.returncode == 0, result.stderr
    assert "trained on 6 documents" in result.stdout
    assert "0 of 38 gold entities could not be placed" in result.stdout
    return out


def test_train_writes_a_model_that_extract_loads(trained, tmp_path):
    assert (trained / RECOGNIZER_DIR / "ner").is_dir()
    model = CreditModel.load(trained)
    assert set(model.relations) >= {"performerOf", "composedMusicFor", "trackOf"}
    figures = json.loads((trained / "training.json").read_text(encoding="utf-8"))
    assert figures["documents"] == 6 and figures["recognizer"]["epochs"] == int(EPOCHS)
    out = tmp_path / "pred"
    result = animekg("extract", TRAIN / "docs", "--out", out, "--model", trained, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    predictions = sorted(p.name for p in out.glob("*.json"))
    assert predictions == [f"t{n}.json" for n in range(1, 7)]
    for path in out.glob("*.json"):
        data = json.loads(path.read_text(encoding="utf-8"))
        names = {e["name"] for e in data["entities"]}
        for rel in data["relations"]:
            assert rel["s"] in names and rel["o"] in names
            assert 0.0 <= rel["confidence"] <= 1.0


def test_the_trained_recognizer_knows_only_the_labels_it_was_trained_to_give(trained):
    meta = json.loads((trained / RECOGNIZER_DIR / "meta.json").read_text(encoding="utf-8"))
    assert set(meta["labels"]["ner"]) == KEPT_STOCK_LABELS | {kind.value for kind in Kind}


def test_dropping_labels_keeps_what_the_recognizer_finds_with_the_others():
    nlp = load_base()
    # Invented sentences where the stock recognizer finds dates and numbers only.
    texts = ["The second pressing came out on 3 March 2021 with 24 tracks.",
             "Two years later, 40 copies were left, and the third run sold out in a week."]
    before = [[(e.start, e.end, e.label_) for e in doc.ents] for doc in nlp.pipe(texts)]
    assert sum(map(len, before)) >= 4 and {label for ents in before for *_, label in ents} <= KEPT_STOCK_LABELS
    with_labels_only(nlp, KEPT_STOCK_LABELS)
    assert set(nlp.get_pipe("ner").labels) == KEPT_STOCK_LABELS
    assert nlp.pipe_names.index("ner") > nlp.pipe_names.index("tok2vec")
    assert [[(e.start, e.end, e.label_) for e in doc.ents] for doc in nlp.pipe(texts)] == before


def test_training_again_with_the_same_seed_gives_the_same_model(trained, tmp_path):
    again = tmp_path / "again"
    result = animekg("train", TRAIN, "--out", again, "--epochs", EPOCHS, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (again / MODEL_FILE).read_bytes() == (trained / MODEL_FILE).read_bytes()
    assert (again / RECOGNIZER_DIR / "ner" / "model").read_bytes() == \
        (trained / RECOGNIZER_DIR / "ner" / "model").read_bytes()


def test_train_on_a_folder_that_is_no_corpus_is_a_one_line_error(tmp_path):
    result = animekg("train", tmp_path, "--out", tmp_path / "out", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"animekg: error: {tmp_path}: not a corpus folder (it needs docs/ and gold/ beside each other)"]


def test_cross_validation_by_document_scores_each_held_out_part(tmp_path):
    out = tmp_path / "cv"
    first = animekg("train", TRAIN, "--out", out, "--cross-validate", "2", "--fold", "1", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert first.stdout.strip() == f"1 of 2 folds done in {out}"
    second = animekg("train", TRAIN, "--out", out, "--cross-validate", "2", "--fold", "2", cwd=tmp_path)
    assert second.returncode == 0, second.stderr
    pooled = json.loads(second.stdout)
    assert set(pooled) >= {"entities", "types", "relations"}
    figures = json.loads((out / "cross_validation.json").read_text(encoding="utf-8"))
    assert len(figures["folds"]) == 2
    held_out = sorted(p.stem for k in (1, 2) for p in (out / f"predictions-{k}").glob("*.json"))
    assert held_out == [f"t{n}" for n in range(1, 7)]  # every document predicted once, by a model that never saw it


def test_name_swapped_copies_keep_each_span_on_a_name_of_its_kind():
    import random

    import spacy

    from animekg.extract.corpus import read_corpus
    from animekg.extract.training import recognizer_examples, swap_names

    text, spans = "Aoi Minase sang Paper Comet for Glass Orchard.", [(0, 10, "AGENT"), (16, 27, "SONG"), (32, 45, None)]
    names = {"AGENT": ["Rin Aozora"], "SONG": ["Tin Kite"], "SHOW": ["Iron Lotus"]}
    swapped, moved = swap_names(text, spans, names, random.Random(3))
    assert swapped == "Rin Aozora sang Tin Kite for Glass Orchard."
    assert [swapped[a:b] for a, b, _ in moved] == ["Rin Aozora", "Tin Kite", "Glass Orchard"]
    assert [label for _, _, label in moved] == ["AGENT", "SONG", None]

    corpus = read_corpus(Path(__file__).resolve().parents[1] / "data" / "train")
    nlp = spacy.blank("en")
    plain, _, _ = recognizer_examples(nlp, nlp, corpus)
    doubled, _, _ = recognizer_examples(nlp, nlp, corpus, swapped_copies=1, seed=5)
    assert len(doubled) == 2 * len(plain)
    gold_names = {e.text for ex in plain for e in ex.reference.ents}
    # every copy's names are the corpus's own names, of the same label
    labels_of = {}
    for ex in plain:
        for e in ex.reference.ents:
            labels_of.setdefault(e.text, set()).add(e.label_)
    for ex in doubled[1::2]:
        for e in ex.reference.ents:
            assert e.text in gold_names and e.label_ in labels_of[e.text]


def test_swapped_copies_are_asked_for_on_the_command_line(tmp_path):
    out = tmp_path / "swapped"
    result = animekg("train", TRAIN, "--out", out, "--epochs", "1", "--swapped-copies", "1", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    figures = json.loads((out / "training.json").read_text(encoding="utf-8"))["recognizer"]
    assert figures["swapped_copies"] == 1 and figures["examples"] == 12  # six texts, each twice
    bad = animekg("train", TRAIN, "--out", out, "--swapped-copies", "-1", cwd=tmp_path)
    assert bad.returncode == 1 and bad.stderr.strip() == "animekg: error: --swapped-copies must be 0 or more, not -1"


def test_a_relation_with_too_few_examples_is_left_to_the_rules_where_they_do_better():
    from animekg.extract.training import MIN_POSITIVES_TO_LEARN, ScorerRows, ScorerSettings, train_scorer

    rows = ScorerRows([], [], [], [], [], [], [])
    # memberOf: 6 true pairs among 200, the rules voting for 5 of them and 2 false ones (too
    # few for a regularized scorer to learn); performerOf: enough true pairs to learn from.
    for n in range(200):
        member, performer = n < 6, n < MIN_POSITIVES_TO_LEARN + 10
        voted = 1 <= n < 8
        rows.pair_features.append(frozenset({"x"} | ({"rule=memberOf"} if voted else set())))
        rows.pair_kinds.append(("AGENT", "AGENT"))
        rows.pair_labels.append({"memberOf"} if member else set())
        rows.pair_docs.append(n % 10)
        rows.pair_features.append(frozenset({"y"} | ({"rule=performerOf"} if performer else set())))
        rows.pair_kinds.append(("AGENT", "SONG"))
        rows.pair_labels.append({"performerOf"} if performer else set())
        rows.pair_docs.append(n % 10)
    for n in range(20):
        rows.entity_features.append(frozenset({"k"}))
        rows.entity_labels.append({"Performer"} if n % 2 else set())
        rows.entity_docs.append(n % 10)
    model = train_scorer(rows, ScorerSettings(), log=lambda _: None)
    assert model.rule_relations.get("memberOf") == round(5 / 7, 3)
    assert "performerOf" not in model.rule_relations
    assert model.probability("memberOf", frozenset({"x", "rule=memberOf"})) == round(5 / 7, 3)
    assert model.probability("memberOf", frozenset({"x"})) == 0.0
    no_rules = train_scorer(rows, ScorerSettings(use_rules=False), log=lambda _: None)
    assert no_rules.rule_relations == {}
