"""The learned credit scorer: candidate pairs of entities, their features, and a
calibrated classifier per relation that gives each pair a probability.

Candidates come from the structure of the text: two entities named in one sentence or
on one line (a list item, a track line, an "OP:" line, a title line), and every entity
with the show the document is about. A pair's features are what lies between and around
its mentions (words, with names replaced by their kind, and the cue labels of
``patterns/cues.jsonl``), the dependency path between them, their distance and order,
their kinds, and the votes of the reading rules (:mod:`animekg.extract.credits`).

The probability a classifier gives is the credit's confidence in the graph: it is
calibrated on cross-validation folds by document, so that of the credits given 0.7,
about seven in ten are right.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from spacy.tokens import Doc

from animekg.normalize import name_key

from .components import doc_text
from .mentions import cue_index, sentences
from .records import Entity, Mention

# Which kinds of entity each relation joins (subject kinds, object kinds). A single and
# its title song share a name, so songs and albums stand in for each other.
# The kinds of the works a relation joins, as the gold states them; the recognizer
# confuses a show, a song and an album named alike ("Glass Orchard" the show, its
# theme and its soundtrack) often enough that a work of any kind may stand in a work's
# place (see kinds_allowed): the pair's kinds are features, and the credit decides the type.
RELATION_KINDS: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "composedMusicFor": (frozenset({"AGENT"}), frozenset({"SHOW"})),
    "performedMusicFor": (frozenset({"AGENT"}), frozenset({"SHOW"})),
    "composerOf": (frozenset({"AGENT"}), frozenset({"SONG"})),
    "lyricistOf": (frozenset({"AGENT"}), frozenset({"SONG"})),
    "arrangerOf": (frozenset({"AGENT"}), frozenset({"SONG"})),
    "performerOf": (frozenset({"AGENT"}), frozenset({"SONG"})),
    "openingThemeOf": (frozenset({"SONG"}), frozenset({"SHOW"})),
    "endingThemeOf": (frozenset({"SONG"}), frozenset({"SHOW"})),
    "insertSongOf": (frozenset({"SONG"}), frozenset({"SHOW"})),
    "themeSongOf": (frozenset({"SONG"}), frozenset({"SHOW"})),
    "featuredIn": (frozenset({"SONG"}), frozenset({"SHOW"})),
    "soundtrackOf": (frozenset({"ALBUM"}), frozenset({"SHOW"})),
    "trackOf": (frozenset({"SONG"}), frozenset({"ALBUM"})),
    "artistOf": (frozenset({"AGENT"}), frozenset({"ALBUM"})),
    "releasedBy": (frozenset({"ALBUM"}), frozenset({"LABEL"})),
    "memberOf": (frozenset({"AGENT"}), frozenset({"AGENT"})),
}
# Tokens further apart than this in one sentence are a pair only through the document.
MAX_GAP = 40
# Most candidate pairs a sentence or line may give: a line of 500 names is not 250,000 credits.
MAX_PAIRS_PER_UNIT = 400
WINDOW = 3


@dataclass(frozen=True)
class Candidate:
    """An ordered pair of a document's entities that may stand in some relation."""

    subject: Entity
    object: Entity
    features: frozenset[str]
    sentence: int  # where the pair is closest: the credit's evidence


@dataclass
class _PairFeatures:
    features: set[str] = field(default_factory=set)
    best_gap: int = 10**9
    sentence: int = 0
    together: int = 0


def _bucket(n: int, edges: tuple[int, ...] = (0, 1, 2, 3, 5, 8, 12, 20, 40)) -> str:
    for edge in edges:
        if n <= edge:
            return str(edge)
    return "more"


def _token_word(doc: Doc, i: int, cue_at: dict[int, str], kind_at: dict[int, str]) -> str:
    if i in kind_at:
        return f"<{kind_at[i]}>"
    tok = doc[i]
    if i in cue_at:
        return f"{tok.lower_}"
    if tok.like_num:
        return "<NUM>"
    if tok.text[:1].isupper() and tok.pos_ == "PROPN":
        return "<CAP>"
    return tok.lower_


def _dep_path(doc: Doc, a: int, b: int) -> str:
    """The dependency path between two tokens: labels up to their common ancestor, its
    lemma, then labels down ("nsubj^write>dobj")."""
    up_a = [doc[a]] + list(doc[a].ancestors)
    up_b = [doc[b]] + list(doc[b].ancestors)
    ids_b = {t.i: n for n, t in enumerate(up_b)}
    for n, tok in enumerate(up_a):
        if tok.i in ids_b:
            m = ids_b[tok.i]
            if n + m > 6:
                return "far"
            left = "^".join(t.dep_ for t in up_a[:n])
            right = ">".join(t.dep_ for t in reversed(up_b[:m]))
            return f"{left}^{tok.lemma_.lower() or tok.lower_}>{right}"
    return "none"


def candidate_pairs(doc: Doc, mentions: list[Mention], entity_of: dict[int, Entity],
                    kinds: dict[int, str], topic: Entity | None = None) -> list[Candidate]:
    """Every ordered pair of entities of kinds some relation joins, that share a sentence
    or a line, or that the document's topic show makes one; with its features."""
    cue_at = cue_index(doc)
    kind_at = {i: kinds.get(id(entity_of[n]), "") for n, m in enumerate(mentions) for i in range(m.first, m.last)}
    text = doc_text(doc)
    line_of = [0] * len(doc)
    line = 0
    for tok in doc:
        line_of[tok.i] = line
        line += tok.text.count("\n") + tok.whitespace_.count("\n")
    pairs: dict[tuple[int, int], _PairFeatures] = defaultdict(_PairFeatures)
    allowed = {(s, o) for s_kinds, o_kinds in RELATION_KINDS.values() for s in _widened(s_kinds)
               for o in _widened(o_kinds)}
    units: dict[tuple[str, int], list[int]] = defaultdict(list)
    for n, m in enumerate(mentions):
        units[("s", m.sentence)].append(n)
        units[("l", line_of[m.first])].append(n)
    seen_mention_pairs: set[tuple[int, int]] = set()
    for unit in units.values():
        count = 0
        for x, a in enumerate(unit):
            for b in unit[x + 1:]:
                if count >= MAX_PAIRS_PER_UNIT:
                    break
                if (a, b) in seen_mention_pairs:
                    continue
                seen_mention_pairs.add((a, b))
                ma, mb = mentions[a], mentions[b]
                gap = mb.first - ma.last
                if gap > MAX_GAP or gap < 0:
                    continue
                ea, eb = entity_of[a], entity_of[b]
                if ea is eb:
                    continue
                count += 1
                for s_n, o_n, order in ((a, b, "so"), (b, a, "os")):
                    es, eo = entity_of[s_n], entity_of[o_n]
                    if (kinds.get(id(es)), kinds.get(id(eo))) not in allowed:
                        continue
                    feats = _mention_pair_features(doc, ma, mb, order, cue_at, kind_at, line_of, text)
                    pf = pairs[(id(es), id(eo))]
                    pf.features |= feats
                    pf.together += 1
                    if gap < pf.best_gap:
                        pf.best_gap, pf.sentence = gap, ma.sentence
    _nearby_pairs(doc, mentions, entity_of, kinds, allowed, cue_at, pairs)
    _track_list_pairs(mentions, entity_of, kinds, text, pairs)
    _credit_block_pairs(mentions, entity_of, kinds, text, pairs)
    entities = {id(e): e for e in entity_of.values()}
    mention_count = Counter(id(e) for e in entity_of.values())
    context = entity_context(doc, mentions, entity_of, cue_at)
    if topic is not None:
        for e in entities.values():
            if e is topic or (kinds.get(id(e)), "SHOW") not in allowed:
                continue
            pf = pairs[(id(e), id(topic))]
            if not pf.together:
                first = next(m for n, m in enumerate(mentions) if entity_of[n] is e)
                pf.sentence = first.sentence
            pf.features.add("o_topic")
    candidates = []
    for (s_id, o_id), pf in pairs.items():
        es, eo = entities[s_id], entities[o_id]
        feats = set(pf.features)
        feats.add(f"kinds={kinds.get(s_id)}>{kinds.get(o_id)}")
        feats.add(f"gap={_bucket(pf.best_gap) if pf.together else 'none'}")
        feats.add(f"together={_bucket(pf.together)}")
        feats.add(f"s_count={_bucket(mention_count[s_id])}")
        feats.add(f"o_count={_bucket(mention_count[o_id])}")
        feats |= {f"s_{c}" for c in context.get(s_id, ())}
        feats |= {f"o_{c}" for c in context.get(o_id, ())}
        if topic is not None and eo is topic:
            feats.add("o_topic")
        if _names_inside(eo, es) or _names_inside(es, eo):
            feats.add("name_inside")  # "SHOW Original Soundtrack" and SHOW
        candidates.append(Candidate(es, eo, frozenset(feats), pf.sentence))
    return candidates


# Sentences apart that two mentions may still be a pair ("X wrote the score. It opens
# with ..."), and how many later mentions each one is paired with at most.
NEARBY_SENTENCES = 3
NEARBY_MENTIONS = 30


def _nearby_pairs(doc: Doc, mentions: list[Mention], entity_of: dict[int, Entity], kinds: dict[int, str],
                  allowed: set[tuple[str, str]], cue_at: dict[int, str], pairs: dict) -> None:
    """Pairs a few sentences apart, which share no sentence or line: what the two
    sentences are about (their cue labels) and how far apart they are."""
    sents = sentences(doc)
    cues_of: dict[int, set[str]] = {}

    def cues(n: int) -> set[str]:
        if n not in cues_of:
            sent = sents[n]
            cues_of[n] = {cue_at[i] for i in range(sent.start, sent.end) if i in cue_at}
        return cues_of[n]
    for a, ma in enumerate(mentions):
        for b in range(a + 1, min(len(mentions), a + 1 + NEARBY_MENTIONS)):
            mb = mentions[b]
            distance = mb.sentence - ma.sentence
            if distance > NEARBY_SENTENCES:
                break
            if distance == 0 or entity_of[a] is entity_of[b]:
                continue
            for s_n, o_n, order in ((a, b, "so"), (b, a, "os")):
                es, eo = entity_of[s_n], entity_of[o_n]
                if (kinds.get(id(es)), kinds.get(id(eo))) not in allowed:
                    continue
                pf = pairs[(id(es), id(eo))]
                if pf.together:
                    continue  # they share a sentence or line elsewhere: that says more
                pf.features.add(f"nearby={distance}")
                pf.features |= {f"{order}:first_sent_cue={c}" for c in cues(ma.sentence)}
                pf.features |= {f"{order}:second_sent_cue={c}" for c in cues(mb.sentence)}
                if pf.best_gap == 10**9:
                    pf.sentence = mentions[s_n].sentence


# A numbered line opening a track list item: "4. Title", "07 - Title", "Track 7: Title".
TRACK_LINE = re.compile(r"^[ \t]*(?:track[ \t]*)?\d{1,2}[ \t]*[.):\-–]", re.I)
# How far below its album a track list may run.
TRACK_LIST_REACH = 4000


def _track_list_pairs(mentions: list[Mention], entity_of: dict[int, Entity], kinds: dict[int, str],
                      text: str, pairs: dict) -> None:
    """A song on a numbered line and the album named last above it: "ALBUM ... 1. SONG"."""
    last_album: Mention | None = None
    last_album_n = -1
    for n, m in enumerate(mentions):
        kind = kinds.get(id(entity_of[n]))
        if kind == "ALBUM":
            last_album, last_album_n = m, n
            continue
        if kind != "SONG" or last_album is None or m.start - last_album.end > TRACK_LIST_REACH:
            continue
        line_start = text.rfind("\n", 0, m.start) + 1
        if not TRACK_LINE.match(text[line_start:m.start + 1]):
            continue
        pf = pairs[(id(entity_of[n]), id(entity_of[last_album_n]))]
        pf.features.add("track_under_album")
        if not pf.together:
            pf.sentence = m.sentence


# "Lyrics: X", "Composition & Arrangement: Y": a credit line under the title it credits.
CREDIT_LINE = re.compile(r"^[ \t]*(?P<key>[A-Za-z][A-Za-z .&/]{0,30}?)[ \t]*[:：]", re.M)
BLOCK_REACH_LINES = 6


def _credit_block_pairs(mentions: list[Mention], entity_of: dict[int, Entity], kinds: dict[int, str],
                        text: str, pairs: dict) -> None:
    """An agent on a "Key: NAME" line and the work named last above it, a few lines up:

        Starlit Harbor
        Lyrics: Aoi Minase
        Composition: Ren Kaito
    """
    for n, m in enumerate(mentions):
        if kinds.get(id(entity_of[n])) != "AGENT":
            continue
        line_start = text.rfind("\n", 0, m.start) + 1
        key = CREDIT_LINE.match(text, line_start)
        if key is None or key.end() > m.start:
            continue
        key_words = "_".join(key.group("key").lower().replace(".", "").split())[:24]
        for k in range(n - 1, -1, -1):
            above = mentions[k]
            if text.count("\n", above.start, line_start) > BLOCK_REACH_LINES:
                break
            kind = kinds.get(id(entity_of[k]))
            if above.start >= line_start or kind not in {"SONG", "ALBUM", "SHOW"}:
                continue
            if CREDIT_LINE.match(text, text.rfind("\n", 0, above.start) + 1):
                continue  # a work named on another credit line is not the block's title
            pf = pairs[(id(entity_of[n]), id(entity_of[k]))]
            pf.features |= {"credit_block", f"block_key={key_words}"}
            if not pf.together:
                pf.sentence = m.sentence
            break


def _names_inside(inner: Entity, outer: Entity) -> bool:
    a, b = name_key(inner.name), name_key(outer.name)
    return len(a) >= 3 and a != b and f" {a} " in f" {b} "


def _mention_pair_features(doc: Doc, ma: Mention, mb: Mention, order: str, cue_at: dict[int, str],
                           kind_at: dict[int, str], line_of: list[int], text: str) -> set[str]:
    """What one co-occurrence says: ``ma`` comes first in the text; ``order`` says
    whether it is the subject (so) or the object (os)."""
    f = {f"order={order}"}
    between = [_token_word(doc, i, cue_at, kind_at) for i in range(ma.last, mb.first) if not doc[i].is_space]
    if len(between) <= 12:
        f |= {f"{order}:btw={w}" for w in between}
        f.add(f"{order}:btw_seq={' '.join(between[:4])}")
        f |= {f"{order}:btw_cue={cue_at[i]}" for i in range(ma.last, mb.first) if i in cue_at}
    else:
        f.add(f"{order}:btw_long")
    if not between:
        f.add(f"{order}:adjacent")
    for k in range(1, WINDOW + 1):
        if ma.first - k >= 0:
            f.add(f"{order}:left{k}={_token_word(doc, ma.first - k, cue_at, kind_at)}")
        if mb.last + k - 1 < len(doc):
            f.add(f"{order}:right{k}={_token_word(doc, mb.last + k - 1, cue_at, kind_at)}")
    sent = sentences(doc)[ma.sentence]
    f |= {f"sent_cue={cue_at[i]}" for i in range(sent.start, sent.end) if i in cue_at}
    if line_of[ma.first] == line_of[mb.first]:
        f.add("same_line")
        line_start = text.rfind("\n", 0, ma.start) + 1
        head = text[line_start:ma.start].strip()
        if head:
            key = re.sub(r"[^a-z: ]", "", head.lower())[:20]
            f.add(f"line_head={key.split(':')[0].strip()[:12]}" if ":" in key else "line_head=text")
        if re.match(r"\s*(?:track\s*)?\d{1,2}\s*[.):\-–]", text[line_start:ma.start + 1], re.I):
            f.add("numbered_line")
    if ma.sentence == mb.sentence:
        f.add("same_sentence")
        f.add(f"{order}:dep={_dep_path(doc, ma.last - 1, mb.last - 1)}")
    return f


def entity_context(doc: Doc, mentions: list[Mention], entity_of: dict[int, Entity],
                    cue_at: dict[int, str]) -> dict[int, set[str]]:
    """Cue labels and words right around each entity's mentions ("X's score", "by X")."""
    context: dict[int, set[str]] = defaultdict(set)
    for n, m in enumerate(mentions):
        feats = context[id(entity_of[n])]
        for i in range(max(0, m.first - WINDOW), m.first):
            if i in cue_at:
                feats.add(f"ctx_before={cue_at[i]}")
        for i in range(m.last, min(len(doc), m.last + WINDOW)):
            if i in cue_at:
                feats.add(f"ctx_after={cue_at[i]}")
        if m.first > 0:
            feats.add(f"prev={doc[m.first - 1].lower_}")
        if m.last < len(doc):
            feats.add(f"next={doc[m.last].lower_}")
        if m.found_by != "NER":
            feats.add(f"found_by={m.found_by}")
    return context


WORK_KINDS = frozenset({"SHOW", "SONG", "ALBUM"})


def _widened(kinds: frozenset[str]) -> frozenset[str]:
    return kinds | WORK_KINDS if kinds & WORK_KINDS else kinds


def kinds_allowed(relation: str, subject_kind: str, object_kind: str) -> bool:
    """Whether entities of these kinds may stand in the relation: an agent where the spec
    wants an agent, a label where it wants a label, any work where it wants a work.

    >>> kinds_allowed("trackOf", "SONG", "SHOW"), kinds_allowed("trackOf", "AGENT", "ALBUM")
    (True, False)
    """
    s_kinds, o_kinds = RELATION_KINDS[relation]
    return subject_kind in _widened(s_kinds) and object_kind in _widened(o_kinds)


def with_votes(candidates: Iterable[Candidate], votes: dict[tuple[str, str], set[str]]) -> list[Candidate]:
    """The candidates with the reading rules' verdicts as features ("rule=performerOf")."""
    out = []
    for c in candidates:
        said = votes.get((c.subject.name, c.object.name), set())
        if said:
            out.append(Candidate(c.subject, c.object, c.features | {f"rule={r}" for r in said}, c.sentence))
        else:
            out.append(c)
    return out


def with_rule_pairs(candidates: list[Candidate], votes: dict[tuple[str, str], set[str]],
                    entities: dict[str, Entity], kinds: dict[int, str], sentence_of: dict[tuple[str, str], int]
                    ) -> list[Candidate]:
    """The candidates and, as candidates of their own, the pairs the reading rules credit
    that no sentence or line made one: "Composed by: Aoi Minase" under a track list
    credits every track, lines away. What such a vote is worth is learned like any feature."""
    paired = {(c.subject.name, c.object.name) for c in candidates}
    out = list(candidates)
    for (s, o), said in votes.items():
        if (s, o) in paired or s not in entities or o not in entities:
            continue
        es, eo = entities[s], entities[o]
        feats = {"rule_only", f"kinds={kinds.get(id(es))}>{kinds.get(id(eo))}"}
        feats |= {f"rule={r}" for r in said}
        out.append(Candidate(es, eo, frozenset(feats), sentence_of.get((s, o), 0)))
    return out


__all__ = ["Candidate", "RELATION_KINDS", "WORK_KINDS", "candidate_pairs", "entity_context", "kinds_allowed", "with_rule_pairs",
           "with_votes", "MAX_PAIRS_PER_UNIT"]
