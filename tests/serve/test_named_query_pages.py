"""``/queries/NAME`` answers a page of a named query, as ``animekg query --name`` does: the
same rows as the library on the same store, pages that add up to the whole listing, and a
400 for what it cannot take."""

from __future__ import annotations

import csv
import io
import json

import pytest

from animekg import api
from animekg.graph.listings import listing_queries


def rows(response) -> list[dict]:
    assert response.status_code == 200, response.text
    body = json.loads(response.content)
    return [{k: v["value"] for k, v in b.items()} for b in body["results"]["bindings"]]


def library(store_dir, name: str, **kwargs) -> list[dict]:
    store = api.open_store(store_dir, read_only=True)
    return [{k: v for k, v in r.items() if v is not None}
            for r in api.run_query(store, name=name, **kwargs).records()]


@pytest.mark.parametrize("name", [q.name for q in listing_queries()])
def test_pages_add_up_to_the_whole_listing(client, store_dir, name):
    every = rows(client.get(f"/queries/{name}", params={"all": ""}))
    assert every == library(store_dir, name, limit=None)
    paged = []
    for offset in range(0, len(every) + 1):
        page = rows(client.get(f"/queries/{name}", params={"limit": "1", "offset": str(offset)}))
        assert len(page) == (offset < len(every))
        paged += page
    assert paged == every
    assert rows(client.get(f"/queries/{name}")) == every[:100]


def test_the_server_s_data_fills_pages_of_more_than_one_row(client):
    # The listings' slicing is tested at length in tests/graph/test_listings.py.
    assert len(rows(client.get("/queries/composers", params={"all": ""}))) >= 2
    assert len(rows(client.get("/queries/person-credits", params={"$name": "Mirei Kanzaki", "all": ""}))) >= 2


def test_parameters_are_dollar_names_as_plain_text(client, store_dir):
    name = "Mirei Kanzaki"
    credits = rows(client.get("/queries/person-credits", params={"$name": name, "all": ""}))
    assert credits and credits == library(store_dir, "person-credits", params={"name": name}, limit=None)
    page = rows(client.get("/queries/person-credits", params={"$name": name, "limit": "1", "offset": "1"}))
    assert page == credits[1:2]


def test_csv_by_accept(client):
    response = client.get("/queries/composers", params={"limit": "1"}, headers={"Accept": "text/csv"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    table = list(csv.reader(io.StringIO(response.text)))
    first = rows(client.get("/queries/composers", params={"limit": "1"}))[0]
    assert table == [["composer", "shows", "titles"], [first["composer"], first["shows"], first["titles"]]]


@pytest.mark.parametrize("path, params, message", [
    ("/queries/no-such-query", {}, "unknown named query 'no-such-query'"),
    ("/queries/albums", {"limit": "ten"}, "limit must be a whole number of rows, not 'ten'"),
    ("/queries/albums", {"offset": "-3"}, "offset must be a whole number of rows, not '-3'"),
    ("/queries/albums", {"all": "", "limit": "5"}, "all is every row"),
    ("/queries/albums", {"name": "x"}, "name: /queries/albums takes limit, offset, all, format"),
    ("/queries/person-credits", {}, "needs --param name=VALUE"),
])
def test_what_it_cannot_take_is_400(client, path, params, message):
    response = client.get(path, params=params)
    assert response.status_code == 400 and message in response.text, response.text
