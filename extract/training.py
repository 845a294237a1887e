"""Training animekg's learned parts from an annotated corpus, reproducibly.

Two parts are learned, each from the same ``train/`` corpus and fixed seeds:

1. the entity recognizer: the English pipeline's own NER, retrained (from its weights)
   to label AGENT, SHOW, SONG, ALBUM and LABEL mentions; it keeps the stock model's
   dates and numbers, which the rules read, by training on its own guesses for them;
2. the credit scorer (:mod:`animekg.extract.scorer`): a classifier per relation over
   candidate pairs of entities, calibrated on cross-validation folds.

``animekg train CORPUS --out DIR`` writes both into DIR; ``animekg extract --model DIR``
loads them.
"""

from __future__ import annotations

import copy
import json
import random
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.training import Example
from spacy.util import fix_random_seed, minibatch

from .corpus import AnnotatedDocument, Kind, place_entities
from .learned import CreditModel, LinearScorer
from .records import Entity

# The stock NER's labels the rules still read ("July 30", "2019", "13 episodes").
KEPT_STOCK_LABELS = {"DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY"}
# Training pieces: lines joined up to this many characters, so batches mix documents.
PIECE_CHARS = 1500

Log = Callable[[str], None]


@dataclass(frozen=True)
class RecognizerSettings:
    epochs: int = 30
    dropout: float = 0.35
    batch_size: int = 8
    seed: int = 13
    # Copies of each training piece with its names swapped for other names of the same
    # kind from the corpus: the recognizer learns how a name stands, not which it is.
    swapped_copies: int = 0


def _pieces(text: str, start: int) -> Iterator[tuple[int, int]]:
    """(start, end) of runs of whole lines of at most PIECE_CHARS characters (a longer
    line is a piece of its own)."""
    begin = start
    cut = start
    for m in _PARAGRAPH_END.finditer(text, start):
        if m.end() - begin > PIECE_CHARS and cut > begin:
            yield begin, cut
            begin = cut
        cut = m.end()
    if len(text) > begin:
        if len(text) - begin > PIECE_CHARS and cut > begin:
            yield begin, cut
            begin = cut
        yield begin, len(text)


_PARAGRAPH_END = re.compile(r"\n+|$")


def _bilou(span_length: int, i: int, label: str) -> str:
    if span_length == 1:
        return f"U-{label}"
    return ("B-" if i == 0 else "L-" if i == span_length - 1 else "I-") + label


def _example(nlp: Language, stock: Language, text: str, spans: list[tuple[int, int, str | None]]) -> Example:
    """A training example of a text whose names are at ``spans`` (label None: a name the
    gold leaves undecided, neither right nor wrong), the stock model's dates and numbers
    elsewhere, and nothing else."""
    doc = nlp.make_doc(text)
    tags = ["O"] * len(doc)
    gold_tokens = set()
    for start, end, label in spans:
        span = doc.char_span(start, end, alignment_mode="contract")
        if span is None or not len(span):
            continue
        for i, tok in enumerate(span):
            gold_tokens.add(tok.i)
            tags[tok.i] = "-" if label is None else _bilou(len(span), i, label)
    for ent in stock(text).ents:
        if ent.label_ in KEPT_STOCK_LABELS:
            span = doc.char_span(ent.start_char, ent.end_char, alignment_mode="contract")
            if span is None or any(t.i in gold_tokens for t in span):
                continue
            for i, tok in enumerate(span):
                tags[tok.i] = _bilou(len(span), i, ent.label_)
    return Example.from_dict(doc, {"entities": tags})


Spans = list[tuple[int, int, str | None]]


def swap_names(text: str, spans: Spans, names: dict[str, list[str]], rng: random.Random) -> tuple[str, Spans]:
    """The text with each named span's name replaced by a name of the same kind drawn
    from ``names`` (undecided spans keep theirs), and the spans where the names now stand.

    >>> swap_names("Aoi sang Kite.", [(0, 3, "AGENT"), (9, 13, "SONG")],
    ...            {"AGENT": ["Rin Sato"], "SONG": ["Tin Moon"]}, random.Random(1))
    ('Rin Sato sang Tin Moon.', [(0, 8, 'AGENT'), (14, 22, 'SONG')])
    """
    out, moved, at = [], [], 0
    for start, end, label in sorted(spans):
        if start < at:
            continue  # overlapping spans: the first stands
        name = rng.choice(names[label]) if label in names and names[label] else text[start:end]
        out.append(text[at:start])
        begin = sum(len(x) for x in out)
        out.append(name)
        moved.append((begin, begin + len(name), label))
        at = end
    out.append(text[at:])
    return "".join(out), moved


def recognizer_examples(nlp: Language, stock: Language, corpus: list[AnnotatedDocument],
                        swapped_copies: int = 0, seed: int = 13) -> tuple[list[Example], int, int]:
    """Training examples of the recognizer (and ``swapped_copies`` name-swapped copies of
    each), and the counts of gold entities placed and not."""
    examples, placed_count, missing_count = [], 0, 0
    pieces: list[tuple[str, Spans]] = []
    for item in corpus:
        spans, missing = place_entities(item)
        placed_count += len(item.entities) - len(missing)
        missing_count += len(missing)
        text = item.document.text
        body = text.find("\n") + 1 if text.startswith("source:") else 0
        for start, end in _pieces(text, body):
            piece = text[start:end]
            if not piece.strip():
                continue
            pieces.append((piece, [(s.start - start, s.end - start, s.kind.value if s.kind is not None else None)
                                   for s in spans if s.start >= start and s.end <= end]))
    names: dict[str, list[str]] = {}
    for piece, spans in pieces:
        for start, end, label in spans:
            if label is not None:
                names.setdefault(label, []).append(piece[start:end])
    names = {label: sorted(set(found)) for label, found in names.items()}
    rng = random.Random(seed)
    for piece, spans in pieces:
        examples.append(_example(nlp, stock, piece, spans))
        for _ in range(swapped_copies):
            examples.append(_example(nlp, stock, *swap_names(piece, spans, names, rng)))
    return examples, placed_count, missing_count


def train_recognizer(nlp: Language, corpus: list[AnnotatedDocument], settings: RecognizerSettings,
                     log: Log = print) -> dict:
    """Retrain ``nlp``'s NER in place on the corpus; figures of the run."""
    fix_random_seed(settings.seed)
    rng = random.Random(settings.seed)
    stock = spacy.blank("en")
    stock.tokenizer = nlp.tokenizer
    stock.add_pipe("ner", source=nlp)
    examples, placed, missing = recognizer_examples(nlp, stock, corpus, settings.swapped_copies, settings.seed)
    ner = nlp.get_pipe("ner")
    for kind in Kind:
        ner.add_label(kind.value)
    optimizer = nlp.resume_training()
    started = time.monotonic()
    losses: dict[str, float] = {}
    with nlp.select_pipes(enable=["ner"]):
        for epoch in range(settings.epochs):
            rng.shuffle(examples)
            losses = {}
            for batch in minibatch(examples, size=settings.batch_size):
                nlp.update(batch, sgd=optimizer, drop=settings.dropout, losses=losses)
            log(f"recognizer epoch {epoch + 1}/{settings.epochs}: loss {losses.get('ner', 0.0):.1f} "
                f"({time.monotonic() - started:.0f} s)")
    with_labels_only(nlp, KEPT_STOCK_LABELS | {kind.value for kind in Kind})
    return {"examples": len(examples), "gold_entities_placed": placed, "gold_entities_unplaced": missing,
            "epochs": settings.epochs, "swapped_copies": settings.swapped_copies,
            "final_loss": round(float(losses.get("ner", 0.0)), 2),
            "seconds": round(time.monotonic() - started, 1)}


def with_labels_only(nlp: Language, keep: set[str]) -> None:
    """Replace ``nlp``'s NER by one that knows only the labels in ``keep``, with the same
    weights. The retrained recognizer still carries every stock label (a person, a
    country, a law...), trained never to fire; each costs four actions scored at every
    token, so dropping them makes the recognizer a third faster. It reads the same:
    the dropped actions were never its best choice where it was trained.
    """
    old = nlp.get_pipe("ner")
    new = nlp.add_pipe("ner", name="ner_kept", after="ner",
                       config={"model": copy.deepcopy(nlp.config["components"]["ner"]["model"])})
    for label in old.labels:
        if label in keep:
            new.add_label(label)
    new.initialize(lambda: [Example.from_dict(nlp.make_doc("a"), {"entities": ["O"]})], nlp=nlp)
    for part in ("tok2vec", "lower"):
        for source, target in zip(old.model.get_ref(part).walk(), new.model.get_ref(part).walk(), strict=True):
            for name in source.param_names:
                target.set_param(name, source.get_param(name).copy())
    # The output layer has a row per action: keep the rows of the actions kept.
    row_of = {old.moves.get_class_name(i): i for i in range(old.moves.n_moves)}
    rows = [row_of[new.moves.get_class_name(i)] for i in range(new.moves.n_moves)]
    source, target = old.model.get_ref("upper"), new.model.get_ref("upper")
    target.set_param("W", source.get_param("W")[rows].copy())
    target.set_param("b", source.get_param("b")[rows].copy())
    nlp.remove_pipe("ner")
    nlp.rename_pipe("ner_kept", "ner")


def recognizer_scores(nlp: Language, corpus: list[AnnotatedDocument]) -> dict:
    """Mention-level precision, recall and F1 of the recognizer against placed gold spans."""
    tp = fp = fn = 0
    texts = [item.document.text for item in corpus]
    with nlp.select_pipes(enable=["ner"]):
        for item, doc in zip(corpus, nlp.pipe(texts), strict=True):
            spans, _ = place_entities(item)
            gold = {(s.start, s.end, s.kind.value) for s in spans if s.kind is not None}
            undecided = {(s.start, s.end) for s in spans if s.kind is None}
            pred = {(e.start_char, e.end_char, e.label_) for e in doc.ents
                    if e.label_ in Kind.__members__ and (e.start_char, e.end_char) not in undecided}
            tp += len(gold & pred)
            fp += len(pred - gold)
            fn += len(gold - pred)
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(2 * p * r / (p + r), 3) if p + r else 0.0}


def write_json(path: Path, data: dict) -> None:
    path.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf-8")





# -- the credit scorer ---------------------------------------------------------------------

# Fewer true pairs than this in the training corpus, and a relation's scorer has too
# little to learn from (see train_scorer).
MIN_POSITIVES_TO_LEARN = 30


@dataclass(frozen=True)
class ScorerSettings:
    folds: int = 5
    regularization: float = 0.1  # scikit-learn's C: smaller is a simpler model
    seed: int = 13
    use_rules: bool = True
    # The scorer learns from what a recognizer finds in texts it was NOT trained on: the
    # corpus is split in this many parts, each read by a recognizer trained on the others
    # (1: read by the final recognizer, which knows every text: quicker, less honest).
    cross_fit: int = 2


@dataclass(frozen=True)
class ScorerRows:
    """Candidate pairs and entities of a corpus, with their gold answers and documents."""

    pair_features: list[frozenset[str]]
    pair_kinds: list[tuple[str, str]]
    pair_labels: list[set[str]]
    pair_docs: list[int]
    entity_features: list[frozenset[str]]
    entity_labels: list[set[str]]
    entity_docs: list[int]
    # Gold relations no candidate pair stands for (an entity not found, no pair made):
    # misses whatever the scorer does, so they count when a threshold is chosen.
    uncovered_gold: list[int] = field(default_factory=list)


def gold_matcher(item: AnnotatedDocument) -> tuple[Callable[[Entity], str | None], set[tuple[str, str, str]], dict[str, set[str]]]:
    """Which gold entity a predicted one is (by the spec's name matching), the gold
    relations closed under the spec's rules, and the gold types closed likewise."""
    from .evaluate import close_relations, close_types, name_forms

    gold_forms = [(e.name, name_forms(e.forms)) for e in item.entities]
    ignored = name_forms(item.ignore)
    triples = close_relations({(r.subject, r.relation, r.object) for r in item.relations})
    types: dict[str, set[str]] = {}
    for name, typ in close_types({(e.name, t) for e in item.entities for t in e.types}, triples):
        types.setdefault(name, set()).add(typ)

    def match(entity: Entity) -> str | None:
        forms = name_forms(entity.forms)
        if forms & ignored:
            return None
        return next((name for name, gforms in gold_forms if forms & gforms), None)
    return match, triples, types


def scorer_rows(nlp: Language, corpus: list[AnnotatedDocument], use_rules: bool) -> ScorerRows:
    from .pipeline import read_by_rules, split_segments
    from .reading import candidates_for_training

    rows = ScorerRows([], [], [], [], [], [], [])
    for n, item in enumerate(corpus):
        match, triples, types = gold_matcher(item)
        covered: set[tuple[str, str]] = set()
        texts = [text for _, text in split_segments(item.document.text)]
        for doc in nlp.pipe(texts):
            rules = read_by_rules(doc) if use_rules else None
            entities, candidates, kinds, features = candidates_for_training(doc, rules)
            for c in candidates:
                gs, go = match(c.subject), match(c.object)
                rows.pair_features.append(c.features)
                rows.pair_kinds.append((kinds.get(id(c.subject), ""), kinds.get(id(c.object), "")))
                rows.pair_labels.append({p for s, p, o in triples if s == gs and o == go} if gs and go else set())
                rows.pair_docs.append(n)
                covered.add((gs, go))
            for e in entities:
                g = match(e)
                rows.entity_features.append(features[id(e)])
                rows.entity_labels.append(types.get(g, set()) if g else set())
                rows.entity_docs.append(n)
        rows.uncovered_gold.append(sum(1 for s, _, o in triples if (s, o) not in covered))
    return rows


def _fit_calibrated(features: list[frozenset[str]], labels: list[int], groups: list[int],
                    settings: ScorerSettings) -> tuple[LinearScorer, list[float]]:
    """A logistic regression on binary features, and Platt scaling fitted on its scores
    out of fold (folds by document); the scorer and the out-of-fold probabilities."""
    import numpy as np
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GroupKFold

    y = np.array(labels)
    vectorizer = DictVectorizer()
    X = vectorizer.fit_transform([{f: 1 for f in fs} for fs in features])
    if y.sum() == 0 or y.sum() == len(y):
        bias = 10.0 if y.sum() else -10.0
        return LinearScorer({}, bias), [float(y.mean())] * len(y)

    def model():
        return LogisticRegression(C=settings.regularization, max_iter=2000, solver="lbfgs",
                                  random_state=settings.seed)
    folds = min(settings.folds, len(set(groups)))
    if folds < 2:  # one document: nothing to calibrate on, the plain logistic scores stand
        final = model().fit(X, y)
        names = vectorizer.get_feature_names_out()
        weights = {str(names[i]): round(float(w), 5) for i, w in enumerate(final.coef_[0]) if abs(w) > 1e-5}
        return LinearScorer(weights, round(float(final.intercept_[0]), 5)), final.predict_proba(X)[:, 1].tolist()
    out_of_fold = np.zeros(len(y))
    for train_idx, test_idx in GroupKFold(n_splits=folds).split(X, y, groups):
        if y[train_idx].sum() in (0, len(train_idx)):
            out_of_fold[test_idx] = 10.0 if y[train_idx].sum() else -10.0
            continue
        out_of_fold[test_idx] = model().fit(X[train_idx], y[train_idx]).decision_function(X[test_idx])
    platt = LogisticRegression(C=1e6, solver="lbfgs", max_iter=1000).fit(out_of_fold.reshape(-1, 1), y)
    a, b = float(platt.coef_[0][0]), float(platt.intercept_[0])
    final = model().fit(X, y)
    names = vectorizer.get_feature_names_out()
    weights = {str(names[i]): round(float(w), 5) for i, w in enumerate(final.coef_[0]) if abs(w) > 1e-5}
    oof_probability = 1.0 / (1.0 + np.exp(-(a * out_of_fold + b)))
    return LinearScorer(weights, round(float(final.intercept_[0]), 5), (round(a, 5), round(b, 5))), oof_probability.tolist()


def train_scorer(rows: ScorerRows, settings: ScorerSettings, log: Log = print) -> CreditModel:
    from .records import ENTITY_TYPES
    from .scorer import RELATION_KINDS, kinds_allowed

    relations: dict[str, LinearScorer] = {}
    by_relation: dict[str, tuple[list[float], list[int], list[bool]]] = {}
    for relation in RELATION_KINDS:
        idx = [i for i, (ks, ko) in enumerate(rows.pair_kinds) if kinds_allowed(relation, ks, ko)]
        if not idx:
            continue
        labels = [int(relation in rows.pair_labels[i]) for i in idx]
        scorer, probabilities = _fit_calibrated([rows.pair_features[i] for i in idx], labels,
                                                [rows.pair_docs[i] for i in idx], settings)
        relations[relation] = scorer
        by_relation[relation] = (probabilities, labels, [f"rule={relation}" in rows.pair_features[i] for i in idx])
        log(f"scorer {relation}: {len(idx)} pairs, {sum(labels)} true")
    threshold = _best_threshold([(p, y) for ps, ys, _ in by_relation.values() for p, y in zip(ps, ys, strict=True)],
                                missed=sum(rows.uncovered_gold))
    rule_relations = {}
    for relation, (probabilities, labels, voted) in by_relation.items():
        # Where the scorer had too few examples to learn from, the rules' own votes may do
        # better. Only there: the rules were written from this corpus, so their score on it
        # flatters them against the scorer's out-of-fold one.
        rules_f1, rules_precision = _f1([(1.0 if v else 0.0, y) for v, y in zip(voted, labels, strict=True)], 0.5)
        scorer_f1, _ = _f1(list(zip(probabilities, labels, strict=True)), threshold)
        if settings.use_rules and sum(labels) < MIN_POSITIVES_TO_LEARN and rules_f1 > scorer_f1 \
                and rules_precision >= threshold:
            rule_relations[relation] = round(rules_precision, 3)
            log(f"scorer {relation}: the rules' votes ({rules_f1:.2f} F1 on the corpus) over the scorer's "
                f"({scorer_f1:.2f} out of fold)")
    types: dict[str, LinearScorer] = {}
    type_oof: list[tuple[float, int]] = []
    for typ in ENTITY_TYPES:
        labels = [int(typ in labels) for labels in rows.entity_labels]
        scorer, probabilities = _fit_calibrated(rows.entity_features, labels, rows.entity_docs, settings)
        types[typ] = scorer
        type_oof += list(zip(probabilities, labels, strict=True))
    type_threshold = _best_threshold(type_oof)
    labels = [int(bool(labels)) for labels in rows.entity_labels]
    entity, entity_oof = _fit_calibrated(rows.entity_features, labels, rows.entity_docs, settings)
    entity_threshold = _best_threshold(list(zip(entity_oof, labels, strict=True)), low=0.05)
    log(f"scorer thresholds: credits {threshold:.2f}, types {type_threshold:.2f}, entities {entity_threshold:.2f}")
    return CreditModel(relations, types, threshold, type_threshold, settings.use_rules,
                       {"pairs": len(rows.pair_features), "entities": len(rows.entity_features)},
                       entity, entity_threshold, rule_relations)


def _counts(scored: list[tuple[float, int]], threshold: float) -> tuple[int, int, int]:
    """True positives, false positives and false negatives of stating what scores at
    least ``threshold``."""
    tp = sum(1 for p, y in scored if p >= threshold and y)
    fp = sum(1 for p, y in scored if p >= threshold and not y)
    return tp, fp, sum(y for _, y in scored) - tp


def _f1(scored: list[tuple[float, int]], threshold: float, missed: int = 0) -> tuple[float, float]:
    """F1 and precision of stating what scores at least ``threshold``; ``missed`` facts
    were never candidates (they lower recall whatever the threshold).

    >>> _f1([(0.9, 1), (0.8, 0), (0.1, 1)], 0.5)
    (0.5, 0.5)
    """
    tp, fp, fn = _counts(scored, threshold)
    return (2 * tp / (2 * tp + fp + fn + missed) if tp else 0.0), (tp / (tp + fp) if tp + fp else 0.0)


def _best_threshold(scored: list[tuple[float, int]], low: float = 0.1, missed: int = 0) -> float:
    """The probability from which stating a fact gives the best F1 out of fold."""
    grid = [x / 100 for x in range(int(low * 100), 81, 5)]
    return grid[_middle_of_best_run([_f1(scored, t, missed)[0] for t in grid])]


def _middle_of_best_run(f1s: list[float]) -> int:
    """Where on a curve of F1 by threshold to stand. F1 is flat near its best, and where
    on the flat its highest point falls moves with any small change of the rules: the
    middle of the best three steps in a row, not a lone peak (the first, on a tie).

    >>> _middle_of_best_run([0.50, 0.50, 0.61, 0.40, 0.58, 0.59, 0.58, 0.50])
    5
    """
    def around(i: int) -> float:
        window = f1s[max(i - 1, 0):i + 2]
        return sum(window) / len(window)
    return max(range(len(f1s)), key=lambda i: (around(i), -i))


def _cross_fitted_rows(corpus: list[AnnotatedDocument], out: Path, recognizer: RecognizerSettings,
                       scorer: ScorerSettings, base_model: str | None, log: Log) -> ScorerRows:
    """Scorer rows of each part of the corpus, read by a recognizer trained on the rest."""
    import shutil
    import tempfile

    from .pipeline import load_base, load_pipeline

    order = list(range(len(corpus)))
    random.Random(scorer.seed).shuffle(order)
    parts = [sorted(order[k::scorer.cross_fit]) for k in range(scorer.cross_fit)]
    rows = ScorerRows([], [], [], [], [], [], [])
    with tempfile.TemporaryDirectory(prefix="animekg-fold-") as tmp:
        for k, held_out in enumerate(parts):
            rest = [corpus[i] for i in order if i not in set(held_out)]
            log(f"cross-fitting part {k + 1}/{len(parts)}: recognizer on {len(rest)} documents")
            nlp = load_base(base_model)
            train_recognizer(nlp, rest, recognizer, lambda _: None)
            path = Path(tmp) / f"part{k}"
            nlp.to_disk(path)
            del nlp
            part_rows = scorer_rows(load_pipeline(str(path)), [corpus[i] for i in held_out], scorer.use_rules)
            load_pipeline.cache_clear()
            shutil.rmtree(path)
            _extend_rows(rows, part_rows, offset=k * len(corpus))
    return rows


def _extend_rows(rows: ScorerRows, more: ScorerRows, offset: int) -> None:
    rows.pair_features.extend(more.pair_features)
    rows.pair_kinds.extend(more.pair_kinds)
    rows.pair_labels.extend(more.pair_labels)
    rows.pair_docs.extend(d + offset for d in more.pair_docs)
    rows.entity_features.extend(more.entity_features)
    rows.entity_labels.extend(more.entity_labels)
    rows.entity_docs.extend(d + offset for d in more.entity_docs)
    rows.uncovered_gold.extend(more.uncovered_gold)


def train_model(corpus_dir: str | Path | list[AnnotatedDocument], out_dir: str | Path, recognizer: RecognizerSettings = RecognizerSettings(),
                scorer: ScorerSettings = ScorerSettings(), base_model: str | None = None,
                log: Log = print, recognizer_from: str | Path | None = None) -> dict:
    """Train the recognizer and the credit scorer on a corpus into ``out_dir``; the
    figures of the run (also written to ``out_dir/training.json``).

    ``recognizer_from`` reuses the recognizer of an earlier run (a model folder) and
    trains the scorer alone.
    """
    from .corpus import read_corpus
    from .learned import RECOGNIZER_DIR
    from .pipeline import load_base, load_pipeline

    out = Path(out_dir)
    corpus = read_corpus(corpus_dir) if not isinstance(corpus_dir, list) else corpus_dir
    out.mkdir(parents=True, exist_ok=True)
    figures: dict = {"corpus": str(corpus_dir) if not isinstance(corpus_dir, list) else f"{len(corpus)} documents",
                     "documents": len(corpus)}
    if recognizer_from is None:
        nlp = load_base(base_model)
        figures["recognizer"] = train_recognizer(nlp, corpus, recognizer, log)
        nlp.to_disk(out / RECOGNIZER_DIR)
        del nlp
    elif Path(recognizer_from) != out:
        import shutil
        shutil.copytree(Path(recognizer_from) / RECOGNIZER_DIR, out / RECOGNIZER_DIR, dirs_exist_ok=True)
    if scorer.cross_fit > 1:
        rows = _cross_fitted_rows(corpus, out, recognizer, scorer, base_model, log)
    else:
        rows = scorer_rows(load_pipeline(str(out / RECOGNIZER_DIR)), corpus, scorer.use_rules)
    model = train_scorer(rows, scorer, log)
    model.save(out)
    figures["scorer"] = {**model.info, "threshold": model.threshold, "type_threshold": model.type_threshold}
    write_json(out / "training.json", figures)
    return figures


def cross_validate(corpus_dir: str | Path, out_dir: str | Path, folds: int = 5, only: int | None = None,
                   recognizer: RecognizerSettings = RecognizerSettings(), scorer: ScorerSettings = ScorerSettings(),
                   base_model: str | None = None, log: Log = print) -> dict:
    """Cross-validation by document: the corpus in ``folds`` parts, each extracted by a
    model trained as ``animekg train`` trains on the other parts; the held-out predictions
    of every part scored together (and each part alone) by the annotation spec's rules.

    ``only`` runs one part (1-based), so that parts can run in parallel processes; the
    pooled figures are written once every part's predictions are in ``out_dir``.
    """
    import shutil

    from .corpus import read_corpus
    from .evaluate import evaluate
    from .pipeline import Extractor, load_credit_model, load_pipeline

    corpus = read_corpus(corpus_dir)
    order = list(range(len(corpus)))
    random.Random(scorer.seed).shuffle(order)
    parts = [sorted(order[k::folds]) for k in range(folds)]
    out = Path(out_dir)
    for k in ([only - 1] if only is not None else range(folds)):
        held_out = parts[k]
        log(f"fold {k + 1}/{folds}: training on {len(corpus) - len(held_out)} documents")
        model_dir = out / f"model-{k + 1}"
        train_model([corpus[i] for i in range(len(corpus)) if i not in set(held_out)], model_dir,
                    recognizer, scorer, base_model, lambda _: None)
        fold_gold, fold_pred = out / f"gold-{k + 1}", out / f"predictions-{k + 1}"
        fold_gold.mkdir(parents=True, exist_ok=True)
        fold_pred.mkdir(parents=True, exist_ok=True)
        for i in held_out:
            source = Path(corpus_dir) / "gold" / f"{corpus[i].document.doc_id}.json"
            shutil.copy(source, fold_gold / source.name)
        for extraction in Extractor(str(model_dir)).extract_all([corpus[i].document for i in held_out]):
            (fold_pred / f"{extraction.document.doc_id}.json").write_text(
                json.dumps(extraction.to_json(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        load_pipeline.cache_clear()
        load_credit_model.cache_clear()
        shutil.rmtree(model_dir)
        scores = evaluate(fold_gold, fold_pred).scores
        log(f"fold {k + 1}/{folds}: strict F1 " + ", ".join(
            f"{what} {scores[f'strict/{what}']['f1']:.3f}" for what in ("entities", "types", "relations")))
    done = [k for k in range(folds) if (out / f"predictions-{k + 1}").is_dir()]
    if len(done) < folds:
        return {"folds_done": len(done), "folds": folds}
    gold_dir, pred_dir = out / "gold", out / "predictions"
    for folder in (gold_dir, pred_dir):
        folder.mkdir(exist_ok=True)
    per_fold = []
    for k in range(folds):
        for name, target in ((f"gold-{k + 1}", gold_dir), (f"predictions-{k + 1}", pred_dir)):
            for path in (out / name).glob("*.json"):
                shutil.copy(path, target / path.name)
        scores = evaluate(out / f"gold-{k + 1}", out / f"predictions-{k + 1}").scores
        per_fold.append({what: scores[f"strict/{what}"]["f1"] for what in ("entities", "types", "relations")})
    pooled = evaluate(gold_dir, pred_dir)
    figures = {"folds": per_fold, "pooled": {k: v for k, v in pooled.scores.items() if k.startswith("strict/")}}
    write_json(out / "cross_validation.json", figures)
    return figures


__all__ = ["RecognizerSettings", "cross_validate", "ScorerSettings", "train_model", "train_recognizer", "train_scorer", "scorer_rows",
           "recognizer_examples", "recognizer_scores", "swap_names", "with_labels_only",
           "KEPT_STOCK_LABELS"]
