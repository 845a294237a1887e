"""The named queries in graph/queries/*.rq, run on a store of hand-made extractions."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from animekg.errors import QueryError
from animekg.graph.queries import named_queries, named_query, run_named_query
from animekg.graph.store import GraphStore

ID = "https://w3id.org/animekg/id/"
EXPECTED = {  # name -> declared parameters
    "composers": [],
    "evidence": ["name"],
    "person-credits": ["name"],
    "show-music-staff": ["show"],
    "view-credits": [],
    "view-entities": [],
}
PROJECTION_BUG = ("GraphStore.query binds parameters as pyoxigraph substitutions, which pyoxigraph "
                  "0.5 refuses for a variable missing from the SELECT projection (RuntimeError, not "
                  "QueryError): no named query with a parameter runs")


def rows(store: GraphStore, query: str, **params) -> list[dict]:
    return run_named_query(store, query, params).records()


def test_every_query_file_has_a_header():
    queries = named_queries()
    assert sorted(queries) == sorted(EXPECTED)
    for name, query in queries.items():
        assert query.name == name
        assert query.description, f"{name} has no description"
        assert sorted(query.params) == EXPECTED[name]
        for kind, doc in query.params.values():
            assert kind == "literal" and doc


@pytest.mark.parametrize("name", [
    n for n in sorted(EXPECTED)])
def test_every_query_parses(name):
    # Parameters left unbound: the text alone must be valid SPARQL.
    ox.Store().query(named_query(name).text)


def test_composers(store):
    result = rows(store, "composers")
    assert [(r["composer"], r["shows"]) for r in result] == [("Aoi Minase", "2"), ("Sora Ichinose", "1")]
    assert set(result[0]["titles"].split(" | ")) == {"Lantern Ferry", "Glass Orchard"}
    assert result[1]["titles"] == "Glass Orchard"  # composedMusicFor derived by rule 4


def test_composers_of_an_empty_store():
    assert rows(GraphStore.in_memory(), "composers") == []


def test_show_music_staff(store):
    assert rows(store, "show-music-staff", show="glass ORCHARD") == [
        {"person": "Aoi Minase", "role": "composer", "work": ""},
        {"person": "Sora Ichinose", "role": "composer", "work": ""},
        {"person": "Sora Ichinose", "role": "composer", "work": "Dusk Relay"},
        {"person": "Hollow Bell Orchestra", "role": "performer", "work": ""},
        {"person": "Hollow Bell Orchestra", "role": "performer", "work": "Dusk Relay"},
    ]


def test_show_music_staff_through_derived_featured_in(store):
    # "Salt Road" is only a track of the show's soundtrack album (rule 2 makes it featured).
    result = rows(store, "show-music-staff", show="Lantern Ferry")
    assert {"person": "Aoi Minase", "role": "arranger", "work": "Salt Road"} in result
    assert {"person": "Kaito Ren", "role": "performer", "work": "Paper Moon Signal"} in result


def test_show_music_staff_of_an_unknown_show_is_empty(store):
    assert rows(store, "show-music-staff", show="Nowhere Express") == []


def test_person_credits_by_alias(store):
    assert rows(store, "person-credits", name="minase") == [
        {"relation": "arrangerOf", "work": "Salt Road"},
        {"relation": "composedMusicFor", "work": "Glass Orchard"},
        {"relation": "composedMusicFor", "work": "Lantern Ferry"},
    ]


def test_evidence_of_a_song(store):
    sentence = 'Its opening theme, "Paper Moon Signal", is sung by Kaito Ren.'
    assert rows(store, "evidence", name="Paper Moon Signal") == [
        {"subject": "Kaito Ren", "relation": "performerOf", "object": "Paper Moon Signal",
         "confidence": "0.85", "sentence": sentence, "source": "notes/lantern_ferry.txt"},
        {"subject": "Paper Moon Signal", "relation": "openingThemeOf", "object": "Lantern Ferry",
         "confidence": "0.9", "sentence": sentence, "source": "notes/lantern_ferry.txt"},
    ]


def test_evidence_rows_are_not_repeated_per_document(store):
    result = rows(store, "evidence", name="Aoi Minase")
    assert [(r["relation"], r["object"]) for r in result] == [
        ("arrangerOf", "Salt Road"), ("composedMusicFor", "Glass Orchard"),
        ("composedMusicFor", "Lantern Ferry")]


def test_view_entities(store):
    entities = {r["label"]: r for r in rows(store, "view-entities")}
    assert sorted(entities) == sorted([
        "Aoi Minase", "Hollow Bell Orchestra", "Sora Ichinose", "Kaito Ren",
        "Lantern Ferry Original Soundtrack", "Tidewater Records", "Lantern Ferry",
        "Glass Orchard", "Dusk Relay", "Paper Moon Signal", "Salt Road"])
    minase = entities["Aoi Minase"]
    assert minase["iri"] == ID + "agent/aoi-minase"
    assert set(minase["types"].split("|")) == {"Person", "Composer", "Arranger"}
    assert minase["aliases"] == "Minase"
    orchestra = entities["Hollow Bell Orchestra"]
    assert set(orchestra["types"].split("|")) == {"Group", "Orchestra", "Performer"}
    assert entities["Glass Orchard"]["types"] == "Show"
    assert entities["Glass Orchard"]["aliases"] is None


def test_view_credits(store):
    result = rows(store, "view-credits")
    assert len(result) == 11  # every extracted credit once; derived facts have no credit node
    by_edge = {(r["s"][len(ID):], r["relation"], r["o"][len(ID):]): r for r in result}
    credit = by_edge[("agent/aoi-minase", "composedMusicFor", "show/glass-orchard")]
    assert credit["sentence"] == "Glass Orchard was scored by Aoi Minase, five years after her ferry show."
    assert credit["source"] == "notes/glass_orchard.txt"
    assert float(credit["confidence"]) == 0.9
    assert ("agent/kaito-ren", "performedMusicFor", "show/ferry-lantern") not in by_edge


def test_unknown_query_name():
    with pytest.raises(QueryError, match="unknown named query 'top-hits'.*composers"):
        named_query("top-hits")


def test_unknown_parameter(store):
    with pytest.raises(QueryError, match="'composers' has no parameter decade"):
        run_named_query(store, "composers", {"decade": "1990s"})
    with pytest.raises(QueryError, match="'show-music-staff' has no parameter name.*show"):
        run_named_query(store, "show-music-staff", {"show": "Glass Orchard", "name": "x"})


def test_missing_parameter(store):
    with pytest.raises(QueryError, match="'show-music-staff' needs --param show=VALUE"):
        run_named_query(store, "show-music-staff")
    with pytest.raises(QueryError, match="'evidence' needs --param name=VALUE"):
        run_named_query(store, "evidence", {})
