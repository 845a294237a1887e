"""The graph store: an embedded Oxigraph store on disk (default) or in memory.

Writes are transactional: a new document's named graph is written in one transaction,
and a changed one is dropped and written again in a single SPARQL update, so a failure at
any point leaves the store as it was. The derived facts of the ontology's
rules live in their own named graph, recomputed after every build and replaced in one
update (see :meth:`GraphStore.materialize_inferred`); so does the summary graph of how
connected each entity is (graph/summary.py), rebuilt right after it.
"""

from __future__ import annotations

import os
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from animekg.errors import InputError, QueryError, StoreError
from animekg.extract.records import Extraction
from animekg.normalize import name_key, order_free_key
from animekg.ontology import AMK, ID, rule_queries

from .dataset import Dataset, states_dataset, with_using
from .guard import check_query, check_update, tokens
from .inference import derive, fault_point, named_iris
from .remote import SparqlStore, insert_data
from .summary import label_triples, name_key_triples, summary_triples
from .triples import (ALT_LABEL, INFERRED_GRAPH, LABEL, LISTINGS_GRAPH, RDF, SUMMARY_GRAPH, TYPE, document_iri,
                      extraction_quads)

DEFAULT_STORE = "animekg-store"
GROUP = ox.NamedNode(AMK + "Group")
SHA256 = ox.NamedNode(AMK + "sha256")
# Where earlier versions derived the rules' facts, one fresh graph per run; a run killed
# there left its graph behind for good.
SCRATCH_PREFIX = ID + "graph/inferring/"
REOPEN_ATTEMPTS = 100  # 5 s of a writer compacting
FLUSH_EVERY = 100  # document graphs written between two flushes of the store (see _publish)


def default_store_path() -> Path:
    return Path(os.environ.get("ANIMEKG_STORE", DEFAULT_STORE))


@dataclass
class QueryResult:
    """A SELECT table, an ASK answer or CONSTRUCT triples, with plain-string cells."""

    kind: str
    variables: list[str] = field(default_factory=list)
    rows: list[dict[str, ox.NamedNode | ox.Literal | ox.BlankNode | None]] = field(default_factory=list)
    boolean: bool | None = None
    triples: list[ox.Triple] = field(default_factory=list)

    def records(self) -> list[dict[str, str | None]]:
        return [{v: (None if row.get(v) is None else row[v].value) for v in self.variables} for row in self.rows]

KEPT_GRAPHS = (SUMMARY_GRAPH, LISTINGS_GRAPH)  # derived for speed; what an update makes stale


class GraphStore:
    """animekg's view of a graph store: embedded Oxigraph, or a SPARQL server (see remote.py)."""

    def __init__(self, path: str | Path | None = None, *, read_only: bool = False):
        self.path = Path(path) if path is not None else None
        self.read_only = read_only
        # Taken before opening: a write that lands in between shows as a change later.
        self._files = _store_files(self.path) if read_only and self.path is not None else None
        try:
            if self.path is None:
                backend = ox.Store()
            elif read_only:
                backend = ox.Store.read_only(str(self.path))
            else:
                self.path.mkdir(parents=True, exist_ok=True)
                backend = ox.Store(str(self.path))
        except OSError as exc:
            raise StoreError(f"{self.path}: cannot open the graph store ({exc}); "
                             "check the path, or close the other animekg process using it") from exc
        self._attach(backend, str(self.path) if self.path else "memory store")
        if self.path is not None and not read_only:
            self.remove_scratch_graphs()

    def _attach(self, backend: ox.Store | SparqlStore, location: str) -> None:
        self._store = backend
        self.location = location
        self._names: dict[tuple[str, str], ox.NamedNode] | None = None
        self._labels: dict[ox.NamedNode, str] = {}
        self._published = 0  # document graphs written by this process
        self._kept_may_be_stale = True  # KEPT_GRAPHS not yet dropped since the last derivation

    def refresh(self) -> bool:
        """For a store folder opened read-only: open it again if another process has
        written to it since, so that what it wrote is seen; whether it did.

        A read-only Oxigraph store is a snapshot of the folder as it was when opened (a
        server's query workers would otherwise answer from the graph as it was before a
        build). What changes is told by the folder's data files, which every committed
        write appends to or adds: a look at their sizes and times costs well under a
        millisecond, opening the store again some tens."""
        if self._files is None:
            return False
        files = _store_files(self.path)
        if files == self._files:
            return False
        self._files = files
        for attempt in range(REOPEN_ATTEMPTS):
            try:
                backend = ox.Store.read_only(str(self.path))
                break
            except (OSError, RuntimeError) as exc:
                # The writer compacts as it goes: a file the folder listed a moment ago can
                # be gone by the time it is read. The next look finds the files that replaced it.
                if attempt == REOPEN_ATTEMPTS - 1:
                    raise StoreError(f"{self.path}: cannot open the graph store again after a change "
                                     f"({' '.join(str(exc).split())})") from exc
                time.sleep(0.05)
        self._attach(backend, str(self.path))
        return True

    @classmethod
    def in_memory(cls) -> GraphStore:
        return cls(None)

    @classmethod
    def remote(cls, url: str, update_url: str | None = None) -> GraphStore:
        """The store of a SPARQL 1.1 server, by its URL (see :func:`remote.endpoints`)."""
        store = cls.__new__(cls)
        store.path, store.read_only, store._files = None, False, None
        backend = SparqlStore(url, update_url)
        store._attach(backend, backend.query_url)
        return store

    @property
    def reads_lateral(self) -> bool:
        """Whether the store reads SPARQL's LATERAL (the embedded one does; a server may
        not): the named queries are sent in their portable form where it does not."""
        return not isinstance(self._store, SparqlStore) or self._store.reads_lateral

    @property
    def backend(self) -> ox.Store | SparqlStore:
        """The pyoxigraph Store, or the SparqlStore that answers like one."""
        return self._store

    # -- documents -------------------------------------------------------------------

    def has_document(self, doc_id: str, sha256: str) -> bool:
        return self._has_graph(document_iri(doc_id), sha256)

    def _has_graph(self, graph: ox.NamedNode, sha256: str) -> bool:
        return bool(self._store.query(
            "ASK { GRAPH ?g { ?g <%ssha256> ?h } }" % AMK,
            substitutions={ox.Variable("g"): graph, ox.Variable("h"): ox.Literal(sha256)}))

    def document_graphs(self) -> list[ox.NamedNode]:
        return sorted((g for g in self._store.named_graphs()
                       if isinstance(g, ox.NamedNode) and g.value.startswith(ID + "doc/")),
                      key=lambda g: g.value)

    def add_extraction(self, extraction: Extraction) -> bool:
        """Write one document's graph, replacing the old one; False if unchanged."""
        document = extraction.document
        if self.has_document(document.doc_id, document.sha256):
            return False
        replacing = self._store.contains_named_graph(document_iri(document.doc_id))
        graph, quads = extraction_quads(extraction, resolve=self._resolve)
        self._publish(graph, quads, replacing)
        return True

    def add_document_graph(self, quads: list[ox.Quad], source: str = "quads") -> bool:
        """One document's graph as ``animekg extract --format nquads`` wrote it, maybe in
        another process or on another machine, replacing the old one; False if unchanged.

        Its IRIs are the document's own: names are not resolved against the store's
        (a surname alone stays its own entity), which a build in one process would do.
        """
        graph = document_graph(quads, source)
        sha = [q.object.value for q in quads if q.subject == graph and q.predicate == SHA256]
        if sha and self._has_graph(graph, sha[0]):
            return False
        self._publish(graph, quads, self._store.contains_named_graph(graph))
        return True

    def _publish(self, graph: ox.NamedNode, quads: list[ox.Quad], replacing: bool) -> None:
        self._drop_kept_graphs()
        self._replace_graph(graph, quads, replacing)
        # Oxigraph holds what was written in memory until a flush: a build of 10,000
        # documents grew by 250 KB a document (2.8 GB at the end), and by 30 KB with a
        # flush every hundred (bench/bench_build.py --big-build).
        self._published += 1
        if self._published % FLUSH_EVERY == 0:
            self.flush()
        if replacing:
            # The old version's names left with it: from now on know only the names stored,
            # as a process that opens this store afresh would.
            self._names, self._labels = None, {}
        for q in quads:
            if q.predicate in (LABEL, ALT_LABEL):
                self._remember(q.subject, q.object.value, q.predicate == LABEL)

    def _replace_graph(self, graph: ox.NamedNode, quads: list[ox.Quad], replacing: bool) -> None:
        """One transaction either way: a new graph is one ``extend``; a replaced one is
        dropped and written again by one update request."""
        try:
            if not replacing:
                self._store.extend(quads)
                return
            triples = [ox.Triple(q.subject, q.predicate, q.object) for q in quads]
            self._store.update(f"DROP SILENT GRAPH {graph} ;\n" + insert_data({graph: triples}))
        except OSError as exc:
            raise StoreError(f"{self.location}: cannot write graph {graph.value} ({exc})") from exc

    # -- names across documents --------------------------------------------------------

    def _name_index(self) -> dict[tuple[str, str], ox.NamedNode]:
        if self._names is None:
            self._names = {}
            for predicate in (LABEL, ALT_LABEL):
                for quad in self._store.quads_for_pattern(None, predicate, None, None):
                    if isinstance(quad.subject, ox.NamedNode):
                        self._remember(quad.subject, quad.object.value, predicate == LABEL)
        return self._names

    def _remember(self, iri: ox.NamedNode, name: str, is_label: bool) -> None:
        if is_label:
            self._labels.setdefault(iri, name)
        if self._names is None:
            return
        kind = iri.value[len(ID):].split("/", 1)[0]
        self._names.setdefault((kind, order_free_key(name_key(name))), iri)

    def _resolve(self, kind: str, forms: list[str]) -> tuple[ox.NamedNode, str, bool | None] | None:
        """The IRI, label and (for an agent) group-ness an entity of another document
        already has under one of these names."""
        iri = self._known_iri(kind, forms)
        if iri is None:
            return None
        group = any(self._store.quads_for_pattern(iri, TYPE, GROUP, None)) if kind == "agent" else None
        return iri, self._labels.get(iri, forms[0]), group

    def _known_iri(self, kind: str, forms: list[str]) -> ox.NamedNode | None:
        index = self._name_index()
        for form in forms:
            hit = index.get((kind, order_free_key(name_key(form))))
            if hit is not None:
                return hit
        if kind == "agent" and len(forms[0].split()) == 1:
            # A surname alone: the one known agent whose name ends or starts with it.
            key = name_key(forms[0])
            owners = {iri for (k, n), iri in index.items() if k == "agent" and len(n.split()) > 1
                      and key in (n.split()[0], n.split()[-1])}
            if len(owners) == 1:
                return owners.pop()
        return None

    # -- derived facts -----------------------------------------------------------------

    def materialize_inferred(self) -> int:
        """Run the ontology's rules to a fixpoint into the inferred graph; its size.

        Guarantee: a process killed at any point of this call leaves the inferred graph
        either as it was before or as it is after, never missing, partial or beside a
        scratch graph; running ``build``, ``load`` or ``infer`` again then gives exactly
        what a clean run gives. The rules read a copy of the triples they can match, taken
        from every graph but the inferred one (so a fact derived from grounds that are gone
        is derived no more), and run to a fixpoint in memory (see inference.py); the result
        replaces the inferred graph in one update. Scratch graphs left by an interrupted
        run of an older animekg (``graph/inferring/...``) are removed first.
        """
        self.remove_scratch_graphs()
        fault_point("inference:start")
        rules = rule_queries()
        derived = derive(self._rule_facts(named_iris(rules)), rules)
        fault_point("inference:derived")
        current = {ox.Triple(q.subject, q.predicate, q.object)
                   for q in self._store.quads_for_pattern(None, None, None, INFERRED_GRAPH)}
        if derived != current:
            quads = [ox.Quad(t.subject, t.predicate, t.object, INFERRED_GRAPH)
                     for t in sorted(derived, key=str)]
            self._replace_graph(INFERRED_GRAPH, quads, replacing=True)
        fault_point("inference:replaced")
        self._summarize()
        return len(derived)

    def _summarize(self) -> None:
        """Rebuild the summary graph (graph/summary.py) from the credits of the document
        graphs: the old one removed, then the new one written in one transaction. A run
        killed between the two leaves no summary, and a view then reads the whole store
        (slower, the same page) until the next build, load or infer writes it again; a
        summary half written is never seen. (Replacing it in one SPARQL update, as the
        inferred graph is, takes seconds to parse at a million triples.)"""
        ends: dict[str, dict] = {"subject": {}, "predicate": {}, "object": {}}
        for part, found in ends.items():
            for q in self._store.quads_for_pattern(None, ox.NamedNode(RDF + part), None, None):
                if not _is_inference_graph(q.graph_name) and q.graph_name != SUMMARY_GRAPH:
                    found[q.subject] = q.object
        credits = [(s, ends["predicate"][c], ends["object"][c]) for c, s in ends["subject"].items()
                   if c in ends["predicate"] and c in ends["object"]]
        names = {predicate: [(q.subject, q.object) for q in self._store.quads_for_pattern(None, predicate, None, None)
                             if isinstance(q.subject, ox.NamedNode) and isinstance(q.object, ox.Literal)
                             and not _is_inference_graph(q.graph_name) and q.graph_name not in KEPT_GRAPHS]
                 for predicate in (LABEL, ALT_LABEL)}
        keys = name_key_triples((e, name.value) for found in names.values() for e, name in found)
        self.rewrite_kept_graph(SUMMARY_GRAPH, summary_triples(credits) + keys + label_triples(names[LABEL]),
                                "summary:removed")

    def _drop_kept_graphs(self) -> None:
        """The graphs kept for speed describe the documents as they were at the last
        derivation: once a document is written they are stale until the next one rewrites
        them (a build stopped half-way would leave pages, views and labels of the old
        store). So the first document written removes them, and readers fall back on the
        documents themselves until then."""
        if not self._kept_may_be_stale:
            return
        try:
            for graph in KEPT_GRAPHS:
                if self._store.contains_named_graph(graph):
                    self._store.remove_graph(graph)
        except OSError as exc:
            raise StoreError(f"{self.location}: cannot remove graph {graph.value} ({exc})") from exc
        self._kept_may_be_stale = False

    def rewrite_kept_graph(self, graph: ox.NamedNode, triples: Iterable[ox.Triple], fault: str) -> None:
        """Replace a graph that the store keeps for speed (the summary, a listing's rows):
        the old one removed, then the new one written in one transaction, nothing done
        when they are the same. A process killed in between leaves no such graph, and its
        readers then fall back on reading the store itself; a graph half written is never
        seen. ``fault`` names the point in between for the kill tests."""
        self._kept_may_be_stale = True  # a document written from now on makes it stale
        wanted = {ox.Triple(t.subject, t.predicate, t.object) for t in triples}
        current = {ox.Triple(q.subject, q.predicate, q.object)
                   for q in self._store.quads_for_pattern(None, None, None, graph)}
        if wanted == current:
            return
        try:
            if current:
                self._store.remove_graph(graph)
            fault_point(fault)
            self._store.extend([ox.Quad(t.subject, t.predicate, t.object, graph) for t in wanted])
        except OSError as exc:
            raise StoreError(f"{self.location}: cannot write graph {graph.value} ({exc})") from exc

    def _rule_facts(self, named: set[ox.NamedNode]) -> Iterator[ox.Triple]:
        """The triples of every graph but the inferred and scratch ones whose predicate is
        named by a rule (of rdf:type, whose class is)."""
        for predicate in sorted(named | {TYPE}, key=str):
            for obj in (sorted(named, key=str) if predicate == TYPE else [None]):
                for q in self._store.quads_for_pattern(None, predicate, obj, None):
                    if not _is_inference_graph(q.graph_name):
                        yield ox.Triple(q.subject, q.predicate, q.object)

    def remove_scratch_graphs(self) -> list[ox.NamedNode]:
        """Remove the ``graph/inferring/...`` graphs that an inference killed before this
        version left behind; the ones removed."""
        leftovers = [g for g in self._store.named_graphs()
                     if isinstance(g, ox.NamedNode) and g.value.startswith(SCRATCH_PREFIX)]
        for graph in leftovers:
            self._store.remove_graph(graph)
        return leftovers

    # -- queries -----------------------------------------------------------------------

    def run_query(self, sparql: str, params: dict[str, ox.NamedNode | ox.Literal] | None = None, *,
                  dataset: Dataset | None = None, base_iri: str = ID
                  ) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
        """SPARQL as Oxigraph's lazy result (solutions are read as they are iterated, so a
        caller can stop early).

        The graphs read are the ``dataset``'s if one is given (the protocol's
        default-graph-uri and named-graph-uri), else the query's own FROM / FROM NAMED,
        else the union of all graphs as the default graph (see dataset.py). Relative IRIs
        are resolved against ``base_iri``: by default animekg's entity namespace, so
        ``<agent/some-name>`` names an agent.

        The text is checked first (graph/guard.py): one too large or too deeply nested for
        Oxigraph to parse safely, or one that uses SERVICE, is a QueryError."""
        check_query(sparql)
        substitutions = {ox.Variable(k): v for k, v in (params or {}).items()}
        if dataset:
            graphs = {"default_graph": list(dataset.default), "named_graphs": list(dataset.named)}
        else:
            graphs = {"use_default_graph_as_union": not states_dataset(sparql)}
        try:
            return self._store.query(sparql, substitutions=substitutions, base_iri=base_iri, **graphs)
        except SyntaxError as exc:
            raise QueryError(f"malformed SPARQL query: {' '.join(str(exc).split())}") from exc
        except RuntimeError as exc:
            raise QueryError(f"cannot bind the query's parameters ({exc}); a parameter must be a "
                             "variable the query SELECTs") from exc

    def run_update(self, sparql: str, *, allow_load: bool = False, dataset: Dataset | None = None,
                   base_iri: str = ID) -> None:
        """A SPARQL 1.1 Update, applied in one transaction. SERVICE is refused (QueryError),
        as in queries; so is LOAD unless ``allow_load``: it reads any file this process can
        and fetches any URL, which a caller passing on someone else's update cannot want.
        A ``dataset`` (the protocol's using-graph-uri and using-named-graph-uri) is what
        each INSERT/DELETE ... WHERE reads; relative IRIs resolve against ``base_iri``."""
        check_update(sparql, allow_load=allow_load)
        if dataset:
            sparql = with_using(sparql, dataset)
        # What the store keeps for speed was computed from the graph before the update: it
        # goes in the same transaction, and views and listings read the store itself until
        # the next build, load or infer keeps it again.
        sparql = with_first_operations(sparql, [f"DROP SILENT GRAPH {g}" for g in KEPT_GRAPHS])
        try:
            self._store.update(sparql, base_iri=base_iri)
        except SyntaxError as exc:
            raise QueryError(f"malformed SPARQL update: {' '.join(str(exc).split())}") from exc
        except RuntimeError as exc:
            # What the update asked cannot be done (DROP GRAPH of a graph that does not
            # exist, CREATE GRAPH of one that does): nothing was applied.
            raise QueryError(f"the update was not applied: {' '.join(str(exc).split())} "
                             "(add SILENT to ignore that)") from exc
        except OSError as exc:
            raise StoreError(f"{self.location}: cannot apply the update ({exc})") from exc

    def query(self, sparql: str, params: dict[str, ox.NamedNode | ox.Literal] | None = None, *,
              dataset: Dataset | None = None) -> QueryResult:
        """Run SPARQL (over the graphs :meth:`run_query` says), parameters bound as RDF
        terms; the whole result in memory."""
        result = self.run_query(sparql, params, dataset=dataset)
        if isinstance(result, ox.QueryBoolean):
            return QueryResult("ask", boolean=bool(result))
        if isinstance(result, ox.QuerySolutions):
            variables = [v.value for v in result.variables]
            rows = [{v: solution[v] for v in variables} for solution in result]
            return QueryResult("select", variables=variables, rows=rows)
        return QueryResult("construct", triples=list(result))

    # -- export and figures ------------------------------------------------------------

    def dump(self, fmt: ox.RdfFormat) -> bytes:
        """The store's graphs in ``fmt`` (a format without graphs: their union), less the
        graphs it keeps for speed (KEPT_GRAPHS): they say nothing the rest does not, and
        a store that loads the export writes its own."""
        if fmt.supports_datasets:
            return ox.serialize(self._data_quads(), format=fmt)
        return self._union_dump(fmt)

    def _data_quads(self) -> Iterator[ox.Quad]:
        return (q for q in self._store.quads_for_pattern(None, None, None, None) if q.graph_name not in KEPT_GRAPHS)

    def _union_dump(self, fmt: ox.RdfFormat) -> bytes:
        triples = {ox.Triple(q.subject, q.predicate, q.object) for q in self._data_quads()}
        return ox.serialize(sorted(triples, key=str), format=fmt,
                            prefixes={"amk": AMK, "id": ID, "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
                                      "skos": "http://www.w3.org/2004/02/skos/core#",
                                      "prov": "http://www.w3.org/ns/prov#"})

    def quads(self) -> list[ox.Quad]:
        """Every quad of the store's data: not the graphs it keeps for speed, as dump."""
        return list(self._data_quads())

    def stats(self) -> dict:
        entity_types = Counter()
        for row in self.query(_STATS_TYPES).rows:
            entity_types[row["type"].value[len(AMK):]] = int(row["n"].value)
        credits = Counter()
        for row in self.query(_STATS_CREDITS).rows:
            credits[row["p"].value[len(AMK):]] = int(row["n"].value)
        return {"documents": len(self.document_graphs()),
                "entities": dict(sorted(entity_types.items())),
                "credits": dict(sorted(credits.items())),
                "triples": len(self._store) - self._kept_size()}

    def _kept_size(self) -> int:
        """Triples of the graphs kept for speed: not counted as the store's data."""
        values = " ".join(str(g) for g in KEPT_GRAPHS)
        rows = self.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ VALUES ?g {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} }}").rows
        return int(rows[0]["n"].value) if rows else 0

    def flush(self) -> None:
        if self.path is not None:
            self._store.flush()

    def optimize(self) -> None:
        """Compact a store on disk after a batch of writes (RocksDB's compaction, which a
        read-only store never runs): a store of ten million triples just loaded and derived
        went from 70 files and 3.7 GB to 57 and 3.1 GB in 11 s, and a lookup then searches
        fewer files."""
        if self.path is not None and not self.read_only:
            self._store.optimize()


def with_first_operations(update: str, operations: list[str]) -> str:
    """The update with ``operations`` run before its own, after its PREFIX and BASE
    declarations. (The grammar lets each operation open with its own, but Oxigraph 0.5
    reads a prologue only at the start of the text.)

    >>> with_first_operations("PREFIX a: <urn:a#> INSERT DATA { a:x a:y a:z }", ["CLEAR SILENT DEFAULT"])
    'PREFIX a: <urn:a#> CLEAR SILENT DEFAULT ;\\n INSERT DATA { a:x a:y a:z }'
    """
    at, expect = 0, []
    for m, _ in tokens(update):
        word = m.group().upper()
        if expect:
            if m.lastgroup not in expect:
                break  # malformed: Oxigraph says where
            expect = expect[1:]
            at = m.end() if not expect else at
        elif m.lastgroup == "word" and word in ("PREFIX", "BASE"):
            expect = ["word", "iri"] if word == "PREFIX" else ["iri"]
        else:
            break
    return update[:at] + (" " if at else "") + "".join(f"{op} ;\n" for op in operations) + update[at:]


def _store_files(folder: Path) -> frozenset[tuple[str, int, int]]:
    """Name, size and modification time of each data file of an Oxigraph (RocksDB) store
    folder; not its diagnostic LOG files, which say nothing of the data."""
    found = set()
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_file() and not entry.name.startswith("LOG"):
                    stat = entry.stat()
                    found.add((entry.name, stat.st_size, stat.st_mtime_ns))
    except FileNotFoundError:
        pass  # the open that follows says what is wrong
    return frozenset(found)


def _is_inference_graph(graph: ox.NamedNode | ox.BlankNode | ox.DefaultGraph) -> bool:
    return graph == INFERRED_GRAPH or (isinstance(graph, ox.NamedNode) and graph.value.startswith(SCRATCH_PREFIX))


def document_graph(quads: list[ox.Quad], source: str = "quads") -> ox.NamedNode:
    """The one document graph that holds all the quads, or InputError."""
    graphs = {q.graph_name for q in quads}
    graph = next(iter(graphs)) if len(graphs) == 1 else None
    if not isinstance(graph, ox.NamedNode) or not graph.value.startswith(ID + "doc/"):
        raise InputError(f"{source}: not one document's graph ({len(graphs)} graphs, expected one "
                         f"<{ID}doc/...>); load the files that `animekg extract --format nquads` "
                         "writes, one per document")
    return graph


_STATS_TYPES = """
PREFIX amk: <%s>
SELECT ?type (COUNT(DISTINCT ?e) AS ?n) WHERE {
  VALUES ?type { amk:Composer amk:Lyricist amk:Arranger amk:Performer amk:Orchestra
                 amk:Show amk:Song amk:Album amk:Label }
  ?e a ?type
} GROUP BY ?type
""" % AMK

_STATS_CREDITS = """
PREFIX amk: <%s>
SELECT ?p (COUNT(*) AS ?n) WHERE {
  { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o . FILTER(STRSTARTS(STR(?p), STR(amk:))) } }
  FILTER(?p NOT IN (amk:sha256, amk:confidence, amk:sentence, amk:startOffset, amk:endOffset,
                    amk:evidence, amk:extractorVersion, amk:listedAs, amk:creditCount, amk:connectedRank,
                    amk:rowCount, amk:resultRow, amk:nameKey, amk:summaryLabel,
                    amk:connectedEntities))
} GROUP BY ?p
""" % AMK

__all__ = ["GraphStore", "QueryResult", "default_store_path", "document_graph"]
