"""Synthetic but realistic credit texts with invented names, and the credits in them.

A seeded :class:`World` of invented shows, composers, singers, bands, orchestras, songs,
albums and labels grows as documents are written about it. Popular things come back:
each time a show, a composer or a label is needed, the world either invents a new one or
picks one it already has, in proportion to how often it was mentioned before (so a few
composers score many shows, a few labels release most albums, and most shows are named
once or twice, as on the web). A show's music is invented once, with the show, so every
document that names it again tells the same facts.

Documents mix the ways people write about anime music: soundtrack reviews with a stat
block and a track list, ranked lists of opening and ending themes (each list in one of
several layouts), lists of favourite composers, show pages with their music credits,
and comment threads. Persons are written given name first or family name first, and
later by the family name alone; the prose between the credits is varied filler.

Each :func:`document` returns the text together with the :class:`Extraction` a perfect
extractor would read out of it: the graph benchmarks store those records through the
project's own code, the extraction benchmark reads the texts with spaCy.

Every name is made up from syllables and common English words: no lexicon knows them.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterator
from dataclasses import dataclass, field

from animekg import __version__
from animekg.extract.records import Credit, Document, Entity, Evidence, Extraction
from animekg.normalize import name_key, order_free_key

EXTRACTOR_VERSION = f"animekg-extract/{__version__}"

SYLLABLES = ["ka", "ki", "ku", "ke", "ko", "sa", "shi", "su", "se", "so", "ta", "chi", "tsu", "te", "to",
             "na", "ni", "nu", "ne", "no", "ha", "hi", "fu", "he", "ho", "ma", "mi", "mu", "me", "mo",
             "ya", "yu", "yo", "ra", "ri", "ru", "re", "ro", "wa", "n", "ga", "gi", "go", "za", "ji",
             "da", "de", "ba", "bi", "bu", "be", "bo", "pa", "ryu", "kyo", "sho", "ju"]
ADJECTIVES = ["Crimson", "Silver", "Glass", "Velvet", "Hollow", "Quiet", "Distant", "Burning", "Frozen",
              "Golden", "Paper", "Iron", "Broken", "Endless", "Little", "Midnight", "Scarlet", "Azure",
              "Fading", "Wandering", "Hidden", "Falling", "Last", "First", "Secret", "Starlit", "Rusty",
              "Electric", "Gentle", "Wild", "Lonely", "Blue", "White", "Violet", "Amber", "Sleeping",
              "Silent", "Restless", "Northern", "Neon", "Clockwork", "Phantom", "Lucky", "Sunken",
              "Radiant", "Bitter", "Hazy", "Tiny", "Brave", "Eternal"]
NOUNS = ["Lantern", "Harbor", "Comet", "Orchard", "Signal", "Garden", "Ferry", "Meridian", "Echo", "Orbit",
         "Moon", "Tide", "Crown", "Ember", "Road", "Sky", "Rain", "Bell", "Feather", "Mirror", "River",
         "Station", "Tower", "Letter", "Horizon", "Lighthouse", "Wing", "Flame", "Shadow", "Voyage",
         "Promise", "Season", "Summer", "Winter", "Blossom", "Storm", "Engine", "Planet", "Island",
         "Forest", "Castle", "Melody", "Heartbeat", "Festival", "Gate", "Canvas", "Compass", "Anchor",
         "Ribbon", "Sparrow", "Fox", "Whale", "Knight", "Witch", "Dragon", "Academy", "Circus", "Railway",
         "Bridge", "Cathedral"]
VERBS = ["Sings", "Falls", "Returns", "Burns", "Sleeps", "Shines", "Breaks", "Waits", "Dreams", "Fades"]
# Track names that many soundtracks share: a few songs of the graph are such hubs, as
# they are in what an extractor reads off real track lists.
STOCK_TRACKS = ["Main Theme", "Prologue", "Epilogue", "Daybreak", "Memories", "Battle Theme"]

FILLER = [
    "The animation holds up, but it is the music that people remember.",
    "I watched it twice and bought the album the week after.",
    "Nobody in my circle had heard of it before the second episode aired.",
    "It is not a perfect series, and the pacing drags in the middle.",
    "The mixing on the streaming version is a little flat, so get the disc if you can.",
    "Fans still argue about the final episode years later.",
    "It was a slow season, which may be why so many people found this one.",
    "Half of the tracks are under two minutes, and none of them overstay their welcome.",
    "The piano pieces carry the quiet episodes without ever getting sentimental.",
    "Some of the battle cues lean on brass a little too much for my taste.",
    "I first heard it on a long train ride and have not stopped listening since.",
    "The booklet has liner notes and a short interview with the director.",
    "Critics were lukewarm at the time, but the fandom grew every year.",
    "It rewards listening on good headphones; there is a lot going on in the strings.",
    "The second half of the record is darker and, to my ears, better.",
    "This is exactly the kind of show that lives or dies by its soundtrack.",
    "My only complaint is that the album leaves out two cues from the finale.",
    "The choir in the last track still gives me chills.",
    "If you only know the opening, do yourself a favour and hear the rest.",
    "The vinyl reissue sold out within a day.",
]
# Short remarks after an item of a ranked list.
REMARKS = ["The chorus alone earns it a place here.", "Still gives me goosebumps.", "A slow burn, but worth it.",
           "The bass line carries the whole thing.", "Skipped it at first, now it is on repeat.",
           "The animation for this one is wonderful too.", "Better in the full version than in the TV cut.",
           "Nobody talks about this one enough."]
COMMENTS = ["lol", "this", "+1", "agreed", "honestly underrated", "hard disagree", "source?", "same here"]
HANDLES = ["night_owl", "tapedeck", "moonside", "kettle", "radio_ghost", "pixelfern", "lowtide", "sakuranbo",
           "quietcat", "bassline", "oldfan", "hoshi"]


def _cap(word: str) -> str:
    return word[:1].upper() + word[1:]


# -- things of the world ------------------------------------------------------------------


@dataclass(eq=False)
class Agent:
    """A person (given and family name), a band or an orchestra."""

    name: str
    given: str = ""
    family: str = ""
    group: bool = False
    members: list[Agent] = field(default_factory=list)


@dataclass(eq=False)
class Song:
    name: str
    performer: Agent | None = None
    composer: Agent | None = None
    lyricist: Agent | None = None
    arranger: Agent | None = None


@dataclass(eq=False)
class Album:
    name: str
    label: Agent  # a label has only a name, like an agent
    tracks: list[Song] = field(default_factory=list)
    artist: Agent | None = None


@dataclass(eq=False)
class Show:
    name: str
    composers: list[Agent] = field(default_factory=list)
    orchestra: Agent | None = None
    openings: list[Song] = field(default_factory=list)
    endings: list[Song] = field(default_factory=list)
    inserts: list[Song] = field(default_factory=list)
    album: Album | None = None


class _Popular:
    """Things of one kind: new with probability ``fresh``, else an old one, half the time
    in proportion to how often it was picked (the rich get richer, as fame works) and
    half the time any of them (or the first few would be named in most documents)."""

    def __init__(self, fresh: float):
        self.fresh = fresh
        self.things: list = []
        self.picks: list = []

    def pick(self, rng: random.Random, invent):
        if not self.picks or rng.random() < self.fresh:
            thing = invent()
            self.things.append(thing)
        elif rng.random() < 0.5:
            thing = rng.choice(self.picks)
        else:
            thing = rng.choice(self.things)
        self.picks.append(thing)
        return thing


class World:
    """Invented things and their music, grown as documents ask for them."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self._taken: dict[str, set[str]] = {}
        self.shows = _Popular(0.45)
        self.composers = _Popular(0.25)
        self.performers = _Popular(0.45)
        self.writers = _Popular(0.4)  # lyricists and arrangers
        self.orchestras = _Popular(0.08)
        self.labels = _Popular(0.04)
        self.scored_by: dict[int, list[Show]] = {}  # id(composer) -> the shows they scored

    # names -----------------------------------------------------------------------------

    def _unique(self, kind: str, make) -> str:
        """A name no other thing of this kind has (as the graph compares names)."""
        taken = self._taken.setdefault(kind, set())
        for attempt in range(50):
            name = make() if attempt < 40 else f"{make()} {self.rng.randint(2, 99)}"
            key = order_free_key(name_key(name))
            if key and key not in taken:
                taken.add(key)
                return name
        raise RuntimeError(f"no free {kind} name")  # pragma: no cover - 10^6 combinations

    def _word(self, low: int = 2, high: int = 3) -> str:
        return _cap("".join(self.rng.choice(SYLLABLES) for _ in range(self.rng.randint(low, high))))

    def person(self) -> Agent:
        name = self._unique("agent", lambda: f"{self._word()} {self._word()}")
        given, family = name.split(" ", 1)
        return Agent(name, given=given, family=family)

    def band(self) -> Agent:
        r = self.rng
        name = self._unique("agent", lambda: r.choice([
            lambda: f"{r.choice(ADJECTIVES)} {r.choice(NOUNS)}",
            lambda: self._word(3, 4).upper(),
            lambda: f"{self._word()} {r.choice(NOUNS)}s",
            lambda: f"{r.choice(NOUNS)} of {r.choice(NOUNS)}s",
        ])())
        members = [self.performers.pick(r, self.person) for _ in range(r.choice((1, 1, 2, 3)))]
        return Agent(name, group=True, members=members)

    def orchestra(self) -> Agent:
        r = self.rng
        name = self._unique("agent", lambda: r.choice([
            lambda: f"{r.choice(NOUNS)} Philharmonic Orchestra",
            lambda: f"{r.choice(ADJECTIVES)} {r.choice(NOUNS)} Strings",
            lambda: f"{self._word()} Symphony Orchestra",
            lambda: f"{r.choice(NOUNS)} Chamber Ensemble",
        ])())
        return Agent(name, group=True)

    def label(self) -> Agent:
        r = self.rng
        return Agent(self._unique("label", lambda: r.choice([
            lambda: f"{r.choice(NOUNS)} Records",
            lambda: f"{r.choice(ADJECTIVES)} {r.choice(NOUNS)} Music",
            lambda: f"{self._word()} Sound",
            lambda: f"{r.choice(NOUNS)}works",
            lambda: f"{r.choice(NOUNS)} Entertainment",
        ])()))

    def _title(self, kind: str) -> str:
        r = self.rng
        a, n, n2, w = r.choice(ADJECTIVES), r.choice(NOUNS), r.choice(NOUNS), self._word()
        forms = {
            "show": [f"{a} {n}", f"The {n} of the {a} {n2}", f"{n} {n2}", f"{w} no {self._word()}",
                     f"{a} {n}: {w} Arc", f"{w}!", f"{a} {n} Academy", f"{n} Girls", f"{a} {n} 2nd Season"],
            "song": [f"{a} {n}", f"{n} of the {a} {n2}", f"{w} {self._word()}", f"Until the {n} {r.choice(VERBS)}",
                     f"{n} ~{a} {n2}~", f"{a.upper()} {n.upper()}", f"{a} {n}#{r.randint(1, 9)}",
                     f"{w} to {n}", f"Our {a} {n}"],
        }[kind]
        return r.choice(forms)

    # the music of a show, invented with it -----------------------------------------------

    def song(self) -> Song:
        """A theme song: a singer or a band, and maybe who wrote, composed and arranged it."""
        r = self.rng
        song = Song(self._unique("song", lambda: self._title("song")))
        song.performer = self.performers.pick(r, self.band if r.random() < 0.3 else self.person)
        if r.random() < 0.5:
            song.composer = self.composers.pick(r, self.person)
        if r.random() < 0.4:
            song.lyricist = self.writers.pick(r, self.person)
        if r.random() < 0.3:
            song.arranger = self.writers.pick(r, self.person)
        return song

    def show(self) -> Show:
        r = self.rng
        show = Show(self._unique("show", lambda: self._title("show")))
        show.composers = list(dict.fromkeys(self.composers.pick(r, self.person)
                                            for _ in range(2 if r.random() < 0.15 else 1)))
        for composer in show.composers:
            self.scored_by.setdefault(id(composer), []).append(show)
        if r.random() < 0.3:
            show.orchestra = self.orchestras.pick(r, self.orchestra)
        show.openings = [self.song() for _ in range(r.choice((1, 1, 2)))]
        show.endings = [self.song() for _ in range(r.choice((1, 1, 2)))]
        show.inserts = [self.song() for _ in range(r.choice((0, 0, 1, 2)))]
        if r.random() < 0.7:
            suffix = r.choice(["Original Soundtrack", "Original Soundtrack", "OST", "Music Collection",
                               "Original Soundtrack 2", "Sound Selection"])
            album = Album(self._unique("album", lambda: f"{show.name} {suffix}"),
                          self.labels.pick(r, self.label))
            for _ in range(r.randint(6, 16)):  # tracks: songs with no singer of their own
                if r.random() < 0.03:
                    album.tracks.append(Song(r.choice(STOCK_TRACKS)))
                else:
                    album.tracks.append(Song(self._unique("song", lambda: self._title("song"))))
            if r.random() < 0.4:
                album.artist = show.composers[0]
            show.album = album
        return show

    def any_show(self, besides: set[Show] | frozenset[Show] = frozenset()) -> Show:
        """A show, new or known, and (if it can) not one of ``besides``: a ranked list
        names each show once."""
        for _ in range(20):
            show = self.shows.pick(self.rng, self.show)
            if show not in besides:
                break
        return show


# -- writing a document -------------------------------------------------------------------


class Page:
    """A document being written: its text, and the entities and credits in it, with the
    sentence each credit was written in."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.parts: list[str] = []
        self.length = 0
        self.entities: dict[str, Entity] = {}
        self._written: dict[int, str] = {}  # id(thing) -> the entity name this page uses
        self.credits: list[Credit] = []
        self._filler: list[str] = []

    def name(self, thing, entity_type: str) -> str:
        """How this page writes the thing here, recording it as an entity of the type.

        A person is written in full the first time (now and then family name first) and
        later often by the family name alone, which becomes an alias."""
        person = isinstance(thing, Agent) and bool(thing.family)
        full = self._written.get(id(thing))
        if full is None:
            full = f"{thing.family} {thing.given}" if person and self.rng.random() < 0.2 else thing.name
            self._written[id(thing)] = full
            written = full
        else:
            written = thing.family if person and self.rng.random() < 0.4 else full
        entity = self.entities.setdefault(full, Entity(full))
        entity.types.add(entity_type)
        if entity_type == "Orchestra":
            entity.types.add("Performer")  # as the extractor types an orchestra
        if isinstance(thing, Agent) and thing.group:
            entity.group = True
        if written != full:
            entity.aliases.add(written)
        return written

    def _add(self, text: str, credits, confidence: float) -> None:
        start = self.length
        self.parts.append(text)
        self.length += len(text)
        for subject, relation, obj in credits:
            c = min(0.99, max(0.3, confidence + self.rng.uniform(-0.05, 0.05)))
            self.credits.append(Credit(self._written[id(subject)], relation, self._written[id(obj)],
                                       round(c, 2), Evidence(text, start, start + len(text))))

    def line(self, text: str = "", credits=(), confidence: float = 0.85) -> None:
        self._add(text, credits, confidence)
        self._add("\n", (), 0)

    def sentence(self, text: str, credits=(), confidence: float = 0.7) -> None:
        """A sentence of a paragraph (close it with ``paragraph()``)."""
        if self.parts and not self.parts[-1].endswith(("\n", " ")):
            self._add(" ", (), 0)
        self._add(text, credits, confidence)

    def paragraph(self) -> None:
        self._add("\n\n", (), 0)

    def filler(self, low: int = 1, high: int = 3) -> None:
        """Sentences that name nothing, each used once a page while there are others."""
        for _ in range(self.rng.randint(low, high)):
            if not self._filler:
                self._filler = self.rng.sample(FILLER, len(FILLER))
            self.sentence(self._filler.pop())

    @property
    def text(self) -> str:
        return "".join(self.parts)


def _q(title: str) -> str:
    return f"“{title}”"


def _and(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def _album_review(w: World, p: Page) -> None:
    r = w.rng
    show = w.any_show()
    while show.album is None:
        show = w.any_show()
    album, composer = show.album, show.composers[0]
    p.line(p.name(album, "Album"))
    p.line()
    # A stat block: some of these keys, in any order.
    stat = [lambda: p.line(f"Composer: {p.name(composer, 'Composer')}",
                           [(composer, "artistOf", album)] if album.artist else [], 0.9),
            lambda: p.line(f"Label: {p.name(album.label, 'Label')}", [(album, "releasedBy", album.label)], 0.9),
            lambda: p.line(f"Released: {r.randint(1995, 2025)}"),
            lambda: p.line(f"Tracks: {len(album.tracks)}")]
    for write in r.sample(stat, r.randint(2, 4)):
        write()
    p.line()
    p.line(r.choice(["Track List", "Tracklist", "Tracks", "Disc 1"]))
    for i, track in enumerate(album.tracks, 1):
        p.line(f"  {i}. {p.name(track, 'Song')} ({r.randint(1, 6)}:{r.randint(0, 59):02d})",
               [(track, "trackOf", album)], 0.8)
    p.line()
    # Each name is written once per sentence: p.name() records how (full or short).
    show_name, by = p.name(show, "Show"), p.name(composer, "Composer")
    p.sentence(r.choice([
        f"{by}’s score for {show_name} is the highlight of the season.",
        f"{show_name} was scored by {by}, and it shows.",
        f"The music of {show_name} is by {by}.",
        f"{by} composed the music for {show_name}.",
    ]), [(composer, "composedMusicFor", show)], 0.75)
    album_name = p.name(album, "Album")
    p.sentence(r.choice([f"{album_name} collects the music of {show_name}.",
                         f"{album_name} is the soundtrack album of {show_name}."]),
               [(album, "soundtrackOf", show)], 0.7)
    p.filler(1, 2)
    if show.orchestra:
        p.sentence(f"Most of it is performed by the {p.name(show.orchestra, 'Orchestra')}.",
                   [(show.orchestra, "performedMusicFor", show)], 0.65)
    track = r.choice(album.tracks)
    p.sentence(f"{_q(p.name(track, 'Song'))} is the standout.")
    if r.random() < 0.5:
        p.sentence(f"It came out on {p.name(album.label, 'Label')} in {r.randint(1995, 2025)}.",
                   [(album, "releasedBy", album.label)], 0.7)
    p.filler(3, 6)
    p.paragraph()


def _theme_list(w: World, p: Page) -> None:
    r = w.rng
    theme = r.choice(["opening", "ending", "opening", "mixed"])
    p.line(r.choice([f"Top {r.randint(5, 10)} anime {theme if theme != 'mixed' else 'theme'}s of {r.randint(1998, 2025)}",
                     f"My favourite {theme if theme != 'mixed' else 'theme'} songs, ranked",
                     f"The {theme if theme != 'mixed' else 'theme'} songs I never skip"]))
    p.line()
    layout = r.randrange(5)
    listed: set[Show] = set()
    for i in range(1, r.randint(5, 10) + 1):
        show = w.any_show(listed)
        listed.add(show)
        kind = theme if theme != "mixed" else r.choice(["opening", "ending"])
        song = r.choice(show.openings if kind == "opening" else show.endings)
        relation = "openingThemeOf" if kind == "opening" else "endingThemeOf"
        short = "OP" if kind == "opening" else "ED"
        s, sh = p.name(song, "Song"), p.name(show, "Show")
        by = p.name(song.performer, "Performer")
        both = [(song, relation, show), (song.performer, "performerOf", song)]
        if layout == 0:
            p.line(f"{i}. {sh} – {_q(s)} by {by}", both, 0.8)
        elif layout == 1:
            p.line(f"{i}. {_q(s)} ({sh} {short}) – {by}", both, 0.8)
        elif layout == 2:
            p.line(f"#{i} {sh} ({short}: {_q(s)} by {by})", both, 0.8)
        elif layout == 3:
            p.line(f"{i}. {by} – {s} [{sh} {short}]", both, 0.75)
        else:
            p.sentence(r.choice([
                f"Coming in at number {i} is {_q(s)}, the {kind} theme of {sh}, sung by {by}.",
                f"At {i}, the {kind} of {sh}: {_q(s)}, performed by {by}.",
                f"Number {i} goes to {by} and {_q(s)}, which {'opens' if kind == 'opening' else 'closes'} every episode of {sh}.",
            ]), both, 0.7)
        credits_line = []
        for agent, relation, role, word in ((song.lyricist, "lyricistOf", "Lyricist", "Lyrics by"),
                                            (song.composer, "composerOf", "Composer", "composed by"),
                                            (song.arranger, "arrangerOf", "Arranger", "arranged by")):
            if agent is not None and r.random() < 0.6:
                credits_line.append((f"{word} {p.name(agent, role)}", (agent, relation, song)))
        if credits_line:
            text = ", ".join(t for t, _ in credits_line)
            if layout == 4:
                p.sentence(_cap(text) + ".", [c for _, c in credits_line], 0.65)
            else:
                p.line(f"   {_cap(text)}.", [c for _, c in credits_line], 0.7)
        if layout == 4:
            p.filler(1, 2)
            p.paragraph()
        elif r.random() < 0.4:
            p.line(f"   {r.choice(REMARKS)}")
    p.line()
    p.filler(2, 4)
    p.paragraph()


def _composer_list(w: World, p: Page) -> None:
    r = w.rng
    p.line(r.choice(["Composers who made my favourite shows", "Ten composers worth following",
                     "Who scored it? My top composers"]))
    p.line()
    listed: set[Agent] = set()
    for i in range(1, r.randint(3, 8) + 1):
        for _ in range(20):
            composer = w.any_show().composers[0]
            if composer not in listed:
                break
        listed.add(composer)
        scored = w.scored_by[id(composer)]
        shows = r.sample(scored, min(len(scored), r.randint(1, 4)))
        titles = [p.name(s, "Show") for s in shows]
        credits = [(composer, "composedMusicFor", s) for s in shows]
        name = p.name(composer, "Composer")
        if r.random() < 0.5:
            p.line(f"{i}. {name}", [], 0.8)
            p.line(f"   Known for: {', '.join(titles)}", credits, 0.75)
        else:
            p.sentence(f"{i}. {name} – {r.choice(['best known for', 'the music of', 'who scored'])} "
                       f"{_and(titles)}.", credits, 0.7)
            if r.random() < 0.5:
                p.sentence(f"{p.name(composer, 'Composer')} rarely repeats a trick.")
            p.filler(1, 2)
            p.paragraph()
    p.line()
    p.filler(2, 3)
    p.paragraph()


def _show_page(w: World, p: Page) -> None:
    show = w.any_show()
    sh = p.name(show, "Show")
    p.line(sh)
    p.line()
    p.line(f"Music: {', '.join(p.name(c, 'Composer') for c in show.composers)}",
           [(c, "composedMusicFor", show) for c in show.composers], 0.9)
    for kind, songs, relation in (("Opening theme", show.openings, "openingThemeOf"),
                                  ("Ending theme", show.endings, "endingThemeOf"),
                                  ("Insert song", show.inserts, "insertSongOf")):
        for song in songs:
            p.line(f"{kind}: {_q(p.name(song, 'Song'))} by {p.name(song.performer, 'Performer')}",
                   [(song, relation, show), (song.performer, "performerOf", song)], 0.85)
    if show.orchestra:
        p.line(f"Orchestra: {p.name(show.orchestra, 'Orchestra')}",
               [(show.orchestra, "performedMusicFor", show)], 0.85)
    if show.album:
        p.line(f"Soundtrack: {p.name(show.album, 'Album')} ({p.name(show.album.label, 'Label')})",
               [(show.album, "soundtrackOf", show), (show.album, "releasedBy", show.album.label)], 0.85)
    p.line()
    p.filler(3, 7)
    p.paragraph()


def _comment_thread(w: World, p: Page) -> None:
    r = w.rng
    p.line(r.choice(["Re: music thread", "Re: best insert songs?", "Re: who sang this?", "Comments"]))
    p.line()
    for _ in range(r.randint(3, 7)):
        p.line(f"{r.choice(HANDLES)}{r.randint(1, 99)} wrote:")
        show = w.any_show()
        sh = p.name(show, "Show")
        pick = r.randrange(6)
        if pick == 0 and show.inserts:
            song = show.inserts[0]
            p.sentence(f"the insert song in ep {r.randint(2, 24)} of {sh} was {_q(p.name(song, 'Song'))} by "
                       f"{p.name(song.performer, 'Performer')}, I cried.",
                       [(song, "insertSongOf", show), (song.performer, "performerOf", song)], 0.6)
        elif pick == 1 and song_with_band(show):
            song = song_with_band(show)
            member = song.performer.members[0]
            p.sentence(f"{p.name(member, 'Performer')} is the vocalist of {p.name(song.performer, 'Performer')}, "
                       f"they did {_q(p.name(song, 'Song'))} for {sh}.",
                       [(member, "memberOf", song.performer), (song.performer, "performerOf", song)], 0.6)
        elif pick == 2 and show.album and show.album.artist:
            album = show.album
            p.sentence(f"{p.name(album.artist, 'Composer')}’s album {p.name(album, 'Album')} is out on "
                       f"{p.name(album.label, 'Label')}, it is the {sh} soundtrack.",
                       [(album.artist, "artistOf", album), (album, "releasedBy", album.label),
                        (album, "soundtrackOf", show)], 0.6)
        elif pick == 3:
            composer = show.composers[-1]
            p.sentence(f"wait, {p.name(composer, 'Composer')} scored {sh} too??",
                       [(composer, "composedMusicFor", show)], 0.55)
        elif pick == 4:
            song = (show.album.tracks if show.album else show.openings)[0]
            p.sentence(f"{_q(p.name(song, 'Song'))} plays in {sh} when the credits roll in the finale.",
                       [(song, "featuredIn", show)], 0.55)
        else:
            song = show.openings[0]
            p.sentence(f"the theme song of {sh}, {_q(p.name(song, 'Song'))}, lives in my head rent free.",
                       [(song, "themeSongOf", show)], 0.55)
        p.filler(0, 2)
        p.paragraph()
        if r.random() < 0.4:
            p.line(f"{r.choice(HANDLES)}{r.randint(1, 99)} wrote:")
            p.line(r.choice(COMMENTS))
            p.line()


def song_with_band(show: Show) -> Song | None:
    return next((s for s in show.openings + show.endings if s.performer and s.performer.members), None)


# The kinds of document and how common each is.
GENRES = [(_album_review, 0.22), (_theme_list, 0.30), (_composer_list, 0.13), (_show_page, 0.15),
          (_comment_thread, 0.20)]


def document(world: World, number: int) -> Extraction:
    """The next document about the world, with everything in it as an extraction."""
    rng = world.rng
    write = rng.choices([g for g, _ in GENRES], weights=[w for _, w in GENRES])[0]
    page = Page(rng)
    write(world, page)
    text = page.text
    doc_id = f"synthetic-{number:06d}"
    title = text.split("\n", 1)[0].strip()
    doc = Document(doc_id, text, f"synthetic/{write.__name__.strip('_')}/{number}.txt",
                   hashlib.sha256(text.encode("utf-8")).hexdigest(), title=title)
    return Extraction(doc, list(page.entities.values()), page.credits, EXTRACTOR_VERSION)


def extractions(seed: int = 7) -> Iterator[Extraction]:
    """Documents about one world, without end (take as many as needed)."""
    world = World(random.Random(seed))
    number = 0
    while True:
        yield document(world, number)
        number += 1


def corpus(total_chars: int, seed: int = 7) -> Iterator[str]:
    """Texts of documents until their total length reaches total_chars."""
    size = 0
    for extraction in extractions(seed):
        if size >= total_chars:
            return
        size += len(extraction.document.text)
        yield extraction.document.text
