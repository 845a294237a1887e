"""Credits: the relations of the annotation spec, read from typed mentions.

Three kinds of rule, from the most to the least certain:
- patterns between two mentions ("SONG by ARTIST", "ARTIST's “SONG”",
  "SHOW (music: COMPOSER)", "SHOW (ED: “SONG” by ARTIST)", "“SONG” (SHOW, 2013)");
- mentions that share a sentence with a cue word (a composer and a show in a sentence
  about music, a song and a show in a sentence about an opening);
- the shape of the document (a track list under an album, "SHOW Original Soundtrack",
  a label in the header of a review).
Every credit keeps the sentence it was read from.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz
from spacy.tokens import Doc

from .mentions import ALBUM_OF_SHOW, ROLE_JOINERS, cue_index, is_person_like, is_title_like, owns_group, sentences
from animekg.normalize import name_key
from .components import DASH_ITEM, doc_text
from .cues import CUES, CueLabel, CueTable
from .records import OBJECT_TYPE, SUBJECT_TYPE, Credit, Entity, Evidence, Mention
from .tracklists import read_track_line

# Cues that keep a sentence about music though it names a non-music role too ("directed by
# X, with music by Y"); an insert song alone does not.
OUTWEIGH_NOT_MUSIC = frozenset({CueLabel.COMPOSE, CueLabel.PERFORM, CueLabel.OPENING, CueLabel.ENDING,
                                CueLabel.THEME, CueLabel.SONG})
AGENTS = {"Composer", "Performer", "Lyricist", "Arranger", "Orchestra"}
YEAR = re.compile(r"^(19|20)\d\d$")


@dataclass
class Reading:
    """What one document's reading has found so far: mentions, their entities, credits."""

    doc: Doc
    mentions: list[Mention]
    entity_of: dict[int, Entity]
    credits: dict[tuple[str, str, str], Credit]
    # Entities that no mention names on its own (the show of "SHOW Original Soundtrack").
    implied: list[Entity]
    # doc.text joins every token anew on each access: read it once.
    text: str = ""
    # The show the document is about, if one stands out (see _dominant).
    topic_show: Entity | None = None
    # What each cue label means (the cue table of cues.py).
    cues: CueTable = CUES

    def entity(self, n: int) -> Entity:
        return self.entity_of[n]

    def add(self, s: Entity, rel: str, o: Entity, confidence: float, sentence: int) -> None:
        # One name may be an album and its show, or a single and its title track.
        if s is o and rel not in {"soundtrackOf", "trackOf"}:
            return
        s.types.add(SUBJECT_TYPE.get(rel, "Composer" if "Composer" in s.types else "Performer"))
        o.types.add(OBJECT_TYPE[rel])
        key = (s.name, rel, o.name)
        old = self.credits.get(key)
        if old is None or old.confidence < confidence:
            self.credits[key] = Credit(s.name, rel, o.name, confidence, self.evidence(sentence))

    def evidence(self, sentence: int) -> Evidence:
        sent = sentences(self.doc)[sentence]
        return Evidence(sent.text, sent.start_char, sent.end_char)


def read_credits(doc: Doc, mentions: list[Mention], entity_of: dict[int, Entity],
                 cues: CueTable = CUES) -> tuple[list[Credit], list[Entity]]:
    """The credits of a document, and the entities they imply that no mention names;
    what a cue label means is ``cues``'s ("the opening of X": openingThemeOf)."""
    reading = Reading(doc, mentions, entity_of, {}, [], doc_text(doc), cues=cues)
    cue_at = cue_index(doc, cues)
    reading.topic_show = _dominant(reading, list(dict.fromkeys(entity_of.values())), "Show")
    _pattern_credits(reading, cue_at)
    _dash_list_credits(reading, cue_at)
    _sentence_credits(reading, cue_at)
    _membership_credits(reading)
    _release_credits(reading)
    _document_credits(reading, cue_at)
    return list(reading.credits.values()), reading.implied


GROUP_WORDS = {"band", "group", "unit", "duo", "trio", "collective", "project"}
MEMBER_WORDS = {"vocalist", "singer", "guitarist", "bassist", "drummer", "keyboardist", "member",
                "frontman", "frontwoman", "leader"}
QUOTES = {"“", "”", '"', "‘", "’", "'", "「", "」", "『", "』"}
# What a band's line-up names beside each member ("Aoi Minase – Guitar").
INSTRUMENTS = {"vocals", "vocal", "voice", "guitar", "guitars", "bass", "drums", "percussion", "keyboard", "keyboards",
               "piano", "violin", "synthesizer", "synth", "dj", "turntables", "chorus", "rap", "programming"}


def _between(doc: Doc, a: Mention, b: Mention) -> list[str]:
    return [t.lower_ for t in doc[a.last:b.first] if t.text not in QUOTES]


def _pattern_credits(r: Reading, cue_at: dict[int, str]) -> None:
    doc, ms = r.doc, r.mentions
    for n, a in enumerate(ms):
        ea = r.entity(n)
        following = [k for k in range(n + 1, min(n + 6, len(ms)))
                     if ms[k].sentence == a.sentence or _same_line(r.text, a.end, ms[k].start)]
        if not following:
            continue
        b_n = following[0]
        b, eb = ms[b_n], r.entity(b_n)
        words = _between(doc, a, b)
        songish = a.found_by in {"QUOTED", "TRACK"} or "Song" in ea.types
        # SONG by ARTIST / SONG performed by ARTIST
        if songish and words[-1:] == ["from"] and len(words) <= 2 and not eb.types & AGENTS \
                and (a.found_by == "QUOTED" or not is_person_like(b)):
            cue = _nearest_theme_cue(r, a.sentence, ea, cue_at)
            r.add(ea, r.cues.theme_relation.get(cue, "featuredIn"), eb, 0.6, a.sentence)
            continue
        untyped_title = not ea.types
        if (songish or untyped_title and words == ["by"]) and words[-1:] == ["by"] \
                and (len(words) <= 4 or len(words) <= 6 and words[-2] in ROLE_PARTICIPLES) \
                and not is_title_like(b) and not eb.types & {"Show", "Song", "Album", "Label"}:
            if "Album" in ea.types:
                r.add(eb, "artistOf", ea, 0.7, a.sentence)
                continue
            relations = song_roles(words, {cue_at.get(i) for i in range(max(a.first - 3, 0), b.first)}) \
                or ["performerOf"]
            for rel in relations:
                r.add(eb, rel, ea, 0.75, a.sentence)
            _more_roles_of_the_song(r, ea, b_n, relations, cue_at)
            continue
        # PERSON's GROUP band ("Mei Kurosawa's Velvet Lantern group", "her band X")
        # and GROUP's vocalist PERSON ("Glass Aviary's singer Rina Hoshizora")
        if words[:1] in (["'s"], ["’s"]) and not is_title_like(a) and not is_title_like(b) \
                and not (ea.types | eb.types) & {"Show", "Song", "Album", "Label"}:
            after = [t.lower_ for t in doc[b.last:b.last + 1]]
            if set(words[1:]) & GROUP_WORDS or after and after[0] in GROUP_WORDS:
                eb.group = True
                r.add(ea, "memberOf", eb, 0.6, a.sentence)
                continue
            if set(words[1:]) & MEMBER_WORDS:
                ea.group = True
                r.add(eb, "memberOf", ea, 0.6, a.sentence)
                continue
        # ARTIST's “SONG”
        if words in (["'s"], ["’s"], ["'s", "“"], ["’s", "“"]) and not is_title_like(a) \
                and (b.found_by == "QUOTED" or "Song" in eb.types) and not ea.types & {"Show", "Album", "Song"}:
            rel = "composerOf" if "Composer" in ea.types and "Performer" not in ea.types else "performerOf"
            r.add(ea, rel, eb, 0.7, a.sentence)
            continue
        # ARTIST – ALBUM, as review titles put it
        if words in (["–"], ["-"], ["—"]) and "Album" in eb.types and not is_title_like(a) \
                and not ea.types & {"Show", "Song", "Album", "Label"}:
            if not ea.types & AGENTS:
                ea.types.add(_album_artist_role(eb))
            r.add(ea, "artistOf", eb, 0.6, a.sentence)
            continue
        # ARTIST's ... ALBUM ("X's long-awaited “Y” single")
        if words[:1] in (["'s"], ["’s"]) and not is_title_like(a) and not ea.types & {"Show", "Song", "Album", "Label"}:
            album = next((k for k in following if "Album" in r.entity(k).types), None)
            if album is not None:
                if not ea.types & AGENTS:
                    ea.types.add(_album_artist_role(r.entity(album)))
                r.add(ea, "artistOf", r.entity(album), 0.5, a.sentence)
        if words[:1] == ["("]:
            _parenthetical(r, n, following, cue_at)


# The participle before "by" that says a name's part in a song ("a song written by X").
ROLE_PARTICIPLES = {"written", "penned", "composed", "arranged", "performed", "sung"}


def song_roles(words: list[str], cues: set[str | None]) -> list[str]:
    """What the words before "by" say a name did for a song; none where they say nothing.
    A song "written" by someone is its lyricist's, as the spec's annotators read it.

    >>> song_roles(["with", "lyrics", "by"], {"LYRICS"}), song_roles(["written", "and", "composed", "by"], set())
    (['lyricistOf'], ['lyricistOf', 'composerOf'])
    >>> song_roles(["and", "produced", "by"], set())
    []
    """
    if CueLabel.LYRICS in cues:
        return ["lyricistOf"]  # "the lyrics of “SONG” were written by X", "SONG, lyrics by X"
    if CueLabel.ARRANGE in cues:
        return ["arrangerOf"]
    roles = []
    if {"written", "penned"} & set(words):
        roles.append("lyricistOf")
    if {"composed", "music"} & set(words) or CueLabel.COMPOSE in cues:
        roles.append("composerOf")
    if not roles and ({"performed", "sung", "sang"} & set(words) or CueLabel.PERFORM in cues):
        roles.append("performerOf")
    return roles


NAME_JOINERS = ([","], ["and"], [",", "and"], ["&"], ["/"])


def _more_roles_of_the_song(r: Reading, song: Entity, n: int, relations: list[str], cue_at: dict[int, str]) -> None:
    """The names after the first in a song's credit clause: “Paper Lantern”, composed by
    Aoi Minase and Ren Mori with lyrics by Sayo Kurogane. A name joined by "and" or a
    comma takes the part of the name before it; after its own "... by", the part that says."""
    ms = r.mentions
    prev = n
    for k in range(n + 1, min(n + 8, len(ms))):
        m, e = ms[k], r.entity(k)
        if m.sentence != ms[n].sentence or is_title_like(m) or e.types & {"Show", "Song", "Album", "Label"}:
            return
        words = _between(r.doc, ms[prev], m)
        if words[-1:] == ["by"] and len(words) <= 4:
            relations = song_roles(words, {cue_at.get(i) for i in range(ms[prev].last, m.first)})
        elif words not in NAME_JOINERS:
            return
        if not relations:
            return
        for rel in relations:
            r.add(e, rel, song, 0.7, m.sentence)
        prev = k


# A quoted title or a possessive inside a dash line's part: "Sayo Kurogane's “Paper Comet”".
TITLE_IN_PART = re.compile(r"[“”\"「『]|['’]s\b")


def _agentish(r: Reading, n: int) -> bool:
    """Whether the recognizer (or a rule before) took a mention for a person or group."""
    m = r.mentions[n]
    return m.ner_label in {"PERSON", "ORG"} or bool(r.entity(n).types & AGENTS)


def _dash_lines(r: Reading) -> dict[int, list[int]]:
    """The mentions of each dash list line (by where the line starts), for the lines each
    of whose parts is one plain name: not "SHOW – SINGER's “SONG”", not a line where a
    part was no name at all."""
    lines: dict[int, list[int]] = {}
    for n, m in enumerate(r.mentions):
        if m.found_by == "DASH":
            lines.setdefault(r.text.rfind("\n", 0, m.start) + 1, []).append(n)
    kept = {}
    for start, ns in lines.items():
        line = DASH_ITEM.match(r.text, start)
        parts = [line.group(g) for g in ("a", "b", "c") if line.group(g)] if line else []
        if len(ns) == len(parts) and not any(TITLE_IN_PART.search(part) for part in parts[:2]):
            kept[start] = ns
    return kept


def _list_theme(r: Reading, cue_at: dict[int, str], first_line: int) -> str | None:
    """The theme cue of a list's heading (up to three lines above it) or of the page's
    title line ("Best insert songs of the year"), if either says one."""
    text = r.text
    title_start = text.find("\n") + 1 if text.startswith("source:") else 0
    title_start += len(text[title_start:]) - len(text[title_start:].lstrip())
    title_end = text.find("\n", title_start) % (len(text) + 1)
    said = [cue for i, cue in sorted(cue_at.items()) if cue in r.cues.theme_relation
            and (r.doc[i].idx < first_line and text.count("\n", r.doc[i].idx, first_line) <= 3
                 or title_start <= r.doc[i].idx < title_end)]
    return said[-1] if said else None


def _dash_list_credits(r: Reading, cue_at: dict[int, str]) -> None:
    """A list of songs, each line "SINGER – SONG (SHOW)" or "SONG – SINGER (SHOW)": the
    name the recognizer calls a person or group sings the other, which is then a song of
    the show in brackets, as the theme the brackets or the list's heading say ("My top
    insert songs": insertSongOf), else one featured in it. Where the recognizer calls both
    names people, or neither, the other lines of the list tell the order."""
    ms = r.mentions
    lines = _dash_lines(r)
    if not lines:
        return
    theme = _list_theme(r, cue_at, min(lines))
    # A list keeps one order: what most of the lines that tell say (the singer first, or
    # last) goes for every line; a recognizer's guess on one line is the weaker word.
    told = Counter(_agentish(r, ns[0]) for ns in lines.values() if _agentish(r, ns[0]) != _agentish(r, ns[1]))
    order = told.most_common(1)[0][0] if told and len(set(told.values())) == len(told) else None
    for ns in lines.values():
        if order is not None:
            singer_first = order
        elif _agentish(r, ns[0]) != _agentish(r, ns[1]):
            singer_first = _agentish(r, ns[0])
        else:
            continue
        singer, song = (ns[0], ns[1]) if singer_first else (ns[1], ns[0])
        if all(i in cue_at or r.doc[i].lower_ in INSTRUMENTS for i in range(ms[song].first, ms[song].last)):
            continue  # "Aoi Minase – Guitar": a band's line-up, no song
        r.add(r.entity(singer), "performerOf", r.entity(song), 0.6, ms[song].sentence)
        # The brackets' name is the show's, whatever the recognizer guessed for it.
        if len(ns) > 2 and r.doc[ms[ns[2]].first].lower_ not in {"feat", "feat.", "ft", "ft.", "with"}:
            line_end = r.text.find("\n", ms[ns[2]].end) % (len(r.text) + 1)
            cue, i = theme, ms[ns[2]].last
            while i < len(r.doc) and r.doc[i].idx < line_end:  # "(Glass Orchard ED)"
                if cue_at.get(i) in r.cues.theme_relation:
                    cue = cue_at[i]
                    break
                i += 1
            r.add(r.entity(song), r.cues.theme_relation.get(cue, "featuredIn"), r.entity(ns[2]), 0.6,
                  ms[song].sentence)


RELEASE_WORDS = {"released", "reissued", "re-released", "release", "releases", "out"}
# The word before a label's name after a release word: "out now via X", "released by X".
RELEASE_LINKS = {"via", "by", "on", "through", "under"}
RELEASE_REACH = 10


def _release_credits(r: Reading) -> None:
    """“Paper Comet” will be released on May 2 via Harbor Tone Records: the title named
    last before a release word is a release of the label whose name follows it, one of
    the release's links ("via", "by", "on", "through", "under") right before the name."""
    doc, ms = r.doc, r.mentions
    for s, ns in _by_sentence(r, range(len(ms))).items():
        sent = sentences(doc)[s]
        for tok in doc[sent.start:sent.end]:
            if tok.lower_ not in RELEASE_WORDS:
                continue
            works = [n for n in ns if ms[n].last <= tok.i and (ms[n].found_by == "QUOTED" or r.entity(n).types & {"Album", "Song"})
                     and not r.entity(n).types & (AGENTS | {"Show", "Label"})]
            labels = [n for n in ns if tok.i < ms[n].first <= tok.i + RELEASE_REACH
                      and doc[ms[n].first - 1].lower_ in RELEASE_LINKS and ms[n].ner_label != "PERSON"
                      and ms[n].found_by not in {"QUOTED", "TRACK"}
                      and not r.entity(n).types & {"Show", "Song", "Album", "Composer", "Performer", "Lyricist", "Arranger"}]
            if works and labels:
                r.add(r.entity(works[-1]), "releasedBy", r.entity(labels[0]), 0.6, s)
            break


# "GROUP consists of A, B and C", "GROUP was formed in 2004 by A and B".
GROUP_MADE_OF = {"consists", "consist", "consisted", "comprises", "comprised", "formed", "founded", "features"}
MADE_OF_LINKS = {"of", "by"}
# "A, a member of GROUP", "A joined GROUP", "A, formerly of GROUP", "A, the drummer of GROUP".
MEMBER_OF = {"member", "members", "joined", "joining", "formerly", "ex", "frontman", "frontwoman",
             "vocalist", "guitarist", "bassist", "drummer", "keyboardist"}
# Words that say a group was made: its name may look like a title to the recognizer
# ("The Paper Swallows were formed in 2009 by ..."), but no show or song is formed by people.
GROUP_FORMED = {"formed", "founded"}
MEMBERSHIP_REACH = 6


def _membership_credits(r: Reading) -> None:
    """Who belongs to which group, as a sentence says it: "Velvet Crane consists of Aoi
    Minase and Rin Aozora"; "Aoi Minase, a member of Velvet Crane, ..."."""
    doc, ms = r.doc, r.mentions
    agents = [n for n, m in enumerate(ms) if not is_title_like(m) and m.found_by not in {"QUOTED", "TRACK"}
              and not r.entity(n).types & {"Show", "Song", "Album", "Label"}]
    # Names that may be a group's though the recognizer took them for a title.
    unquoted = [n for n, m in enumerate(ms) if m.found_by not in {"QUOTED", "TRACK"}
                and not r.entity(n).types & {"Song", "Album", "Label"}]
    titled = _by_sentence(r, unquoted)
    for s, ns in _by_sentence(r, agents).items():
        sent = sentences(doc)[s]
        for tok in doc[sent.start:sent.end]:
            word = tok.lower_
            if word in GROUP_MADE_OF and any(t.lower_ in MADE_OF_LINKS for t in doc[tok.i + 1:tok.i + 5]):
                groups = [n for n in (titled[s] if word in GROUP_FORMED else ns) if ms[n].last <= tok.i]
                members = [n for n in ns if ms[n].first > tok.i]
                if groups and members:
                    group = r.entity(groups[-1])
                    group.group = True
                    for n in members:
                        if r.entity(n) is not group:
                            r.add(r.entity(n), "memberOf", group, 0.6, s)
            elif word in MEMBER_OF:
                before = [n for n in ns if ms[n].last <= tok.i and tok.i - ms[n].last <= MEMBERSHIP_REACH]
                after = [n for n in titled[s] if ms[n].first > tok.i and ms[n].first - tok.i <= MEMBERSHIP_REACH
                         and (n in ns or _names_a_group(doc, tok.i, ms[n]))]
                if before and after and r.entity(before[-1]) is not r.entity(after[0]):
                    r.entity(after[0]).group = True
                    r.add(r.entity(before[-1]), "memberOf", r.entity(after[0]), 0.6, s)


def _album_artist_role(album: Entity) -> str:
    """The artist of a soundtrack or score is its composer; of other albums, a performer."""
    return "Composer" if any(ALBUM_OF_SHOW.match(f) for f in album.forms) else "Performer"


BRACKET_SEPARATORS = {"/", ",", "&", "and", "・", "、"}


def _names_a_group(doc: Doc, cue: int, m: Mention) -> bool:
    """Whether a name the recognizer took for a title stands as a group right after a
    member word: "the drummer of The Paper Swallows," but not "the singer of Glass Orchard's
    opening" (the show's, not a group's)."""
    between = [t.lower_ for t in doc[cue + 1:m.first]]
    after = doc[m.last].text if m.last < len(doc) else ""
    return between in (["of"], ["of", "the"]) and after not in {"'s", "’s"} and not (after[:1].isalpha())


def _members_in_brackets(r: Reading, n: int, inside: list[int], close: int) -> bool:
    """GROUP (A / B / C): two or more people's names and nothing else in brackets after a
    name that is no work are the group's members. (One name in brackets is a character's
    actor or another name of the same person.)"""
    ms, head = r.mentions, r.mentions[n]
    if len(inside) < 2 or is_title_like(head) or head.found_by in {"QUOTED", "TRACK"} \
            or r.entity(n).types & {"Show", "Song", "Album", "Label"}:
        return False
    if any(is_title_like(ms[k]) or ms[k].found_by in {"QUOTED", "TRACK"}
           or r.entity(k).types & {"Show", "Song", "Album", "Label"} for k in inside):
        return False
    named = {i for k in inside for i in range(ms[k].first, ms[k].last)}
    between = [t for t in r.doc[head.last + 1:close] if t.i not in named]
    if r.doc[head.last].text != "(" or any(t.lower_ not in BRACKET_SEPARATORS for t in between):
        return False
    group = r.entity(n)
    group.group = True
    for k in inside:
        if r.entity(k) is not group:
            r.add(r.entity(k), "memberOf", group, 0.6, head.sentence)
    return True


def _parenthetical(r: Reading, n: int, inside: list[int], cue_at: dict[int, str]) -> None:
    """HEAD (music: A/B) · HEAD (OP: by A) · HEAD (ED: “S” by A) · “S” (SHOW, 2013)."""
    doc, ms = r.doc, r.mentions
    head, eh = ms[n], r.entity(n)
    close = next((t.i for t in doc[head.last:head.last + 40] if ")" in t.text), None)
    if close is None:
        return
    inside = [k for k in inside if ms[k].last <= close]
    if _members_in_brackets(r, n, inside, close):
        return
    if eh.types & AGENTS and not eh.types & {"Show", "Song", "Album"}:
        return  # "X (the singer of the Y series)" says who X is, not what Y did
    if not inside:
        return
    first = ms[inside[0]]
    after = [t.text for t in doc[first.last:close]]
    show_and_year = after[:1] == [","] and any(YEAR.match(w) for w in after)
    # "Title" (Show, 2013) in an article about music: a piece and the show it is from.
    if head.found_by in {"QUOTED", "HEAD"} and show_and_year and not eh.types & {"Show", "Album"} \
            and not r.entity(inside[0]).types & AGENTS:
        r.add(eh, "featuredIn", r.entity(inside[0]), 0.6, head.sentence)
        return
    if head.found_by == "QUOTED" or "Song" in eh.types:
        if not after and not is_person_like(first) and not r.entity(inside[0]).types & AGENTS:
            r.add(eh, "featuredIn", r.entity(inside[0]), 0.5, head.sentence)
            return
        # “SONG” (lyrics: A, music: B, arr.: C): who wrote and arranged the song.
        roles = [(i, SONG_RELATION_OF_ROLE.get(r.cues.agent_by.get(cue_at[i], ""))) for i in range(head.last, close)
                 if i in cue_at and cue_at[i] in (CueLabel.COMPOSE, CueLabel.LYRICS, CueLabel.ARRANGE)]
        for k in inside:
            m = ms[k]
            role = next((rel for i, rel in reversed(roles) if i < m.first), None)
            if role is not None and not is_title_like(m) and not r.entity(k).types & {"Show", "Song", "Album"}:
                r.add(r.entity(k), role, eh, 0.7, head.sentence)
        return
    cues = [(i, cue_at[i]) for i in range(head.last, close) if i in cue_at]
    if not cues:
        return
    song = None
    for k in inside:
        m, e = ms[k], r.entity(k)
        cue = next((c for i, c in reversed(cues) if i < m.first), None)
        if cue is None:
            continue
        if m.found_by == "QUOTED" and cue in r.cues.theme_relation:
            song = e
            r.add(e, r.cues.theme_relation[cue], eh, 0.8, head.sentence)
        elif cue == CueLabel.COMPOSE and not is_title_like(m):
            r.add(e, "composedMusicFor", eh, 0.8, head.sentence)
        elif cue in r.cues.theme_relation or cue in {CueLabel.PERFORM, CueLabel.SONG}:
            if song is not None:
                r.add(e, "performerOf", song, 0.8, head.sentence)
            else:
                r.add(e, "performedMusicFor", eh, 0.7, head.sentence)
        elif cue == CueLabel.LYRICS and song is not None:
            r.add(e, "lyricistOf", song, 0.7, head.sentence)


def _by_sentence(r: Reading, ns: Iterable[int]) -> dict[int, list[int]]:
    """The mentions ``ns`` by the sentence they stand in, in text order."""
    out: dict[int, list[int]] = {}
    for n in ns:
        out.setdefault(r.mentions[n].sentence, []).append(n)
    return out


def _sentence_credits(r: Reading, cue_at: dict[int, str]) -> None:
    sents = sentences(r.doc)
    for s, idx in _by_sentence(r, range(len(r.mentions))).items():
        sent = sents[s]
        cues = {cue_at[i] for i in range(sent.start, sent.end) if i in cue_at}
        if CueLabel.NOT_MUSIC in cues and not cues & OUTWEIGH_NOT_MUSIC:
            continue
        ents = []
        for n in idx:
            e = r.entity(n)
            if e not in ents:
                ents.append(e)
        shows = [e for e in ents if "Show" in e.types]
        if not shows and (topic := _show_referred_to(r, s, cue_at)) is not None:
            shows = [topic]
        albums = [e for e in ents if "Album" in e.types]
        labels = [e for e in ents if "Label" in e.types]
        songs = [e for e in ents if "Song" in e.types and "Show" not in e.types]
        # "X's group Y did the soundtrack": the credit is the group's, not its member's.
        owners = {id(r.entity(n)) for n in idx if owns_group(r.doc, r.mentions[n])} - {
            id(r.entity(n)) for n in idx if not owns_group(r.doc, r.mentions[n])}
        for e in ents:
            if id(e) in owners:
                continue
            if "Composer" in e.types and not e.types & {"Show", "Song", "Album"}:
                for show in shows:
                    r.add(e, "composedMusicFor", show, 0.6 if CueLabel.COMPOSE in cues else 0.4, s)
            # A cue of music made for a show ("sang for", "the opening of", "the score for").
            if "Performer" in e.types and not cues.isdisjoint(r.cues.work_for):
                for show in shows:
                    if show is not e and ("Composer" not in e.types or "Performer" in e.types):
                        r.add(e, "performedMusicFor", show, 0.5, s)
                if CueLabel.PERFORM in cues:
                    for song in songs:
                        if _distance(r, s, e, song) <= 8:
                            r.add(e, "performerOf", song, 0.5, s)
            if e.types & {"Composer", "Performer"} and not e.types & {"Show", "Album", "Song"}:
                for album in albums:
                    if not any(c.relation == "artistOf" and c.object == album.name for c in r.credits.values()):
                        r.add(e, "artistOf", album, 0.5, s)
        paired = _respective_roles(r, s, songs, cue_at)
        for song in songs:
            for show in shows:
                cue = paired.get(id(song)) or _nearest_theme_cue(r, s, song, cue_at)
                r.add(song, r.cues.theme_relation.get(cue, "featuredIn"), show, 0.5, s)
        for album in albums:
            for show in shows:
                if show is not album and cues & {CueLabel.COMPOSE, CueLabel.ALBUM} and name_key(show.name) in name_key(album.name):
                    r.add(album, "soundtrackOf", show, 0.6, s)
            for label in labels:
                r.add(album, "releasedBy", label, 0.6, s)


REFERRING = {"the", "this", "that"}


def _show_referred_to(r: Reading, s: int, cue_at: dict[int, str]) -> Entity | None:
    """The show that "the show", "the series", "the anime" stands for in a sentence that
    names none: the show the document is about, else the one named last before (within
    a few sentences)."""
    doc, sent = r.doc, sentences(r.doc)[s]
    for i in range(sent.start + 1, sent.end):
        if cue_at.get(i) != CueLabel.SHOW or doc[i - 1].lower_ not in REFERRING or cue_at.get(i - 1) == CueLabel.SHOW:
            continue
        if i + 1 < sent.end and (doc[i + 1].text[:1].isupper() or cue_at.get(i + 1) == CueLabel.SHOW):
            continue  # "the anime X" names its show; "the anime series" is one phrase
        if doc[i].lower_ in {"episode", "episodes", "season", "feature", "franchise", "shows", "films", "movies"} \
                or doc[i].dep_ in {"compound", "amod"} or i + 1 < sent.end and doc[i + 1].pos_ in {"NOUN", "PROPN"}:
            continue  # "the anime soundtrack market" is no show
        if r.topic_show is not None:
            return r.topic_show
        # A stat block's "Anime: X" states what the page is about.
        stated = [n for n, m in enumerate(r.mentions) if m.found_by == "FIELD" and "Show" in m.types]
        if stated:
            return r.entity(stated[0])
        # Mentions are in text order: start from the last one before this sentence.
        first_here = bisect.bisect_left([m.sentence for m in r.mentions], s)
        for n in range(first_here - 1, -1, -1):
            m = r.mentions[n]
            if m.sentence < s - 3:
                return None
            if m.sentence < s and "Show" in r.entity(n).types:
                return r.entity(n)
        return None
    return None


def _respective_roles(r: Reading, s: int, songs: list[Entity], cue_at: dict[int, str]) -> dict[int, str]:
    """"the opening and ending themes, X and Y": as many theme roles as songs, each
    role in the order of the songs (by id of the song's entity)."""
    if len(songs) < 2:
        return {}
    sent = sentences(r.doc)[s]
    roles: list[str] = []
    for i in range(sent.start, sent.end):
        cue = cue_at.get(i)
        if cue in r.cues.placed_themes and cue_at.get(i - 1) != cue:
            roles.append(cue)
    order = []
    for n, m in enumerate(r.mentions):
        if m.sentence == s and r.entity(n) in songs and r.entity(n) not in order:
            order.append(r.entity(n))
    if len(roles) != len(order) or len(set(roles)) != len(roles):
        return {}
    return {id(song): role for song, role in zip(order, roles)}


def _distance(r: Reading, s: int, a: Entity, b: Entity) -> int:
    """Tokens between the closest mentions of two entities in sentence s."""
    pos = {id(a): [], id(b): []}
    for n, m in enumerate(r.mentions):
        if m.sentence == s and id(r.entity(n)) in pos:
            pos[id(r.entity(n))].append(m)
    return min((max(x.first, y.first) - min(x.last, y.last) for x in pos[id(a)] for y in pos[id(b)]), default=99)


def _nearest_theme_cue(r: Reading, s: int, song: Entity, cue_at: dict[int, str]) -> str | None:
    positions = [m.first for n, m in enumerate(r.mentions) if m.sentence == s and r.entity(n) is song]
    best, dist = None, 99
    for i, cue in cue_at.items():
        sent = sentences(r.doc)[s]
        if cue in r.cues.theme_relation and sent.start <= i < sent.end:
            d = min(abs(i - p) for p in positions)
            if d < dist:
                best, dist = cue, d
    return best


def _document_credits(r: Reading, cue_at: dict[int, str]) -> None:
    ms = r.mentions
    entities = list(dict.fromkeys(r.entity_of.values()))
    by_key = {name_key(e.name): e for e in entities}
    for e in entities:
        for alias in e.aliases:
            by_key.setdefault(name_key(alias), e)

    first_mention = {}
    for n in range(len(ms)):
        first_mention.setdefault(id(r.entity(n)), n)

    # "SHOW Original Soundtrack" is a soundtrack of SHOW.
    for e in entities:
        if "Album" not in e.types:
            continue
        for form in [e.name, *e.aliases]:
            m = ALBUM_OF_SHOW.match(form)
            if not m:
                continue
            show = by_key.get(name_key(m.group("show"))) or _close_show(entities, m.group("show"))
            if show is None:
                # The album's name states its show even where the text names it nowhere else.
                show = Entity(name=m.group("show").strip(" :-–"), types={"Show"})
                by_key[name_key(show.name)] = show
                r.implied.append(show)
            if show is e or show.types & AGENTS:
                continue
            r.add(e, "soundtrackOf", show, 0.7, ms[first_mention[id(e)]].sentence)
            break

    albums = [n for n, m in enumerate(ms) if "Album" in r.entity(n).types]
    main_album = r.entity(albums[0]) if albums else None

    # Track lists belong to the album named last before them.
    tracks = [n for n, m in enumerate(ms) if m.found_by == "TRACK"]
    album_of_track = {}
    for n in tracks:
        before = [k for k in albums if k < n]
        album = r.entity(before[-1]) if before else main_album
        album_of_track[n] = album
        if album is not None:
            r.add(r.entity(n), "trackOf", album, 0.8, ms[n].sentence)

    runs = _track_runs(r, tracks, album_of_track)
    _track_list_credit_blocks(r, cue_at, runs)
    if len(runs) == 1:
        _album_wide_credits(r, cue_at, runs[0], album_of_track.get(runs[0][0]))
    elif not runs and main_album is not None:
        _album_wide_credits(r, cue_at, [], main_album)
    _credit_list_heads(r, cue_at)
    _credit_themes_named_apart(r, cue_at)
    _credit_paragraph_topics(r, cue_at)
    _credit_main_show(r, entities, cue_at)
    _credit_main_composer(r, entities, cue_at)
    # Track lines with an artist column: "1. Title Artist 4:32".
    for n in tracks:
        if n + 1 < len(ms) and ms[n + 1].found_by == "ARTIST" and _same_line(r.text, ms[n].end, ms[n + 1].start):
            r.add(r.entity(n + 1), "performerOf", r.entity(n), 0.8, ms[n].sentence)
            if album_of_track[n] is not None:
                r.add(r.entity(n + 1), "artistOf", album_of_track[n], 0.6, ms[n].sentence)

    _field_credits(r, main_album)
    if main_album is None:
        return
    # "The best tracks here are 'X' and 'Y'": a review's tracks are its album's.
    for n, m in enumerate(ms):
        e = r.entity(n)
        if e.types != {"Song"} or m.found_by != "QUOTED" or any(
                c.subject == e.name and c.relation in {"featuredIn", *r.cues.theme_relation.values()}
                for c in r.credits.values()):
            continue
        sent = sentences(r.doc)[m.sentence]
        words = {r.doc[i].lower_ for i in range(sent.start, sent.end)}
        if words & {"track", "tracks", "album", "volume", "disc", "cd"} and not any(
                "Album" in r.entity(k).types for k, x in enumerate(ms) if x.sentence == m.sentence):
            r.add(e, "trackOf", main_album, 0.4, m.sentence)
    # "this album's composers": artists of an album the sentence does not name.
    sents = sentences(r.doc)
    for n, m in enumerate(ms):
        e = r.entity(n)
        sent = sents[m.sentence]
        if not e.types & AGENTS or e.types & {"Show", "Song", "Album"} or any(
                "Album" in r.entity(k).types for k, x in enumerate(ms) if x.sentence == m.sentence):
            continue
        if any(cue_at.get(i) == CueLabel.ALBUM and r.doc[i].lower_ == "album" for i in range(sent.start, sent.end)):
            r.add(e, "artistOf", main_album, 0.4, m.sentence)
    # Labels on a short line of their own, in a review's header, speak of its album; so
    # do labels on the title line of an album ("ARTIST – ALBUM [1995; LABEL]").
    title_lines = {_line_of(r.text, m.start) for m in ms if m.found_by == "TITLE"}
    for n, m in enumerate(ms):
        e = r.entity(n)
        line = _line_of(r.text, m.start)
        if "Label" in e.types and m.found_by != "FIELD" and (len(line.split()) <= 6 or line in title_lines):
            r.add(main_album, "releasedBy", e, 0.5, m.sentence)

    # The composer of a soundtrack's show is its artist and wrote its tracks.
    soundtrack_of = {c.subject: c.object for c in r.credits.values() if c.relation == "soundtrackOf"}
    composers_of = {}
    for c in list(r.credits.values()):
        if c.relation == "composedMusicFor":
            composers_of.setdefault(c.object, []).append(c.subject)
    by_name = {e.name: e for e in entities}
    for album_name, show_name in soundtrack_of.items():
        album = by_name[album_name]
        artists = [c.subject for c in r.credits.values() if c.relation == "artistOf" and c.object == album_name]
        if not artists and len(composers_of.get(show_name, [])) == 1:
            composer = by_name[composers_of[show_name][0]]
            r.add(composer, "artistOf", album, 0.5, ms[first_mention[id(album)]].sentence)
    # The composer credited with an album wrote its tracks.
    for c in list(r.credits.values()):
        if c.relation != "artistOf" or "Composer" not in by_name[c.subject].types:
            continue
        for t in list(r.credits.values()):
            if t.relation == "trackOf" and t.object == c.object:
                r.add(by_name[c.subject], "composerOf", by_name[t.subject], 0.5,
                      ms[first_mention[id(by_name[t.subject])]].sentence)


def _field_credits(r: Reading, main_album: Entity | None) -> None:
    """A block of "Key: Value" lines describes one release or one song: its album,
    show, song, artists, composers, lyricists, arrangers and labels."""
    ms = r.mentions
    blocks: list[list[int]] = []
    for n, m in enumerate(ms):
        if m.found_by != "FIELD":
            continue
        if blocks and _only_field_lines(r.text, ms[blocks[-1][-1]].end, m.start):
            blocks[-1].append(n)
        else:
            blocks.append([n])
    for block in blocks:
        of = {kind: [r.entity(n) for n in block if kind in ms[n].types]
              for kind in ("Album", "Show", "Song", "Performer", "Composer", "Lyricist", "Arranger", "Label")}
        if not of["Song"] and not of["Album"] and (of["Lyricist"] or of["Arranger"]):
            of["Song"] = _title_above(r, ms[block[0]].start)
        albums = of["Album"] or ([main_album] if main_album is not None and not of["Song"] else [])
        s = ms[block[0]].sentence
        for album in albums:
            for show in of["Show"]:
                r.add(album, "soundtrackOf", show, 0.6, s)
            for label in of["Label"]:
                r.add(album, "releasedBy", label, 0.7, s)
            for agent in of["Performer"] + of["Composer"]:
                r.add(agent, "artistOf", album, 0.7, s)
        for song in of["Song"]:
            for show in of["Show"]:
                r.add(song, "featuredIn", show, 0.5, s)
            for rel, kind in (("performerOf", "Performer"), ("composerOf", "Composer"),
                              ("lyricistOf", "Lyricist"), ("arrangerOf", "Arranger")):
                for agent in of[kind]:
                    r.add(agent, rel, song, 0.8, s)
        if not of["Song"] and not albums:
            for composer in of["Composer"]:
                for show in of["Show"]:
                    r.add(composer, "composedMusicFor", show, 0.6, s)


def _title_above(r: Reading, start: int) -> list[Entity]:
    """The song a credit block stands under: the title named alone on the line above it.

        2. Paper Comet
           Lyrics: Rin Aozora / Arrangement: Sayo Kurogane

    names the song Paper Comet."""
    line_start = r.text.rfind("\n", 0, start)
    if line_start <= 0:
        return []
    above_start = r.text.rfind("\n", 0, line_start) + 1
    above = [n for n, m in enumerate(r.mentions) if above_start <= m.start < line_start]
    if len(above) != 1:
        return []
    m, e = r.mentions[above[0]], r.entity(above[0])
    if e.types & (AGENTS | {"Show", "Album", "Label"}) or not (m.found_by in {"QUOTED", "TRACK"} or "Song" in e.types):
        return []
    return [e]


def _only_field_lines(text: str, start: int, end: int) -> bool:
    return all(not line.strip() or re.match(r"^\s*[A-Za-z][A-Za-z /&]{0,30}:", line)
               for line in text[start:end].split("\n")[1:-1])


LIST_ITEM = re.compile(r"^\s*(\d{1,2}[.)]|[-*•])\s+")


def _credit_paragraph_topics(r: Reading, cue_at: dict[int, str]) -> None:
    """A paragraph that opens with "SHOW: ..." (a comment, a list entry) speaks of that
    show throughout: its composers, performers and theme songs are the show's."""
    ms, text = r.mentions, r.text
    topic: Entity | None = None
    paragraph_end = -1
    for n, m in enumerate(ms):
        if m.start > paragraph_end or m.found_by == "HEAD":
            found = re.search(r"\n\s*\n", text[m.start:])
            paragraph_end = m.start + found.start() if found else len(text)
            opens = text[m.end:m.end + 3].lstrip()[:1] in {":", "("}
            topic = r.entity(n) if m.found_by == "HEAD" and opens and "Show" in r.entity(n).types else None
            continue
        e = r.entity(n)
        if topic is None or e is topic or e.types & {"Show", "Album", "Label"}:
            continue
        credited = {(c.subject, c.relation) for c in r.credits.values()}
        if "Composer" in e.types and (e.name, "composedMusicFor") not in credited:
            r.add(e, "composedMusicFor", topic, 0.5, m.sentence)
        elif "Performer" in e.types and not {(e.name, "performedMusicFor"), (e.name, "performerOf")} & credited:
            r.add(e, "performedMusicFor", topic, 0.5, m.sentence)
        elif "Song" in e.types and not any(c.subject == e.name and c.relation in r.cues.theme_relation.values()
                                           for c in r.credits.values()):
            cue = _nearest_theme_cue(r, m.sentence, e, cue_at)
            if cue is not None:
                r.add(e, r.cues.theme_relation[cue], topic, 0.5, m.sentence)


def _credit_themes_named_apart(r: Reading, cue_at: dict[int, str]) -> None:
    """"The opening to SHOW" in a sentence that names no song speaks of the song named
    just before or after it ("Song: X ... The opening to Iron Lotus ...", "SHOW's
    opening theme. Here it is: X by Y")."""
    ms, sents = r.mentions, sentences(r.doc)
    songs = [n for n, m in enumerate(ms) if r.entity(n).types == {"Song"}]
    for s, sent in enumerate(sents):
        here = [n for n, m in enumerate(ms) if m.sentence == s]
        shows = [r.entity(n) for n in here if "Show" in r.entity(n).types]
        cues = [cue_at[i] for i in range(sent.start, sent.end) if cue_at.get(i) in r.cues.placed_themes]
        if len(shows) != 1 or not cues or any(r.entity(n).types & {"Song", "Album"} for n in here):
            continue
        near = [n for n in songs if abs(ms[n].start - sent.start_char) <= 300 or abs(ms[n].end - sent.end_char) <= 300]
        if not near:
            continue
        song = min(near, key=lambda n: min(abs(ms[n].start - sent.end_char), abs(ms[n].end - sent.start_char)))
        e = r.entity(song)
        if not any(c.subject == e.name and c.relation in r.cues.theme_relation.values() for c in r.credits.values()):
            r.add(e, r.cues.theme_relation[cues[0]], shows[0], 0.4, s)


def _close_show(entities: list[Entity], name: str) -> Entity | None:
    """A show whose name differs from this one by a typo ("Glas Orchard" for "Glass Orchard")."""
    key = name_key(name)
    scored = [(fuzz.ratio(key, name_key(e.name)), e) for e in entities if "Show" in e.types]
    best = max(scored, default=(0, None), key=lambda x: x[0])
    return best[1] if best[0] >= 85 and len(key) >= 4 else None


def _credit_list_heads(r: Reading, cue_at: dict[int, str]) -> None:
    """In a ranked list, "1. SHOW" on one line and "OP: “SONG” by ARTIST" on the next:
    a theme line with no show of its own belongs to the list item above it."""
    ms, text = r.mentions, r.text
    for n, m in enumerate(ms):
        e = r.entity(n)
        if "Song" not in e.types or any(c.subject == e.name and c.relation in r.cues.theme_relation.values()
                                        for c in r.credits.values()):
            continue
        line_start = text.rfind("\n", 0, m.start) + 1
        opening = r.doc.char_span(line_start, m.start, alignment_mode="expand")
        words = [t for t in opening or [] if not t.is_space]
        cue = cue_at.get(words[0].i) if words else None
        if cue not in r.cues.theme_relation:
            continue
        for k in range(n - 1, -1, -1):
            head = ms[k]
            head_line_start = text.rfind("\n", 0, head.start) + 1
            if head_line_start == line_start:
                continue
            lines_between = text.count("\n", head.start, line_start)
            if lines_between > 2:
                break
            if LIST_ITEM.match(text[head_line_start:head.start]) and head.found_by != "TRACK" \
                    and not r.entity(k).types & (AGENTS | {"Song", "Album"}):
                r.add(e, r.cues.theme_relation[cue], r.entity(k), 0.6, m.sentence)
                break


def _dominant(r: Reading, entities: list[Entity], kind: str) -> Entity | None:
    """The entity of a kind that a document is about: named at least three times, and
    at least twice as often as any other of its kind."""
    counts: dict[int, int] = {}
    for n in range(len(r.mentions)):
        e = r.entity(n)
        if kind in e.types:
            counts[id(e)] = counts.get(id(e), 0) + 1
    ranked = sorted(counts.items(), key=lambda kv: -kv[1])
    if not ranked or ranked[0][1] < 3 or len(ranked) > 1 and ranked[1][1] * 2 > ranked[0][1]:
        return None
    return next(e for e in entities if id(e) == ranked[0][0])


# What a role's line in an album's credit block says of each track it covers: the
# relation from that role to a song (Composer -> composerOf, Lyricist -> lyricistOf, ...).
SONG_RELATION_OF_ROLE = {SUBJECT_TYPE[rel]: rel for rel, obj in OBJECT_TYPE.items()
                         if obj == "Song" and SUBJECT_TYPE.get(rel) in AGENTS}
# Track numbers after a name in a credit block: "(6, 38)", "(tracks 2-4)", "[1 & 3]".
TRACK_NUMBERS = re.compile(r"[ \t,]*[(\[][ \t]*(?:tracks?|tr\.|#)?[ \t]*(?P<list>\d{1,3}(?:[ \t]*(?:,|&|and|-|–)[ \t]*\d{1,3})*)[ \t]*[)\]]")
# How far from its track list a credit block may stand, in lines; a line of prose ends it.
CREDIT_BLOCK_LINES = 30
PROSE_WORDS = 12


def _numbers(listed: str) -> set[int]:
    """Track numbers of a list written with commas, "&" and ranges.

    >>> sorted(_numbers("2-4, 7"))
    [2, 3, 4, 7]
    """
    out: set[int] = set()
    for part in re.split(r"\s*(?:,|&|and)\s*", listed):
        ends = [int(x) for x in re.split(r"\s*[-–]\s*", part) if x.isdigit()]
        if len(ends) == 2 and 0 < ends[1] - ends[0] < 100:
            out.update(range(ends[0], ends[1] + 1))
        else:
            out.update(ends)
    return out


def _track_runs(r: Reading, tracks: list[int], album_of_track: dict[int, Entity | None]) -> list[list[int]]:
    """The track lists of a document: runs of two or more track mentions under one album,
    at most a blank line apart."""
    runs: list[list[int]] = []
    for n in tracks:
        if runs and album_of_track.get(runs[-1][-1]) is album_of_track.get(n) and \
                r.text.count("\n", r.mentions[runs[-1][-1]].end, r.mentions[n].start) <= 2:
            runs[-1].append(n)
        else:
            runs.append([n])
    return [run for run in runs if len(run) >= 2]


def _track_list_credit_blocks(r: Reading, cue_at: dict[int, str], runs: list[list[int]]) -> None:
    """A credit block beside a track list credits its tracks: every one, or those whose
    numbers follow a name.

        1. Paper Comet
        2. Harbor Lights
        Composed by:
        Aoi Minase,
        Velvet Crane (2)
        Arrangement: Aoi Minase

    Aoi Minase composed and arranged both tracks, Velvet Crane composed track 2.
    """
    text, doc = r.text, r.doc
    line_starts = [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]
    token_at = {tok.idx: tok.i for tok in doc}
    for run in runs:
        position = {}
        for n in run:
            read = read_track_line(_line_of(text, r.mentions[n].start).strip())
            if read is not None:
                position[n] = read[0]
        first_line = bisect.bisect_right(line_starts, r.mentions[run[0]].start) - 1
        last_line = bisect.bisect_right(line_starts, r.mentions[run[-1]].start) - 1
        below = range(last_line + 1, min(last_line + 1 + CREDIT_BLOCK_LINES, len(line_starts)))
        above = range(first_line - 1, max(first_line - 1 - CREDIT_BLOCK_LINES, -1), -1)
        for lines in (below, above):
            role = None
            for k in lines:
                start = line_starts[k]
                end = line_starts[k + 1] - 1 if k + 1 < len(line_starts) else len(text)
                line = text[start:end]
                if not line.strip():
                    role = None
                    continue
                if len(line.split()) > PROSE_WORDS or read_track_line(line.strip()) is not None:
                    break
                first = token_at.get(start + len(line) - len(line.lstrip()))
                if ":" in line or re.search(r"\bby\s*$", line, re.I):
                    cue = next((cue_at[i] for i in range(first, first + 3) if i in cue_at), None) \
                        if first is not None else None
                    role = SONG_RELATION_OF_ROLE.get(r.cues.agent_by.get(cue, ""))
                if role is None:
                    continue
                for n, m in enumerate(r.mentions):
                    if not start <= m.start < end or m.found_by in {"QUOTED", "TRACK"} or is_title_like(m) \
                            or r.entity(n).types & {"Song", "Album", "Label"}:
                        continue
                    listed = TRACK_NUMBERS.match(text, m.end, end)
                    numbers = _numbers(listed.group("list")) if listed else None
                    for t in run:
                        if numbers is None or position.get(t) in numbers:
                            r.add(r.entity(n), role, r.entity(t), 0.6, m.sentence)


ALL_WORDS = {"all", "whole", "entire", "every"}
# How many words before the roles "all" may stand ("the whole album was composed by").
ALL_REACH = 4
# How far after "by" the credited names may stand, in tokens.
BY_REACH = 8


def _album_wide_credits(r: Reading, cue_at: dict[int, str], run: list[int], album: Entity | None) -> None:
    """"All music composed and arranged by Aoi Minase": in a text with one track list,
    every track is hers, for each role named before "by"; the album is hers (artistOf),
    and so is the music of the show it is a soundtrack of."""
    shows = [c.object for c in r.credits.values() if album is not None and c.relation == "soundtrackOf"
             and c.subject == album.name]
    by_name = {e.name: e for e in r.entity_of.values()} | {e.name: e for e in r.implied}
    sents = sentences(r.doc)
    for s, sent in enumerate(sents):
        words = [t.lower_ for t in sent]
        if not ALL_WORDS & set(words) or "by" not in words:
            continue
        by = sent.start + words.index("by")
        # The roles named right before "by": "composed, arranged and performed by".
        roles, i = set(), by - 1
        while i >= sent.start and (i in cue_at or r.doc[i].lower_ in ROLE_JOINERS):
            roles.add(SONG_RELATION_OF_ROLE.get(r.cues.agent_by.get(cue_at.get(i, ""), "")))
            i -= 1
        roles.discard(None)
        if not ALL_WORDS & {t.lower_ for t in r.doc[max(i - ALL_REACH, sent.start):i + 1]}:
            continue  # "all" must open the phrase: "All music composed by", "the whole album was arranged by"
        for n, m in enumerate(r.mentions):
            if m.sentence != s or not by < m.first <= by + BY_REACH or is_title_like(m) \
                    or r.entity(n).types & {"Song", "Album", "Label", "Show"}:
                continue
            for role in roles:
                for t in run:
                    r.add(r.entity(n), role, r.entity(t), 0.5, s)
            if album is not None and roles & {"composerOf", "performerOf"}:
                r.add(r.entity(n), "artistOf", album, 0.5, s)
                for show in (name for name in shows if name in by_name):
                    relation = "composedMusicFor" if "composerOf" in roles else "performedMusicFor"
                    r.add(r.entity(n), relation, by_name[show], 0.5, s)


def _credit_main_composer(r: Reading, entities: list[Entity], cue_at: dict[int, str]) -> None:
    """An article about one composer ("her ten best pieces", "the composer's soundtracks
    for X, Y and Z") credits that composer where a sentence speaks of music without
    naming anyone."""
    composer = _dominant(r, entities, "Composer")
    if composer is None:
        return
    by_sentence: dict[int, list[Entity]] = {}
    for n, m in enumerate(r.mentions):
        by_sentence.setdefault(m.sentence, []).append(r.entity(n))
    sents = sentences(r.doc)
    for s, ents in by_sentence.items():
        if any(e.types & AGENTS and e is not composer for e in ents):
            continue
        sent = sents[s]
        cues = {cue_at[i] for i in range(sent.start, sent.end) if i in cue_at}
        if not cues & {CueLabel.COMPOSE, CueLabel.SONG, CueLabel.THEME}:
            continue
        for e in ents:
            if "Show" in e.types:
                r.add(composer, "composedMusicFor", e, 0.4, s)
            elif "Song" in e.types:
                r.add(composer, "composerOf", e, 0.4, s)
    # Pieces the article names without crediting anyone are the composer's.
    credited_songs = {c.object for c in r.credits.values() if c.relation in {"composerOf", "performerOf"}}
    credited_songs |= {c.subject for c in r.credits.values() if c.relation == "trackOf"}
    heard_in_show = {c.subject for c in r.credits.values() if c.relation in r.cues.theme_relation.values() or
                     c.relation == "featuredIn"}
    for n, m in enumerate(r.mentions):
        e = r.entity(n)
        if e.types == {"Song"} and e.name not in credited_songs and e.name in heard_in_show:
            r.add(composer, "composerOf", e, 0.35, m.sentence)
            credited_songs.add(e.name)


def _credit_main_show(r: Reading, entities: list[Entity], cue_at: dict[int, str]) -> None:
    """A review or article about one show credits its composers to that show even
    where a sentence does not name it ("Written by the trio X, this soundtrack
    ...")."""
    show = _dominant(r, entities, "Show")
    if show is None:
        return
    credited = {(c.subject, c.relation) for c in r.credits.values()}
    works = {"Show", "Song", "Album", "Label"}
    for n, m in enumerate(r.mentions):
        e = r.entity(n)
        if e.types & works and not e.types >= {"Song"} or e is show:
            continue
        if "Composer" in e.types and (e.name, "composedMusicFor") not in credited:
            r.add(e, "composedMusicFor", show, 0.4, m.sentence)
        elif "Performer" in e.types and not {(e.name, "performedMusicFor"), (e.name, "performerOf")} & credited:
            r.add(e, "performedMusicFor", show, 0.35, m.sentence)
        elif e.types == {"Song"} and not any(c.subject == e.name and c.object in {x.name for x in entities
                                                                                     if "Show" in x.types}
                                             for c in r.credits.values()):
            cue = _nearest_theme_cue(r, m.sentence, e, cue_at)
            if cue is not None:
                r.add(e, r.cues.theme_relation[cue], show, 0.4, m.sentence)
        credited = {(c.subject, c.relation) for c in r.credits.values()}


def _same_line(text: str, start: int, end: int) -> bool:
    return "\n" not in text[start:end]


def _line_of(text: str, offset: int) -> str:
    start = text.rfind("\n", 0, offset) + 1
    end = text.find("\n", offset)
    return text[start:end if end >= 0 else len(text)]
