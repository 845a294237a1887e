"""Latency of every named query, embedded Oxigraph against rdflib, at growing graph sizes.

    .venv/bin/python bench/bench_query.py [--triples 100000 1000000] [--reps 20] [--out DIR]

The bulk load and ``animekg infer`` (the inferred, summary and listings graphs) each run
in a process of their own: their time, the load's triples per second, each one's peak
memory and the store's size on disk are reported with the query times. So is the peak
memory of the query process: after the queries with a parameter and the listings' pages
(what should not grow with the store), and after everything; the parameters' values are
picked by whole-store aggregates in a process of their own, which is not counted.

For each size, a synthetic graph made by the project's own code (synthetic_graph.py,
cached as N-Quads) is loaded twice: into an on-disk Oxigraph store, opened read-only
and queried through ``api.run_query`` as ``animekg query --name`` does, and into
rdflib's in-memory ``Dataset`` (default graph = union of all graphs, as animekg
queries), queried with the same SPARQL text and ``initBindings``. Both are loaded side
by side and each query is timed on one and then the other, so both see the same load
on the machine. The Oxigraph store is queried in a worker process: a run past the time
limit is stopped by ending the worker (Oxigraph does not hand control back to Python
mid-query); rdflib, pure Python, is stopped in-process.

Every query of ``graph.queries.named_queries()`` is run (or those ``--queries`` names), so
new named queries are measured without changing this file. Parameter values are taken from the graph by the
parameter's name (see ``PARAMETER_CLASSES``): the most credited entity of that kind,
the heaviest realistic case. A query with a parameter of another name is reported as
skipped, with the reason.

Every query gets a number of runs, a time budget after which no run starts, and a
time limit for one run. rdflib is slow at a million triples (seconds per aggregate
query), so it gets fewer runs and also a total budget per size. What was cut, stopped or
failed is reported. Goal: a median of at most 50 ms on the embedded store at 1M triples.
"""

from __future__ import annotations

import argparse
import re
import gc
import multiprocessing
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox

sys.path.insert(0, str(Path(__file__).resolve().parent))
from measure import Latency, Run, TimeLimit, in_process, repeat, rss_mb, vm_peak_mb  # noqa: E402
from report import markdown_table, write_result  # noqa: E402
from synthetic_graph import synthetic_graph  # noqa: E402

from animekg import api  # noqa: E402
from animekg.graph.queries import NamedQuery, named_queries, page_clause  # noqa: E402
from animekg.ontology import AMK  # noqa: E402

GOAL_MS = 50
PICKING_TIMEOUT_S = 120
GOAL_AT_TRIPLES = 1_000_000
AGENT = ("Person", "Group")
# A parameter named like a kind of thing gets the most credited entity of that kind.
PARAMETER_CLASSES = {
    "show": ("Show",), "song": ("Song",), "album": ("Album",), "label": ("Label",),
    "orchestra": ("Orchestra",), "composer": ("Composer",), "performer": ("Performer",),
    "lyricist": ("Lyricist",), "arranger": ("Arranger",), "person": ("Person",), "group": ("Group",),
    "name": AGENT, "agent": AGENT, "entity": AGENT,
}
# Parameters that name one fact: a credit of the most credited person or group.
VIEW_NODES = 1500
FACT_PARAMETERS = {"subject", "relation", "predicate", "object"}

# Entity descriptions repeat in every document graph that names the entity, and the
# union default graph repeats the matches: count over DISTINCT entities, then fetch one
# label, or a popular entity's matches multiply.
MOST_CREDITED = """
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
SELECT ?e (COUNT(DISTINCT ?c) AS ?credits) WHERE {
  { SELECT DISTINCT ?e WHERE { VALUES ?class { %s } ?e a ?class } }
  { ?c rdf:subject ?e } UNION { ?c rdf:object ?e }
} GROUP BY ?e ORDER BY DESC(?credits) STR(?e) LIMIT 1
"""
ONE_CREDIT = """
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
SELECT ?s ?p ?o WHERE { ?c rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o } ORDER BY ?p ?o LIMIT 1
"""
LABEL = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?e ?label WHERE { ?e rdfs:label ?label } ORDER BY ?label LIMIT 1
"""


class NoValue(Exception):
    """No rule says what value a parameter of this name takes."""


class ParameterValues:
    """Values for query parameters, picked from the graph by the parameter's name."""

    def __init__(self, store):
        self.store = store
        self._entities: dict[tuple[str, ...], tuple[str, str]] = {}
        self._fact: dict[str, tuple[str, str]] | None = None

    def _label(self, iri: str) -> str:
        return self.store.query(LABEL, {"e": ox.NamedNode(iri)}).rows[0]["label"].value

    def _most_credited(self, classes: tuple[str, ...]) -> tuple[str, str]:
        if classes not in self._entities:
            values = " ".join(f"<{AMK}{c}>" for c in classes)
            rows = self.store.query(MOST_CREDITED % values).rows
            if not rows:
                raise NoValue(f"the graph has no {' or '.join(classes)}")
            iri = rows[0]["e"].value
            self._entities[classes] = (iri, self._label(iri))
        return self._entities[classes]

    def _one_fact(self) -> dict[str, tuple[str, str]]:
        """subject, relation and object of one credit, each as (IRI, literal form)."""
        if self._fact is None:
            subject = self._most_credited(AGENT)
            row = self.store.query(ONE_CREDIT, {"s": ox.NamedNode(subject[0])}).rows[0]
            p, o = row["p"].value, row["o"].value
            self._fact = {"subject": subject, "relation": (p, p.rsplit("#", 1)[-1]),
                          "predicate": (p, p.rsplit("#", 1)[-1]), "object": (o, self._label(o))}
        return self._fact

    def value(self, name: str, kind: str) -> str:
        """An IRI for an ``iri`` parameter, else the entity's label (or the relation's name)."""
        key = name.lower().replace("-", "_")
        if key in PARAMETER_CLASSES:
            iri, label = self._most_credited(PARAMETER_CLASSES[key])
        elif key in FACT_PARAMETERS:
            iri, label = self._one_fact()[key]
        elif key in ("limit", "places"):
            return str(VIEW_NODES)  # the page animekg view draws
        elif key == "key":  # view-name-key: a name lower-cased, as a focused view looks it up
            return self._most_credited(AGENT)[1].lower()
        else:
            raise NoValue(f"no rule picks a value for a parameter named {name!r} "
                          f"(known: {', '.join([*PARAMETER_CLASSES, *sorted(FACT_PARAMETERS)])})")
        return iri if kind == "iri" else label


def rdflib_run(dataset, query: NamedQuery, params: dict[str, str]):
    """The query on rdflib, parameters bound as RDF terms like animekg binds them; its rows."""
    from rdflib import Literal, URIRef, Variable

    bindings = {Variable(k): URIRef(v) if query.params[k][0] == "iri" else
                Literal(int(v)) if query.params[k][0] == "integer" else Literal(v) for k, v in params.items()}
    text = standard_sparql(query.text) + page_clause(api.PAGE, 0)  # the page Oxigraph answers
    return lambda: len(list(dataset.query(text, initBindings=bindings)))


def standard_sparql(text: str) -> str:
    """The query without LATERAL, which rdflib does not parse. The named queries use it only
    to tell Oxigraph where to start (see "Writing a named query" in README.md): as a plain
    group the rows are the same, which the row counts of both stores check."""
    return re.sub(r"\bLATERAL\b", "", text)


def load_oxigraph(nquads: Path, folder: Path) -> float:
    """Bulk-load into a new on-disk store (then closed); the seconds it took."""
    start = time.perf_counter()
    loader = ox.Store(str(folder))
    loader.bulk_load(path=str(nquads), format=ox.RdfFormat.N_QUADS)
    loader.flush()
    del loader  # closes the store
    gc.collect()
    return time.perf_counter() - start


def _measured_step(conn, step: str, paths: list[str]) -> None:
    """In a fresh process: one step of making the store; its seconds and peak memory."""
    start = time.perf_counter()
    if step == "load":
        load_oxigraph(Path(paths[0]), Path(paths[1]))
    else:  # "infer"
        api.infer(api.open_store(paths[0]))
    conn.send({"seconds": time.perf_counter() - start, "peak_mb": vm_peak_mb()})


def in_fresh_process(step: str, *paths: Path) -> dict:
    """Run ``load`` (N-Quads file, store folder) or ``infer`` (store folder) in a process of
    its own, so that its peak memory is the step's alone: {"seconds", "peak_mb"}."""
    context = multiprocessing.get_context("spawn")
    ours, theirs = context.Pipe()
    process = context.Process(target=_measured_step, args=(theirs, step, [str(p) for p in paths]))
    process.start()
    theirs.close()
    try:
        reply = ours.recv()
    except EOFError:
        process.join()
        raise RuntimeError(f"the {step} process ended (exit code {process.exitcode})") from None
    process.join()
    return reply


def folder_mb(folder: Path) -> float:
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file()) / 1e6


def load_rdflib(nquads: Path):
    from rdflib import Dataset

    start = time.perf_counter()
    dataset = Dataset(default_union=True)
    dataset.parse(str(nquads), format="nquads")
    return dataset, time.perf_counter() - start


def _serve_store(conn, folder: str) -> None:
    """The worker's side: open the store read-only, as ``animekg query`` does, and answer."""
    store = api.open_store(folder, read_only=True)
    values = ParameterValues(store)
    while True:
        message = conn.recv()
        op = message["op"]
        try:
            if op == "stop":
                break
            if op == "values":
                try:
                    conn.send({"values": {p: values.value(p, kind) for p, kind in message["params"].items()}})
                except NoValue as exc:
                    conn.send({"skipped": str(exc)})
            elif op == "run":
                start = time.perf_counter()
                rows = len(api.run_query(store, name=message["name"], params=message["params"],
                                         limit=message["limit"]).rows)
                conn.send({"rows": rows, "seconds": time.perf_counter() - start})
        except Exception as exc:  # reported by the parent as this query's error
            conn.send({"error": f"{type(exc).__name__}: {exc}"})


class OxigraphWorker:
    """The embedded store in a process of its own.

    Oxigraph evaluates a query to its end before Python regains control, so a query that
    runs for minutes cannot be stopped in-process; in a worker it can: past the time
    limit the worker is killed and a new one opens the store again.
    """

    def __init__(self, folder: Path):
        self.folder = folder
        self._peaks: list[float] = []
        self._start()

    def _start(self) -> None:
        context = multiprocessing.get_context("spawn")
        self.conn, theirs = context.Pipe()
        self.process = context.Process(target=_serve_store, args=(theirs, str(self.folder)), daemon=True)
        self.process.start()
        theirs.close()

    def peak_mb(self) -> float:
        """The most resident memory any worker so far had (the kernel's VmHWM), a killed
        one included: what a query process needs."""
        return max([*self._peaks, vm_peak_mb(self.process.pid)])

    def _restart(self) -> None:
        self._peaks.append(vm_peak_mb(self.process.pid))
        self.process.kill()
        self.process.join()
        self.conn.close()
        self._start()

    def call(self, message: dict, timeout_s: float | None) -> dict:
        try:
            self.conn.send(message)
            if not self.conn.poll(timeout_s):
                self._restart()
                raise TimeLimit(f"stopped after {timeout_s:g} s")
            reply = self.conn.recv()
        except (EOFError, BrokenPipeError, ConnectionResetError) as exc:
            code = self.process.exitcode
            self._restart()
            raise RuntimeError(f"the query process ended (exit code {code})") from exc
        if "error" in reply:
            raise RuntimeError(reply["error"])
        return reply

    def run(self, name: str, params: dict[str, str], limit: int | None = api.PAGE) -> Run:
        def run(timeout_s: float | None) -> tuple[int, float]:
            reply = self.call({"op": "run", "name": name, "params": params, "limit": limit}, timeout_s)
            return reply["rows"], reply["seconds"]
        return run

    def close(self) -> None:
        if self.process.is_alive():
            self.conn.send({"op": "stop"})
            self.process.join(10)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.conn.close()


def bench_size(triples: int, args) -> dict:
    graph = synthetic_graph(triples, args.seed, args.cache_dir)
    print(f"\n{graph.triples:,} triples, {graph.documents:,} documents "
          f"({'cached' if graph.cached else f'generated in {graph.seconds:.1f} s'})", file=sys.stderr)
    result = {"triples_asked": triples, "triples": graph.triples, "documents": graph.documents,
              "graph_from_cache": graph.cached, "graph_generated_s": graph.seconds, "load_s": {},
              "memory_mb": {}, "queries": []}
    # What memory_mb means for each store (they are not held the same way).
    result["memory_note"] = ("rdflib: resident memory added by loading the graph; "
                             "oxigraph_load_peak / oxigraph_infer_peak: peak resident memory of the process "
                             "that bulk-loaded the file / ran animekg infer; query_process_peak_pages: peak "
                             "resident memory of the query process after the queries with a parameter and the "
                             "listings' pages, query_process_peak: after everything, a stopped query included")
    worker = dataset = None
    with tempfile.TemporaryDirectory(prefix="animekg-bench-", dir=args.work_dir) as tmp:
        try:
            # Each step in a process of its own, so that its peak memory is its own.
            loaded = in_fresh_process("load", graph.path, Path(tmp) / "store")
            result["load_s"]["oxigraph"] = round(loaded["seconds"], 2)
            result["load_triples_per_s"] = round(graph.triples / loaded["seconds"])
            result["memory_mb"]["oxigraph_load_peak"] = round(loaded["peak_mb"])
            # As the README says for a store filled by another loader: animekg infer, which
            # also keeps the summary and the listings' rows that pages read.
            inferred = in_fresh_process("infer", Path(tmp) / "store")
            result["infer_s"] = round(inferred["seconds"], 2)
            result["memory_mb"]["oxigraph_infer_peak"] = round(inferred["peak_mb"])
            result["disk_mb"] = round(folder_mb(Path(tmp) / "store"))
            if not args.no_rdflib:
                before = rss_mb()
                dataset, seconds = load_rdflib(graph.path)
                result["load_s"]["rdflib"] = round(seconds, 2)
                result["memory_mb"]["rdflib"] = round(rss_mb() - before)
            print(f"  loaded: {result['load_s']} ({result['load_triples_per_s']:,} triples/s), infer "
                  f"{result['infer_s']} s, {result['disk_mb']:,} MB on disk, memory {result['memory_mb']}",
                  file=sys.stderr)
            rdflib_spent = 0.0
            # Each named query as `animekg query --name` runs it (a page of 100 rows), and a
            # listing once more with every row, as an export asks for it.
            chosen = {name: query for name, query in named_queries().items()
                      if not args.queries or name in args.queries}
            # First what a person asks of a big store (a question about one thing, a page of a
            # listing), then the memory of the query process, then what reads the whole graph
            # (the view's queries for a store without a summary, the listings whole).
            asked = [(name, query, api.PAGE) for name, query in chosen.items() if query.params or query.listing]
            runs = asked + [(name, query, api.PAGE) for name, query in chosen.items()
                            if not (query.params or query.listing)]
            runs += [(name, query, None) for name, query in chosen.items() if query.listing and not args.no_all]
            # The values are picked by whole-store aggregates (the most credited entity),
            # in a process of their own: the query process's memory is the queries' alone.
            picker = OxigraphWorker(Path(tmp) / "store")
            try:
                picks = {name: pick_values(picker, query) for name, query in chosen.items()}
            finally:
                picker.close()
            worker = OxigraphWorker(Path(tmp) / "store")
            for at, (name, query, limit) in enumerate(runs):
                if at == len(asked):
                    result["memory_mb"]["query_process_peak_pages"] = round(worker.peak_mb())
                if limit is None:
                    row = {"query": f"{name} --all", "all_rows": True}
                    result["queries"].append(row)
                    row["params"] = {}
                    row["oxigraph"] = repeat(worker.run(name, {}, None), args.reps, args.budget, args.timeout).summary()
                    print(f"  {row['query']}: {_cell(row['oxigraph'])}", file=sys.stderr)
                    continue
                row = {"query": name}
                result["queries"].append(row)
                picked = picks[name]
                if "skipped" in picked:
                    row["skipped"] = picked["skipped"]
                    print(f"  {name}: skipped ({row['skipped']})", file=sys.stderr)
                    continue
                params = row["params"] = picked["values"]
                ours = repeat(worker.run(name, params), args.reps, args.budget, args.timeout)
                row["oxigraph"] = ours.summary()
                if dataset is not None:
                    if rdflib_spent >= args.rdflib_total_budget:
                        theirs = Latency(cut=f"not run: the {args.rdflib_total_budget:g} s of rdflib runs "
                                             "allowed for this size were spent")
                    else:
                        start = time.perf_counter()
                        theirs = repeat(in_process(rdflib_run(dataset, query, params)),
                                        args.rdflib_reps, args.rdflib_budget, args.rdflib_timeout)
                        rdflib_spent += time.perf_counter() - start
                    row["rdflib"] = theirs.summary()
                    if ours.rows is not None and theirs.rows is not None and ours.rows != theirs.rows:
                        row["rows_differ"] = f"oxigraph {ours.rows}, rdflib {theirs.rows}"
                if graph.triples >= GOAL_AT_TRIPLES:
                    median = row["oxigraph"]["median_ms"]
                    row["goal_met"] = median is not None and median <= GOAL_MS
                print(f"  {name}: {_cell(row['oxigraph'])}"
                      + (f" | rdflib {_cell(row['rdflib'])}" if "rdflib" in row else ""), file=sys.stderr)
            # The peak of every worker, a stopped query's too.
            result["memory_mb"]["query_process_peak"] = round(worker.peak_mb())
            if len(runs) == len(asked):  # only questions and pages were asked (--queries, --no-all)
                result["memory_mb"]["query_process_peak_pages"] = result["memory_mb"]["query_process_peak"]
        finally:
            if worker is not None:
                worker.close()
            dataset = None  # rdflib's graph is the biggest thing in memory: let it go now
            gc.collect()
    return result


def pick_values(picker: OxigraphWorker, query: NamedQuery) -> dict:
    """{"values": {parameter: value}} for the query, or {"skipped": why}."""
    try:
        return picker.call({"op": "values", "params": {p: k for p, (k, _) in query.params.items()}},
                           PICKING_TIMEOUT_S)
    except TimeLimit:
        return {"skipped": f"picking its parameter values took over {PICKING_TIMEOUT_S} s"}


def _cell(summary: dict) -> str:
    if summary.get("stopped_after_s"):
        return f"> {summary['stopped_after_s']:g} s (stopped)"
    if summary["median_ms"] is None:
        return summary["cut"] or "-"
    text = f"{summary['median_ms']:,.1f} / {summary['p95_ms']:,.1f} ms ({summary['runs']} runs, {summary['rows']} rows)"
    return text + (" [cut]" if summary["cut"] else "")


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--triples", type=int, nargs="+", default=[100_000, 1_000_000],
                    help="graph sizes (default 100000 1000000)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--reps", type=int, default=20, help="timed runs per query on Oxigraph (default 20)")
    ap.add_argument("--budget", type=float, default=15,
                    help="seconds of runs per query on Oxigraph; then no more runs start (default 15)")
    ap.add_argument("--timeout", type=float, default=20,
                    help="a single Oxigraph run is stopped after this many seconds (default 20)")
    ap.add_argument("--rdflib-reps", type=int, default=3, help="timed runs per query on rdflib (default 3)")
    ap.add_argument("--rdflib-budget", type=float, default=20,
                    help="seconds of runs per query on rdflib; then no more runs start (default 20)")
    ap.add_argument("--rdflib-timeout", type=float, default=30,
                    help="a single rdflib run is stopped after this many seconds (default 30)")
    ap.add_argument("--rdflib-total-budget", type=float, default=180,
                    help="seconds of rdflib runs per size; later queries are not run on rdflib (default 180)")
    ap.add_argument("--no-rdflib", action="store_true", help="time the embedded store only")
    ap.add_argument("--queries", nargs="+", metavar="NAME", help="time only these named queries (default: all)")
    ap.add_argument("--no-all", action="store_true", help="do not time the whole listings (--all), only their pages")
    ap.add_argument("--cache-dir", help="where generated graphs are kept (default bench/.cache)")
    ap.add_argument("--work-dir", help="where the on-disk store is made (default: the system's temp folder)")
    ap.add_argument("--out", help="write query.json to this folder")
    args = ap.parse_args(argv)
    started = time.perf_counter()
    result = {"benchmark": "query",
              "settings": {k: getattr(args, k) for k in ("seed", "reps", "budget", "timeout", "rdflib_reps", "rdflib_budget",
                                                          "rdflib_timeout", "rdflib_total_budget", "no_rdflib",
                                                          "queries", "no_all")},
              "goal": f"median <= {GOAL_MS} ms on the embedded store at {GOAL_AT_TRIPLES:,} triples",
              "sizes": [bench_size(n, args) for n in args.triples]}
    result["seconds"] = round(time.perf_counter() - started, 1)
    print(markdown_table({"query": result}))
    if args.out:
        write_result(args.out, result)
    return result


if __name__ == "__main__":
    main()
