"""The spaCy pipeline components of animekg, registered with ``@Language.factory``.

- ``animekg_line_breaks`` (before the parser): a line break starts a sentence, so list
  items, headers and track-list lines are never glued to the prose around them.
- ``animekg_candidates`` (after the NER): every stretch of text that may name an entity
  of interest, in ``doc.spans["candidates"]``, labelled by how it was found. Typing
  happens later, from context; a candidate that gets no type is dropped.

The cue words and the label lexicon are ``span_ruler`` components fed from the JSONL
files in ``patterns/`` (see :func:`animekg.extract.pipeline.load_pipeline`).
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc, Span

from .cues import CUES, CueTable

CANDIDATES = "candidates"

# How a candidate was found, in the order that wins when two overlap.
# HEAD, NER and CHUNK tie: the longer wins ("Star Harbor: Aoi no Kioku" over the
# line head "Star Harbor").
PRIORITY = {"FIELD": 7, "STACKED": 7, "TITLE": 7, "QUOTED": 6, "TRACK": 6, "ARTIST": 6, "DASH": 6, "LEXICON": 5, "HEAD": 3, "NER": 3, "CHUNK": 3}

# "Composer: Aoi Minase", "Label: X / Y": stat-block lines whose key names a type.
FIELD_LINE = re.compile(r"^[ \t]*(?P<key>[A-Za-z][A-Za-z /&]{0,30}?)[ \t]*:[ \t]*(?P<value>\S[^\n]*?)[ \t]*$", re.M)
FIELD_SPLIT = re.compile(r"\s+/\s+|\s*;\s*|\s*,\s*|\s+&\s+")

# NORP is left out: nationalities ("Finnish singer") are never names here.
NER_LABELS = {"PERSON", "ORG", "GPE", "WORK_OF_ART", "PRODUCT", "FAC", "EVENT", "LOC", "LAW",
              "AGENT", "SHOW", "SONG", "ALBUM", "LABEL"}

# Quoted titles: curly, straight and CJK quotes; single quotes only where they cannot be
# apostrophes (a non-word character on both outer sides).
QUOTE_RES = [
    re.compile(r"“([^”\n]{1,90})”"),
    re.compile(r'"([^"\n]{1,90})"'),
    re.compile(r"(?<![\w])‘([^’\n]{1,70})’(?![\w])"),
    re.compile(r"(?<![\w])'([^'\n]{1,70})'(?![\w])"),
    re.compile(r"[「『]([^」』\n]{1,70})[」』]"),
]

# A title whose first word alone is quoted goes on through a Japanese particle and
# capitalized words: "“Hoshi” no Theme", "“Umi” ga Yobu Koe".
QUOTED_HEAD_TAIL = re.compile(r"[ \t]+(?:no|ga|wo|wa|ni|mo|de)[ \t]+[A-Z][\w'’!?-]*(?:[ \t]+[A-Z][\w'’!?-]*)*")

# A short quoted stretch that hugs its quotes, as titles do (QUOTE_RES finds longer ones
# too); a space inside a quote mark means a straight quote paired with the wrong one.
QUOTED_TITLE = re.compile(r"[“\"](\S(?:[^”\"\n]{0,48}\S)?)[”\"]")

# A numbered line: "1. Title (3:10)", "01 - Title", "Track 4: Title".
NUMBERED_LINE = re.compile(
    r"^[ \t]*(?:[Tt]rack[ \t]*)?(?P<num>\d{1,2})[.):\-–][ \t]+(?P<body>\S.*?)[ \t]*$", re.M)
DURATION = re.compile(r"[ \t]*[\(\[]?\d{1,2}:\d{2}(?::\d{2})?[\)\]]?[ \t]*$")
# A credit in brackets after a track's title is no part of it: "Title (sung by X)",
# "Title [vocals: X]", "Title (feat. X)".
TRACK_CREDIT = re.compile(
    r"\s*[(\[](?=[^()\[\]]*\b(?:by|vocals?|vo|feat|ft|performed|sung|music|lyrics|arr|comp|composed|arranged)\b)"
    r"[^()\[\]]*[)\]].*$", re.I)
# Several track numbers on one line: "01. Ferry Lights 02. Harbor Chase 03. ..."
INLINE_TRACK = re.compile(r"(?:(?<=\s)|^)(?P<num>\d{2})\.\s+(?P<body>.+?)(?=\s+\d{2}\.\s|$)", re.M)
# A line that opens with a title and then a colon or parenthesis: "Glass Orchard: great score",
# "Glint! (ED: ...)". The head is a candidate; what follows says what it is.
LINE_HEAD = re.compile(r"^[ \t]*(?:\d{1,2}[.)][ \t]+|[-*•][ \t]+)?(?P<head>[^\s:(][^:(\n]{0,60}?)[ \t]*(?:\(|:[ \t])", re.M)

# Words that may sit inside a title between capitalized words ("Tsuki no Fune ga
# Modoru Yoru", "Lighter than Glass", "Welcome to the Orchard!").
TITLE_JOINERS = {"no", "ga", "wo", "ni", "de", "la", "le", "du", "des", "of", "the", "to", "than",
                 "a", "an", "in", "on", "wa", "&", "-", "//", ":", "vs.", "vs", "x"}
TITLE_TAILS = {"!", "?"}
OWNED_WORDS = {"ost", "score", "soundtrack", "music", "songs", "album", "theme", "op", "ed", "opening", "ending"}
# A capitalized word opening a sentence is a name only if it is not one of these.
COMMON_POS = {"DET", "PRON", "ADV", "VERB", "ADP", "CCONJ", "SCONJ", "INTJ", "AUX", "PART", "ADJ"}


def doc_text(doc: Doc) -> str:
    """doc.text joins every token anew on each access: read it once per document."""
    text = doc.user_data.get("animekg_text")
    if text is None:
        text = doc.user_data["animekg_text"] = doc.text
    return text


@Language.factory("animekg_line_breaks")
def make_line_breaks(nlp: Language, name: str):
    return line_breaks


# A sentence longer than this many tokens is cut: at a clause or list separator once it
# is past SOFT_SENTENCE_TOKENS, anywhere at MAX_SENTENCE_TOKENS. Text with no sentence ends
# (a pasted list of a thousand names) would otherwise be one sentence, and the parser and
# every pairwise rule grow with the square of a sentence's length.
SOFT_SENTENCE_TOKENS = 80
MAX_SENTENCE_TOKENS = 150
SENTENCE_ENDS = {".", "!", "?", "。", "…"}
CLAUSE_SEPARATORS = {",", ";", "/", "|", "·", "•", "-", "–", "—", "、"}


def line_breaks(doc: Doc) -> Doc:
    """Sentences start at line breaks, and none runs past MAX_SENTENCE_TOKENS tokens."""
    run = 1
    for token in doc[1:]:
        previous = doc[token.i - 1]
        if "\n" in previous.text or "\n" in previous.whitespace_:
            token.is_sent_start = True
        elif previous.text in SENTENCE_ENDS:
            run = 0  # the parser may well end the sentence here
        elif run >= MAX_SENTENCE_TOKENS or run >= SOFT_SENTENCE_TOKENS and previous.text in CLAUSE_SEPARATORS:
            token.is_sent_start = True
        run = 1 if token.is_sent_start else run + 1
    # A short quoted title is one stretch of a sentence, dots and all ("“Ko.Ko.Ro.Ne”").
    for m in QUOTED_TITLE.finditer(doc_text(doc)):
        inner = doc.char_span(m.start(1), m.end(1), alignment_mode="expand")
        if inner is not None and len(inner) > 1:
            for token in inner[1:]:
                token.is_sent_start = False
    return doc


@Language.factory("animekg_candidates", default_config={"fields": {}})
def make_candidates(nlp: Language, name: str, fields: dict[str, str]):
    return CandidateFinder(fields)


class CandidateFinder:
    """Adds ``doc.spans["candidates"]``; ``fields`` maps stat-block keys to types."""

    def __init__(self, fields: dict[str, str]):
        self.fields = {k.lower(): v for k, v in fields.items() if not k.startswith("_")}

    def __call__(self, doc: Doc) -> Doc:
        return find_candidates(doc, self.fields)


def _field_values(doc: Doc, fields: dict[str, str]) -> list[Span]:
    found = []
    for m in FIELD_LINE.finditer(doc_text(doc)):
        kind = fields.get(" ".join(m.group("key").lower().split()))
        if kind is None:
            continue
        value, offset = m.group("value"), m.start("value")
        if re.search(r"[“\"「]|\sby\s", value):
            continue  # 'OP: “Song” by Artist' is a credit sentence: the patterns read it
        pos = 0
        for part in FIELD_SPLIT.split(value):
            at = value.find(part, pos)
            pos = at + len(part)
            if not part.strip():
                continue
            span = _char_span(doc, offset + at, offset + at + len(part), "FIELD")
            if span is not None:
                span.kb_id_ = kind
                found.append(span)
    return found


# A release title set on several short lines: "Iron Lotus / Vol. 2 / Original Soundtrack".
STACKED_TITLE = re.compile(
    r"^(?P<title>(?:[ \t]*[A-Z0-9][^\n]{0,40}\n){1,2}[ \t]*(?:Original )?(?:Soundtrack|Sound Track|OST|Score))[ \t]*$",
    re.M)


def _stacked_titles(doc: Doc) -> list[Span]:
    found = []
    for m in STACKED_TITLE.finditer(doc_text(doc)):
        lines = m.group("title").split("\n")
        if all(len(line.split()) <= 5 and not line.rstrip().endswith((".", ":", ",")) for line in lines):
            span = _char_span(doc, m.start("title"), m.end("title"), "STACKED")
            if span is not None:
                found.append(span)
    return found


# A line that says a track list follows: "Track List:", "Tracklisting", "Tracks".
TRACKS_HEADING = re.compile(r"(?im)^[ \t]*(?:track[ \t]*list(?:ing)?|tracks)\b[^\n]{0,20}$")
# "ARTIST – TITLE": a spaced dash between who made a release and its title.
ARTIST_DASH = re.compile(r"[ \t]+[-–—][ \t]+")
# A year or a release note closing a title line: "(1995)", "[1995; Harbor Tone]".
TITLE_NOTE = re.compile(r"[ \t]*[(\[][^()\[\]]*\b\d{4}\b[^()\[\]]*[)\]][ \t]*$")
MAX_TITLE_WORDS = 12
# The first line with words on it, trimmed.
FIRST_LINE = re.compile(r"[ \t]*(\S[^\n]*?)[ \t]*$", re.M)


def _title_album(doc: Doc, tracks: list[Span]) -> list[Span]:
    """A page's title line names an album: the one whose track list follows, when a line
    says a track list follows ("Velvet Lanterns\n\nTrack List:\n1. ..."); the title part
    of "ARTIST – ALBUM" over a track list or with a year note ("ARTIST – ALBUM [1995;
    LABEL]"). That title is the candidate (TITLE)."""
    text = doc_text(doc)
    body = text.find("\n") + 1 if text.startswith("source:") else 0
    line = FIRST_LINE.search(text, body)
    if line is None:
        return []
    listed = bool(tracks) and line.end() < tracks[0].start_char
    title, start = line.group(1), line.start(1)
    if len(title.split()) > MAX_TITLE_WORDS or title.endswith((".", "?", ":")) or "://" in title:
        return []
    if note := TITLE_NOTE.search(title):
        title = title[:note.start()]
    dashes = list(ARTIST_DASH.finditer(title))
    headed = listed and TRACKS_HEADING.search(text, line.end(), tracks[0].start_char) is not None
    if len(dashes) == 1 and (listed or note):
        start, title = start + dashes[0].end(), title[dashes[0].end():]
    elif not headed:
        return []
    span = _char_span(doc, start, start + len(title), "TITLE")
    return [span] if span is not None else []


def find_candidates(doc: Doc, fields: dict[str, str] | None = None, cues: CueTable = CUES) -> Doc:
    """Every stretch of ``doc`` that may name an entity, into ``doc.spans["candidates"]``;
    a role word opening one is no part of it ("Composer Aoi Minase" names Aoi Minase)."""
    spans: list[Span] = []
    spans += _stacked_titles(doc)
    spans += _field_values(doc, fields or {})
    spans += _quoted(doc)
    tracks = _track_items(doc, fields or {})
    dashes = _dash_items(doc, tracks)
    tracks = [t for t in tracks if not any(d.start < t.end and t.start < d.end for d in dashes)]
    spans += tracks + _title_album(doc, [t for t in tracks if t.label_ == "TRACK"]) + dashes
    spans += _line_heads(doc, fields or {})
    spans += [Span(doc, s.start, s.end, label="LEXICON") for s in doc.spans.get("lexicon", [])]
    for e in doc.ents:
        if e.label_ in NER_LABELS:
            spans += _split_slashes(_trim(Span(doc, e.start, e.end, label="NER"), e.label_))
    chunks = _title_chunks(doc, cues)
    spans += chunks + _joined_names(doc, chunks)
    roles = {t.i for s in doc.spans.get("cues", []) if s.label_ in cues.role_words and len(s) == 1 for t in s}
    cue_tokens = {t.i for s in doc.spans.get("cues", []) for t in s}
    spans = [_close_bracket(_drop_leading_role(s, roles, cue_tokens)) for s in spans if s is not None]
    # A leading "source: URL" line is the document's provenance, not its text.
    header_end = doc_text(doc).find("\n") if doc_text(doc).startswith("source:") else -1
    doc.spans[CANDIDATES] = [s for s in spans if s is not None and len(s) and s.text.strip()
                             and s.start_char > header_end]
    return doc


PAGE_WORDS = {"review", "reviews", "news", "re", "fwd", "album", "soundtrack", "ost", "update"}


def _drop_leading_role(span: Span, roles: set[int], cue_tokens: set[int]) -> Span:
    """"Composer Aoi Minase" names Aoi Minase, "Review: X Soundtrack" names X Soundtrack:
    a role word or a page's label before a colon is no part of a name."""
    start = span.start
    doc = span.doc
    for i in range(span.start, min(span.end - 1, span.start + 3)):
        if doc[i].text == ":" and all(t.i in cue_tokens or t.lower_ in PAGE_WORDS for t in doc[span.start:i]):
            start = i + 1
            break
    while start < span.end - 1 and start in roles and span.doc[start].pos_ in {"NOUN", "PROPN"} \
            and span.doc[start + 1].text[:1].isupper():
        start += 1
    if start == span.start:
        return span
    trimmed = Span(span.doc, start, span.end, label=span.label_)
    trimmed.kb_id_ = span.kb_id_
    return trimmed


BRACKETS = {"[": "]", "(": ")"}


def _close_bracket(span: Span) -> Span:
    """"MinaseAoi[kz]": the tokenizer splits off a closing bracket whose opening one
    stays inside a word; a name with an open bracket goes on to its close."""
    last = span[-1].text if len(span) else ""
    for open_, close in BRACKETS.items():
        if last.count(open_) > last.count(close) and span.end < len(span.doc) \
                and span.doc[span.end].text == close and not span[-1].whitespace_:
            closed = Span(span.doc, span.start, span.end + 1, label=span.label_)
            closed.kb_id_ = span.kb_id_
            return closed
    return span


def _char_span(doc: Doc, start: int, end: int, label: str) -> Span | None:
    text = doc_text(doc)
    while start < end and text[start] in " \t\"'“”‘’":
        start += 1
    while end > start and text[end - 1] in " \t.,;:\"'“”‘’":
        end -= 1
    if end <= start:
        return None
    return doc.char_span(start, end, label=label, alignment_mode="expand")


def _quoted(doc: Doc) -> list[Span]:
    found = []
    text = doc_text(doc)
    for pattern in QUOTE_RES:
        for m in pattern.finditer(text):
            inner = m.group(1)
            if not re.search(r"\w", inner) or len(inner.split()) > 12:
                continue
            end = m.end(1)
            if tail := QUOTED_HEAD_TAIL.match(text, m.end()):
                end = tail.end()
            span = _char_span(doc, m.start(1), end, "QUOTED")
            if span is not None:
                found.append(span)
    return found


AGENT_FIELD_TYPES = {"Composer", "Lyricist", "Arranger", "Performer"}


def _is_credit_line(line: str, fields: dict[str, str]) -> bool:
    """"Lyrics: Rin Aozora", "Arrangement: Aoi Minase": a stat-block line naming who did it."""
    field = FIELD_LINE.match(line)
    return field is not None and fields.get(" ".join(field.group("key").lower().split())) in AGENT_FIELD_TYPES


def _track_items(doc: Doc, fields: dict[str, str] | None = None) -> list[Span]:
    """Items of track lists: runs of three or more short numbered lines, or numbered
    items strung along one line; ``fields`` (stat-block keys to types) tells a track's
    own credit lines between them."""
    fields = fields or {}
    found = []
    run: list[re.Match] = []

    def close_run():
        if len(run) >= 3:
            bodies = []
            for m in run:
                body = m.group("body")
                cut = DURATION.search(body)
                body = body[:cut.start()] if cut else body
                credit = TRACK_CREDIT.search(body)
                bodies.append(body[:credit.start()] if credit and credit.start() else body)
            artist = _common_tail(bodies)
            for m, body in zip(run, bodies, strict=True):
                end = m.start("body") + len(body)
                if artist:
                    # A column of the same artist after every title: "1. Title Artist 4:32".
                    span = _char_span(doc, end - len(artist), end, "ARTIST")
                    if span is not None:
                        found.append(span)
                    end -= len(artist)
                span = _char_span(doc, m.start("body"), end, "TRACK")
                if span is not None:
                    found.append(span)
        run.clear()

    last_end = -1
    for m in NUMBERED_LINE.finditer(doc_text(doc)):
        body = m.group("body")
        short = len(DURATION.sub("", body).split()) <= 8 or DURATION.search(body)
        # A run of track lines is unbroken but for blank lines and each track's own
        # credit lines ("Lyrics: Rin Aozora"; an "OP:" line under each entry makes a
        # ranked list of shows, no track list).
        adjacent = last_end < 0 or all(not line.strip() or _is_credit_line(line, fields)
                                       for line in doc_text(doc)[last_end:m.start()].split("\n"))
        if not (short and adjacent):
            close_run()
        if short:
            run.append(m)
        last_end = m.end()
    close_run()

    for line in re.finditer(r"[^\n]+", doc_text(doc)):
        items = list(INLINE_TRACK.finditer(line.group()))
        numbers = [int(m.group("num")) for m in items]
        if len(items) < 3 or numbers != list(range(numbers[0], numbers[0] + len(numbers))):
            continue
        for i, m in enumerate(items):
            body = m.group("body")
            if i == len(items) - 1:
                body = _cut_trailing_prose(body)
            start = line.start() + m.start("body")
            span = _char_span(doc, start, start + len(body), "TRACK")
            if span is not None:
                found.append(span)
    return found


def _common_tail(bodies: list[str]) -> str:
    """The words every track line ends with, if they leave a title on each line."""
    split = [b.split() for b in bodies]
    tail: list[str] = []
    while all(len(words) > len(tail) + 1 for words in split):
        word = split[0][-len(tail) - 1]
        if not all(words[-len(tail) - 1] == word for words in split):
            break
        tail.insert(0, word)
    return " ".join(tail)


def _cut_trailing_prose(body: str) -> str:
    """The last item of an inline track list runs into the next sentence: keep the
    capitalized words up to the first lowercase one, less a trailing name of two or more
    capitalized words that starts that sentence ("Nocturne Tidewater Records will ...")."""
    words = body.split()
    kept = []
    for word in words:
        if word[:1].islower():
            break
        kept.append(word)
    if len(kept) < len(words) and len(kept) > 2:
        kept = kept[:1]
    return " ".join(kept) if kept else body


# A ranked or bulleted list line of two names joined by a dash, and a third in brackets:
# "3) Sayo Kurogane – Paper Comet (Glass Orchard ED)", "• Paper Comet - Sayo Kurogane".
DASH_ITEM = re.compile(r"^[ \t]*(?:#?\d{1,2}[.):]|[-*•])[ \t]+(?P<a>[^\s–—][^\n–—]{0,58}?)[ \t]+[–—-][ \t]+"
                       r"(?P<b>[^\s–—()][^\n–—()]{0,58}?)(?:[ \t]*\((?P<c>[^()\n]{2,60})\))?[ \t]*$", re.M)
# What may follow a show's name in the brackets: which of its themes the song is.
THEME_TAIL = re.compile(r"(?i)[ \t]+(?:OP|ED|IN|opening|ending|insert(?: song)?|theme)[ \t]*\d*$")


def _dash_items(doc: Doc, tracks: list[Span]) -> list[Span]:
    """The names of dash list lines, each its own span: which is the song and which its
    singer is the credit rules' call. A line of a track list stays a track ("1. Paper
    Comet - TV size (1:30)") unless a show stands in its brackets where a time would."""
    in_tracks = {i for span in tracks for i in range(span.start, span.end)}
    found = []
    for m in DASH_ITEM.finditer(doc_text(doc)):
        parts = [(m.start("a"), m.end("a")), (m.start("b"), m.end("b"))]
        if m.group("c"):
            if DURATION.fullmatch(f"({m.group('c')})"):
                continue
            tail = THEME_TAIL.search(m.group("c"))
            parts.append((m.start("c"), m.start("c") + (tail.start() if tail else len(m.group("c")))))
        spans = [_char_span(doc, start, end, "DASH") for start, end in parts]
        if any(span is None for span in spans) or not m.group("c") and any(
                i in in_tracks for span in spans for i in range(span.start, span.end)):
            continue
        found += spans
    return found


def _line_heads(doc: Doc, fields: dict[str, str]) -> list[Span]:
    found = []
    field_lines = {m.start() for m in FIELD_LINE.finditer(doc_text(doc)) if len(m.group("key").split()) <= 3}
    known_keys = {m.start() for m in FIELD_LINE.finditer(doc_text(doc))
                  if " ".join(m.group("key").lower().split()) in fields}
    for m in LINE_HEAD.finditer(doc_text(doc)):
        if m.start() in known_keys or m.start() in field_lines and _has_field_neighbour(
                doc_text(doc), m.start(), field_lines):
            continue  # the key of a stat block ("Release Type: ..."), not a name
        head = m.group("head")
        words = head.split()
        if len(head) < 3 or not words or len(words) > 9 or not (words[0][:1].isupper() or words[0][:1].isdigit()
                                                  or words[0][:1] == "."):
            continue
        content = [w for w in words if w.lower() not in TITLE_JOINERS]
        if sum(w[:1].isupper() or w[:1].isdigit() for w in content) < 0.6 * len(content):
            continue
        span = _char_span(doc, m.start("head"), m.end("head"), "HEAD")
        if span is not None:
            found.append(span)
    return found


def _split_slashes(span: Span | None) -> list[Span]:
    """"Kaito Ren/Aoi Minase" names two people, and the NER's "Aoi's Paper Lanterns" an
    artist and her song; "Echo//Gate" is one title."""
    if span is None:
        return []
    parts, start = [], span.start
    for tok in span:
        if tok.text == "/" or tok.text in {"'s", "’s"} and tok.i > span.start:
            parts.append((start, tok.i))
            start = tok.i + 1
    parts.append((start, span.end))
    spans = []
    for a, b in parts:
        if b > a:
            part = Span(span.doc, a, b, label=span.label_)
            part.kb_id_ = span.kb_id_
            spans.append(part)
    return spans


def _has_field_neighbour(text: str, line_start: int, field_lines: set[int]) -> bool:
    before = text.rfind("\n", 0, max(line_start - 1, 0))
    after = text.find("\n", line_start)
    return (before + 1 if line_start else -1) in field_lines and line_start > 0 or \
        (after >= 0 and after + 1 in field_lines)


def _trim(span: Span, ner_label: str) -> Span | None:
    """NER spans with a leading "the", an adjective or a stray symbol, or a trailing
    possessive, as the name itself."""
    start, end = span.start, span.end
    doc = span.doc
    while start < end and (doc[start].lower_ in {"the", "a", "an"} or not doc[start].text[:1].isalnum()
                           and doc[start].text[:1] != "." or doc[start].pos_ == "ADJ" and start + 1 < end
                           and doc[start + 1].pos_ == "PROPN"):
        start += 1
    while end > start and doc[end - 1].text in {"'s", "’s", "'", "’", "-", ",", "."}:
        end -= 1
    # "Minase's OST" names Minase: what the NER glued after a possessive is a cue word.
    for tok in doc[start:end]:
        if tok.text in {"'s", "’s"} and tok.i + 1 < end and doc[tok.i + 1].lower_ in OWNED_WORDS:
            end = tok.i
            break
    if end <= start:
        return None
    trimmed = Span(doc, start, end, label="NER")
    trimmed.kb_id_ = ner_label
    return trimmed


def _is_cap(token) -> bool:
    text = token.text
    return bool(text) and (text[0].isupper() or (text[0] == "." and len(text) > 1)) and token.pos_ != "PRON"


def _spelled_number_opening_a_name(doc: Doc, k: int) -> bool:
    """"Kagerou: Nine Lanterns of the North": a number word that starts a capitalized run."""
    return doc[k].pos_ == "NUM" and doc[k].is_alpha and k + 1 < len(doc) and _is_cap(doc[k + 1]) \
        and not doc[k + 1].is_sent_start


def _title_chunks(doc: Doc, cues: CueTable = CUES) -> list[Span]:
    """Maximal runs of capitalized words, allowing small joiner words inside, that are
    not just one common word opening a sentence, and that end before a cue that ends
    titles ("the Glass Orchard Theme Song" gives Glass Orchard)."""
    found = []
    song_words = {t.i for s in doc.spans.get("cues", []) if s.label_ in cues.title_ends for t in s}
    i = 0
    n = len(doc)
    while i < n:
        tok = doc[i]
        if not _is_cap(tok) or "\n" in tok.text:
            i += 1
            continue
        j = i + 1
        while j < n:
            t = doc[j]
            if t.is_sent_start:
                break
            if _is_cap(t) or t.like_num and j > i:
                j += 1
                continue
            if t.text in TITLE_TAILS and doc[j - 1].whitespace_ == "":
                j += 1
                break
            k = j
            while k < n and k - j < 3 and doc[k].lower_ in TITLE_JOINERS and not doc[k].is_sent_start:
                k += 1
            # After a colon only a name goes on a title ("Star Harbor: Aoi no Kioku"),
            # not a new clause ("Glass Orchard: Lovely soundtrack", "X: This series").
            after_colon = any(doc[x].text == ":" for x in range(j, k))
            if k > j and k < n and _is_cap(doc[k]) and not doc[k].is_sent_start \
                    and (doc[k].ent_type_ not in {"DATE", "TIME", "CARDINAL"}
                         or doc[k].ent_type_ == "CARDINAL" and doc[k].is_alpha) \
                    and not (after_colon and (doc[k].pos_ != "PROPN" or doc[k].is_stop)
                             and not _spelled_number_opening_a_name(doc, k)):
                j = k + 1
                continue
            break
        while j - i > 1 and (doc[j - 1].text == "TV" or j - 1 in song_words) and doc[j - 2].text[:1].isupper():
            j -= 1  # "the Glass Orchard TV series", "Iron Lotus Theme Songs": the name ends before them
        span = Span(doc, i, j, label="CHUNK")
        first = doc[i]
        while span and (not span[0].text[:1].isalnum() and span[0].text[:1] != "."
                        or len(span) > 1 and span[0].pos_ in {"ADP", "CCONJ", "SCONJ", "PRON"}
                        or len(span) > 1 and span[0].pos_ == "ADJ" and all(t.ent_type_ == "PERSON" for t in span[1:])):
            span = Span(doc, span.start + 1, span.end, label="CHUNK")  # "Wonderful Minase Aoi" names Minase Aoi
        if not span:
            i = j
            continue
        if len(span) == 1 and (first.pos_ not in {"PROPN"} or first.is_stop):
            pass
        elif first.is_sent_start and (first.is_stop or first.pos_ in COMMON_POS) and len(span) > 1:
            if doc[i + 1].pos_ == "PROPN" or doc[i + 1].text[:1].isupper():
                found.append(Span(doc, i + 1, j, label="CHUNK"))
        else:
            found.append(span)
        i = j
    return found


# Singular nouns for one act: "the duo X and Y" names one duo, not two people.
ACT_NOUNS = {"duo", "band", "group", "unit", "trio", "pair", "team"}


def _joined_names(doc: Doc, chunks: list[Span]) -> list[Span]:
    """Two capitalized runs joined by "and"/"&" that name one thing: after a noun for one
    act ("the duo Tide and Ember"), or as one item of a list whose last item has a comma
    before its "and" ("A, Moss and Mirror, and B": the list's own "and" has a comma)."""
    found = []
    for a, b in zip(chunks, chunks[1:]):
        if b.start != a.end + 1 or doc[a.end].lower_ not in {"and", "&"} or doc[b.start].is_sent_start:
            continue
        before = doc[a.start - 1] if a.start > 0 else None
        after = doc[b.end] if b.end < len(doc) else None
        one_act = before is not None and before.lower_ in ACT_NOUNS
        list_item = before is not None and before.text == "," and after is not None and after.text == "," \
            and _list_closes_with_comma_and(doc, b.end)
        if one_act or list_item:
            found.append(Span(doc, a.start, b.end, label="CHUNK"))
    return found


def _list_closes_with_comma_and(doc: Doc, i: int) -> bool:
    """Whether the list going on at token i closes with ", and X" / ", or X" in its sentence."""
    end = doc[i].sent.end
    for j in range(i, min(end - 1, i + 40)):
        if doc[j].text == "," and doc[j + 1].lower_ in {"and", "or"}:
            return True
        if doc[j].text in {".", ";", ":", "!", "?"}:
            return False
    return False
