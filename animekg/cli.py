"""The animekg command line: a thin layer over :mod:`animekg.api`."""

from __future__ import annotations

import csv
import io
import json
import sys
import time
import warnings
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table
from rich.text import Text

from animekg import __version__, api
from animekg.controls import escape_controls, escape_controls_in_serialized
from animekg.errors import AnimekgError, InputWarning, QueryError
from animekg.extract.evaluate import format_reliability
from animekg.graph.store import DEFAULT_STORE, QueryResult

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="animekg: a knowledge graph of anime music credits, read out of free text.")
out = Console()
err = Console(stderr=True)

StoreOption = Annotated[str, typer.Option("--store", envvar="ANIMEKG_STORE",
                                          help="Graph store folder, :memory:, or the URL of a SPARQL 1.1 server.")]
JobsOption = Annotated[int, typer.Option("--jobs", "-j", help="Extracting processes (0: one per core).")]
ModelOption = Annotated[Optional[str], typer.Option(
    "--model", help="A model folder of `animekg train` (default: the shipped one), 'stock' (the stock "
                    "en_core_web_sm and the rules alone), or another spaCy pipeline's name.")]


def _fail(message: str) -> None:
    # A file or entity name in the message may hold control characters (animekg.controls).
    err.print(f"animekg: error: {escape_controls(message)}", markup=False, highlight=False, soft_wrap=True)
    raise typer.Exit(1)


def _guarded(func):
    """Every known failure becomes one line on stderr and exit status 1."""
    import functools

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        with warnings.catch_warnings():  # puts showwarning back on the way out
            warnings.showwarning = _one_line_warnings(warnings.showwarning)
            try:
                return func(*args, **kwargs)
            except AnimekgError as exc:
                _fail(str(exc))
    return wrapper


def _one_line_warnings(show):
    """``show`` (warnings.showwarning), but an InputWarning is one line, like an error."""
    def show_warning(message, category, *args, **kwargs) -> None:
        if issubclass(category, InputWarning):
            err.print(f"animekg: warning: {escape_controls(str(message))}", markup=False, highlight=False, soft_wrap=True)
        else:
            show(message, category, *args, **kwargs)
    return show_warning


def _progress(total: int, what: str):
    progress = Progress(TextColumn(f"{what} {{task.description}}"), BarColumn(), MofNCompleteColumn(),
                        console=err, transient=True, disable=not err.is_terminal)
    task = progress.add_task("", total=total)
    return progress, lambda doc: progress.update(task, advance=1, description=escape_controls(doc.doc_id))


@app.command()
@_guarded
def build(paths: Annotated[list[Path], typer.Argument(help="Files or folders of .txt, .md, .html.")],
          store: StoreOption = DEFAULT_STORE, jobs: JobsOption = 1, model: ModelOption = None) -> None:
    """Extract credits from texts into the graph store, then print a summary.

    Stopped (Ctrl-C, a kill), it keeps every document written so far; run again, it
    skips them and goes on with the rest."""
    graph = api.open_store(store)
    bar = _BuildBar()
    try:
        with bar.progress:
            report = api.build(paths, graph, model=model, progress=bar.show, jobs=jobs)
    except KeyboardInterrupt:
        done = (f"{bar.state.written} of {bar.state.to_extract} documents to extract were written and are kept"
                if bar.state else "no document was written yet")
        err.print(f"animekg: stopped: {done}; run the same command again to go on with the rest",
                  markup=False, highlight=False, soft_wrap=True)
        raise typer.Exit(130) from None
    _print_report(report)


class _BuildBar:
    """A build's progress on a terminal: documents written of those to extract, words
    read per second, time left (from the documents' pace so far)."""

    def __init__(self):
        self.progress = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                                 TextColumn("documents, {task.fields[rate]} words/s,"), TimeRemainingColumn(),
                                 TextColumn("left {task.fields[unchanged]}"),
                                 console=err, transient=True, disable=not err.is_terminal)
        self.state: api.BuildProgress | None = None
        self.task = None
        self.started = 0.0

    def show(self, state: api.BuildProgress) -> None:
        self.state = state
        if self.task is None:
            self.started = time.monotonic()
            unchanged = f"({state.unchanged:,} unchanged: skipped)" if state.unchanged else ""
            self.task = self.progress.add_task("extracting", total=state.to_extract, rate="0", unchanged=unchanged)
        rate = state.words / max(time.monotonic() - self.started, 1e-3)
        self.progress.update(self.task, completed=state.written, rate=f"{rate:,.0f}",
                             description="deriving the rules' facts" if state.deriving else "extracting")


def _print_report(report: api.BuildReport) -> None:
    out.print(f"documents: {report.stats['documents']} in the store "
              f"({report.added} added, {report.unchanged} unchanged)")
    _print_counts("entities by type", report.stats["entities"])
    _print_counts("credits by relation", report.stats["credits"])
    out.print(f"triples: {report.stats['triples']} ({report.inferred} inferred)")


def _print_counts(title: str, counts: dict) -> None:
    out.print(f"{title}:")
    for key, n in counts.items():
        out.print(f"  {key:20} {n:6d}")


@app.command()
@_guarded
def extract(paths: Annotated[list[Path], typer.Argument(help="Files or folders of .txt, .md, .html.")],
            out_dir: Annotated[Path, typer.Option("--out", help="Folder for one file per document.")],
            fmt: Annotated[str, typer.Option("--format", help="json (annotation format + evidence) or "
                                             "nquads (the document's named graph, for `animekg load`).")] = "json",
            jobs: JobsOption = 1, model: ModelOption = None) -> None:
    """Extract credits to one file per document, without a store."""
    documents = api.read_documents(paths)
    progress, advance = _progress(len(documents), "extracting")
    with progress:
        written = api.extract_to_folder(paths, out_dir, model=model, progress=advance, fmt=fmt, jobs=jobs)
    out.print(f"wrote {len(written)} files to {out_dir}")


@app.command()
@_guarded
def load(paths: Annotated[list[Path], typer.Argument(help=".nq files or folders of them, from `extract --format nquads`.")],
         store: StoreOption = DEFAULT_STORE) -> None:
    """Bulk-load extracted document graphs into the store, then print a summary."""
    report = api.load(paths, api.open_store(store))
    _print_report(report)


@app.command()
@_guarded
def infer(store: StoreOption = DEFAULT_STORE) -> None:
    """Derive the ontology's rules into the inferred graph (after an outside bulk load)."""
    out.print(f"inferred: {api.infer(api.open_store(store))} triples")


@app.command("eval")
@_guarded
def evaluate(gold: Annotated[Path, typer.Argument(help="Gold ID.json files, or a corpus folder with gold/ and docs/.")],
             docs: Annotated[Optional[Path], typer.Option("--docs", help="The documents (default: GOLD/docs).")] = None,
             out_dir: Annotated[Optional[Path], typer.Option("--out", help="Keep the predictions in this folder.")] = None,
             per_doc: Annotated[bool, typer.Option("--per-doc", help="Relation F1 per document.")] = False,
             show_errors: Annotated[bool, typer.Option("--show-errors", help="Missed and extra items.")] = False,
             as_json: Annotated[bool, typer.Option("--json", help="Print every figure as JSON.")] = False,
             show_reliability: Annotated[bool, typer.Option(
                 "--reliability", help="Also the credits by confidence bucket and the share of each that is right.")] = False,
             model: ModelOption = None) -> None:
    """Extract a gold corpus and print precision, recall and F1 by the annotation spec."""
    result = api.evaluate(gold, docs, model=model, out_dir=out_dir)
    if as_json:
        print(json.dumps({"scores": result.scores, "macro_relations_f1": result.macro_relations_f1,
                          "per_doc": result.per_doc,
                          "reliability": [vars(r) for r in result.reliability]}, indent=2))
    else:
        print(api.format_report(result, per_doc=per_doc, show_errors=show_errors))
        if show_reliability:
            print()
            print(format_reliability(result.reliability))


@app.command()
@_guarded
def train(corpus: Annotated[Path, typer.Argument(help="An annotated corpus: docs/ID.txt and gold/ID.json.")],
          out_dir: Annotated[Path, typer.Option("--out", help="Folder for the trained model.")],
          epochs: Annotated[Optional[int], typer.Option("--epochs", help="Passes over the corpus (recognizer).")] = None,
          seed: Annotated[Optional[int], typer.Option("--seed", help="Random seed (default: the fixed one).")] = None,
          base: Annotated[Optional[str], typer.Option(
              "--base", help="The spaCy pipeline to start from (default: en_core_web_sm).")] = None,
          no_rules: Annotated[bool, typer.Option(
              "--no-rules", help="Leave the reading rules out: the learned parts alone.")] = False,
          swapped_copies: Annotated[int, typer.Option(
              "--swapped-copies", help="Copies of each text with names swapped, for the recognizer.")] = 0,
          cross_validate: Annotated[Optional[int], typer.Option(
              "--cross-validate", help="Instead: N-fold cross-validation by document into OUT.")] = None,
          fold: Annotated[Optional[int], typer.Option(
              "--fold", help="With --cross-validate: run this fold only (1..N), e.g. in parallel.")] = None) -> None:
    """Train the entity recognizer and the credit scorer; load them with --model OUT."""
    log = lambda line: err.print(line, markup=False, highlight=False)  # noqa: E731
    if cross_validate is not None:
        figures = api.cross_validate(corpus, out_dir, folds=cross_validate, only=fold, progress=log)
        if "pooled" in figures:
            out.print(json.dumps({k.removeprefix("strict/"): v for k, v in figures["pooled"].items()
                                  if k.count("/") == 1}, indent=1), soft_wrap=True)
        else:
            out.print(f"{figures['folds_done']} of {figures['folds']} folds done in {out_dir}", soft_wrap=True)
        return
    figures = api.train(corpus, out_dir, epochs=epochs, seed=seed, base_model=base, use_rules=not no_rules,
                        swapped_copies=swapped_copies, progress=log)
    recognizer = figures.get("recognizer", {})
    out.print(f"trained on {figures['documents']} documents into {out_dir} "
              f"({recognizer.get('gold_entities_unplaced', 0)} of "
              f"{recognizer.get('gold_entities_placed', 0) + recognizer.get('gold_entities_unplaced', 0)} "
              "gold entities could not be placed in their text)", soft_wrap=True)


@app.command()
@_guarded
def query(sparql: Annotated[Optional[str], typer.Argument(help="SPARQL text, or a path to a .rq file.")] = None,
          name: Annotated[Optional[str], typer.Option("--name", help="A named query (see --list).")] = None,
          param: Annotated[Optional[list[str]], typer.Option("--param", help="key=value, bound as an RDF term.")] = None,
          fmt: Annotated[str, typer.Option("--format", help="table, csv or json.")] = "table",
          list_queries: Annotated[bool, typer.Option("--list", help="List the named queries.")] = False,
          limit: Annotated[int, typer.Option("--limit", help="Rows of a named query's page.")] = api.PAGE,
          offset: Annotated[int, typer.Option("--offset", help="Rows of a named query to skip.")] = 0,
          every_row: Annotated[bool, typer.Option("--all", help="Every row of a named query (for exports).")] = False,
          store: StoreOption = DEFAULT_STORE) -> None:
    """Run a SPARQL query over all graphs of the store; a named query answers a page."""
    if list_queries:
        from animekg.graph.queries import named_queries
        for q in named_queries().values():
            params = " ".join(f"--param {p}=..." for p in q.params)
            out.print(f"{q.name} {params}\n    {q.description}", markup=False, highlight=False)
        return
    if fmt not in ("table", "csv", "json"):
        raise QueryError(f"unknown output format {fmt!r}; choose table, csv or json")
    params = {}
    for item in param or []:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise QueryError(f"--param {item!r}: write it as key=value")
        # A parameter given twice is a list (a list parameter's values, or an error).
        params[key] = [*params[key], value] if isinstance(params.get(key), list) else \
            [params[key], value] if key in params else value
    if sparql is not None and sparql.strip().endswith(".rq"):
        path = Path(sparql)
        if not path.is_file():
            raise QueryError(f"{path}: no such query file")
        try:
            sparql = path.read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            raise QueryError(f"{path}: not UTF-8 text (byte {exc.start}); save the query as UTF-8") from exc
        except OSError as exc:
            raise QueryError(f"{path}: cannot read query file ({exc.strerror or exc})") from exc
    paging = _paging(name, limit, offset, every_row)
    result = api.run_query(api.open_store(store, read_only=True), sparql, name=name, params=params, **paging)
    _print_result(result, fmt)
    if paging.get("limit") is not None and len(result.rows) == paging["limit"] > 0:
        err.print(f"rows {offset + 1} to {offset + limit}: --offset {offset + limit} for the next page, "
                  "--all for every row", markup=False, highlight=False)


def _paging(name: str | None, limit: int, offset: int, every_row: bool) -> dict:
    """The page a named query is asked for; SPARQL text says its own LIMIT and OFFSET."""
    asked = [flag for flag, given in (("--limit", limit != api.PAGE), ("--offset", offset), ("--all", every_row))
             if given]
    if name is None:
        if asked:
            raise QueryError(f"{asked[0]} pages a named query (--name); in SPARQL text write LIMIT and OFFSET")
        return {}
    if every_row and (limit != api.PAGE or offset):
        raise QueryError("--all is every row: leave out --limit and --offset")
    return {"limit": None if every_row else limit, "offset": offset}


def _print_result(result: QueryResult, fmt: str) -> None:
    if result.kind == "ask":
        print(json.dumps({"boolean": result.boolean}) if fmt == "json" else str(result.boolean).lower())
        return
    if result.kind == "construct":
        for t in result.triples:
            print(escape_controls_in_serialized(f"{t.subject} {t.predicate} {t.object} ."))
        return
    records = result.records()
    # Control characters in names: json and N-Triples keep them as \u escapes, the same
    # data; the table shows them as visible \x1b; csv, for programs, keeps them as they are.
    if fmt == "json":
        print(escape_controls_in_serialized(json.dumps(records, indent=2, ensure_ascii=False)))
    elif fmt == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=result.variables, lineterminator="\n")
        writer.writeheader()
        writer.writerows(records)
        sys.stdout.write(buffer.getvalue())
    else:
        table = Table(*result.variables, show_lines=False)
        for row in records:
            # Text, not str: a name like "[/]" or "[red]" is not rich markup.
            table.add_row(*(Text("" if row[v] is None else escape_controls(str(row[v])))
                            for v in result.variables))
        out.print(table)
        out.print(f"{len(records)} rows")


@app.command()
@_guarded
def export(fmt: Annotated[str, typer.Option("--format", help="turtle, nquads, trig, ntriples or jsonld.")] = "turtle",
           output: Annotated[Optional[Path], typer.Option("-o", "--output", help="File to write (default: stdout).")] = None,
           store: StoreOption = DEFAULT_STORE) -> None:
    """Write the whole graph in an RDF format."""
    data = api.export(api.open_store(store, read_only=True), fmt)
    if output is None:
        sys.stdout.buffer.write(data)
    else:
        output.write_bytes(data)
        err.print(f"wrote {len(data)} bytes to {output}")


@app.command()
@_guarded
def stats(store: StoreOption = DEFAULT_STORE,
          as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """Count documents, entities by type and credits by relation."""
    figures = api.stats(api.open_store(store, read_only=True))
    if as_json:
        print(json.dumps(figures, indent=2))
        return
    out.print(f"documents: {figures['documents']}")
    _print_counts("entities by type", figures["entities"])
    _print_counts("credits by relation", figures["credits"])
    out.print(f"triples: {figures['triples']}")


@app.command()
@_guarded
def validate(store: StoreOption = DEFAULT_STORE) -> None:
    """Check the graph against the SHACL shapes; exit 1 if it does not conform."""
    report = api.validate(api.open_store(store, read_only=True))
    if report.conforms:
        out.print(f"conforms: {report.triples} triples pass the SHACL shapes")
        return
    print(report.text)
    _fail("the graph does not conform to the SHACL shapes (report above)")


FocusOption = Annotated[Optional[str], typer.Option("--focus", help="Show only the neighbourhood of this name.")]
DepthOption = Annotated[int, typer.Option("--depth", help="How many steps from --focus.")]
TypesOption = Annotated[Optional[str], typer.Option("--types", help="Only nodes of these types, e.g. Composer,Show.")]
RelationsOption = Annotated[Optional[str], typer.Option(
    "--relations", help="Only these credits (and the nodes they link), e.g. composedMusicFor,performerOf.")]


def _names(csv_list: str | None) -> list[str] | None:
    return [name.strip() for name in csv_list.split(",") if name.strip()] if csv_list else None


@app.command()
@_guarded
def view(output: Annotated[Path, typer.Option("-o", "--output", help="HTML file to write.")] = Path("animekg-view.html"),
         focus: FocusOption = None, depth: DepthOption = 2, types: TypesOption = None,
         relations: RelationsOption = None, store: StoreOption = DEFAULT_STORE) -> None:
    """Write an interactive network page that opens offline."""
    path = api.write_view(api.open_store(store, read_only=True), output, focus=focus, depth=depth,
                          types=_names(types), relations=_names(relations))
    out.print(f"wrote {path}")


@app.command("export-network")
@_guarded
def export_network(output: Annotated[Path, typer.Option("-o", "--output", help="File to write.")],
                   fmt: Annotated[Optional[str], typer.Option(
                       "--format", help="graphml, gexf, json, csv, svg or png (default: the file's suffix).")] = None,
                   focus: FocusOption = None, depth: DepthOption = 2, types: TypesOption = None,
                   relations: RelationsOption = None, store: StoreOption = DEFAULT_STORE) -> None:
    """Write the credit network for other tools: Gephi, Cytoscape, spreadsheets, papers."""
    path = api.export_network(api.open_store(store, read_only=True), output, fmt, focus=focus, depth=depth,
                              types=_names(types), relations=_names(relations))
    out.print(f"wrote {path}")


@app.command()
@_guarded
def serve(store: StoreOption = DEFAULT_STORE,
          host: Annotated[str, typer.Option(
              "--host", help="Address to listen on; 0.0.0.0 opens it to the network.")] = "127.0.0.1",
          port: Annotated[int, typer.Option("--port", help="TCP port (0: any free port).")] = 8000,
          allow_update: Annotated[bool, typer.Option(
              "--allow-update", help="Accept SPARQL Update from clients that send the token.")] = False,
          update_token: Annotated[Optional[str], typer.Option(
              "--update-token", envvar="ANIMEKG_UPDATE_TOKEN", show_envvar=True,
              help="The bearer token updates must carry (safer in the environment than on the command line).")] = None,
          timeout: Annotated[float, typer.Option(
              "--timeout", help="Seconds a query may run before it is stopped (503).")] = 30.0,
          max_results: Annotated[int, typer.Option(
              "--max-results", help="Rows or triples a query returns at most.")] = 10_000,
          workers: Annotated[Optional[int], typer.Option(
              "--workers", help="Query processes (default: 2; 1 with --allow-update).")] = None,
          max_memory: Annotated[int, typer.Option(
              "--max-memory", help="MiB of address space per query process; a query past it is stopped (503).")] = 1024,
          allow_load: Annotated[bool, typer.Option(
              "--allow-load", help="Let token holders' updates use LOAD (reads files and URLs as this server).")] = False,
          public_host: Annotated[Optional[list[str]], typer.Option(
              "--public-host", help="A host name clients use beyond loopback and --host (repeatable).")] = None,
          cors: Annotated[Optional[list[str]], typer.Option(
              "--cors", help="A web origin whose pages may read the answers, e.g. https://yasgui.example.org, "
                             "or '*' for any on a read-only server (repeatable; default none).")] = None) -> None:
    """Serve the graph over the SPARQL 1.1 Protocol at /sparql, with a query page at /."""
    import logging

    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)  # the access log

    def ready(url: str) -> None:
        mode = "updates with the token" if allow_update else "read-only"
        # Flushed at once: scripts that start the server wait for this line.
        print(f"serving {url}/sparql ({mode}), query page {url}/ (Ctrl+C stops)", flush=True)

    api.serve(store, host, port, allow_update=allow_update, update_token=update_token, timeout=timeout,
              max_results=max_results, workers=workers, allow_load=allow_load, max_memory=max_memory * 2**20,
              public_hosts=public_host or (), cors_origins=cors or (), ready=ready)


@app.command()
def version() -> None:
    """Print the version."""
    print(__version__)


if __name__ == "__main__":
    app()
