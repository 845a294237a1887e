"""Scoring extractions against gold annotations, by the rules of the annotation spec.

A prediction and its gold file have the same shape (``doc``, ``entities``, ``relations``;
gold adds ``aliases``, ``hard`` and ``ignore``). Both sides are closed under the spec's
derivation rules before they are compared, names are matched by a normalized key, and
precision, recall and F1 are summed over the corpus (micro average), strict (every gold
relation counts) and lenient (relations marked hard are neither required nor penalized).
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from .records import ENTITY_TYPES, OBJECT_TYPE, RELATIONS, SUBJECT_TYPE

THEMES = ("openingThemeOf", "endingThemeOf", "insertSongOf")


class EvaluationError(ValueError):
    """A gold or prediction file that is not of the annotation format."""


def spec_key(name: str) -> str:
    """The spec's matching key: NFKC, case-folded, accents off, non-alphanumerics as one
    space, no leading "the", "ou" and doubled vowels folded."""
    s = unicodedata.normalize("NFKC", name).casefold()
    s = "".join(c for c in unicodedata.normalize("NFD", s) if unicodedata.category(c) != "Mn")
    s = re.sub(r"[\W_]+", " ", s).strip()
    s = s[4:] if s.startswith("the ") else s
    return re.sub(r"([aeiou])\1+", r"\1", s.replace("ou", "o"))


def name_forms(names) -> set[str]:
    """Keys of every form of a name; two-word forms also with their words swapped."""
    keys = set()
    for name in names:
        key = spec_key(name)
        if key:
            keys.add(key)
            words = key.split()
            if len(words) == 2:
                keys.add(f"{words[1]} {words[0]}")
    return keys


def close_relations(triples: set) -> set:
    """Rules 1-4 of the spec, applied until nothing new follows."""
    closed = set(triples)
    while True:
        featured, soundtrack_of = defaultdict(set), defaultdict(set)
        for s, p, o in closed:
            if p == "featuredIn":
                featured[s].add(o)
            elif p == "soundtrackOf":
                soundtrack_of[s].add(o)
        derived = set()
        for s, p, o in closed:
            if p in THEMES:
                derived.add((s, "themeSongOf", o))
            elif p == "themeSongOf":
                derived.add((s, "featuredIn", o))
            elif p == "trackOf":
                derived |= {(s, "featuredIn", show) for show in soundtrack_of.get(o, ())}
            elif p == "performerOf":
                derived |= {(s, "performedMusicFor", show) for show in featured.get(o, ())}
            elif p == "composerOf":
                derived |= {(s, "composedMusicFor", show) for show in featured.get(o, ())}
        if derived <= closed:
            return closed
        closed |= derived


def close_types(declared: set, triples: set) -> set:
    """Rule 5: the types that relations imply, and Orchestra implies Performer."""
    typed = set(declared)
    for s, p, o in triples:
        if p in SUBJECT_TYPE:
            typed.add((s, SUBJECT_TYPE[p]))
        if p in OBJECT_TYPE:
            typed.add((o, OBJECT_TYPE[p]))
    return typed | {(e, "Performer") for e, t in typed if t == "Orchestra"}


@dataclass
class Side:
    """One side of one document: entities (name, forms, types), relations, ignored forms."""

    entities: list[tuple[str, set[str], set[str]]]
    relations: list[tuple[str, str, str, bool]]
    ignore: set[str]

    @classmethod
    def read(cls, data: dict, where: str) -> Side:
        entities = []
        for ent in data.get("entities", []):
            if not isinstance(ent, dict) or not isinstance(ent.get("name"), str):
                raise EvaluationError(f"{where}: an entity needs a string 'name': {ent!r}")
            types = set(ent.get("types", []))
            if types - set(ENTITY_TYPES):
                raise EvaluationError(f"{where}: unknown entity types {sorted(types - set(ENTITY_TYPES))}")
            entities.append((ent["name"], name_forms([ent["name"], *ent.get("aliases", [])]), types))
        relations = []
        for rel in data.get("relations", []):
            if rel.get("p") not in RELATIONS:
                raise EvaluationError(f"{where}: unknown relation {rel.get('p')!r}")
            relations.append((rel["s"], rel["p"], rel["o"], bool(rel.get("hard"))))
        return cls(entities, relations, name_forms(data.get("ignore", [])))


def match_names(gold: Side, pred: Side) -> tuple[dict, dict]:
    """Name -> comparison key for both sides: a gold name keys itself, a matched predicted
    name its gold name, others 'pred:'+name; ignored names key None."""
    gold_key = {name: None if forms & gold.ignore else name for name, forms, _ in gold.entities}
    pred_key, taken = {}, set()
    for exact in (True, False):
        for name, forms, _ in pred.entities:
            if name in pred_key:
                continue
            for gname, gforms, _ in gold.entities:
                if gname in taken or gold_key[gname] is None:
                    continue
                if (spec_key(name) == spec_key(gname)) if exact else bool(forms & gforms):
                    pred_key[name] = gname
                    taken.add(gname)
                    break
    for name, forms, _ in pred.entities:
        pred_key.setdefault(name, None if forms & gold.ignore else "pred:" + name)
    return gold_key, pred_key


def keyed(side: Side, key: dict, skip_hard: bool) -> tuple[set, set, set]:
    entities = {key[n] for n, _, _ in side.entities if key.get(n)}
    declared = {(key[n], t) for n, _, types in side.entities if key.get(n) for t in types}
    triples = set()
    for s, p, o, hard in side.relations:
        ks, ko = key.get(s, "pred:" + s), key.get(o, "pred:" + o)
        if not (skip_hard and hard) and ks is not None and ko is not None:
            triples.add((ks, p, ko))
    triples = close_relations(triples)
    return entities, close_types(declared, triples), triples


@dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, gold: set, pred: set) -> None:
        self.tp += len(gold & pred)
        self.fp += len(pred - gold)
        self.fn += len(gold - pred)

    def scores(self) -> dict:
        if not self.tp + self.fp + self.fn:
            return {"precision": 1.0, "recall": 1.0, "f1": 1.0, "tp": 0, "fp": 0, "fn": 0}
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4),
                "tp": self.tp, "fp": self.fp, "fn": self.fn}


@dataclass
class Evaluation:
    scores: dict
    per_doc: dict
    macro_relations_f1: float
    errors: dict = field(default_factory=dict)
    reliability: list = field(default_factory=list)  # ReliabilityRow, by confidence bucket


def gold_files(gold_dir: Path) -> list[Path]:
    folder = gold_dir / "gold" if (gold_dir / "gold").is_dir() else gold_dir
    files = sorted(folder.glob("*.json"))
    if not files:
        raise EvaluationError(f"{folder}: no gold *.json files")
    return files


def evaluate(gold_dir: Path, pred_dir: Path) -> Evaluation:
    """Scores of the predictions in pred_dir (ID.json; a missing one is empty) against gold."""
    tallies: dict[str, Tally] = defaultdict(Tally)
    per_doc, errors = {}, {}
    for gfile in gold_files(Path(gold_dir)):
        gold = Side.read(json.loads(gfile.read_text(encoding="utf-8")), str(gfile))
        pfile = Path(pred_dir) / gfile.name
        pred = Side.read(json.loads(pfile.read_text(encoding="utf-8")) if pfile.exists() else {}, str(pfile))
        gold_key, pred_key = match_names(gold, pred)
        doc_tally = Tally()
        for mode in ("strict", "lenient"):
            g_ents, g_types, g_rel = keyed(gold, gold_key, skip_hard=mode == "lenient")
            p_ents, p_types, p_rel = keyed(pred, pred_key, skip_hard=False)
            if mode == "lenient":
                _, all_types, all_rel = keyed(gold, gold_key, skip_hard=False)
                p_rel = p_rel - (all_rel - g_rel)
                p_types = p_types - (all_types - g_types)
            tallies[f"{mode}/entities"].add(g_ents, p_ents)
            tallies[f"{mode}/types"].add(g_types, p_types)
            tallies[f"{mode}/relations"].add(g_rel, p_rel)
            for rel in RELATIONS:
                tallies[f"{mode}/relation/{rel}"].add({t for t in g_rel if t[1] == rel}, {t for t in p_rel if t[1] == rel})
            for typ in ENTITY_TYPES:
                tallies[f"{mode}/type/{typ}"].add({t for t in g_types if t[1] == typ}, {t for t in p_types if t[1] == typ})
            if mode == "strict":
                doc_tally.add(g_rel, p_rel)
                errors[gfile.stem] = {
                    "missed_entities": sorted(g_ents - p_ents), "extra_entities": sorted(p_ents - g_ents),
                    "missed_relations": sorted(map(list, g_rel - p_rel)),
                    "extra_relations": sorted(map(list, p_rel - g_rel)),
                }
        per_doc[gfile.stem] = doc_tally.scores()
    macro = round(sum(d["f1"] for d in per_doc.values()) / len(per_doc), 4)
    return Evaluation({k: t.scores() for k, t in sorted(tallies.items())}, per_doc, macro, errors,
                      reliability(gold_dir, pred_dir))


@dataclass(frozen=True)
class ReliabilityRow:
    """The predicted credits whose confidence falls in [low, high): how many, their mean
    confidence, and the share of them that gold has (after the spec's closure)."""

    low: float
    high: float
    count: int
    mean_confidence: float
    share_correct: float


def reliability(gold_dir: Path, pred_dir: Path, edges: tuple[float, ...] = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.01)
                ) -> list[ReliabilityRow]:
    """How far a credit's confidence can be trusted: predictions bucketed by confidence,
    each bucket's share that is right (strict gold, closed under the spec's rules)."""
    buckets: dict[int, list[tuple[float, bool]]] = defaultdict(list)
    for gfile in gold_files(Path(gold_dir)):
        data = json.loads(gfile.read_text(encoding="utf-8"))
        gold = Side.read(data, str(gfile))
        pfile = Path(pred_dir) / gfile.name
        pred_data = json.loads(pfile.read_text(encoding="utf-8")) if pfile.exists() else {}
        pred = Side.read(pred_data, str(pfile))
        gold_key, pred_key = match_names(gold, pred)
        _, _, gold_triples = keyed(gold, gold_key, skip_hard=False)
        for rel in pred_data.get("relations", []):
            ks, ko = pred_key.get(rel["s"]), pred_key.get(rel["o"])
            if ks is None or ko is None:
                continue  # an ignored name: left out of the scores too
            confidence = float(rel.get("confidence", 1.0))
            bucket = next(i for i in range(len(edges) - 1) if confidence < edges[i + 1])
            buckets[bucket].append((confidence, (ks, rel["p"], ko) in gold_triples))
    rows = []
    for i in sorted(buckets):
        items = buckets[i]
        rows.append(ReliabilityRow(edges[i], min(edges[i + 1], 1.0), len(items),
                                   round(sum(c for c, _ in items) / len(items), 3),
                                   round(sum(ok for _, ok in items) / len(items), 3)))
    return rows


def format_reliability(rows: list[ReliabilityRow]) -> str:
    lines = ["confidence    credits  mean conf.  share correct"]
    for r in rows:
        lines.append(f"{r.low:.1f}-{r.high:.1f}      {r.count:7d}  {r.mean_confidence:10.3f}  {r.share_correct:13.3f}")
    return "\n".join(lines)


def format_report(evaluation: Evaluation, per_doc: bool = False, show_errors: bool = False) -> str:
    """The report as the shared scorer prints it, line for line."""
    s = evaluation.scores
    lines = [f"{'':28} {'P':>6} {'R':>6} {'F1':>6}   tp/fp/fn"]
    for mode in ("strict", "lenient"):
        for what in ("entities", "types", "relations"):
            r = s[f"{mode}/{what}"]
            lines.append(f"{mode + ' ' + what:28} {r['precision']:6.3f} {r['recall']:6.3f} {r['f1']:6.3f}"
                         f"   {r['tp']}/{r['fp']}/{r['fn']}")
    lines.append(f"{'strict relations, per-doc mean':28} {'':13} {evaluation.macro_relations_f1:6.3f}")
    lines.append("")
    for rel in RELATIONS:
        r = s[f"strict/relation/{rel}"]
        if r["tp"] + r["fp"] + r["fn"]:
            lines.append(f"  {rel:26} {r['precision']:6.3f} {r['recall']:6.3f} {r['f1']:6.3f}"
                         f"   {r['tp']}/{r['fp']}/{r['fn']}")
    if per_doc:
        lines.append("")
        for doc_id, r in evaluation.per_doc.items():
            lines.append(f"  {doc_id:26} {r['precision']:6.3f} {r['recall']:6.3f} {r['f1']:6.3f}")
    if show_errors:
        lines.append("")
        for doc_id, e in evaluation.errors.items():
            lines.append(f"== {doc_id}")
            lines.extend(f"  {k}: {item}" for k, v in e.items() for item in v)
    return "\n".join(lines)
