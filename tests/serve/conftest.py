"""A store folder built from hand-made records of two invented texts (tests/data/serve/),
and SPARQL servers over it on loopback ports (port 0: the system picks a free one).

The records are written out by hand, as the extractor would hand them over, so the
endpoint tests need no spaCy. One text names a performer ``<img src=x onerror=alert(1)>``
and a show ``</script><script>...``: web text the pages must show as text.
"""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from animekg.extract.records import Credit, Document, Entity, Evidence, Extraction
from animekg.graph.listings import keep_listings
from animekg.graph.store import GraphStore
from animekg.serve import ServeConfig, SparqlServer

DATA = Path(__file__).parents[1] / "data" / "serve"
HOSTILE = "<img src=x onerror=alert(1)>"
SCRIPT_NAME = "</script><script>window.__pwned=1</script>"
TOKEN = "serve-tests-update-token-0123"
AMK = "https://w3id.org/animekg/ontology#"
PREFIXES = f"PREFIX amk: <{AMK}>\nPREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
COMPOSERS = PREFIXES + "SELECT DISTINCT ?name WHERE { ?e a amk:Composer ; rdfs:label ?name } ORDER BY ?name"
COMPOSER_NAMES = ["Mirei Kanzaki", "Orchard Static"]
# A cross product of five triple patterns: on a store of a few hundred triples, 10^11 or
# more rows to count, far beyond any time limit of the tests (test_limits checks it).
SLOW_QUERY = ("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . "
              "?m ?n2 ?o }")


def _extraction(doc_id: str, title: str, entities: list[Entity],
                credits: list[tuple[str, str, str, str, float]]) -> Extraction:
    text = (DATA / f"{doc_id}.txt").read_text(encoding="utf-8")
    document = Document(doc_id=doc_id, text=text, source=f"notes/{doc_id}.txt", title=title,
                        sha256=hashlib.sha256(text.encode("utf-8")).hexdigest())

    def credit(s: str, p: str, o: str, sentence: str, confidence: float) -> Credit:
        start = text.index(sentence)
        return Credit(s, p, o, confidence, Evidence(sentence, start, start + len(sentence)))

    return Extraction(document, entities, [credit(*c) for c in credits], extractor_version="test-serve")


def tidal_archive() -> Extraction:
    s1 = "Mirei Kanzaki (神崎ミレイ) composed the music of Tidal Archive."
    s2 = 'Its opening theme, "Glass Harbor", is sung by Juno Arata.'
    s3 = "The Tidal Archive Original Soundtrack came out on Driftwood Records."
    s4 = '"Lantern Tide" closes the soundtrack, arranged by Kanzaki herself.'
    ost = "Tidal Archive Original Soundtrack"
    return _extraction("tidal_archive", "Tidal Archive and its music", [
        Entity("Mirei Kanzaki", {"Composer", "Arranger"}, {"Kanzaki", "神崎ミレイ"}),
        Entity("Tidal Archive", {"Show"}),
        Entity("Glass Harbor", {"Song"}),
        Entity("Juno Arata", {"Performer"}),
        Entity(ost, {"Album"}),
        Entity("Driftwood Records", {"Label"}),
        Entity("Lantern Tide", {"Song"}),
    ], [
        ("Mirei Kanzaki", "composedMusicFor", "Tidal Archive", s1, 0.95),
        ("Glass Harbor", "openingThemeOf", "Tidal Archive", s2, 0.9),
        ("Juno Arata", "performerOf", "Glass Harbor", s2, 0.85),
        (ost, "soundtrackOf", "Tidal Archive", s3, 0.8),
        (ost, "releasedBy", "Driftwood Records", s3, 0.8),
        ("Lantern Tide", "trackOf", ost, s4, 0.7),
        ("Mirei Kanzaki", "arrangerOf", "Lantern Tide", s4, 0.7),
    ])


def hostile_thread() -> Extraction:
    s1 = f'The ending theme of Tidal Archive, "Night Ferry Lights", is performed by {HOSTILE}.'
    s2 = '"Night Ferry Lights" was written by Mirei Kanzaki.'
    s3 = f"Orchard Static scored {SCRIPT_NAME} in its second season."
    return _extraction("hostile_thread", "A comment thread whose names are markup", [
        Entity("Tidal Archive", {"Show"}),
        Entity("Night Ferry Lights", {"Song"}),
        Entity(HOSTILE, {"Performer"}),
        Entity("Mirei Kanzaki", {"Composer"}),
        Entity("Orchard Static", {"Composer"}),
        Entity(SCRIPT_NAME, {"Show"}),
    ], [
        ("Night Ferry Lights", "endingThemeOf", "Tidal Archive", s1, 0.9),
        (HOSTILE, "performerOf", "Night Ferry Lights", s1, 0.8),
        ("Mirei Kanzaki", "composerOf", "Night Ferry Lights", s2, 0.85),
        ("Orchard Static", "composedMusicFor", SCRIPT_NAME, s3, 0.75),
    ])


def build_store(path: Path) -> None:
    """Both documents in a store folder, closed again when this returns (the store is
    dropped with the last reference), so that a writable worker can open it."""
    store = GraphStore(path)
    assert store.add_extraction(tidal_archive())
    assert store.add_extraction(hostile_thread())
    store.materialize_inferred()
    keep_listings(store)  # as every build ends (animekg.api)
    store.flush()


@pytest.fixture(scope="session")
def store_dir(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("serve") / "store"
    build_store(path)
    return path


@pytest.fixture
def store_copy(store_dir: Path, tmp_path: Path) -> Path:
    """A store of one's own, for tests that write."""
    copy = tmp_path / "store"
    shutil.copytree(store_dir, copy)
    return copy


@pytest.fixture(scope="session")
def server(store_dir: Path) -> Iterator[SparqlServer]:
    """A read-only endpoint with two workers and generous limits."""
    with SparqlServer(store_dir, port=0, config=ServeConfig(timeout=30.0, workers=2)) as running:
        yield running


@pytest.fixture
def client(server: SparqlServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, timeout=60.0) as http:
        yield http
