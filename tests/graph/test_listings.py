"""A whole-graph listing answers pages: the rows kept at build time (graph/listings.py) are
the listing's own rows sliced, on every backend; without them a page is the listing with
LIMIT and OFFSET; an update removes them in its own transaction."""

from __future__ import annotations

import doctest
from pathlib import Path

import pyoxigraph as ox
import pytest

from animekg import api
from animekg.errors import AnimekgError, QueryError
from animekg.graph import listings
from animekg.graph.listings import RESULT_ROW, columns, listing_page, listing_queries
from animekg.graph.queries import named_query, run_named_query
from animekg.graph.store import GraphStore
from animekg.graph.triples import LISTINGS_GRAPH, SUMMARY_GRAPH

LISTINGS = [q.name for q in listing_queries()]


def kept(store: GraphStore) -> list[ox.Quad]:
    return list(store.backend.quads_for_pattern(None, None, None, LISTINGS_GRAPH))


def paged(store: GraphStore, name: str, size: int, total: int) -> list[dict]:
    rows = []
    for offset in range(0, total + size, size):  # one page past the end: empty
        page = api.run_query(store, name=name, limit=size, offset=offset)
        assert page.variables == columns(named_query(name))
        assert len(page.rows) == max(0, min(size, total - offset))
        rows += page.rows
    return rows


def test_the_listings_are_the_named_queries_that_read_the_whole_graph():
    assert LISTINGS == ["albums", "aliases", "composers", "conflicts", "orchestras"]
    assert all(not named_query(name).params for name in LISTINGS)


@pytest.mark.parametrize("name", LISTINGS)
def test_pages_of_the_kept_rows_are_the_listing_sliced(examples, name):
    whole = run_named_query(examples, name)
    assert kept(examples)  # the build kept them
    for size in (1, 2, 5, 100):
        assert paged(examples, name, size, len(whole.rows)) == whole.rows
    # The first page is what `animekg query --name` shows unless asked otherwise.
    assert api.run_query(examples, name=name).rows == whole.rows[:api.PAGE]
    assert api.run_query(examples, name=name, limit=None).rows == whole.rows


def test_the_examples_fill_pages_of_several_rows(examples):
    # So that the slicing above is tested on listings longer than a page of 2.
    assert len(run_named_query(examples, "albums").rows) > 5
    assert len(run_named_query(examples, "composers").rows) > 3


@pytest.mark.parametrize("name", ["albums", "composers"])
def test_without_kept_rows_a_page_is_the_listing_with_limit_and_offset(examples, name):
    saved = kept(examples)
    whole = run_named_query(examples, name)
    examples.backend.remove_graph(LISTINGS_GRAPH)
    try:
        assert not kept(examples)
        assert paged(examples, name, 2, len(whole.rows)) == whole.rows
    finally:
        examples.backend.extend(saved)


def test_a_page_is_read_from_the_kept_rows(empty_store, tmp_path):
    """Told apart by changing a kept row: the page shows it, the listing does not."""
    store = empty_store
    api.load([write_composers(tmp_path)], store)
    first = run_named_query(store, "composers").rows[0]
    row = ox.NamedNode(listings.ID + "listing/composers/0")
    (kept_row,) = store.backend.quads_for_pattern(row, RESULT_ROW, None, LISTINGS_GRAPH)
    store.backend.remove(kept_row)
    changed = kept_row.object.value.replace(str(first["composer"]), '"Changed Here"')
    store.backend.add(ox.Quad(row, RESULT_ROW, ox.Literal(changed), LISTINGS_GRAPH))
    assert listing_page(store, "composers", 1).rows[0] == {**first, "composer": ox.Literal("Changed Here")}
    assert run_named_query(store, "composers").rows[0] == first


def test_an_update_removes_what_was_kept_in_its_own_transaction(empty_store, tmp_path):
    store = empty_store
    api.load([write_composers(tmp_path)], store)
    graphs = set(store.backend.named_graphs())
    assert {LISTINGS_GRAPH, SUMMARY_GRAPH} <= graphs
    # An update that fails changes nothing (a server says so as a StoreError). Virtuoso
    # applies the operations before the failing one: the kept graphs go, which only makes
    # pages slower until the next infer, never wrong.
    with pytest.raises(AnimekgError, match="no-such-graph"):
        store.run_update("DROP GRAPH <urn:x:no-such-graph>")
    after = set(store.backend.named_graphs())
    assert after == graphs or after == graphs - {LISTINGS_GRAPH, SUMMARY_GRAPH} and store.backend._is_virtuoso()
    store.run_update("PREFIX amk: <https://w3id.org/animekg/ontology#> "
                     "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
                     "INSERT DATA { GRAPH <https://w3id.org/animekg/id/doc/added-by-hand> { <urn:x:new> a amk:Composer ; rdfs:label 'Aaron Added' } }")
    assert not {LISTINGS_GRAPH, SUMMARY_GRAPH} & set(store.backend.named_graphs())
    page = api.run_query(store, name="composers", limit=1, offset=0).records()
    assert "Aaron Added" in [r["composer"] for r in run_named_query(store, "composers").records()]
    assert page == run_named_query(store, "composers").records()[:1]
    api.infer(store)  # keeps them again, the update's composer with them
    assert {LISTINGS_GRAPH, SUMMARY_GRAPH} <= set(store.backend.named_graphs())
    assert paged(store, "composers", 1, 3) == run_named_query(store, "composers").rows


def write_composers(tmp_path: Path) -> Path:
    """One document's credits, as N-Quads: two composers, one of them of two shows."""
    amk, rdfs = "https://w3id.org/animekg/ontology#", "http://www.w3.org/2000/01/rdf-schema#"
    doc = "https://w3id.org/animekg/id/doc/page-one"
    lines = [f"<{doc}> <http://purl.org/dc/terms/source> \"page-one.txt\" <{doc}> .",
             f"<{doc}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{amk}SourceDocument> <{doc}> ."]
    for who, shows in (("mira-ostrander", ["tide-clock", "paper-comet"]), ("jun-abeles", ["tide-clock"])):
        agent = f"https://w3id.org/animekg/id/agent/{who}"
        lines += [f"<{agent}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{amk}Composer> <{doc}> .",
                  f"<{agent}> <{rdfs}label> \"{who.replace('-', ' ').title()}\" <{doc}> ."]
        for show in shows:
            iri = f"https://w3id.org/animekg/id/show/{show}"
            credit, rdf = f"https://w3id.org/animekg/id/credit/{who}-{show}", "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
            lines += [f"<{agent}> <{amk}composedMusicFor> <{iri}> <{doc}> .",
                      f"<{iri}> <{rdfs}label> \"{show.replace('-', ' ').title()}\" <{doc}> .",
                      f"<{credit}> <{rdf}subject> <{agent}> <{doc}> .",
                      f"<{credit}> <{rdf}predicate> <{amk}composedMusicFor> <{doc}> .",
                      f"<{credit}> <{rdf}object> <{iri}> <{doc}> ."]
    path = tmp_path / "composers.nq"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("limit, offset, message", [(-1, 0, "limit must be a whole number"),
                                                    (10, -5, "offset must be a whole number")])
def test_a_page_out_of_range_is_an_error(limit, offset, message):
    with pytest.raises(QueryError, match=message):
        run_named_query(GraphStore.in_memory(), "composers", limit=limit, offset=offset)
    with pytest.raises(QueryError, match=message):
        listing_page(GraphStore.in_memory(), "composers", limit, offset)


def test_the_docstring_examples_hold():
    result = doctest.testmod(listings)
    assert result.attempted >= 2 and result.failed == 0


def test_a_kept_row_gone_missing_is_read_from_the_listing_itself(tmp_path):
    store = GraphStore.in_memory()
    api.load([write_composers(tmp_path)], store)
    whole = run_named_query(store, "composers").rows
    (kept_row,) = store.backend.quads_for_pattern(ox.NamedNode(listings.ID + "listing/composers/1"), RESULT_ROW,
                                                  None, LISTINGS_GRAPH)
    store.backend.remove(kept_row)
    assert listing_page(store, "composers", 2).rows == whole[:2]
