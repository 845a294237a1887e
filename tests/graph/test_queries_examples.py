"""The named queries on the bundled examples, built with the real pipeline.

Each test asserts facts that the texts in examples/ state, as the reading rules read them
(``model="stock"``: what these tests check is the queries, so the graph must not move
with a retrained model's guesses); tests/graph/test_queries.py has the exact rows on
hand-made records.
"""

from __future__ import annotations

from pathlib import Path

from animekg.graph.queries import run_named_query
from animekg.graph.store import GraphStore

BEBOP_TRACK_LIST = ["Tank!", "Rush", "Spokey Dokey", "Bad Dog No Biscuits", "Cat Blues", "Cosmos",
                    "Space Lion"]


def rows(store: GraphStore, query: str, **params) -> list[dict]:
    return run_named_query(store, query, params).records()


def test_composers(examples):
    first = rows(examples, "composers")[0]
    assert first["composer"] == "Yoko Kanno"
    assert {"Cowboy Bebop", "Macross Plus", "Ghost in the Shell: Stand Alone Complex"} <= set(
        first["titles"].split(" | "))


def test_show_music_staff(examples):
    staff = rows(examples, "show-music-staff", show="cowboy bebop")
    assert {"person": "Yoko Kanno", "role": "composer", "work": ""} in staff
    assert {"person": "Yoko Kanno", "role": "composer", "work": "Space Lion"} in staff
    assert {"person": "Seatbelts", "role": "performer", "work": "Tank!"} in staff


def test_person_credits(examples):
    assert {"relation": "performerOf", "work": "Inner Universe"} in rows(examples, "person-credits", name="Origa")


def test_person_shows(examples):
    shows = rows(examples, "person-shows", name="Yoko Kanno")
    for show in ("Cowboy Bebop", "Macross Plus", "Ghost in the Shell: Stand Alone Complex"):
        assert {"show": show, "role": "composer", "via": "direct", "work": ""} in shows
    assert {"show": "Cowboy Bebop", "role": "composer", "via": "song", "work": "Tank!"} in shows
    assert {"show": "Macross Plus", "role": "performer", "via": "song",
            "work": "After, in the Dark ~ Torch Song"} in rows(examples, "person-shows", name="Mai Yamane")


def test_song_credits(examples):
    tank = {(r["role"], r["name"]) for r in rows(examples, "song-credits", song="tank!")}
    assert {("opening theme of", "Cowboy Bebop"), ("performer", "Seatbelts"),
            ("track of", "Cowboy Bebop Original Soundtrack")} <= tank
    assert ("ending theme of", "Macross Plus") in {
        (r["role"], r["name"]) for r in rows(examples, "song-credits", song="After, in the Dark ~ Torch Song")}
    assert ("performer", "Origa") in {
        (r["role"], r["name"]) for r in rows(examples, "song-credits", song="Inner Universe")}


def test_collaborators(examples):
    kanno = {r["collaborator"]: r for r in rows(examples, "collaborators", name="Yoko Kanno")}
    assert "Cowboy Bebop (show)" in kanno["Seatbelts"]["works"].split(" | ")
    assert kanno["Israel Philharmonic Orchestra"]["works"] == "Macross Plus (show)"
    assert kanno["Mai Yamane"]["works"] == "Macross Plus (show)"
    assert "Yoko Kanno" not in kanno


def test_orchestras(examples):
    played = rows(examples, "orchestras")
    assert {"orchestra": "Israel Philharmonic Orchestra", "work": "", "show": "Macross Plus"} in played
    assert {"work": "", "show": "Macross Plus"} in rows(
        examples, "orchestra-works", orchestra="israel philharmonic orchestra")


def test_album_tracks_keep_the_order_of_the_track_list(examples):
    tracks = rows(examples, "album-tracks", album="Cowboy Bebop Original Soundtrack")
    assert {r["show"] for r in tracks} == {"Cowboy Bebop"}
    listed = [r["track"] for r in tracks if r["track"] in BEBOP_TRACK_LIST]
    assert listed == BEBOP_TRACK_LIST
    assert [r for r in rows(examples, "albums") if r["album"] == "Cowboy Bebop Original Soundtrack"] == [
        {"album": "Cowboy Bebop Original Soundtrack", **r} for r in tracks]


def test_evidence(examples):
    origa = rows(examples, "evidence", name="origa")
    assert {(r["subject"], r["relation"], r["object"]) for r in origa} == {
        ("Origa", "performerOf", "Inner Universe")}
    assert '"Inner Universe", is sung by Origa' in origa[0]["sentence"]
    assert origa[0]["source"].endswith("composer_thread.txt")


def test_fact_evidence(examples):
    evidence = rows(examples, "fact-evidence", subject="Yoko Kanno", relation="composedMusicFor",
                    object="Cowboy Bebop")
    by_source = {Path(r["source"]).name: r for r in evidence}
    assert "Cowboy Bebop (music: Yoko Kanno)" in by_source["top5_anime_scores.txt"]["sentence"]
    assert "Kanno would go on to score Cowboy Bebop" in by_source["macross_plus_orchestra.txt"]["sentence"]
    assert all(0 < float(r["confidence"]) <= 1 for r in evidence)


def test_no_conflicts_among_the_examples(examples):
    # The texts do not contradict each other on any song's role, composer or label.
    assert rows(examples, "conflicts") == []


def test_aliases(examples):
    names = {r["label"]: r for r in rows(examples, "aliases")}
    assert "Kanno" in names["Yoko Kanno"]["names"].split(" | ")
    assert int(names["Yoko Kanno"]["documents"]) >= 3
    assert "The Seatbelts" in names["Seatbelts"]["names"].split(" | ")
