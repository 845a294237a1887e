"""The library API: everything the CLI does is one call here.

    from animekg import api
    store = api.open_store(":memory:")
    report = api.build(["examples/"], store)
    api.run_query(store, name="composers").records()
"""

from __future__ import annotations

import json
import os
import tempfile
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

import networkx as nx
import pyoxigraph as ox

from animekg.errors import AnimekgError, InputError, InputWarning, QueryError, StoreError
from animekg.extract.document import check_regular_file, find_sources, read_document
from animekg.extract.evaluate import Evaluation, EvaluationError, format_report
from animekg.extract.evaluate import evaluate as evaluate_predictions
from animekg.extract.records import Document, Extraction
from animekg.graph.dataset import Dataset
from animekg.graph.inference import fault_point
from animekg.graph.triples import document_iri, extraction_nquads, slug_document_iri
from animekg.graph.listings import keep_listings, listing_page
from animekg.graph.queries import PAGE, named_queries, named_query, run_named_query
from animekg.graph.store import GraphStore, QueryResult, default_store_path, document_graph
from animekg import store_network
from animekg.views import MAX_NODES, NETWORK_FORMATS, filter_network, write_network, write_view_page

if TYPE_CHECKING:  # pyshacl, which validation needs, takes a tenth of a second to import
    from animekg.graph.validate import ValidationReport

MEMORY = ":memory:"
EXPORT_FORMATS = {"turtle": ox.RdfFormat.TURTLE, "nquads": ox.RdfFormat.N_QUADS,
                  "trig": ox.RdfFormat.TRIG, "ntriples": ox.RdfFormat.N_TRIPLES,
                  "jsonld": ox.RdfFormat.JSON_LD}

Progress = Callable[[Document], None]


def open_store(store: str | Path | GraphStore | None = None, *, read_only: bool = False,
               update_url: str | None = None) -> GraphStore:
    """A store by path (default: $ANIMEKG_STORE or ./animekg-store), ':memory:', or the
    URL of a SPARQL 1.1 server (its update endpoint: ``update_url``, $ANIMEKG_UPDATE_URL,
    or guessed from the URL as :func:`animekg.graph.remote.endpoints` says)."""
    if isinstance(store, GraphStore):
        return store
    if store is None:
        store = default_store_path()
    if str(store) == MEMORY:
        return GraphStore.in_memory()
    if str(store).startswith(("http://", "https://")):
        return GraphStore.remote(str(store), update_url or os.environ.get("ANIMEKG_UPDATE_URL"))
    if read_only and not Path(store).exists():
        raise AnimekgError(f"{store}: no graph store here; build one first with `animekg build PATH`")
    return GraphStore(store, read_only=read_only)


def read_documents(paths: Iterable[str | Path]) -> list[Document]:
    """Every document under the paths, read and checked before anything is written, so
    that one bad file stops a build with the store untouched. Their ids are their paths
    under the folders given, and never clash (see :mod:`animekg.extract.document`)."""
    return [read_document(source.path, source.doc_id) for source in find_sources(paths)]


def extract(documents: Iterable[Document], model: str | None = None, jobs: int = 1,
            count: int | None = None) -> Iterable[Extraction]:
    """Extractions in the order of the documents; ``jobs`` processes (0: one per core).
    The documents are read as they are needed: give ``count`` for an iterator (how many
    it yields), or a list."""
    from animekg.extract.pipeline import Extractor, extract_in_processes  # spaCy loads only here

    jobs = jobs or os.cpu_count() or 1
    if jobs < 0:
        raise AnimekgError(f"--jobs must be 0 (one per core) or more, not {jobs}")
    if count is None:
        documents = list(documents)
        count = len(documents)
    if jobs == 1 or count < 2:
        return Extractor(model).extract_all(documents)
    return extract_in_processes(documents, model, min(jobs, count))


@dataclass(frozen=True)
class BuildProgress:
    """Where a build stands: once when it knows what it will extract, then after each
    document it writes, then once more before it derives the rules' facts."""

    to_extract: int  # documents new or changed since the store last had them
    unchanged: int  # documents the store already has as they are: skipped
    written: int = 0  # documents extracted and written so far
    words: int = 0  # their words
    document: Document | None = None  # the one just written
    deriving: bool = False  # every document written; the rules' facts next


@dataclass(frozen=True)
class _Checked:
    """A document read and checked, kept without its text until it is extracted."""

    path: Path
    doc_id: str
    source: str
    sha256: str


@dataclass(frozen=True)
class BuildReport:
    added: int
    unchanged: int
    inferred: int
    stats: dict


def build(paths: Iterable[str | Path], store: GraphStore, model: str | None = None,
          progress: Callable[[BuildProgress], None] | None = None, jobs: int = 1) -> BuildReport:
    """Extract the documents that are new or changed into the store (``jobs`` extracting
    processes; the store is written by this one), then derive the rules' facts.

    Every file is read and checked first, so that a bad one stops the build before
    anything is written; then read again when its turn comes, so that memory does not
    grow with the number of documents. Each document's graph is written in a transaction
    of its own as soon as it is extracted: a build stopped at any point (Ctrl-C, a kill)
    keeps every document written so far, and the same build run again skips them by
    their hash and goes on with the rest."""
    checked = []
    for source in find_sources(paths):
        document = read_document(source.path, source.doc_id)
        checked.append(_Checked(source.path, document.doc_id, document.source, document.sha256))
    _refuse_old_document_graphs(checked, store)
    changed = [c for c in checked if not store.has_document(c.doc_id, c.sha256)]
    state = BuildProgress(len(changed), len(checked) - len(changed))
    if progress:
        progress(state)
    added = 0
    documents = (_read_again(c) for c in changed)
    for extraction in extract(documents, model, jobs, count=len(changed)):
        added += store.add_extraction(extraction)
        state = replace(state, written=state.written + 1, words=state.words + len(extraction.document.text.split()),
                        document=extraction.document)
        fault_point(f"build:written-{state.written}")
        if progress:
            progress(state)
    if progress:
        progress(replace(state, document=None, deriving=True))
    inferred = _derive(store)
    return BuildReport(added, len(checked) - len(changed), inferred, store.stats())


def _read_again(checked: _Checked) -> Document:
    """A document read for its extraction, its warnings already given when it was checked."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", InputWarning)
        return read_document(checked.path, checked.doc_id)


def _refuse_old_document_graphs(documents: list[_Checked], store: GraphStore) -> None:
    """Stop before writing when the store holds a document under the graph animekg 0.1
    named it by (a slug, for an id with spaces or other characters): building on would
    keep both copies."""
    current = {document_iri(d.doc_id) for d in documents}
    for document in documents:
        old = slug_document_iri(document.doc_id)
        if (old not in current and store.backend.contains_named_graph(old)
                and not store.backend.contains_named_graph(document_iri(document.doc_id))):
            raise StoreError(
                f"{store.location}: holds {document.source} as graph <{old.value}>, a name older "
                "animekg versions gave it; rebuild the store: remove it and run `animekg build` again")


EXTRACT_FORMATS = ("json", "nquads")


def extract_to_folder(paths: Iterable[str | Path], out_dir: str | Path, model: str | None = None,
                      progress: Progress | None = None, fmt: str = "json", jobs: int = 1) -> list[Path]:
    """One file per document: ``ID.json`` in the format of the annotation spec plus
    evidence, or ``ID.nq``, the document's named graph on its own, for :func:`load`."""
    if fmt not in EXTRACT_FORMATS:
        raise AnimekgError(f"unknown extract format {fmt!r}; choose json or nquads")
    documents = read_documents(paths)
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise InputError(f"{out}: exists and is not a folder; give --out a new or existing folder")
    written = []
    for extraction in extract(documents, model, jobs):
        # An id with "/" (a file in a subfolder of the folder given) is written in that
        # subfolder of ``out``, so the tree of results mirrors the tree of texts.
        if fmt == "json":
            path = out / f"{extraction.document.doc_id}.json"
            data = (json.dumps(extraction.to_json(), indent=2, ensure_ascii=False) + "\n").encode("utf-8")
        else:
            path = out / f"{extraction.document.doc_id}.nq"
            data = extraction_nquads(extraction)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        except OSError as exc:
            raise InputError(f"{path}: cannot write ({exc.strerror or exc}); "
                             "check that --out is a folder you may write in") from exc
        written.append(path)
        if progress:
            progress(extraction.document)
    return written


def load(paths: Iterable[str | Path], store: GraphStore) -> BuildReport:
    """Bulk-load ``.nq`` files of ``animekg extract --format nquads`` (each one document's
    graph), then derive the rules' facts. Every file is read and checked before the store
    is touched; each document's graph is replaced in one transaction."""
    files = []
    for path in map(Path, paths):
        if path.is_dir():
            # A folder named x.nq matches too: rglob walks into it, so only its files count.
            files += sorted(p for p in path.rglob("*.nq") if not p.is_dir())
        elif os.path.lexists(path):
            files.append(path)
        else:
            raise InputError(f"{path}: no such file or folder")
    if not files:
        raise InputError(f"no .nq files in {', '.join(map(str, paths))}; write them with "
                         "`animekg extract PATH --out DIR --format nquads`")
    graphs = []
    for file in files:
        check_regular_file(file)  # a FIFO would block the parser, a looping link fail inside it
        try:
            quads = list(ox.parse(path=file, format=ox.RdfFormat.N_QUADS))
        except (SyntaxError, ValueError, UnicodeDecodeError) as exc:
            raise InputError(f"{file}: not valid N-Quads ({' '.join(str(exc).split())})") from exc
        except OSError as exc:
            raise InputError(f"{file}: cannot read file ({exc.strerror or exc})") from exc
        document_graph(quads, str(file))
        graphs.append((file, quads))
    added = 0
    for file, quads in graphs:
        added += store.add_document_graph(quads, source=str(file))
    inferred = _derive(store)
    return BuildReport(added, len(graphs) - added, inferred, store.stats())


def infer(store: GraphStore) -> int:
    """Derive the ontology's rules again (a build or load does it itself); the number of
    derived triples. For a store filled by another tool's bulk loader."""
    return _derive(store)


def _derive(store: GraphStore) -> int:
    """What every build, load and infer ends with: the rules' facts, the summary graph
    and the listings' rows (graph/listings.py); the number of derived triples."""
    inferred = store.materialize_inferred()
    keep_listings(store)
    store.flush()
    store.optimize()
    return inferred


def evaluate(gold_dir: str | Path, docs: str | Path | None = None, model: str | None = None,
             out_dir: str | Path | None = None) -> Evaluation:
    """Extract the documents of a gold corpus and score them by the annotation spec.

    ``gold_dir`` holds ID.json gold files, or is a corpus folder with ``gold/`` and
    ``docs/``; ``docs`` defaults to that ``docs/``. Predictions go to ``out_dir``
    (default: a temporary folder).
    """
    gold_dir = Path(gold_dir)
    if docs is None:
        docs = gold_dir / "docs"
        if not docs.is_dir():
            raise AnimekgError(f"{gold_dir}: no docs/ folder beside the gold files; give --docs DIR")
    try:
        if out_dir is not None:
            extract_to_folder([docs], out_dir, model)
            return evaluate_predictions(gold_dir, Path(out_dir))
        with tempfile.TemporaryDirectory() as tmp:
            extract_to_folder([docs], tmp, model)
            return evaluate_predictions(gold_dir, Path(tmp))
    except EvaluationError as exc:
        raise AnimekgError(str(exc)) from exc


def train(corpus_dir: str | Path, out_dir: str | Path, *, epochs: int | None = None, seed: int | None = None,
          base_model: str | None = None, use_rules: bool = True, swapped_copies: int = 0,
          progress: Callable[[str], None] | None = None) -> dict:
    """Train the entity recognizer and the credit scorer on an annotated corpus (``docs/``
    and ``gold/``) into ``out_dir``, with fixed seeds; the figures of the run. Load the
    result with ``--model OUT_DIR`` (``extract``, ``build``, ``eval``). ``use_rules=False``
    leaves the reading rules out (their mentions and votes): the learned parts alone;
    ``swapped_copies`` adds that many copies of each training text with its names swapped
    for other names of the same kind, for the recognizer."""
    from animekg.extract.training import RecognizerSettings, ScorerSettings, train_model

    recognizer, scorer = RecognizerSettings(), ScorerSettings(use_rules=use_rules)
    if epochs is not None:
        if epochs < 1:
            raise AnimekgError(f"--epochs must be at least 1, not {epochs}")
        recognizer = replace(recognizer, epochs=epochs)
    if seed is not None:
        recognizer, scorer = replace(recognizer, seed=seed), replace(scorer, seed=seed)
    if swapped_copies < 0:
        raise AnimekgError(f"--swapped-copies must be 0 or more, not {swapped_copies}")
    recognizer = replace(recognizer, swapped_copies=swapped_copies)
    return train_model(corpus_dir, out_dir, recognizer, scorer, base_model, progress or (lambda _: None))


def cross_validate(corpus_dir: str | Path, out_dir: str | Path, *, folds: int = 5, only: int | None = None,
                   progress: Callable[[str], None] | None = None) -> dict:
    """Cross-validation by document of what :func:`train` does: each of ``folds`` parts
    extracted by a model trained on the others (``only``: one part, 1-based, so that parts
    can run in parallel); the pooled figures once every part is done."""
    from animekg.extract.training import cross_validate as run

    if folds < 2 or only is not None and not 1 <= only <= folds:
        raise AnimekgError(f"--cross-validate needs 2 or more folds and --fold between 1 and the folds "
                           f"(got {folds} folds, fold {only})")
    return run(corpus_dir, out_dir, folds, only, log=progress or (lambda _: None))


def run_query(store: GraphStore, text: str | None = None, *, name: str | None = None,
              params: dict[str, str] | None = None, dataset: Dataset | None = None,
              limit: int | None = PAGE, offset: int = 0) -> QueryResult:
    """SPARQL text, or a named query with its parameters bound as RDF terms.

    A named query answers a page: ``limit`` rows from ``offset`` (``limit=None``: every
    row, as an export wants). A whole-graph listing's page is read from the rows kept at
    the last build (graph/listings.py). SPARQL text answers what it asks, its own LIMIT
    and OFFSET included.

    The query reads the ``dataset``'s graphs if one is given, else the graphs its FROM /
    FROM NAMED name, else the union of all graphs (graph/dataset.py)."""
    if name is not None:
        query = named_query(name)
        if limit is not None and query.listing:
            query.bind(params or {})  # a listing takes no parameter: say so, as for any query
            return listing_page(store, name, limit, offset)
        return run_named_query(store, name, params, limit=limit, offset=offset)
    if text is None:
        raise QueryError("give a SPARQL query, a .rq file, or --name NAME")
    bound = {k: ox.Literal(v) for k, v in (params or {}).items()}
    return store.query(text, bound or None, dataset=dataset)


def export(store: GraphStore, fmt: str = "turtle") -> bytes:
    if fmt not in EXPORT_FORMATS:
        raise AnimekgError(f"unknown export format {fmt!r}; choose one of {', '.join(EXPORT_FORMATS)}")
    return store.dump(EXPORT_FORMATS[fmt])


def stats(store: GraphStore) -> dict:
    return store.stats()


def validate(store: GraphStore) -> ValidationReport:
    from animekg.graph.validate import validate_store

    return validate_store(store)


def network(store: GraphStore) -> nx.MultiDiGraph:
    """The credit network: entities as nodes, credits with their evidence as edges."""
    return store_network.whole_network(store)


def view_network(store: GraphStore, focus: str | None = None, depth: int = 2,
                 types: Iterable[str] | None = None, relations: Iterable[str] | None = None,
                 max_nodes: int | None = None) -> nx.MultiDiGraph:
    """The part of the credit network a view or an export shows.

    Filters first, then the neighbourhood of ``focus``: "Yoko Kanno, composers and
    shows only" means her neighbourhood among composers and shows, which the other
    order would leave in pieces. Without filters only that part is read from the store,
    and with ``max_nodes`` (a page) only the most connected entities
    (animekg.store_network); a filtered view reads the whole network.
    """
    if not types and not relations:
        if focus:
            seeds = store_network.named(store, focus)
            if not seeds:
                raise _no_entity(focus)
            return store_network.neighbourhood(store, seeds, depth)
        if max_nodes is not None:
            part = store_network.most_connected_network(store, max_nodes)
            if part is not None:
                return part
    try:
        graph = filter_network(network(store), types, relations)
    except ValueError as exc:
        raise AnimekgError(str(exc)) from exc
    if focus:
        graph = focus_subgraph(graph, focus, depth)
    return graph


def seeded_network(store: GraphStore, iris: Iterable[str], labels: Iterable[str], depth: int) -> nx.MultiDiGraph:
    """The entities named by IRI or by their exact label, those up to ``depth`` credits
    away and the credits among them: the network page of a query's result."""
    seeds = [*iris, *store_network.labelled(store, labels)]
    return store_network.neighbourhood(store, seeds, depth)


def write_view(store: GraphStore, path: str | Path, focus: str | None = None, depth: int = 2,
               title: str = "animekg network", types: Iterable[str] | None = None,
               relations: Iterable[str] | None = None) -> Path:
    graph = view_network(store, focus, depth, types, relations, max_nodes=MAX_NODES)
    return write_view_page(graph, Path(path), title=title, max_nodes=MAX_NODES)


def export_network(store: GraphStore, path: str | Path, fmt: str | None = None, focus: str | None = None,
                   depth: int = 2, types: Iterable[str] | None = None,
                   relations: Iterable[str] | None = None) -> Path:
    """The (filtered, focused) network as graphml, gexf, json, csv, svg or png; by
    default the format is the file's suffix."""
    fmt = (fmt or Path(path).suffix.lstrip(".")).lower()
    if fmt not in NETWORK_FORMATS:
        raise AnimekgError(f"unknown network format {fmt!r}; choose one of {', '.join(NETWORK_FORMATS)}")
    return write_network(view_network(store, focus, depth, types, relations), path, fmt)


def _no_entity(name: str) -> AnimekgError:
    return AnimekgError(f"no entity named {name!r} in the graph; try `animekg query --name person-credits`")


def focus_subgraph(graph: nx.MultiDiGraph, name: str, depth: int) -> nx.MultiDiGraph:
    wanted = name.casefold()
    hits = [n for n, data in graph.nodes(data=True)
            if data.get("label", "").casefold() == wanted
            or wanted in (a.casefold() for a in data.get("aliases", []))]
    if not hits:
        raise _no_entity(name)
    keep = set()
    undirected = graph.to_undirected(as_view=True)
    for hit in hits:
        keep |= set(nx.single_source_shortest_path_length(undirected, hit, cutoff=depth))
    return graph.subgraph(keep).copy()


def serve(store: str | Path | GraphStore, host: str = "127.0.0.1", port: int = 8000, *,
          allow_update: bool = False, update_token: str | None = None, timeout: float = 30.0,
          max_results: int = 10_000, workers: int | None = None, allow_load: bool = False,
          max_memory: int | None = None, public_hosts: Iterable[str] = (), cors_origins: Iterable[str] = (),
          ready: Callable[[str], None] | None = None) -> None:
    """Serve the store (a folder or URL) over the SPARQL 1.1 Protocol, with a query page
    at /, until Ctrl+C or SIGTERM; ``ready(url)`` is called once it listens.

    Read-only unless ``allow_update``, which needs an ``update_token`` that clients send
    as ``Authorization: Bearer TOKEN``. Each query runs under ``timeout`` seconds and
    returns at most ``max_results`` rows or triples. Pages of the ``cors_origins`` (or any,
    with ``"*"``, on a read-only server) may read the answers. To start and stop a server from
    code (tests, notebooks), use :class:`animekg.serve.SparqlServer`.
    """
    from animekg.serve import ServeConfig, SparqlServer, serve_until_stopped

    from animekg.serve.config import DEFAULT_MAX_MEMORY

    config = ServeConfig(allow_update=allow_update, update_token=update_token, timeout=timeout,
                         max_results=max_results, workers=workers, allow_load=allow_load,
                         max_memory=max_memory or DEFAULT_MAX_MEMORY, public_hosts=tuple(public_hosts),
                         cors_origins=tuple(cors_origins))
    serve_until_stopped(SparqlServer(store, host, port, config), ready)


__all__ = ["PAGE", "open_store", "read_documents", "extract", "build", "extract_to_folder", "load", "infer", "run_query",
           "export", "stats", "validate", "network", "view_network", "seeded_network", "write_view", "export_network", "serve",
           "named_query", "named_queries", "evaluate", "train", "cross_validate", "format_report", "BuildReport", "BuildProgress", "MEMORY"]
