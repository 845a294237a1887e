"""What each cue label means: one table, ``patterns/cue_meanings.jsonl``, one row a label.

The cue words themselves are span_ruler patterns in ``patterns/cues.jsonl``, each with a
label (COMPOSE, OPENING, SHOW, ...). This module says what a label means to the typing
and credit rules, and every rule reads it from here:

- ``agent_by``: who a name is that the cue points at with "by" or ":" ("music by X": a
  Composer);
- ``work_for``: what a name is after "for", "to", "of", ... ("the opening of X": a Show);
- ``names_next``: what a name right after the cue word is ("the anime X": a Show,
  "composer X": a Composer);
- ``role``: the music role the word itself names ("composer", "singer"): a person near it,
  or a list of people after it, takes that role;
- ``role_word``: a word for what a person does, never part of the name after it
  ("Composer Aoi Minase" names Aoi Minase); non-music roles ("director") are role words too;
- ``title_near``: what a title with no cue at its side is, when this cue is the nearest;
- ``show_head``: a line that opens with a name and goes on with this cue is about a show
  ("Glass Orchard: a lovely score");
- ``relation``: the relation a song the cue names has to its show ("the opening of X":
  openingThemeOf);
- ``work_noun``: a plain noun for a kind of work ("the anime X", "the album X", "the song
  X"): it types the name after it whatever the NER thought of the name;
- ``ends_title``: a run of capitalized words stops before it ("Glass Orchard Theme Song"
  names Glass Orchard).

The table is checked when it is loaded: every label the patterns use has a row, every
row's label is used, every type and relation is one of the spec's. A mismatch is a
:class:`~animekg.errors.ModelError` naming the file, the row and what to fix. Adding a cue
is one pattern line (or more) in ``cues.jsonl`` and one row here.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, fields
from enum import StrEnum
from functools import cached_property
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Mapping

from animekg.errors import ModelError

from .records import EntityType, Relation

MEANINGS_FILE = "cue_meanings.jsonl"
PATTERNS_FILE = "cues.jsonl"

# The types of those who make or play music (a Label is credited "by" too, but is no agent).
AGENT_TYPES = frozenset({EntityType.COMPOSER, EntityType.LYRICIST, EntityType.ARRANGER,
                         EntityType.PERFORMER, EntityType.ORCHESTRA})
# Theme relations that place a song at a point of an episode: a word for them may also be
# a verb ("opening the show", "ending the series").
PLACED_THEMES = frozenset({Relation.OPENING_THEME_OF, Relation.ENDING_THEME_OF, Relation.INSERT_SONG_OF})


@dataclass(frozen=True)
class CueMeaning:
    """One row of the table: what a cue label means (see the module's docstring)."""

    label: str
    example: str
    agent_by: EntityType | None = None
    work_for: EntityType | None = None
    names_next: EntityType | None = None
    role: EntityType | None = None
    role_word: bool = False
    title_near: EntityType | None = None
    show_head: bool = False
    relation: Relation | None = None
    work_noun: bool = False
    ends_title: bool = False


_TYPE_COLUMNS = ("agent_by", "work_for", "names_next", "role", "title_near")
_FLAG_COLUMNS = ("role_word", "show_head", "work_noun", "ends_title")
_COLUMNS = tuple(f.name for f in fields(CueMeaning))


def _labels(table: tuple[CueMeaning, ...], column: str) -> frozenset[str]:
    return frozenset(m.label for m in table if getattr(m, column))


def _by_label(table: tuple[CueMeaning, ...], column: str) -> Mapping[str, str]:
    return MappingProxyType({m.label: getattr(m, column).value for m in table if getattr(m, column)})


@dataclass(frozen=True)
class CueTable:
    """The checked table, and the views of it that the rules read (label -> type name,
    or a set of labels). Views hold plain strings, as the cue spans and types do."""

    meanings: tuple[CueMeaning, ...]
    source: str

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(m.label for m in self.meanings)

    def __getitem__(self, label: str) -> CueMeaning:
        for m in self.meanings:
            if m.label == label:
                return m
        raise KeyError(label)

    @cached_property
    def agent_by(self) -> Mapping[str, str]:
        """"music by X" -> Composer, "released by X" -> Label."""
        return _by_label(self.meanings, "agent_by")

    @cached_property
    def work_for(self) -> Mapping[str, str]:
        """"the music for X", "the opening of X" -> Show."""
        return _by_label(self.meanings, "work_for")

    @cached_property
    def names_next(self) -> Mapping[str, str]:
        """"the anime X" -> Show, "composer X" -> Composer."""
        return _by_label(self.meanings, "names_next")

    @cached_property
    def role(self) -> Mapping[str, str]:
        """"the composer" near a person's name -> Composer."""
        return _by_label(self.meanings, "role")

    @cached_property
    def agent_near(self) -> Mapping[str, str]:
        """Whom the music is "by" when the nearest cue is this one: the ``agent_by`` of
        cues that name a music agent ("tunes by X" -> Performer; a Label is none)."""
        return MappingProxyType({label: kind for label, kind in self.agent_by.items() if kind in AGENT_TYPES})

    @cached_property
    def title_near(self) -> Mapping[str, str]:
        """A title nearest to "the anime" -> Show, to "the opening" -> Song."""
        return _by_label(self.meanings, "title_near")

    @cached_property
    def theme_relation(self) -> Mapping[str, str]:
        """"the opening of X" -> openingThemeOf."""
        return _by_label(self.meanings, "relation")

    @cached_property
    def placed_themes(self) -> frozenset[str]:
        """Cues for a song at a point of an episode (opening, ending, insert song)."""
        return frozenset(m.label for m in self.meanings if m.relation in PLACED_THEMES)

    @cached_property
    def role_words(self) -> frozenset[str]:
        return _labels(self.meanings, "role_word")

    @cached_property
    def show_heads(self) -> frozenset[str]:
        return _labels(self.meanings, "show_head")

    @cached_property
    def work_nouns(self) -> frozenset[str]:
        return _labels(self.meanings, "work_noun")

    @cached_property
    def title_ends(self) -> frozenset[str]:
        return _labels(self.meanings, "ends_title")


def _read_jsonl(path: Path) -> list[tuple[int, dict]]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ModelError(f"{path}: cannot be read ({exc.__class__.__name__}); restore the file") from exc
    rows = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ModelError(f"{path}: line {number} is not JSON ({exc.msg}); fix the line") from exc
        if not isinstance(row, dict) or not isinstance(row.get("label"), str) or not row["label"]:
            raise ModelError(f"{path}: line {number} has no \"label\" string; give every line one")
        rows.append((number, row))
    return rows


def _meaning(path: Path, number: int, row: dict) -> CueMeaning:
    where = f"{path}: line {number} ({row['label']})"
    unknown = sorted(set(row) - set(_COLUMNS))
    if unknown:
        raise ModelError(f"{where}: unknown column {unknown[0]!r}; the columns are {', '.join(_COLUMNS)}")
    if not isinstance(row.get("example"), str) or not row["example"].strip():
        raise ModelError(f"{where}: no \"example\"; write an invented phrase that shows the cue")
    values = dict(row)
    for column in _TYPE_COLUMNS:
        if values.get(column) is not None:
            try:
                values[column] = EntityType(values[column])
            except ValueError:
                raise ModelError(f"{where}: {column} {values[column]!r} is no entity type; use one of "
                                 f"{', '.join(t.value for t in EntityType)}") from None
    if values.get("relation") is not None:
        try:
            values["relation"] = Relation(values["relation"])
        except ValueError:
            raise ModelError(f"{where}: relation {values['relation']!r} is no relation of the spec; use one of "
                             f"{', '.join(r.value for r in Relation)}") from None
    for column in _FLAG_COLUMNS:
        if not isinstance(values.get(column, False), bool):
            raise ModelError(f"{where}: {column} must be true or false, not {values[column]!r}")
    return CueMeaning(**values)


def load_cue_table(meanings: Path, patterns: Path) -> CueTable:
    """The table in ``meanings``, checked against the cue patterns in ``patterns``.

    >>> table = load_cue_table(packaged_file(MEANINGS_FILE), packaged_file(PATTERNS_FILE))
    >>> table.agent_by["COMPOSE"], table.theme_relation["OPENING"]
    ('Composer', 'openingThemeOf')
    """
    table: list[CueMeaning] = []
    row_of: dict[str, int] = {}
    for number, row in _read_jsonl(meanings):
        label = row["label"]
        if label in row_of:
            raise ModelError(f"{meanings}: line {number} ({label}) repeats line {row_of[label]}; "
                             "keep one row per label")
        row_of[label] = number
        table.append(_meaning(meanings, number, row))
    used: dict[str, int] = {}
    for number, row in _read_jsonl(patterns):
        label = row["label"]
        used.setdefault(label, number)
        if label not in row_of:
            raise ModelError(f"{patterns}: line {number} uses the cue label {label!r}, which {meanings.name} "
                             f"has no row for; add a row for {label} to {meanings} or fix the label")
    for label, number in row_of.items():
        if label not in used:
            raise ModelError(f"{meanings}: line {number} ({label}): no pattern in {patterns} uses this label; "
                             "remove the row or add a pattern")
    return CueTable(tuple(table), str(meanings))


def packaged_file(name: str) -> Path:
    """A file of ``patterns/`` as installed with animekg."""
    return Path(str(resources.files("animekg.extract").joinpath("patterns", name)))


# The table the pipeline's own patterns go with, checked on import.
CUES = load_cue_table(packaged_file(MEANINGS_FILE), packaged_file(PATTERNS_FILE))
# The closed set of cue labels, one member a row of the table: CueLabel.COMPOSE == "COMPOSE".
CueLabel = StrEnum("CueLabel", [(label, label) for label in CUES.labels])

__all__ = ["AGENT_TYPES", "CUES", "CueLabel", "CueMeaning", "CueTable", "EntityType", "MEANINGS_FILE",
           "PATTERNS_FILE", "PLACED_THEMES", "Relation", "load_cue_table", "packaged_file"]
