"""Text without sentence ends (issue 12, case 6): no sentence runs past the cap, so the
pairs read from a text grow with its length, not with its square.

Speed itself is measured in bench/bench_extract_scaling.py; these tests check the
behaviour that keeps it linear.
"""

from __future__ import annotations

import random

import pytest
import spacy

from animekg.extract.components import (CLAUSE_SEPARATORS, MAX_SENTENCE_TOKENS, SOFT_SENTENCE_TOKENS,
                                        line_breaks)
from animekg.extract.document import read_text
from animekg.extract.mentions import sentences

SYLLABLES = ["ka", "ri", "to", "mi", "na", "se", "yu", "ho", "ru", "ne", "sa", "ki", "po", "ba", "de", "ga"]


@pytest.fixture(scope="module")
def blank():
    return spacy.blank("en")


def _word(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()


def _names(count: int, seed: int = 1) -> list[str]:
    rng = random.Random(seed)
    return [f"{_word(rng)} {_word(rng)}" for _ in range(count)]


def _lengths(doc) -> list[int]:
    return [len(s) for s in doc.sents]


def test_a_line_without_any_separator_is_cut_at_the_hard_cap(blank):
    doc = line_breaks(blank(" ".join(_names(400))))  # 800 tokens, nothing to cut at

    lengths = _lengths(doc)
    assert sum(lengths) == len(doc) == 800
    assert max(lengths) == MAX_SENTENCE_TOKENS
    assert lengths[:-1] == [MAX_SENTENCE_TOKENS] * (len(lengths) - 1)


def test_a_long_list_is_cut_at_a_separator_past_the_soft_length(blank):
    names = _names(200)
    # A comma after the 10th name (too early to cut at), then " / " after the 45th (past
    # SOFT_SENTENCE_TOKENS), then nothing but spaces.
    text = " ".join(names[:10]) + ", " + " ".join(names[10:45]) + " / " + " ".join(names[45:])
    doc = line_breaks(blank(text))

    first, second = list(doc.sents)[:2]
    assert first[-1].text == "/" and first[-1].text in CLAUSE_SEPARATORS
    assert SOFT_SENTENCE_TOKENS <= len(first) <= MAX_SENTENCE_TOKENS
    assert "," in [t.text for t in first]  # the early comma did not cut
    assert len(second) == MAX_SENTENCE_TOKENS  # spaces only: the hard cap
    assert max(_lengths(doc)) <= MAX_SENTENCE_TOKENS


def test_separators_throughout_keep_every_sentence_within_the_cap(blank):
    rng = random.Random(3)
    text = "".join(f"{n}{rng.choice([' ', ', ', ' / ', '; '])}" for n in _names(2000))
    doc = line_breaks(blank(text))

    lengths = _lengths(doc)
    assert sum(lengths) == len(doc) and len(doc) > 20 * MAX_SENTENCE_TOKENS
    assert max(lengths) <= MAX_SENTENCE_TOKENS
    # With a separator every few tokens, the cut comes soon after the soft length.
    assert max(lengths[:-1]) < SOFT_SENTENCE_TOKENS + 20


def test_a_line_break_still_starts_a_sentence(blank):
    doc = line_breaks(blank("Aka Rito composed it\nSe Yuho sang it"))
    assert [s.text.strip() for s in doc.sents] == ["Aka Rito composed it", "Se Yuho sang it"]


def _covers(units, doc) -> bool:
    """The units are the document's tokens, in order, each once."""
    return [t.i for u in units for t in u] == list(range(len(doc)))


def test_sentences_keeps_the_cap_on_a_list_cut_at_commas(blank):
    # A cut after a comma closes nothing, so sentences() would join what follows.
    doc = line_breaks(blank(", ".join(_names(1500))))
    assert max(_lengths(doc)) < MAX_SENTENCE_TOKENS

    units = sentences(doc)
    assert _covers(units, doc)
    assert max(len(u) for u in units) <= MAX_SENTENCE_TOKENS


def test_sentences_joins_unclosed_sentences_up_to_the_cap(blank):
    # As a parser may split a line that no punctuation closes, every 40 tokens here.
    doc = blank(" ".join(_names(500)))
    for token in doc:
        token.is_sent_start = token.i % 40 == 0
    assert len(list(doc.sents)) == 25

    units = sentences(doc)
    assert _covers(units, doc)
    assert [len(u) for u in units] == [120] * 8 + [40]  # three joined; a fourth would pass the cap


def test_sentences_cuts_one_sentence_longer_than_the_cap(blank):
    # What a parser may leave whole past a full stop, where line_breaks stopped counting.
    doc = blank(" ".join(_names(500)))
    for token in doc:
        token.is_sent_start = token.i == 0
    assert len(list(doc.sents)) == 1

    units = sentences(doc)
    assert _covers(units, doc)
    assert [len(u) for u in units] == [MAX_SENTENCE_TOKENS] * 6 + [1000 - 6 * MAX_SENTENCE_TOKENS]


def _cued_line(limit: int, seed: int = 5) -> tuple[str, int]:
    """One line of invented names, some with credit cues, no full stop; and its names."""
    rng = random.Random(seed)
    parts, size = [], 0
    while size < limit:
        name = f"{_word(rng)} {_word(rng)}"
        part = rng.choice([f"music by {name}", f"{name} composed the anime {_word(rng)} {_word(rng)}",
                           f"sung by {name}", name, name, name]) + rng.choice([" ", ", ", " / "])
        parts.append(part)
        size += len(part)
    return "".join(parts).strip(" ,/"), len(parts)


def test_credits_from_a_line_without_sentence_ends_grow_with_its_length(extractor):
    # Both lines fit in one segment (20,000 characters), so only the sentence cap and the
    # pair bounds keep pairs from growing with the square of the length. Before them the
    # longer line gave 144,000 credits (170 a name, 3.8 times the shorter line's).
    short_text, _ = _cued_line(9_500)
    long_text, names = _cued_line(19_500)
    assert long_text.startswith(short_text[:9_000]) and "." not in long_text and "\n" not in long_text

    short = extractor.extract(read_text(short_text, doc_id="short"))
    long = extractor.extract(read_text(long_text, doc_id="long"))

    assert len(short.credits) > 100  # the cues are read: the bound below is not met by reading nothing
    assert len(long.credits) <= 2.5 * len(short.credits)
    assert len(long.credits) < 10 * names
    for credit in long.credits:
        evidence = credit.evidence
        assert long.document.text[evidence.start:evidence.end] == evidence.sentence
