"""Hand-built store rows: a real corner (Yoko Kanno / Cowboy Bebop) and an invented one."""

from __future__ import annotations

from typing import Any

import networkx as nx
import pytest

from animekg.views.network import credit_network

KG = "http://example.org/kg/"
EVIL = "<img src=x onerror=alert(1)>"


def iri(name: str) -> str:
    return KG + name


def entity(name: str, label: str, *types: str, aliases: tuple[str, ...] = ()) -> dict[str, Any]:
    return {"iri": iri(name), "label": label, "types": list(types), "aliases": list(aliases)}


def credit(s: str, p: str, o: str, confidence: float = 0.9, *evidence: tuple[str, str]) -> dict[str, Any]:
    return {
        "s": iri(s),
        "p": p,
        "o": iri(o),
        "confidence": confidence,
        "evidence": [{"sentence": sent, "source": src} for sent, src in evidence],
    }


ENTITIES = [
    entity("yoko-kanno", "Yoko Kanno", "Person", "Composer", aliases=("菅野よう子", "Kanno Yoko")),
    entity("seatbelts", "Seatbelts", "Group", "Performer"),
    entity("mai-yamane", "Mai Yamane", "Person", "Performer"),
    entity("harbor-phil", "Harbor Light Philharmonic", "Group", "Performer", "Orchestra"),
    entity("aoi-hoshino", "Aoi Hoshino", "Person", "Composer"),
    entity("rin-takase", "Rin Takase", "Person", "Lyricist"),
    entity("evil", EVIL, "Person", "Performer", aliases=("<b>bold</b>",)),
    entity("plain-person", "Plain Person", "Person"),
    entity("cowboy-bebop", "Cowboy Bebop", "Show"),
    entity("starlight-ferry", "Starlight Ferry", "Show"),
    entity("tank", "Tank!", "Song"),
    entity("real-folk-blues", "The Real Folk Blues", "Song"),
    entity("green-bird", "Green Bird", "Song"),
    entity("ferry-song", "Ferry Song", "Song"),
    entity("bebop-ost", "Cowboy Bebop Original Soundtrack", "Album"),
    entity("victor", "Victor Entertainment", "Label"),
]

CREDITS = [
    credit("yoko-kanno", "composedMusicFor", "cowboy-bebop", 0.8,
           ("Yoko Kanno composed the music for Cowboy Bebop.", "doc-b"),
           ("The score is by Yoko Kanno.", "doc-a")),
    # The same credit found again in a third document, and again in doc-a.
    credit("yoko-kanno", "composedMusicFor", "cowboy-bebop", 0.95,
           ("Kanno wrote the Bebop soundtrack.", "doc-c"),
           ("The score is by Yoko Kanno.", "doc-a")),
    credit("yoko-kanno", "composedMusicFor", "real-folk-blues", 0.9, ("Music: Yoko Kanno.", "doc-d")),
    credit("yoko-kanno", "composedMusicFor", "starlight-ferry", 0.7, ("Kanno scored Starlight Ferry.", "doc-e")),
    credit("yoko-kanno", "memberOf", "seatbelts", 0.9),
    credit("seatbelts", "performerOf", "tank", 0.9, ("Tank! is performed by the Seatbelts.", "doc-a")),
    credit("mai-yamane", "performerOf", "real-folk-blues", 0.9),
    credit("harbor-phil", "performerOf", "green-bird", 0.6),
    credit("tank", "openingThemeOf", "cowboy-bebop", 0.99),
    credit("real-folk-blues", "endingThemeOf", "cowboy-bebop", 0.99),
    credit("tank", "trackOf", "bebop-ost", 0.9),
    credit("green-bird", "trackOf", "bebop-ost", 0.9),
    credit("bebop-ost", "soundtrackOf", "cowboy-bebop", 0.9),
    credit("bebop-ost", "releasedBy", "victor", 0.9),
    credit("aoi-hoshino", "composedMusicFor", "starlight-ferry", 0.8),
    credit("rin-takase", "wroteLyricsFor", "ferry-song", 0.8),
    credit("ferry-song", "openingThemeOf", "starlight-ferry", 0.8),
    credit("evil", "performerOf", "ferry-song", 0.5, (f"{EVIL} sang <i>Ferry Song</i>.", "doc-<x>")),
    # Ends the store knows nothing about: they still become nodes.
    credit("Unknown%20Band", "performerOf", "ferry-song", 0.4),
]


@pytest.fixture
def rows() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    return ENTITIES, CREDITS


@pytest.fixture
def graph() -> nx.MultiDiGraph:
    return credit_network(ENTITIES, CREDITS)
