"""The extractor, loaded once for the extraction tests, and a reader of what it finds."""

from __future__ import annotations

import pytest

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
