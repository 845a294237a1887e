"""The extractor, loaded once for the extraction tests, and a reader of what it finds."""

from __future__ import annotations

import pytest

from animekg.extract.document import read_text
from animekg.extract.pipeline import Extractor


@pytest.fixture(scope="session")
def extractor() -> Extractor:
    return Extractor()


def read(extractor: Extractor, text: str):
    """The extraction of a text, its credits as (subject, relation, object) and the types by name."""
    extraction = extractor.extract(read_text(text, doc_id="t"))
    triples = {(c.subject, c.relation, c.object) for c in extraction.credits}
    types = {e.name: e.types for e in extraction.entities}
    return extraction, triples, types
