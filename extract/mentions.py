"""Mentions: the candidates of a parsed document, de-overlapped and typed from context.

A candidate becomes a Composer, Show, Song, ... from what it looks like (an orchestra's
name, a label's suffix, an album's "Original Soundtrack") and from the cue words around
it ("music by X", "X's score", "the anime X", "released by X"). What gets no type here
may still get one from a credit pattern or from another mention of the same name.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc, Span

from .components import CANDIDATES, MAX_SENTENCE_TOKENS, PRIORITY
from .cues import CUES, CueLabel, CueTable
from .records import Mention

ORCHESTRA_NAME = re.compile(r"\b(Orchestra|Philharmonic|Symphony|Sinfonietta|Filharmonie)\b", re.I)
CHOIR_NAME = re.compile(r"\b(Choir|Chorus|Chorale|Ensemble|Quartet|Big Band)\b", re.I)
LABEL_NAME = re.compile(r"\S\s+(Records|Recordings|Music|Entertainment|Inc\.?|Label|Trax)$")
# "SHOW Original Soundtrack", "SHOW OST", "SHOW: Symphonic Suite": an album named after its show.
ALBUM_OF_SHOW = re.compile(
    r"^(?P<show>.+?)(?:['’]s)?\s*:?\s+(Original\s+)?(Soundtrack|Sound\s?Track|OST|O\.S\.T\.?|Original Score|Score"
    r"|Symphonic Suite|Music Collection)\b.*$", re.I)
ALBUM_NAME = re.compile(
    r"\S.*\b(Original Soundtrack|Soundtrack|Sound ?Track|OST|O\.S\.T\.?|Symphonic Suite|Original Score"
    r"|Score|Vol\.?\s*\d+|Volume\s*\d+|Best Album|Album|Collection|Music Collection|Complete Best)\b",
    re.I)
NOT_A_NAME = re.compile(r"^(OST|OP|ED|OPs|EDs|TV|CD|DVD|LP|EP|Vol\.?|Track \d+|Review|Soundtrack Review"
                        r"|Anime|Track List|Tracklist"
                        r"|(Original )?(Soundtrack|Sound Track|Score|OST)( Review)?)$", re.I)
# Words after an album's name that belong to the page, not the name ("... OST Review").
ALBUM_TAIL = re.compile(r"\s+(Anime\s+)?(Soundtrack\s+|Album\s+|CD\s+)?Review\b.*$", re.I)
# An article's title over an album's name: "The Genius of X's Original Soundtrack".
ARTICLE_HEAD = re.compile(r"^(?:The\s+)?[A-Z][a-z]+\s+of\s+(?=(?:[A-Z0-9]\S*\s+){0,3}\S+['’]s\s)")
# The statistical NER calls many Japanese names places, so GPE and LOC decide nothing.
TITLE_LIKE_NER = {"WORK_OF_ART", "PRODUCT", "EVENT", "LAW", "FAC"}
PERSON_LIKE_NER = {"PERSON", "ORG"}
# The rules were written against the stock NER's labels; the trained recognizer's kinds
# read as the stock label that means the same to them.
STOCK_LABEL_OF_KIND = {"AGENT": "PERSON", "SHOW": "WORK_OF_ART", "SONG": "WORK_OF_ART", "ALBUM": "WORK_OF_ART",
                       "LABEL": "ORG"}

# How a cue word next to a candidate types it is the cue table's (cues.py): "by"/":"
# after a cue names its agent_by, "for"/"to"/"of"/"from" its work_for, nothing its names_next.
WORK_TYPES = {"Show", "Song", "Album"}
PARTS_OF_SHOWS = {"episode", "episodes", "season", "seasons"}
OPEN_QUOTES = {"“", '"', "‘", "'", "「", "『"}
AGENT_LINKS = {"by", ":", "-", "–", "—"}
WORK_LINKS = {"for", "to", "of", "in", "on", "from"}
SKIPPABLE = {"the", "a", "an", "famous", "renowned", "legendary", "great", "talented", "japanese", "'s", "’s",
             "main", "original", "(", "new", "whole", "entire", "first", "second", "whose", "his", "her", "their",
             "include", "includes", "including", "such", "as", "namely", "are", "were"}


SENTENCE_END = {".", "!", "?", ":", ";", "”", '"', ")", "…", "’", "'"}


def _capped(doc: Doc, start: int, end: int) -> list[Span]:
    """doc[start:end] in pieces of at most MAX_SENTENCE_TOKENS: the parser may keep a long
    run whole past a full stop, where line_breaks no longer counts."""
    return [doc[i:min(i + MAX_SENTENCE_TOKENS, end)] for i in range(start, end, MAX_SENTENCE_TOKENS)]


def sentences(doc: Doc) -> list[Span]:
    """The parser's sentences, less its splits inside a line that no punctuation
    closes ("Aoi | Minase's two albums"). Computed once per document."""
    cached = doc.user_data.get("animekg_sentences")
    if cached is not None:
        return cached
    units: list[Span] = []
    start = None
    for sent in doc.sents:
        # Joining never carries a unit past the cap: what is open ends before this sentence.
        if start is not None and sent.end - start > MAX_SENTENCE_TOKENS:
            units.append(doc[start:sent.start])
            start = None
        if start is None:
            start = sent.start
        last = sent[-1]
        following = doc[sent.end] if sent.end < len(doc) else None
        closed = last.text[-1:] in SENTENCE_END or "\n" in last.text or "\n" in last.whitespace_ \
            or following is None or last.is_space
        # "... 'Run Ahead!' and 'X'": a sentence does not go on in lower case.
        if closed and following is not None and "\n" not in last.text + last.whitespace_ and not last.is_space \
                and (following.text[:1].islower() or following.text in {"'", "’", "”", '"', ",", ")"}):
            closed = False
        if closed or sent.end - start >= MAX_SENTENCE_TOKENS:
            units.extend(_capped(doc, start, sent.end))
            start = None
    if start is not None:
        units.extend(_capped(doc, start, len(doc)))
    doc.user_data["animekg_sentences"] = units
    return units


# The head row of a track table ("Track Title Artist Time") names columns, not things.
COLUMN_WORDS = {"track", "no", "no.", "#", "title", "artist", "artists", "time", "length", "duration",
                "composer", "lyrics", "lyricist", "arranger", "performer", "vocals", "disc"}


def _is_column_header(span: Span) -> bool:
    return len(span) >= 2 and all(t.lower_ in COLUMN_WORDS for t in span)


def select_mentions(doc: Doc) -> list[Mention]:
    """One mention per stretch of text: where candidates overlap, the surer way of
    finding wins, then the longer span."""
    spans = sorted(doc.spans[CANDIDATES], key=lambda s: (-PRIORITY[s.label_], -(s.end - s.start), s.start))
    cue_at = cue_index(doc)
    spans = [s for s in spans if not all(i in cue_at for i in range(s.start, s.end))]
    taken = [False] * len(doc)
    chosen: list[Span] = []
    for span in spans:
        if any(taken[i] for i in range(span.start, span.end)):
            continue
        if span.label_ in {"CHUNK", "NER", "HEAD"} and \
                sum(t.ent_type_ in {"DATE", "TIME", "MONEY", "QUANTITY"} for t in span) * 2 >= len(span):
            continue  # "July 30", "Spring 2019"
        if NOT_A_NAME.match(span.text.strip()) or _is_column_header(span) or not re.search(r"[^\W\d_]{2}", span.text) \
                or re.match(r"^(n[’']t|[’']\w)", span.text):
            continue
        for i in range(span.start, span.end):
            taken[i] = True
        chosen.append(span)
    sentence_of = {}
    for n, sent in enumerate(sentences(doc)):
        for i in range(sent.start, sent.end):
            sentence_of[i] = n
    ner = {(e.start, e.end): e.label_ for e in doc.ents}
    ner_at = {}
    for e in doc.ents:
        for i in range(e.start, e.end):
            ner_at[i] = e.label_
    mentions = []
    for span in sorted(chosen, key=lambda s: s.start):
        label = span.kb_id_ or ner.get((span.start, span.end)) or ner_at.get(span.start, "")
        if span.label_ == "FIELD":
            label = ner_at.get(span.start, "")
        label = STOCK_LABEL_OF_KIND.get(label, label)
        mentions.append(Mention(
            text=span.text, start=span.start_char, end=span.end_char, first=span.start,
            last=span.end, sentence=sentence_of.get(span.start, 0), found_by=span.label_,
            ner_label=label, types={span.kb_id_} if span.label_ == "FIELD" else
            {"Performer"} if span.label_ == "ARTIST" else {"Album"} if span.label_ in {"STACKED", "TITLE"} else set()))
    return mentions


def type_mentions(doc: Doc, mentions: list[Mention], cues: CueTable = CUES) -> None:
    """Types from the look of a name and from the cue words around it, in place; what
    a cue label means is ``cues``'s.

    "music by Aoi Minase": a Composer (COMPOSE's agent_by); "the anime Glass Orchard":
    a Show (SHOW's names_next); "Aoi Minase's score": a composer or, if no person, a show.
    """
    cue_at = cue_index(doc, cues)
    # A work word inside a title ("“Hoshi” no Theme") is the title's own, no cue for its neighbours.
    in_titles = {i for m in mentions if m.found_by in {"QUOTED", "TRACK"} for i in range(m.first, m.last)}
    near_cues = {i: c for i, c in cue_at.items() if i not in in_titles} if in_titles else cue_at
    for m in mentions:
        if m.found_by == "FIELD":
            continue  # the key of its line has typed it
        m.types |= types_by_form(m)
        if not m.types and m.found_by == "CHUNK" and m.last - m.first > 1 and doc[m.first].ent_type_ == "NORP" \
                and doc[m.first].pos_ == "ADJ":
            m.excluded = True  # "Andean Panpipe music", "Irish Jigs": a kind of music, not a name
            continue
        if "Album" in m.types and (tail := ALBUM_TAIL.search(m.text)):
            m.text = m.text[:tail.start()]
            m.end = m.start + len(m.text)
        if "Album" in m.types and (head := ARTICLE_HEAD.match(m.text)):
            m.text = m.text[head.end():]
            m.start = m.end - len(m.text)
            if (trimmed := doc.char_span(m.start, m.end, alignment_mode="expand")) is not None:
                m.first = trimmed.start
        if "Label" in m.types or "Album" in m.types or "Orchestra" in m.types:
            continue
        left = _left_cue(doc, m, near_cues, cues)
        if m.found_by == "QUOTED" and not any(c.isupper() for c in m.text) and not (
                left is not None and left[1] == "" and cues.names_next.get(left[0]) in WORK_TYPES):
            # Quotes round lower-case words are scare quotes ("a 'love it or hate it' album",
            # "the 'feel good' series") unless a work word names them ("the track 'x'").
            m.excluded = True
            continue
        if left is not None and left[1] in WORK_LINKS and _owns_a_work(doc, m, near_cues):
            left = None  # "the score to X's 2011 classic" is to the classic, X made it
        if left is not None:
            cue, link = left
            if cue == CueLabel.NOT_MUSIC:
                # "voice actress X's group Y": a member of a music group is a performer.
                m.excluded = not m.types and not owns_group(doc, m)
                continue
            if link in AGENT_LINKS and cue in cues.agent_by and not is_title_like(m):
                m.types.add(cues.agent_by[cue])
            elif link in WORK_LINKS and cue in cues.work_for and (link in {"for", "to", "from"} or not is_person_like(m)):
                m.types.add(cues.work_for[cue])
            elif link == "of" and doc[m.first - 1].lower_ == "of" and doc[m.first - 2].lower_ in PARTS_OF_SHOWS:
                m.types.add("Show")  # "all 24 episodes of X", "the third season of X", whatever the NER thought
            elif link == "of" and cue == CueLabel.SHOW and m.ner_label == "PERSON" and is_person_like(m) and not m.types:
                m.excluded = True  # "the movies of X": a person whose shows they are made no music
                continue
            elif link == "" and cue in cues.work_for and _cue_is_verb(doc, m):
                # "later scored X", "sang X": the object of a music verb is a work.
                m.types.add("Show" if cue == CueLabel.COMPOSE else "Song")
            elif link == "" and cue in cues.names_next:
                wanted = cues.names_next[cue]
                agent = wanted in {"Composer", "Performer", "Lyricist", "Arranger"}
                # "his third album X", "the anime X": a work word right before a name types it,
                # whatever the NER thought of the name.
                if agent and not is_title_like(m) or not agent and m.ner_label != "PERSON" \
                        or not agent and cue in cues.work_nouns:
                    m.types.add(wanted)
            if cue in ROLE_CUES and cues.agent_by.get(cue) in m.types:
                m.types |= {cues.agent_by[c] for c in _joined_role_cues(doc, m, near_cues, cues)}
        right = _right_cue(doc, m, near_cues)
        if right is None and (role := _role_in_parens(doc, m, near_cues, cues)):
            m.types.add(role)
        if right == CueLabel.NOT_MUSIC and not m.types:
            m.excluded = True
        elif right == CueLabel.COMPOSE:
            if is_title_like(m):
                m.types.add("Show")
            else:
                # "Minase soundtrack" or "Orchard soundtrack": a composer if the name
                # turns out to be a person's, else a show (see resolve_names). What the
                # words before it said ("a performance of X's soundtracks") says nothing.
                m.types.discard("Show")
                m.types.add(OWNER)
        elif right == CueLabel.SHOW:
            m.types.add("Show")  # "X anime", "X, the 1994 OVA": NER calls many titles people
        elif right in cues.placed_themes and m.found_by == "QUOTED":
            m.types.add("Song")  # "“X” opening by Y"
        elif right in cues.placed_themes and (not is_person_like(m) or _owns_next(doc, m)):
            # "X's opening theme" is a show's: singers sing openings, shows have them.
            m.types.add("Show")
        elif right == CueLabel.ALBUM and not is_person_like(m):
            m.types.add("Album")
        elif right == CueLabel.PERFORM and not is_title_like(m):
            m.types.add("Performer")
        elif right == CueLabel.SONG and m.first > 0 and doc[m.first - 1].text in {"'s", "’s"}:
            m.types.add("Song")  # "Aoi's Paper Lanterns song"
        elif right == CueLabel.SONG and is_person_like(m) and m.found_by not in {"QUOTED", "TRACK"}:
            m.types.add("Performer")
        elif right in {CueLabel.SONG, CueLabel.THEME} and m.found_by in {"QUOTED", "TRACK"}:
            m.types.add("Song")
        if m.found_by == "TRACK" and not m.types:
            m.types.add("Song")
        if m.found_by == "HEAD" and not m.types and _line_after(doc, m, cue_at) & cues.show_heads:
            m.types.add("Show")
    for m in mentions:
        if _credited_with_score(doc, m):
            m.types.add("Composer")
    _share_enumerated_types(doc, mentions, cue_at, cues)
    for run in enumerations(doc, mentions):
        # The members of a list are of one kind: the first one's nearest cue speaks for all.
        if all(not m.types and not m.excluded for m in run) and len({m.found_by for m in run}) == 1:
            _type_by_nearest_cue(doc, run[0], near_cues, cues)
            for m in run[1:]:
                m.types |= run[0].types
        else:
            for m in run:
                if not m.types and not m.excluded:
                    _type_by_nearest_cue(doc, m, near_cues, cues)
    _share_enumerated_types(doc, mentions, cue_at, cues)


def _type_by_nearest_cue(doc: Doc, m: Mention, cue_at: dict[int, str], cues: CueTable = CUES,
                         reach: int = 8) -> None:
    """A quoted title or a person's name with no cue at its side takes the kind of the
    nearest cue word in its sentence, if one is close enough: a name after "by" the
    cue's agent_by ("tunes by Aoi Minase": Performer), a title its title_near ("the
    opening, “Paper Lanterns”": Song), a person its role ("Aoi Minase, the arranger")."""
    after_by = m.first > 0 and doc[m.first - 1].lower_ == "by" or \
        m.first > 1 and doc[m.first - 1].lower_ == "the" and doc[m.first - 2].lower_ == "by"
    if m.found_by == "QUOTED":
        reach = 12
    if after_by and not is_title_like(m) and m.found_by in {"NER", "CHUNK"}:
        # "songs, every one of them by X", "pieces by the X": whoever the music is "by".
        table = cues.agent_near
    elif m.found_by == "QUOTED" or m.ner_label == "WORK_OF_ART" or is_title_like(m) and m.ner_label == "PERSON":
        table = cues.title_near
    elif m.ner_label == "PERSON" and m.found_by == "NER":
        table = cues.role
        reach = 4
    else:
        return
    sent = sentences(doc)[m.sentence]
    best, dist = None, reach + 1
    # What the music is "by" X is named before X.
    stop = m.first if table is cues.agent_near else min(sent.end, m.last + reach)
    for i in range(max(sent.start, m.first - reach), stop):
        cue = cue_at.get(i)
        if cue == CueLabel.NOT_MUSIC and min(abs(i - m.first), abs(i - m.last)) <= 3:
            return
        if cue in table:
            if table is cues.role and i < m.first and any(
                    t.lower_ in {"to", "for", "of"} for t in doc[i + 1:m.first]):
                continue  # "the score to X's film", "music for the stories of X": X made no music
            d = m.first - i if i < m.first else i - m.last + 1
            if table[cue] == "Song":
                d /= 2  # a quoted title in a sentence about songs is most likely a song
            if d < dist:
                best, dist = table[cue], d
    if best:
        m.types.add(best)


OWNER = "Owner"


def _line_after(doc: Doc, m: Mention, cue_at: dict[int, str]) -> set[str]:
    cues = set()
    for tok in doc[m.last:]:
        if "\n" in tok.text:
            break
        if tok.i in cue_at:
            cues.add(cue_at[tok.i])
        if "\n" in tok.whitespace_:
            break
    return cues


def enumerations(doc: Doc, mentions: list[Mention]) -> list[list[Mention]]:
    """Mentions in runs joined only by commas, "and", "or", "&", "/" and quotes
    ("X, Y and Z"); a mention on its own is a run of one."""
    runs: list[list[Mention]] = []
    for m in mentions:
        if runs and runs[-1][-1].sentence == m.sentence and _only_list_links(doc[runs[-1][-1].last:m.first]):
            runs[-1].append(m)
        else:
            runs.append([m])
    return runs


LIST_LINKS = {",", "and", "or", "&", "/", "“", "”", '"', "'", "‘", "’"}
# Words a list may carry between its items: "X, Y, and of course, Z", "X as well as Y".
LIST_ASIDES = (("of", "course"), ("as", "well", "as"), ("also",), ("even",))


def _only_list_links(between: Span) -> bool:
    words = [t.lower_ for t in between]
    i = 0
    while i < len(words):
        if words[i] in LIST_LINKS:
            i += 1
            continue
        aside = next((a for a in LIST_ASIDES if tuple(words[i:i + len(a)]) == a), None)
        if aside is None:
            return False
        i += len(aside)
    return True


def share_list_kinds(doc: Doc, mentions: list[Mention], entity_of: dict) -> None:
    """The members of a list are of one kind, by what the whole document says of them: in
    "above all X, Y, and of course, Z", where Z is a show elsewhere, X and Y are shows."""
    index = {id(m): n for n, m in enumerate(mentions)}
    for run in enumerations(doc, mentions):
        if len(run) < 2:
            continue
        ents = [entity_of[index[id(m)]] for m in run]
        kinds = {t for e in ents for t in e.types}
        if kinds != {"Show"}:
            continue
        for m, e in zip(run, ents, strict=True):
            if not e.types and (len(run) >= 3 or m.ner_label != "PERSON"):
                e.types.add("Show")


def _share_enumerated_types(doc: Doc, mentions: list[Mention], cue_at: dict[int, str],
                            cues: CueTable = CUES) -> None:
    """In "X, Y and Z" the members are of one kind: a Show among untyped titles makes
    them all Shows, a Composer among untyped names makes them all Composers. In a list
    of three or more led by a show, even names the NER took for people are titles."""
    for run in enumerations(doc, mentions):
        if len(run) < 2:
            continue
        kinds = {t for m in run for t in m.types}
        if not kinds and all(m.ner_label == "PERSON" for m in run):
            # "this album's composers ...: X, Y, Z": a list of people takes the
            # role named before it in its sentence.
            role = _role_before(doc, run[0], cue_at, cues)
            if role:
                for m in run:
                    m.types.add(role)
            continue
        for kind in ("Show", "Composer", "Performer", "Song"):
            if kind in kinds:
                work = kind in {"Show", "Song"}
                long_list = work and len(run) >= 3 and kind in run[0].types
                for m in run:
                    if not m.types and (long_list or (m.ner_label != "PERSON" if work else is_person_like(m))):
                        m.types.add(kind)
                break


def types_by_form(m: Mention) -> set[str]:
    text = " ".join(m.text.split())
    if ORCHESTRA_NAME.search(text):
        return {"Orchestra", "Performer"}
    if CHOIR_NAME.search(text) and m.found_by not in {"QUOTED", "TRACK"}:
        return {"Performer"}
    if m.found_by == "LEXICON" or LABEL_NAME.search(text) and m.found_by != "QUOTED":
        return {"Label"}
    if ALBUM_NAME.match(text) and len(text.split()) >= 2 and m.found_by != "TRACK":
        return {"Album"}
    return set()


def is_person_like(m: Mention) -> bool:
    return m.ner_label in PERSON_LIKE_NER and m.found_by in {"NER", "CHUNK", "HEAD"}


def is_title_like(m: Mention) -> bool:
    if m.found_by in {"QUOTED", "TRACK"} or m.ner_label in TITLE_LIKE_NER:
        return True
    words = m.text.split()
    return len(words) > 3 or any(w.lower() in {"no", "ga", "wo", "the", "of", "to", "than", "la", "de", "le"}
                                 for w in words[1:-1])


def _role_before(doc: Doc, m: Mention, cue_at: dict[int, str], cues: CueTable = CUES) -> str | None:
    """The role of the last role word before the mention in its sentence ("the
    arrangers were Aoi Minase, Ren Kaito": Arranger)."""
    for i in range(m.first - 1, sentences(doc)[m.sentence].start - 1, -1):
        if cue_at.get(i) in cues.role:
            return cues.role[cue_at[i]]
    return None


GROUP_NOUNS = {"band", "group", "unit", "duo", "trio", "collective", "project"}


def owns_group(doc: Doc, m: Mention) -> bool:
    """"X's band", "X's Y group": the mention owns a music group named right after it."""
    return _owns_next(doc, m) and any(t.lower_ in GROUP_NOUNS for t in doc[m.last + 1:m.last + 5])


def _owns_a_work(doc: Doc, m: Mention, cue_at: dict[int, str]) -> bool:
    """"X's 2011 classic", "X's latest film": X owns a noun that no cue word names."""
    if not _owns_next(doc, m):
        return False
    for tok in doc[m.last + 1:m.last + 5]:
        if tok.i in cue_at:
            return False
        if tok.pos_ == "NOUN":
            return True
        if tok.pos_ not in {"ADJ", "NUM", "ADV"}:
            return False
    return False


def _owns_next(doc: Doc, m: Mention) -> bool:
    """Whether the mention is a possessive owning the cue right after it ("X's OP")."""
    return m.last + 1 < len(doc) and doc[m.last].text in {"'s", "’s"}


def _cue_is_verb(doc: Doc, m: Mention) -> bool:
    i = m.first - 1
    while i >= 0 and doc[i].lower_ in SKIPPABLE:
        i -= 1
    return i >= 0 and doc[i].pos_ == "VERB"


def cue_index(doc: Doc, cues: CueTable = CUES) -> dict[int, str]:
    """Token index -> cue label, for every token inside a cue span (longest wins).
    Computed once per document: mentions and credits both read it. A word for a placed
    theme used as a verb with an object is no cue ("after closing the show")."""
    at = doc.user_data.get("animekg_cues")
    if at is None:
        at = doc.user_data["animekg_cues"] = {}
        for span in sorted(doc.spans.get("cues", []), key=lambda s: s.end - s.start):
            if len(span) == 1 and span.label_ in cues.placed_themes and span[0].pos_ == "VERB" \
                    and any(c.dep_ == "dobj" for c in span[0].children):
                continue  # "just after closing the season", "opening the show": verbs, no themes
            for i in range(span.start, span.end):
                at[i] = span.label_
    return at


def _role_in_parens(doc: Doc, m: Mention, cue_at: dict[int, str], cues: CueTable = CUES) -> str | None:
    """"X (the singer of ...)", "X (a pianist ...)": a role noun opening a
    parenthesis after a name says who the name is ("(music: Y)" says who Y is)."""
    i = m.last
    if i + 2 >= len(doc) or doc[i].text != "(" or doc[i + 1].lower_ not in {"the", "a", "an"}:
        return None
    role = cues.role.get(cue_at.get(i + 2, ""))
    if role is None or doc[i + 2].pos_ != "NOUN" or i + 3 < len(doc) and doc[i + 3].lower_ in {":", "by"}:
        return None
    return role if m.found_by not in {"QUOTED", "TRACK"} else None


# Credit roles: after "by" or a field's colon they name who did the work. Theme words
# are left out: "OP: X" names a song as often as "OP by X" names a singer.
ROLE_CUES = {CueLabel.COMPOSE, CueLabel.LYRICS, CueLabel.ARRANGE, CueLabel.PERFORM, CueLabel.LABEL}


def type_by_cue(doc: Doc, m: Mention, cue_at: dict[int, str], cues: CueTable = CUES) -> str | None:
    """The type the cue right before an unquoted name gives it, whatever a recognizer
    made of the name: "music by X", "Music: X" -> Composer; "the ending by X" ->
    Performer; "released by X", "Label: X" -> Label. None where no such cue stands."""
    if m.found_by in {"QUOTED", "TRACK"}:
        return None
    left = _left_cue(doc, m, cue_at, cues)
    if left is None or left[0] not in cues.agent_by:
        return None
    cue, link = left
    if link == "by" or link in {":", "-", "–", "—"} and cue in ROLE_CUES:
        return cues.agent_by[cue]
    return None


ROLE_JOINERS = {"&", "and", ",", "/", "+"}


def _joined_role_cues(doc: Doc, m: Mention, cue_at: dict[int, str], cues: CueTable = CUES) -> set[str]:
    """The role cues joined to the one right before "by": "composed & arranged by X",
    "written, composed and arranged by X" name X in every role."""
    i = m.first - 1
    while i >= 0 and i not in cue_at:
        i -= 1
    while i >= 0 and i in cue_at:
        i -= 1
    found: set[str] = set()
    while i > 0 and doc[i].lower_ in ROLE_JOINERS and (i - 1) in cue_at:
        i -= 1
        label = cue_at[i]
        if label in ROLE_CUES and label in cues.agent_by:
            found.add(label)
        while i >= 0 and cue_at.get(i) == label:
            i -= 1
    return found


def _left_cue(doc: Doc, m: Mention, cue_at: dict[int, str], cues: CueTable = CUES) -> tuple[str, str] | None:
    """The nearest cue before the mention in its sentence, and the link word between
    ("by", "for", ":" ...; "" when they touch)."""
    sent_start = sentences(doc)[m.sentence].start
    link = ""
    comma = False
    i = m.first - 1
    steps = 0
    while i >= sent_start and steps < 5:
        tok = doc[i]
        if i in cue_at:
            # "the composer, X" is apposition, and so is "two films, X and Y" (a plural
            # work word opening a list); "the anime, X" is a new phrase.
            if comma and cue_at[i] not in cues.role and not (
                    tok.tag_ == "NNS" and cue_at[i] in cues.work_nouns):
                return None
            return cue_at[i], link
        word = tok.lower_
        if word == ",":
            comma = True
        elif word in AGENT_LINKS | WORK_LINKS:
            if link:
                return None
            link = word
        elif word not in SKIPPABLE and word not in OPEN_QUOTES:
            return None
        i -= 1
        steps += 1
    return None


RIGHT_SKIPPABLE = {"'s", "’s", "-", "–", "'", "’", "”", '"', ",", "the", "tv", "original", "main", "anime",
                   "new", "whole", "entire", "debut"}


def _right_cue(doc: Doc, m: Mention, cue_at: dict[int, str]) -> str | None:
    sent_end = sentences(doc)[m.sentence].end
    i = m.last
    steps = 0
    comma = False
    while i < sent_end and steps < 4:
        if i in cue_at:
            j = i
            while j < sent_end and j in cue_at:
                j += 1
            if comma and j < sent_end and doc[j].pos_ == "PROPN" and doc[j].text[:1].isupper():
                return None  # "According to X, the singer Y": the cue is Y's, not X's
            return cue_at[i]
        word = doc[i].lower_
        comma = comma or word == ","
        # Adjectives and numbers may stand between a name and its cue ("X's haunting
        # score", "X, the 1994 OVA"), and so may these.
        if doc[i].pos_ != "ADJ" and not doc[i].like_num and word not in RIGHT_SKIPPABLE:
            return None
        i += 1
        steps += 1
    return None


# "X provided the music for ...", "X wrote the score for ...", "The trio X made the
# soundtrack": whoever does a score, a soundtrack or the music of a work
# wrote it. Verbs of performing ("played the score") and of release say nothing of that.
SCORE_WORDS = {"score", "scores", "soundtrack", "soundtracks", "music", "ost", "osts", "bgm"}
SCORING_VERBS = {
    "compose", "composes", "composed", "composing", "write", "writes", "wrote", "written", "writing",
    "score", "scores", "scored", "scoring", "do", "does", "did", "done", "make", "makes", "made",
    "create", "creates", "created", "contribute", "contributes", "contributed", "provide", "provides",
    "provided", "pen", "pens", "penned", "craft", "crafts", "crafted", "handle", "handles", "handled",
    "is", "was", "are", "were", "be", "been"}
# What may stand between a name and the word that carries its role in the sentence:
# "the group X", "X's group", "the composer, X".
NAME_LINKS = {"compound", "appos", "flat", "nmod"}


def _credited_with_score(doc: Doc, m: Mention) -> bool:
    """Whether the mention is who a scoring verb's score is by: its subject, or its
    agent in "by X"."""
    if m.found_by not in {"NER", "CHUNK", "HEAD"} or m.types - {"Performer", "Composer"} \
            or "Composer" in m.types or not (m.types or is_person_like(m)) or is_title_like(m):
        return False
    tok = doc[m.last - 1]
    for _ in range(4):
        if tok.dep_ not in NAME_LINKS or tok.head is tok:
            break
        tok = tok.head
    if tok.dep_ in {"nsubj", "nsubjpass"}:
        verb = tok.head
    elif tok.dep_ == "pobj" and tok.head.lower_ == "by" and tok.head.dep_ in {"prep", "agent"}:
        verb = tok.head.head
        if verb.lower_ in SCORE_WORDS:
            return True  # "the score by X"
    else:
        return False
    if verb.lower_ not in SCORING_VERBS:
        return False
    for child in verb.children:
        if child.dep_ in {"dobj", "attr"} and child.lower_ in SCORE_WORDS:
            return True
        if child.dep_ == "prep" and child.lower_ in {"to", "on", "for"} and any(
                g.dep_ == "pobj" and g.lower_ in SCORE_WORDS for g in child.children):
            return True
    return False
