"""Reading rules added for recall: each one on sentences the team wrote, with invented
names only, so a rule is seen to follow how people write, not a name some list holds."""

from __future__ import annotations

import pytest

from .conftest import read


# A single and its title track share a name: one entity, Album and Song, a track of itself.
@pytest.mark.parametrize("single, others, artist", [
    ("Starlit Gate", ("Futari no Kaze", "Starlit Gate -TV mix-"), "Velvet Lantern"),
    ("Paper Lanterns", ("Midnight Ferry", "Paper Lanterns -TV size-"), "Hoshiyomi"),
])
def test_single_with_its_title_track(extractor, single, others, artist):
    text = (f"Album Title: {single}\nAnime Title: Lumen Academy\nArtist: {artist}\n\n"
            "Track Title Artist Time\n"
            f"1. {single} {artist} 4:32\n2. {others[0]} {artist} 4:37\n3. {others[1]} {artist} 1:33\n\n"
            "A fine single.")
    _, triples, types = read(extractor, text)
    assert {"Album", "Song"} <= types[single]
    for track in (single, *others):
        assert (track, "trackOf", single) in triples
        assert (artist, "performerOf", track) in triples


# "From the Album: X" under a blog post about one track names the album it comes from.
def test_from_the_album_line(extractor):
    text = ("Starfall – Glass Wings\n\n"
            "I never get the names of this album's composers right, so here goes: Rei Amano, Kenta Shirai.\n"
            "The record has sat on my shelf for ages.\n\n"
            "From the Album: Starfall\n")
    _, triples, types = read(extractor, text)
    assert "Album" in types["Starfall"]
    assert "From the Album" not in types
    assert ("Rei Amano", "artistOf", "Starfall") in triples
    assert ("Kenta Shirai", "artistOf", "Starfall") in triples


# Whoever does a show's score or soundtrack wrote it, even when a group word made it a
# performer first; a group that scored a show also played it.
@pytest.mark.parametrize("text, agent, show", [
    ("By the legendary group Tin Whistle Union, it is the soundtrack of the film Copper Moon.",
     "Tin Whistle Union", "Copper Moon"),
    ("The band Moonlit Cartography contributed music to the soundtrack of the anime Harbor Lights.",
     "Moonlit Cartography", "Harbor Lights"),
    ("Singer Aoi Tachibana wrote the score for the series Ember Road.", "Aoi Tachibana", "Ember Road"),
    ("Kaito Ren wrote the score for the film Lanterns of the Valley of the Tide.",
     "Kaito Ren", "Lanterns of the Valley of the Tide"),
])
def test_agent_of_a_scoring_verb_is_a_composer(extractor, text, agent, show):
    _, triples, types = read(extractor, text)
    assert "Composer" in types[agent]
    assert (agent, "composedMusicFor", show) in triples


def test_group_that_scored_a_show_also_performed_for_it(extractor):
    text = ("The band Moonlit Cartography handled the soundtracks for the anime Harbor Lights, "
            "Tin Comet and Glass Orchard.")
    _, triples, _ = read(extractor, text)
    for show in ("Harbor Lights", "Tin Comet", "Glass Orchard"):
        assert ("Moonlit Cartography", "composedMusicFor", show) in triples
        assert ("Moonlit Cartography", "performedMusicFor", show) in triples


def test_orchestra_that_did_the_soundtrack_is_no_composer(extractor):
    text = ("The recording features the Lisbon Harbor Philharmonic Orchestra, who had done the "
            "soundtracks for the Iron Lotus TV series as well.")
    _, _, types = read(extractor, text)
    assert "Composer" not in types["Lisbon Harbor Philharmonic Orchestra"]


def test_performing_the_soundtrack_is_no_composing(extractor):
    text = "The singer Mika Arisawa performed the soundtrack of Paper Comet live."
    _, triples, types = read(extractor, text)
    assert "Composer" not in types.get("Mika Arisawa", set())


# "X's opening theme" is a show's, even where the NER takes the title for a person; the
# song named just after it ("So here is S by A") is that opening.
@pytest.mark.parametrize("show, song, artist", [
    ("Tsubasa Kurogane", "Hagane no Uta", "Ruri Kagami"),
    ("Mirai Kanata", "Hoshikuzu Letter", "Aoi Tsukimiya"),
])
def test_possessive_opening_names_a_show(extractor, show, song, artist):
    text = (f"Last winter I finally caught up with the series. Nothing hooked me like {show}'s opening theme. "
            f"Here it is: {song} by {artist}.")
    _, triples, types = read(extractor, text)
    assert "Show" in types[show]
    assert (song, "openingThemeOf", show) in triples
    assert (artist, "performerOf", song) in triples


# Titles in single quotes joined by "and" are one list: the kind of one is the kind of all.
def test_single_quoted_titles_in_a_list_share_a_kind(extractor):
    text = "The tracks I keep coming back to are 'Glass Harbor' and 'Tsuki no Kakera', both lovely pieces."
    _, _, types = read(extractor, text)
    assert "Song" in types["Glass Harbor"] and "Song" in types["Tsuki no Kakera"]


# "the show", "the series", "the anime" in a sentence that names no show stand for the
# show the document is about.
@pytest.mark.parametrize("show, song, artist", [
    ("Iron Lotus", "Rust Parade!", "Kaito Ren"),
    ("Lantern Tide", "Paper Boats", "Mirei Oda"),
])
def test_the_show_stands_for_the_topic_show(extractor, show, song, artist):
    text = (f"I love the anime {show}. Nobody forgets the anime {show} after one episode. "
            f"Even now the anime {show} gets a rewatch every year.\n\n"
            f"The show has a great theme song, “{song}”, which is performed by {artist}.")
    _, triples, _ = read(extractor, text)
    assert (song, "themeSongOf", show) in triples
    assert (artist, "performerOf", song) in triples


def test_the_series_names_no_show_where_none_stands_out(extractor):
    text = "The series has a great theme song, “Paper Boats”, which is performed by Mirei Oda."
    extraction, triples, _ = read(extractor, text)
    assert not any(p == "themeSongOf" for _, p, _ in triples)


def test_a_modifier_anime_is_no_reference_to_a_show(extractor):
    text = ("I love the anime Harbor Lights and the anime Tin Comet.\n\n"
            "She has met two giants of the anime soundtrack business: Kaito Ren and Aoi Minase.")
    _, triples, _ = read(extractor, text)
    assert not any(s == "Kaito Ren" for s, _, _ in triples)


# "the opening and closing themes, 'A' and 'B'": each role goes to its song, in order.
@pytest.mark.parametrize("opening, ending", [
    ("Ember Rise", "Quiet Harbor"),
    ("Morning Comet", "Sayonara no Umi"),
])
def test_opening_and_ending_songs_respectively(extractor, opening, ending):
    text = ("Stardust Relay Original Soundtrack\n\nThe anime Stardust Relay is long. "
            "I watched the anime Stardust Relay for years.\n\n"
            f"On the album you also get the show's opening and its closing theme, '{opening}' and '{ending}'.")
    _, triples, _ = read(extractor, text)
    assert (opening, "openingThemeOf", "Stardust Relay") in triples
    assert (ending, "endingThemeOf", "Stardust Relay") in triples
    assert (opening, "endingThemeOf", "Stardust Relay") not in triples


# A voice actress who owns a music group is its member, and the group's credits are not hers.
@pytest.mark.parametrize("person, group", [
    ("Mei Kurosawa", "Velvet Lantern"),
    ("Rina Hoshizora", "Glass Aviary"),
])
def test_voice_actress_member_of_her_group(extractor, person, group):
    text = (f"The voice actress {person}'s band {group} wrote the scores for "
            "the anime Iron Lotus and Copper Moon.")
    _, triples, types = read(extractor, text)
    assert (person, "memberOf", group) in triples
    assert (group, "composedMusicFor", "Iron Lotus") in triples
    assert not any(s == person and p.endswith("MusicFor") for s, p, _ in triples)


# A page's title line names the album of the track list under it; a credit block beside
# the list credits every track, or the tracks numbered after a name.
def test_title_line_album_and_its_credit_block(extractor):
    text = ("Velvet Lanterns: Operation Dawn\n\n"
            "Track List:\n  1. Paper Comet\n  2. Harbor Lights\n  3. Tin Kite Waltz\n\n"
            "Composed by:\nSayo Kurogane,\nRin Aozora (3)\n\nArranged by:\nSayo Kurogane\n\n"
            "A warm, quiet record.\n")
    _, triples, types = read(extractor, text)
    assert "Album" in types["Velvet Lanterns: Operation Dawn"]
    for track in ("Paper Comet", "Harbor Lights", "Tin Kite Waltz"):
        assert (track, "trackOf", "Velvet Lanterns: Operation Dawn") in triples
        assert ("Sayo Kurogane", "composerOf", track) in triples
        assert ("Sayo Kurogane", "arrangerOf", track) in triples
    assert ("Rin Aozora", "composerOf", "Tin Kite Waltz") in triples
    assert ("Rin Aozora", "composerOf", "Paper Comet") not in triples


def test_artist_dash_album_title_line(extractor):
    text = ("Sayo Kurogane - Harbor of Glass (1987)\n\n"
            "Some of the grooviest tracks of her career are here.\n\n"
            "1. Paper Comet\n2. Harbor Lights\n3. Tin Kite Waltz\n")
    _, triples, types = read(extractor, text)
    assert "Album" in types["Harbor of Glass"]
    assert ("Harbor Lights", "trackOf", "Harbor of Glass") in triples


def test_a_ranked_list_under_a_plain_title_is_no_album(extractor):
    text = ("My favourite openings of the decade\n\n"
            "1. Paper Comet\n2. Harbor Lights\n3. Tin Kite Waltz\n")
    _, triples, types = read(extractor, text)
    assert not any("Album" in t for t in types.values())


def test_all_music_composed_by_credits_every_track(extractor):
    text = ("Glass Orchard Original Soundtrack\n\n"
            "1. Paper Comet\n2. Harbor Lights\n3. Tin Kite Waltz\n\n"
            "All music composed and arranged by Sayo Kurogane.\n")
    _, triples, _ = read(extractor, text)
    for track in ("Paper Comet", "Harbor Lights", "Tin Kite Waltz"):
        assert ("Sayo Kurogane", "composerOf", track) in triples
        assert ("Sayo Kurogane", "arrangerOf", track) in triples


# Liner notes: each track line with its own credit lines under it.
def test_credit_lines_under_a_track_credit_that_track(extractor):
    text = ("Glass Orchard Vocal Collection\n\n"
            "1. Paper Comet\nLyrics: Rin Aozora\nArrangement: Sayo Kurogane\n\n"
            "2. Harbor Lights\nLyrics: Mio Kanda\nArrangement: Sayo Kurogane\n\n"
            "3. Tin Kite Waltz\nLyrics: Mio Kanda\nArrangement: Sayo Kurogane\n")
    _, triples, _ = read(extractor, text)
    assert ("Rin Aozora", "lyricistOf", "Paper Comet") in triples
    assert ("Mio Kanda", "lyricistOf", "Harbor Lights") in triples
    assert ("Sayo Kurogane", "arrangerOf", "Harbor Lights") in triples
    assert ("Rin Aozora", "lyricistOf", "Harbor Lights") not in triples
    assert ("Mio Kanda", "lyricistOf", "Paper Comet") not in triples


def test_a_credit_in_brackets_after_a_track_title_is_no_part_of_it(extractor):
    text = ("Glass Orchard OST\n\n1. Paper Comet\n2. Harbor Lights (sung by Rin Aozora)\n"
            "3. Tin Kite Waltz [feat. Mio Kanda]\n")
    _, triples, types = read(extractor, text)
    assert ("Harbor Lights", "trackOf", "Glass Orchard OST") in triples
    assert ("Rin Aozora", "performerOf", "Harbor Lights") in triples
    assert "Tin Kite Waltz" in types


def test_artist_dash_album_with_a_year_and_label_note(extractor):
    _, triples, types = read(extractor, "Sayo Kurogane – Harbor of Glass [1995; Velvet Records]\n\n"
                                        "A fine record from start to end.\n")
    assert ("Sayo Kurogane", "artistOf", "Harbor of Glass") in triples
    assert ("Harbor of Glass", "releasedBy", "Velvet Records") in triples


def test_all_music_by_an_album_without_a_track_list(extractor):
    _, triples, _ = read(extractor, "Lumen Academy OST\nAll music composed & arranged by Sayo Kurogane.\n\n"
                                    "The album is a joy.\n")
    assert ("Sayo Kurogane", "artistOf", "Lumen Academy OST") in triples
    assert ("Sayo Kurogane", "composedMusicFor", "Lumen Academy") in triples


@pytest.mark.parametrize("text, members, group", [
    ("The band Velvet Crane consists of Sayo Kurogane, Rin Aozora and Mio Kanda.",
     ("Sayo Kurogane", "Rin Aozora", "Mio Kanda"), "Velvet Crane"),
    ("Sayo Kurogane, a member of the idol unit Velvet Crane, sang the ending.", ("Sayo Kurogane",), "Velvet Crane"),
    ("The insert song was sung by Night Lantern (Sayo Kurogane / Mio Kanda / Rin Aozora).",
     ("Sayo Kurogane", "Mio Kanda", "Rin Aozora"), "Night Lantern"),
    ("Sayo Kurogane, the drummer of Paper Swallows, also sings.", ("Sayo Kurogane",), "Paper Swallows"),
])
def test_who_belongs_to_a_group(extractor, text, members, group):
    _, triples, types = read(extractor, text)
    for member in members:
        assert (member, "memberOf", group) in triples
    assert "Show" not in types[group]


def test_lyrics_and_music_of_a_song(extractor):
    _, triples, _ = read(extractor, "The lyrics of “Paper Comet” were written by Sayo Kurogane.")
    assert ("Sayo Kurogane", "lyricistOf", "Paper Comet") in triples
    assert ("Sayo Kurogane", "composerOf", "Paper Comet") not in triples
    _, triples, _ = read(extractor, "“Paper Comet” (lyrics: Sayo Kurogane, music: Rin Aozora) is lovely.")
    assert ("Sayo Kurogane", "lyricistOf", "Paper Comet") in triples
    assert ("Rin Aozora", "composerOf", "Paper Comet") in triples


# Each name of a song's credit clause takes the part its own "... by" says, or the part of
# the name it is joined to; a song "written" by someone is its lyricist's.
@pytest.mark.parametrize("text, expected, not_expected", [
    ("The ending song “Paper Comet”, composed by Rin Aozora with lyrics by Sayo Kurogane, closes each episode.",
     {("Rin Aozora", "composerOf"), ("Sayo Kurogane", "lyricistOf")}, {("Sayo Kurogane", "composerOf")}),
    ("“Paper Comet” is a song written by Sayo Kurogane and Mio Kanda and performed by Rin Aozora.",
     {("Sayo Kurogane", "lyricistOf"), ("Mio Kanda", "lyricistOf"), ("Rin Aozora", "performerOf")},
     {("Rin Aozora", "lyricistOf")}),
    ("“Paper Comet”, written and composed by Sayo Kurogane, opens the show.",
     {("Sayo Kurogane", "lyricistOf"), ("Sayo Kurogane", "composerOf")}, set()),
    ("“Paper Comet”, composed by Sayo Kurogane and produced by Mio Kanda, opens the show.",
     {("Sayo Kurogane", "composerOf")}, {("Mio Kanda", "composerOf")}),
])
def test_the_names_of_a_song_credit_clause(extractor, text, expected, not_expected):
    _, triples, _ = read(extractor, text)
    credited = {(s, rel) for s, rel, o in triples if o == "Paper Comet"}
    assert expected <= credited
    assert not credited & not_expected


@pytest.mark.parametrize("text", [
    "The heroine Mio Kanda (Sayo Kurogane) sings the ending of Tin Harbor.",  # a character and her actor
    "Sayo Kurogane, the singer of Tin Harbor's opening, is back.",
    "The band Paper Swallows (“Tin Harbor”, “Glass Comet”) toured in May.",
])
def test_no_membership_where_none_is_said(extractor, text):
    _, triples, _ = read(extractor, text)
    assert not {t for t in triples if t[1] == "memberOf"}
