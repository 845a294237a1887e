"""What a worker process does with one request: run it against its store and answer.

Jobs and replies cross a process boundary, so they are plain picklable dataclasses, and
``execute`` turns every failure a client can cause into a reply instead of an exception:
a worker must outlive any one job.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from itertools import islice

import pyoxigraph as ox

from animekg.errors import QueryError, StoreError
from animekg.graph.dataset import Dataset
from animekg.graph.store import GraphStore
from animekg.ontology import ID

from .formats import (GRAPH_FORMATS, SOLUTION_FORMATS, TEXT, NotAcceptable, ResultTooLarge, choose, write_solutions,
                      write_triples)

log = logging.getLogger("animekg.serve")

Bindings = dict[str, ox.NamedNode | ox.Literal]


@dataclass(frozen=True)
class QueryJob:
    sparql: str
    max_results: int
    bindings: Bindings = field(default_factory=dict)
    accept: str | None = None
    format: str | None = None
    dataset: Dataset | None = None  # the protocol's; None: the query's own, or the union
    base_iri: str = ID


@dataclass(frozen=True)
class UpdateJob:
    sparql: str
    allow_load: bool = False
    dataset: Dataset | None = None
    base_iri: str = ID


@dataclass(frozen=True)
class ViewJob:
    """The network page of the entities a query's result names."""

    sparql: str
    max_results: int
    depth: int
    bindings: Bindings = field(default_factory=dict)


@dataclass(frozen=True)
class EntityJob:
    """The page (or the RDF, by content negotiation) of one entity of the graph."""

    iri: str
    max_results: int
    accept: str | None = None
    format: str | None = None


@dataclass(frozen=True)
class NamedQueryJob:
    """A page of a named query, as ``animekg query --name`` gives it (animekg.api.run_query)."""

    name: str
    params: dict[str, str | list[str]]
    limit: int | None
    offset: int
    max_results: int
    accept: str | None = None
    format: str | None = None


Job = QueryJob | UpdateJob | ViewJob | EntityJob | NamedQueryJob


@dataclass(frozen=True)
class Reply:
    status: int
    content_type: str
    body: bytes
    truncated_at: int | None = None  # the result limit, when the result was cut there
    retire_worker: bool = False  # the worker is not fit for another job (it ran out of memory)
    headers: tuple[tuple[str, str], ...] = ()  # more response headers (a page's policy)


MEMORY_REFUSAL = ("the query needed more memory than a query may use (--max-memory) and was stopped; "
                  "narrow it (more specific patterns, a LIMIT, no ORDER BY over a large result)")


def text_reply(status: int, message: str) -> Reply:
    return Reply(status, TEXT, (message.rstrip("\n") + "\n").encode("utf-8"))


def execute(store: GraphStore, job: Job) -> Reply:
    try:
        # A read-only worker opens its store again when a build (or any writer) changed it.
        store.refresh()
        if isinstance(job, UpdateJob):
            store.run_update(job.sparql, allow_load=job.allow_load, dataset=job.dataset, base_iri=job.base_iri)
            return text_reply(200, "update applied")
        if isinstance(job, ViewJob):
            return _view(store, job)
        if isinstance(job, EntityJob):
            return _entity(store, job)
        if isinstance(job, NamedQueryJob):
            return _named_query(store, job)
        return _query(store, job)
    except QueryError as exc:
        return text_reply(400, str(exc))
    except NotAcceptable as exc:
        return text_reply(406, str(exc))
    except ResultTooLarge as exc:
        return text_reply(422, str(exc))
    except MemoryError:
        # Past the worker's address-space limit (--max-memory), in Python code; in Oxigraph's
        # own code the same ends the process, which the pool reports the same way.
        return Reply(503, TEXT, (MEMORY_REFUSAL + "\n").encode("utf-8"), retire_worker=True)
    except (StoreError, OSError) as exc:
        return text_reply(500, f"the graph store failed: {exc}")
    except Exception as exc:  # a bug must cost one request, not the worker
        log.exception("job failed: %r", job)
        return text_reply(500, f"internal error ({type(exc).__name__}); the server log has the details")


def _query(store: GraphStore, job: QueryJob) -> Reply:
    result = store.run_query(job.sparql, job.bindings, dataset=job.dataset, base_iri=job.base_iri)
    if isinstance(result, ox.QueryBoolean):
        fmt, content_type = choose(SOLUTION_FORMATS, job.accept, job.format)
        return Reply(200, content_type, result.serialize(format=fmt.oxigraph))
    if isinstance(result, ox.QuerySolutions):
        # Choose before reading: a client that cannot take the answer should not wait for it.
        fmt, content_type = choose(SOLUTION_FORMATS, job.accept, job.format)
        variables = [v.value for v in result.variables]
        solutions = list(islice(result, job.max_results + 1))
        cut = len(solutions) > job.max_results
        body = write_solutions(variables, solutions[:job.max_results], fmt)
    else:
        fmt, content_type = choose(GRAPH_FORMATS, job.accept, job.format)
        triples = list(islice(result, job.max_results + 1))
        cut = len(triples) > job.max_results
        body = write_triples(triples[:job.max_results], fmt)
    return Reply(200, content_type, body, job.max_results if cut else None)


def _named_query(store: GraphStore, job: NamedQueryJob) -> Reply:
    from animekg import api
    from animekg.graph.guard import words
    from animekg.graph.queries import named_query

    # Choose the format before running: a client that cannot take the answer should not wait.
    gives_triples = "CONSTRUCT" in words(named_query(job.name).text)
    fmt, content_type = choose(GRAPH_FORMATS if gives_triples else SOLUTION_FORMATS, job.accept, job.format)
    result = api.run_query(store, name=job.name, params=job.params, limit=job.limit, offset=job.offset)
    found = result.triples if gives_triples else result.rows
    cut = len(found) > job.max_results
    body = write_triples(found[:job.max_results], fmt) if gives_triples else \
        write_solutions(result.variables, found[:job.max_results], fmt)
    return Reply(200, content_type, body, job.max_results if cut else None)


def _view(store: GraphStore, job: ViewJob) -> Reply:
    # Here, not at the top: the server process imports this module for its job types only.
    from animekg import api

    from .page import result_view_html

    result = store.run_query(job.sparql, job.bindings)
    if isinstance(result, ox.QueryBoolean):
        raise QueryError("an ASK query names no entities to draw; use SELECT or CONSTRUCT")
    if isinstance(result, ox.QuerySolutions):
        terms = [t for s in islice(result, job.max_results) for t in s if t is not None]
    else:
        terms = [t for triple in islice(result, job.max_results) for t in (triple.subject, triple.object)]
    graph = api.seeded_network(store, [t.value for t in terms if isinstance(t, ox.NamedNode)],
                               [t.value for t in terms if isinstance(t, ox.Literal)], job.depth)
    if not graph:
        return text_reply(404, f"none of the {len(terms)} values in the result is an entity of the credit "
                               "network; select entities' IRIs or labels (e.g. ?composer from "
                               "`?composer rdfs:label ?name`)")
    return Reply(200, "text/html; charset=utf-8", result_view_html(graph).encode("utf-8"))


def _entity(store: GraphStore, job: EntityJob) -> Reply:
    from animekg.graph.queries import run_named_query

    from .entity_page import HTML, PAGE_POLICY, CreditRow, entity_page_html

    fmt, content_type = choose((HTML, *GRAPH_FORMATS), job.accept, job.format)
    entity = {"entity": job.iri}
    if fmt is HTML:
        names = [(r["what"], r["value"]) for r in run_named_query(store, "entity-names", entity).records()]
        credits = [CreditRow(r["side"], r["relation"], r["other"], r["otherName"] or "", r["confidence"],
                             r["sentence"], r["source"])
                   for r in run_named_query(store, "entity-credits", entity).records()]
        if not names and not credits:
            return _no_entity(job.iri)
        cut = len(credits) > job.max_results
        page = entity_page_html(job.iri, names, credits[:job.max_results])
        return Reply(200, content_type, page.encode("utf-8"), job.max_results if cut else None,
                     headers=(("Content-Security-Policy", PAGE_POLICY),))
    triples = run_named_query(store, "entity-description", entity).triples
    if not triples:
        return _no_entity(job.iri)
    cut = len(triples) > job.max_results
    return Reply(200, content_type, write_triples(triples[:job.max_results], fmt), job.max_results if cut else None)


def _no_entity(iri: str) -> Reply:
    return text_reply(404, f"no entity <{iri}> in this graph; find entities with a query on /sparql or the "
                           "query page at /")
