"""The extractor, loaded once for the extraction tests, and a reader of what it finds."""

from __future__ import annotations

import pytest
import spacy

from animekg.extract.document import read_text
from animekg.extract.pipeline import STOCK, Extractor, resolve_model


@pytest.fixture(scope="session")
def extractor() -> Extractor:
    """The reading rules on the stock English pipeline: what the rule tests show."""
    return Extractor(STOCK)


@pytest.fixture(scope="session")
def trained_extractor() -> Extractor:
    """The shipped trained model (recognizer and credit scorer)."""
    if resolve_model(None)[1] is None:
        pytest.skip("no trained model is shipped (make model)")
    return Extractor()


def read(extractor: Extractor, text: str):
    """The extraction of a text, its credits as (subject, relation, object) and the types by name."""
    extraction = extractor.extract(read_text(text, doc_id="t"))
    triples = {(c.subject, c.relation, c.object) for c in extraction.credits}
    types = {e.name: e.types for e in extraction.entities}
    return extraction, triples, types


BLANK = spacy.blank("en")


def hand_doc(text: str, spans: list[tuple[str, str]], cues: list[tuple[str, str]] = (),
             proper: tuple[str, ...] = ()):
    """A Doc with one sentence per line, the given entities and cue words, and the given
    words tagged as proper nouns."""
    doc = BLANK(text)
    for tok in doc:
        tok.is_sent_start = tok.i == 0 or "\n" in doc[tok.i - 1].text + doc[tok.i - 1].whitespace_
        tok.tag_ = "NNP" if tok.text in proper else "NN"
    ents = []
    for name, label in spans:
        start = text.index(name)
        ents.append(doc.char_span(start, start + len(name), label=label, alignment_mode="expand"))
    doc.ents = ents
    cue_spans = []
    for word, label in cues:
        start = text.index(word)
        cue_spans.append(doc.char_span(start, start + len(word), label=label))
    doc.spans["cues"] = cue_spans
    return doc
