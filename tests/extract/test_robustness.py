"""The extractor on anything at all: it never raises, and every offset it reports points
at the text it claims (property-based, with hypothesis)."""

from __future__ import annotations

import hashlib

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from animekg.extract.pipeline import Extractor, load_pipeline
from animekg.extract.records import Document

WORDS = ["music", "by", "OP:", "ED:", "“", "”", '"', "(", ")", "1.", "Kanno", "Yoko", "Soundtrack",
         "Original", "Label:", "Records", "the", "anime", "'s", "’s", "\n", "\n\n", "-", "/", "//", ":",
         "<b>", "</p>", "&amp;", "Orchestra", "01.", "(3:10)", "composer", "sung", "theme", "Show!"]

texts = st.one_of(
    st.text(max_size=400),
    st.lists(st.sampled_from(WORDS), max_size=120).map(" ".join),
    st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x2FFF), min_size=1, max_size=200)
    .map(lambda s: s * 40),  # very long lines
)


def document(text: str) -> Document:
    return Document("prop", text, "<test>", hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest())


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts)
def test_never_raises_and_offsets_hold(text):
    load_pipeline()
    extraction = Extractor().extract(document(text))
    names = {e.name for e in extraction.entities}
    for credit in extraction.credits:
        ev = credit.evidence
        assert 0 <= ev.start <= ev.end <= len(text)
        assert text[ev.start:ev.end] == ev.sentence
        assert credit.subject in names and credit.object in names
        assert 0 < credit.confidence <= 1


def test_empty_and_blank_documents():
    for text in ("", " ", "\n\n\n", "\t"):
        extraction = Extractor().extract(document(text))
        assert extraction.entities == [] and extraction.credits == []
