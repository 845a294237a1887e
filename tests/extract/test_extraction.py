"""The extractor on sentences the team wrote: each pattern family once with real names and
once with invented ones, so the rules are seen to work on names no lexicon holds."""

from __future__ import annotations

import pytest

from animekg.extract.document import read_text

from .conftest import read


def entity(extraction, name):
    return next(e for e in extraction.entities if e.name == name)


@pytest.mark.parametrize("show, composer", [
    ("Cowboy Bebop", "Yoko Kanno"),
    ("Starlit Harbor Chronicle", "Renji Takamura"),
])
def test_music_credit_in_a_list_item(extractor, show, composer):
    text = f"My favourite scores:\n\n  1. {show} (music: {composer}). The show drags, but the score never does.\n"
    _, triples, types = read(extractor, text)
    assert (composer, "composedMusicFor", show) in triples
    assert "Composer" in types[composer] and "Show" in types[show]


def test_two_composers_split_at_a_slash(extractor):
    text = "2. Glass Meridian the Movie (music: Aoi Hanazawa/Kenjiro Mitsuda). A powerhouse of a score.\n"
    _, triples, _ = read(extractor, text)
    assert ("Aoi Hanazawa", "composedMusicFor", "Glass Meridian the Movie") in triples
    assert ("Kenjiro Mitsuda", "composedMusicFor", "Glass Meridian the Movie") in triples


@pytest.mark.parametrize("show, artist", [
    ("Hanbun no Kaze", "Mirei Oda"),
    ("Lantern Field", "Sorane"),
])
def test_opening_by_an_artist(extractor, show, artist):
    _, triples, types = read(extractor, f"3. {show} (OP: by {artist}): a fantastic OP for a so-so show.\n")
    assert (artist, "performedMusicFor", show) in triples
    assert "Performer" in types[artist]


def test_ending_song_by_an_artist(extractor):
    text = "4. Paper Moon Garden (ED: “Hollow Lights” by Tachibana Miu): a wistful ending song.\n"
    extraction, triples, types = read(extractor, text)
    assert ("Hollow Lights", "endingThemeOf", "Paper Moon Garden") in triples
    singer = next(e for e in extraction.entities if "Miu" in e.name)
    assert (singer.name, "performerOf", "Hollow Lights") in triples
    assert "Song" in types["Hollow Lights"]


def test_possessive_artist_of_a_quoted_song(extractor):
    text = "This show has one of the loveliest ending songs of any anime, Rina Hoshizora’s “Hoshizuna.”"
    _, triples, _ = read(extractor, text)
    assert ("Rina Hoshizora", "performerOf", "Hoshizuna") in triples


def test_song_by_artist_and_song_from_show(extractor):
    text = "Nothing beats “Cinder Waltz” by Harumi Kodama, the opening song from Ashen Crown."
    _, triples, _ = read(extractor, text)
    assert ("Harumi Kodama", "performerOf", "Cinder Waltz") in triples
    assert ("Cinder Waltz", "openingThemeOf", "Ashen Crown") in triples


def test_track_list_under_a_soundtrack_album(extractor):
    text = (
        "Velvet Orbit Original Soundtrack\n\n"
        "Label: Moonwake Records\n\n"
        "Track List\n\n"
        "  1. Departure (2:10)\n  2. Neon Tide (3:45)\n  3. Last Signal (4:02)\n\n"
        "The Velvet Orbit score by Daigo Kuramochi is a quiet triumph."
    )
    _, triples, types = read(extractor, text)
    for track in ("Departure", "Neon Tide", "Last Signal"):
        assert (track, "trackOf", "Velvet Orbit Original Soundtrack") in triples
        assert types[track] == {"Song"}
    assert ("Velvet Orbit Original Soundtrack", "releasedBy", "Moonwake Records") in triples
    assert ("Velvet Orbit Original Soundtrack", "soundtrackOf", "Velvet Orbit") in triples
    assert "Label" in types["Moonwake Records"]


def test_stat_block_of_a_single(extractor):
    text = (
        "Album Title: Skyward Letter\nAnime Title: Tidal Academy\nArtist: Lumina Drive\n"
        "Label: Starward Music\n\nA bright single."
    )
    _, triples, types = read(extractor, text)
    assert ("Lumina Drive", "artistOf", "Skyward Letter") in triples
    assert ("Skyward Letter", "soundtrackOf", "Tidal Academy") in triples
    assert ("Skyward Letter", "releasedBy", "Starward Music") in triples
    assert "Performer" in types["Lumina Drive"]


def test_song_credits_block(extractor):
    text = ("Song: Morning Comet\nPerformed By: Shun Aikawa\nLyrics: Nao Fujisaki\n"
            "Composition: Rei Kanzaki\nArrangement: Toru Ebina\n")
    _, triples, _ = read(extractor, text)
    assert {("Shun Aikawa", "performerOf", "Morning Comet"), ("Nao Fujisaki", "lyricistOf", "Morning Comet"),
            ("Rei Kanzaki", "composerOf", "Morning Comet"), ("Toru Ebina", "arrangerOf", "Morning Comet")} <= triples


def test_orchestra_is_a_performer_of_the_soundtrack(extractor):
    text = ("The anime that came to mind is Iron Lotus. The soundtrack is superb. "
            "The Lisbon Harbor Philharmonic Orchestra plays it, and the same players recorded the "
            "soundtracks for the Iron Lotus TV series and movie.")
    extraction, triples, types = read(extractor, text)
    orchestra = entity(extraction, "Lisbon Harbor Philharmonic Orchestra")
    assert {"Orchestra", "Performer"} <= orchestra.types
    assert orchestra.group
    assert any(s == orchestra.name and p == "performedMusicFor" for s, p, o in triples)


def test_surname_and_name_order_join_one_entity(extractor):
    text = ("Iron Lotus is yet another show where Yuta Hayami shines. "
            "Copper Moon has a fine Hayami Yuuta soundtrack. "
            "For most Hayami-scored shows the score is the best part.")
    extraction, _, _ = read(extractor, text)
    people = [e for e in extraction.entities if "Composer" in e.types]
    assert len(people) == 1
    assert {"Hayami Yuuta", "Hayami"} <= people[0].aliases


def test_people_of_the_same_surname_stay_apart(extractor):
    text = ("Composer Haruto Mizuno wrote the score for Ember Road. "
            "Singer Keiko Mizuno sang the opening theme of Ember Road.")
    extraction, _, _ = read(extractor, text)
    names = {e.name for e in extraction.entities}
    assert {"Haruto Mizuno", "Keiko Mizuno"} <= names


def test_directors_are_not_entities(extractor):
    text = "The film was directed by Kazuo Tanabe, and the music by Sayaka Hoshino is gorgeous."
    extraction, _, types = read(extractor, text)
    assert "Kazuo Tanabe" not in types
    assert "Composer" in types["Sayaka Hoshino"]


def test_song_and_show_with_year(extractor):
    text = "Our top tracks from her discography:\n“Silver Bell Waltz” (Clockwork Lagoon, 2014)\nA gem."
    _, triples, _ = read(extractor, text)
    assert ("Silver Bell Waltz", "featuredIn", "Clockwork Lagoon") in triples


def test_evidence_points_at_the_sentence(extractor):
    text = "Intro line.\n\n1. Dawn Parade (music: Emi Sakuraba). Lovely.\n"
    extraction, _, _ = read(extractor, text)
    credit = next(c for c in extraction.credits if c.relation == "composedMusicFor")
    assert text[credit.evidence.start:credit.evidence.end] == credit.evidence.sentence
    assert "Emi Sakuraba" in credit.evidence.sentence
    assert 0 < credit.confidence <= 1


def test_json_has_the_prediction_format(extractor):
    extraction, _, _ = read(extractor, "1. Dawn Parade (music: Emi Sakuraba). Lovely.\n")
    data = extraction.to_json()
    assert data["doc"] == "t"
    names = {e["name"] for e in data["entities"]}
    for rel in data["relations"]:
        assert rel["s"] in names and rel["o"] in names
        assert set(rel["evidence"]) == {"sentence", "start", "end"}


def test_long_documents_are_read_in_segments_and_merged(extractor, monkeypatch):
    import animekg.extract.pipeline as pipeline

    monkeypatch.setattr(pipeline, "MAX_SEGMENT", 120)
    text = ("1. Dawn Parade (music: Emi Sakuraba). Lovely.\n\n"
            + "Filler words about nothing in particular at all.\n\n" * 4
            + "2. Night Ferry (music: Sakuraba Emi). Also lovely.\n")
    assert len(pipeline.split_segments(text, 120)) > 2
    extraction = extractor.extract(read_text(text, doc_id="long"))
    composers = [e for e in extraction.entities if "Composer" in e.types]
    assert len(composers) == 1 and "Sakuraba Emi" in composers[0].forms + [composers[0].name]
    shows = {c.object for c in extraction.credits if c.relation == "composedMusicFor"}
    assert shows == {"Dawn Parade", "Night Ferry"}
    for credit in extraction.credits:
        assert text[credit.evidence.start:credit.evidence.end] == credit.evidence.sentence


def test_segments_cover_the_text_exactly():
    from animekg.extract.pipeline import split_segments

    text = "alpha beta\n\ngamma delta epsilon\nzeta " * 50 + "x" * 500
    pieces = split_segments(text, 64)
    assert "".join(p for _, p in pieces) == text
    assert all(text[o:o + len(p)] == p and len(p) <= 64 for o, p in pieces)


@pytest.mark.parametrize("text, person, group", [
    ("Later, Aki Nomura's band Velvet Lanterns recorded the whole soundtrack.", "Aki Nomura", "Velvet Lanterns"),
    ("The opening is sung by Mirei Kudo's Paper Crane group, which also did the ending.", "Mirei Kudo", "Paper Crane"),
    ("Glass Harbor's vocalist Ren Ishida sang the insert song.", "Ren Ishida", "Glass Harbor"),
])
def test_members_of_groups(extractor, text, person, group):
    extraction, triples, types = read(extractor, text)
    assert (person, "memberOf", group) in triples
    assert "Performer" in types[person] and "Performer" in types[group]
    assert entity(extraction, group).group
