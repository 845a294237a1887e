"""Annotated corpora for training: documents with their gold entities and relations, and
the gold names placed onto the text.

Gold gives names, not offsets. :func:`place_entities` finds every form of every gold
entity in the text (longest form first, whole words, exact case before any case), so
the recognizer can be trained on character spans. What cannot be placed is counted and
reported, not guessed.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from animekg.errors import InputError

from .document import read_document
from .records import OBJECT_TYPE, SUBJECT_TYPE, Document


class Kind(str, Enum):
    """What the recognizer labels a mention as. Roles (composer, lyricist, ...) are not
    kinds: they come from credits, so every credited person or group is an AGENT."""

    AGENT = "AGENT"
    SHOW = "SHOW"
    SONG = "SONG"
    ALBUM = "ALBUM"
    LABEL = "LABEL"


AGENT_TYPES = frozenset({"Composer", "Lyricist", "Arranger", "Performer", "Orchestra"})
# Where one name is two kinds (a single and its title song, a film and its album), the
# kind a reader first takes it for.
KIND_OF_TYPE = (("Show", Kind.SHOW), ("Song", Kind.SONG), ("Album", Kind.ALBUM), ("Label", Kind.LABEL))
TYPES_OF_KIND = {Kind.AGENT: frozenset(), Kind.SHOW: frozenset({"Show"}), Kind.SONG: frozenset({"Song"}),
                 Kind.ALBUM: frozenset({"Album"}), Kind.LABEL: frozenset({"Label"})}


def kind_of(types: set[str] | frozenset[str]) -> Kind | None:
    for typ, kind in KIND_OF_TYPE:
        if typ in types:
            return kind
    return Kind.AGENT if types & AGENT_TYPES else None


@dataclass(frozen=True)
class GoldEntity:
    name: str
    types: frozenset[str]
    aliases: tuple[str, ...] = ()

    @property
    def forms(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)

    @property
    def kind(self) -> Kind | None:
        return kind_of(self.types)


@dataclass(frozen=True)
class GoldRelation:
    subject: str
    relation: str
    object: str
    hard: bool = False


@dataclass(frozen=True)
class AnnotatedDocument:
    document: Document
    entities: tuple[GoldEntity, ...]
    relations: tuple[GoldRelation, ...]
    ignore: tuple[str, ...] = ()


@dataclass(frozen=True)
class PlacedSpan:
    start: int
    end: int
    kind: Kind | None  # None: a name the gold leaves undecided (ignored or untyped)
    entity: str


def read_corpus(folder: str | Path) -> list[AnnotatedDocument]:
    """A corpus folder with ``docs/ID.txt`` and ``gold/ID.json`` (the annotation spec's layout)."""
    folder = Path(folder)
    gold_dir, docs_dir = folder / "gold", folder / "docs"
    if not gold_dir.is_dir() or not docs_dir.is_dir():
        raise InputError(f"{folder}: not a corpus folder (it needs docs/ and gold/ beside each other)")
    corpus = []
    for gold_file in sorted(gold_dir.glob("*.json")):
        doc_file = next((p for p in sorted(docs_dir.glob(gold_file.stem + ".*"))), None)
        if doc_file is None:
            raise InputError(f"{gold_file}: no document {gold_file.stem}.* in {docs_dir}")
        try:
            data = json.loads(gold_file.read_text(encoding="utf-8"))
        except (ValueError, UnicodeDecodeError) as exc:
            raise InputError(f"{gold_file}: not valid JSON ({exc})") from exc
        corpus.append(annotated(read_document(doc_file), data))
    if not corpus:
        raise InputError(f"{gold_dir}: no gold ID.json files")
    return corpus


def annotated(document: Document, data: dict) -> AnnotatedDocument:
    relations = tuple(GoldRelation(r["s"], r["p"], r["o"], bool(r.get("hard"))) for r in data.get("relations", []))
    entities = []
    for e in data.get("entities", []):
        types = frozenset(e.get("types", []))
        if not types:
            # Every relation of it is "hard": the relations still say what it would be.
            types = frozenset({SUBJECT_TYPE[r.relation] for r in relations if r.subject == e["name"]
                               and r.relation in SUBJECT_TYPE} |
                              {OBJECT_TYPE[r.relation] for r in relations if r.object == e["name"]})
        entities.append(GoldEntity(e["name"], types, tuple(e.get("aliases", []))))
    return AnnotatedDocument(document, tuple(entities), relations, tuple(data.get("ignore", [])))


def _body_start(text: str) -> int:
    """Where the text starts after a leading ``source: URL`` line."""
    return text.find("\n") + 1 if text.startswith("source:") else 0


def place_entities(item: AnnotatedDocument) -> tuple[list[PlacedSpan], list[GoldEntity]]:
    """Every occurrence of every gold form in the text, longest forms first, never
    overlapping; and the gold entities of which no form could be found."""
    text = item.document.text
    body = _body_start(text)
    forms = [(form, e.kind, e.name) for e in item.entities for form in e.forms if len(form.strip()) > 1]
    forms += [(form, None, form) for form in item.ignore if len(form.strip()) > 1]
    forms.sort(key=lambda f: -len(f[0]))
    taken = [False] * len(text)
    spans: list[PlacedSpan] = []
    for case_sensitive in (True, False):
        for form, kind, name in forms:
            if not case_sensitive and any(s.entity == name for s in spans):
                continue  # a lower-case match only where the exact form was never found
            pattern = re.compile(r"(?<!\w)" + re.escape(form) + r"(?!\w)", 0 if case_sensitive else re.I)
            for m in pattern.finditer(text, body):
                if any(taken[m.start():m.end()]):
                    continue
                for i in range(m.start(), m.end()):
                    taken[i] = True
                spans.append(PlacedSpan(m.start(), m.end(), kind, name))
    placed = {s.entity for s in spans}
    missing = [e for e in item.entities if e.name not in placed]
    return sorted(spans, key=lambda s: s.start), missing


__all__ = ["Kind", "GoldEntity", "GoldRelation", "AnnotatedDocument", "PlacedSpan", "read_corpus",
           "annotated", "place_entities", "kind_of", "TYPES_OF_KIND", "AGENT_TYPES"]
