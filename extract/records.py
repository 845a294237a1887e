"""The typed records that flow between the stages of animekg.

text -> Document -> Mention -> Entity -> Credit (with Evidence) -> Extraction.
A trackOf credit may also come with a TrackListing: where a track list numbers and times it.
Plain dataclasses: no spaCy and no RDF here, so every stage can import them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class EntityType(StrEnum):
    """The entity types of the annotation spec (rule 4)."""

    COMPOSER = "Composer"
    LYRICIST = "Lyricist"
    ARRANGER = "Arranger"
    PERFORMER = "Performer"
    ORCHESTRA = "Orchestra"
    SHOW = "Show"
    SONG = "Song"
    ALBUM = "Album"
    LABEL = "Label"


class Relation(StrEnum):
    """The relations of the annotation spec (rule 5)."""

    COMPOSED_MUSIC_FOR = "composedMusicFor"
    PERFORMED_MUSIC_FOR = "performedMusicFor"
    COMPOSER_OF = "composerOf"
    LYRICIST_OF = "lyricistOf"
    ARRANGER_OF = "arrangerOf"
    PERFORMER_OF = "performerOf"
    OPENING_THEME_OF = "openingThemeOf"
    ENDING_THEME_OF = "endingThemeOf"
    INSERT_SONG_OF = "insertSongOf"
    THEME_SONG_OF = "themeSongOf"
    FEATURED_IN = "featuredIn"
    SOUNDTRACK_OF = "soundtrackOf"
    TRACK_OF = "trackOf"
    ARTIST_OF = "artistOf"
    RELEASED_BY = "releasedBy"
    MEMBER_OF = "memberOf"


# The same closed sets as plain strings, in the spec's order, for callers that print,
# parametrize or serialise them.
ENTITY_TYPES = tuple(t.value for t in EntityType)
RELATIONS = tuple(r.value for r in Relation)

# What the ends of each relation are (rule 5 of the annotation spec). artistOf's subject
# may be a Composer or a Performer, so it has no entry here.
SUBJECT_TYPE = {
    "composedMusicFor": "Composer", "composerOf": "Composer", "performedMusicFor": "Performer",
    "performerOf": "Performer", "memberOf": "Performer", "lyricistOf": "Lyricist",
    "arrangerOf": "Arranger", "openingThemeOf": "Song", "endingThemeOf": "Song",
    "insertSongOf": "Song", "themeSongOf": "Song", "featuredIn": "Song", "trackOf": "Song",
    "soundtrackOf": "Album", "releasedBy": "Album",
}
OBJECT_TYPE = {
    "composedMusicFor": "Show", "performedMusicFor": "Show", "openingThemeOf": "Show",
    "endingThemeOf": "Show", "insertSongOf": "Show", "themeSongOf": "Show", "featuredIn": "Show",
    "soundtrackOf": "Show", "composerOf": "Song", "lyricistOf": "Song", "arrangerOf": "Song",
    "performerOf": "Song", "trackOf": "Album", "artistOf": "Album", "releasedBy": "Label",
    "memberOf": "Performer",
}


@dataclass(frozen=True)
class Document:
    """One source text, decoded. ``text`` is what offsets point into."""

    doc_id: str
    text: str
    source: str
    sha256: str
    title: str = ""
    media_type: str = "text/plain"


@dataclass
class Mention:
    """A stretch of a document's text that names something of interest.

    ``start``/``end`` are character offsets into the document text, ``first``/``last``
    token offsets (end exclusive); ``found_by`` says how it was found (quoted title,
    track list, lexicon, NER, capitalized words); ``types`` fill in as context is read.
    """

    text: str
    start: int
    end: int
    first: int
    last: int
    sentence: int
    found_by: str
    ner_label: str = ""
    types: set[str] = field(default_factory=set)
    excluded: bool = False


@dataclass(eq=False)
class Entity:
    """One real thing named in a document, with every form the text uses."""

    name: str
    types: set[str] = field(default_factory=set)
    aliases: set[str] = field(default_factory=set)
    group: bool = False

    @property
    def forms(self) -> list[str]:
        return [self.name, *sorted(self.aliases - {self.name})]


@dataclass(frozen=True)
class Evidence:
    """Where a credit was read: the sentence and the character offsets of it."""

    sentence: str
    start: int
    end: int


@dataclass(frozen=True)
class Credit:
    """A relation of the annotation spec between two entities, by their names."""

    subject: str
    relation: str
    object: str
    confidence: float
    evidence: Evidence


@dataclass(frozen=True)
class TrackListing:
    """A song's place on an album's track list, as a numbered line of the text gives it.

    ``song`` and ``album`` are entity names, as in the trackOf Credit they qualify;
    ``position`` is the line's number and ``duration_seconds`` its running time, each None
    when the line does not say; ``evidence`` is the track line itself.
    """

    song: str
    album: str
    position: int | None
    duration_seconds: int | None
    evidence: Evidence


@dataclass
class Extraction:
    """Everything read out of one document."""

    document: Document
    entities: list[Entity]
    credits: list[Credit]
    extractor_version: str = ""
    tracks: list[TrackListing] = field(default_factory=list)

    def to_json(self) -> dict:
        """The prediction format of the annotation spec, plus evidence per relation."""
        data = {
            "doc": self.document.doc_id,
            "entities": [
                {"name": e.name, "types": sorted(e.types), "aliases": sorted(e.aliases - {e.name})}
                for e in self.entities
            ],
            "relations": [
                {
                    "s": c.subject, "p": c.relation, "o": c.object,
                    "confidence": round(c.confidence, 3),
                    "evidence": {"sentence": c.evidence.sentence,
                                 "start": c.evidence.start, "end": c.evidence.end},
                }
                for c in self.credits
            ],
        }
        # Beside the spec's keys: the scorer reads only entities and relations.
        if self.tracks:
            data["tracks"] = [
                {
                    "song": t.song, "album": t.album, "position": t.position,
                    "duration_seconds": t.duration_seconds,
                    "evidence": {"sentence": t.evidence.sentence,
                                 "start": t.evidence.start, "end": t.evidence.end},
                }
                for t in self.tracks
            ]
        return data
