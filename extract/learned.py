"""Learned weights: calibrated linear scorers, stored as plain JSON.

A scorer is a weight per feature name, a bias, and the two numbers of a logistic
calibration (Platt scaling) fitted on cross-validation folds: ``probability`` maps a
feature set to the share of such cases that were right. JSON rather than pickles: a
model file is small, reviewable in a diff, and cannot run code when loaded.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import numpy as np

from animekg.errors import ModelError

MODEL_FILE = "credits.json"
# The spaCy pipeline with the trained recognizer, beside MODEL_FILE in a model folder.
RECOGNIZER_DIR = "recognizer"
FORMAT_VERSION = 1


@dataclass(frozen=True)
class LinearScorer:
    weights: dict[str, float]
    bias: float
    calibration: tuple[float, float] = (1.0, 0.0)  # p = sigmoid(a * score + b)

    def score(self, features: Iterable[str]) -> float:
        return self.bias + sum(self.weights.get(f, 0.0) for f in features)

    def probability(self, features: Iterable[str]) -> float:
        return self.calibrated(self.score(features))

    def calibrated(self, score: float) -> float:
        """The probability of a raw score."""
        a, b = self.calibration
        z = a * score + b
        return 1.0 / (1.0 + math.exp(-z)) if z > -500 else 0.0

    def to_json(self) -> dict:
        return {"bias": self.bias, "calibration": list(self.calibration),
                "weights": {k: v for k, v in sorted(self.weights.items())}}

    @classmethod
    def from_json(cls, data: dict) -> LinearScorer:
        return cls({str(k): float(v) for k, v in data["weights"].items()}, float(data["bias"]),
                   tuple(float(x) for x in data["calibration"]))


@dataclass(frozen=True)
class CreditModel:
    """A scorer per relation (over candidate pairs) and per entity type (over entities),
    and the probability from which a credit or a type is stated."""

    relations: dict[str, LinearScorer]
    types: dict[str, LinearScorer]
    threshold: float = 0.5
    type_threshold: float = 0.5
    use_rules: bool = True
    info: dict = field(default_factory=dict)
    # Whether a recognized name is an entity the spec wants at all (not a director, a
    # game, a stray capitalized phrase), and from which probability it is kept.
    entity: LinearScorer | None = None
    entity_threshold: float = 0.5
    # Relations the reading rules state better than the scorer learned to (out of fold on
    # the training corpus: too few examples to learn from): a pair gets the rules' share
    # right on that corpus as its probability where the rules credit it, else none.
    rule_relations: dict[str, float] = field(default_factory=dict)

    def probability(self, relation: str, features: frozenset[str]) -> float:
        """The calibrated probability that a candidate pair stands in the relation."""
        return self.probabilities(features, (relation,))[relation]

    def probabilities(self, features: frozenset[str], relations: Iterable[str]) -> dict[str, float]:
        """The calibrated probability of each of ``relations`` for one candidate pair: one
        row lookup per feature in a weight table (a document has thousands of pairs)."""
        column_of, row_of, weights, bias = self._table
        scores = bias + weights[[row_of[f] for f in features if f in row_of]].sum(axis=0)
        out = {}
        for r in relations:
            if r in self.rule_relations:
                out[r] = self.rule_relations[r] if f"rule={r}" in features else 0.0
            else:
                out[r] = self.relations[r].calibrated(float(scores[column_of[r]]))
        return out

    @cached_property
    def _table(self) -> tuple[dict[str, int], dict[str, int], np.ndarray, np.ndarray]:
        """The relation scorers as one table: a column per relation, a row per feature."""
        column_of = {r: j for j, r in enumerate(sorted(self.relations))}
        row_of = {f: i for i, f in enumerate(sorted({f for s in self.relations.values() for f in s.weights}))}
        weights = np.zeros((len(row_of), len(column_of)))
        for r, j in column_of.items():
            for f, w in self.relations[r].weights.items():
                weights[row_of[f], j] = w
        bias = np.array([self.relations[r].bias for r in column_of])
        return column_of, row_of, weights, bias

    def save(self, folder: Path) -> Path:
        path = Path(folder) / MODEL_FILE
        data = {"format": FORMAT_VERSION, "threshold": self.threshold, "type_threshold": self.type_threshold,
                "use_rules": self.use_rules, "info": self.info, "entity_threshold": self.entity_threshold,
                "entity": self.entity.to_json() if self.entity is not None else None,
                "relations": {r: s.to_json() for r, s in sorted(self.relations.items())},
                "types": {t: s.to_json() for t, s in sorted(self.types.items())},
                "rule_relations": dict(sorted(self.rule_relations.items()))}
        path.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        return path

    @classmethod
    def load(cls, folder: Path) -> CreditModel:
        path = Path(folder) / MODEL_FILE
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ModelError(f"{path}: cannot read the credit model ({exc}); retrain it with "
                             "`animekg train CORPUS --out DIR`") from exc
        if data.get("format") != FORMAT_VERSION:
            raise ModelError(f"{path}: credit model format {data.get('format')!r}, this animekg reads "
                             f"{FORMAT_VERSION}; retrain it with `animekg train CORPUS --out DIR`")
        return cls({r: LinearScorer.from_json(s) for r, s in data["relations"].items()},
                   {t: LinearScorer.from_json(s) for t, s in data["types"].items()},
                   float(data["threshold"]), float(data["type_threshold"]), bool(data["use_rules"]),
                   data.get("info", {}),
                   LinearScorer.from_json(data["entity"]) if data.get("entity") else None,
                   float(data.get("entity_threshold", 0.5)),
                   {str(r): float(p) for r, p in data.get("rule_relations", {}).items()})


__all__ = ["LinearScorer", "CreditModel", "MODEL_FILE", "RECOGNIZER_DIR"]
