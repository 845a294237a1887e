"""Track lists: the number and running time of each track, and an album's total time.

The credit readers say which songs are tracks of which album (trackOf); this module
reads, from the text alone, where a numbered track line puts each of those songs and
how long it runs. It needs no spaCy: ``track_listings(document.text, credits)`` is
called once the credits of a document are known.

A line is one of these shapes (number first, then the title, a running time last):

    4. Title (10:18)          04 - Title 3:45          Track 7: Title          7) Title [4:02]

Every rule below is a small function; its docstring shows what it reads.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from animekg.normalize import name_key

from .records import Credit, Evidence, TrackListing

__all__ = [
    "AlbumRuntime", "TrackLine",
    "track_listings", "album_runtimes", "total_duration",
    "track_lines", "read_track_line", "read_duration", "xsd_duration",
]

# "Track 7: Title", "#4 Title", then "4. Title", "04 - Title", "7) Title", "(4) Title", "4: Title".
# A track number: 1 to 3 digits (a four-digit number at a line start is a year), then a
# separator followed by a space, so that "4.5 stars" or "10:18" is no track line.
_TRACK_WORD = re.compile(r"(?i)^(?:track|tr\.)\s*#?\s*(?P<number>\d{1,3})\s*(?:[.:)\-–—]\s*|\s+)(?P<rest>\S.*)$")
_HASHED = re.compile(r"^#\s*(?P<number>\d{1,3})[.):]?\s+(?P<rest>\S.*)$")
_NUMBERED = re.compile(r"^\(?\s*(?P<number>\d{1,3})(?:[.):]\s+|\s*[-–—]\s+)(?P<rest>\S.*)$")
# Bullets and indentation in front of a numbered line ("- 4. Title", "* Track 2: ...").
_BULLET = re.compile(r"^[\s*•·\-–—>]*")
# m:ss or h:mm:ss, standing alone.
_CLOCK = r"(?<![\d:])(?P<clock>\d{1,2}(?::\d{2}){1,2})(?![\d:])"
_BRACKETED_TIME = re.compile(rf"[(\[]\s*{_CLOCK}\s*[)\]]")
_BARE_TIME_AT_END = re.compile(rf"(?:\s+[-–—|]?\s*|^){_CLOCK}\s*$")
# "Total time: 58:21", "Total Playing Time 1:02:33", "Total running time - 47:10", "Runtime: 58:21",
# "Total: 58:21".
_TOTAL = re.compile(
    rf"(?i)\b(?:total(?:\s+(?:play(?:ing)?|running|run))?\s*(?:time|length|duration)|total(?=\s*:)|running\s+time|runtime)"
    rf"\s*[:=\-–—]?\s*[(\[]?\s*{_CLOCK}")
_QUOTES = "\"'“”‘’「」『』«»"


@dataclass(frozen=True)
class TrackLine:
    """One numbered line of a track list: its number, its title part, its running time."""

    position: int
    title: str
    duration_seconds: int | None
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class AlbumRuntime:
    """An album's total running time, as a line of the text states it."""

    album: str
    seconds: int
    evidence: Evidence


def read_duration(clock: str) -> int | None:
    """Seconds in ``m:ss`` or ``h:mm:ss``; None when it is no time on a clock.

    >>> read_duration("10:18"), read_duration("1:02:33"), read_duration("4:75")
    (618, 3753, None)
    """
    parts = [int(p) for p in clock.split(":")]
    if any(p >= 60 for p in parts[1:]) or len(parts) not in (2, 3):
        return None
    seconds = 0
    for part in parts:
        seconds = seconds * 60 + part
    return seconds


def xsd_duration(seconds: int) -> str:
    """The xsd:duration lexical form of a running time, hours and minutes as needed.

    >>> xsd_duration(618), xsd_duration(3753), xsd_duration(45), xsd_duration(0)
    ('PT10M18S', 'PT1H2M33S', 'PT45S', 'PT0S')
    """
    if seconds < 0:
        raise ValueError(f"a running time cannot be negative: {seconds} s")
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    text = "PT" + (f"{hours}H" if hours else "") + (f"{minutes}M" if minutes else "")
    return text + (f"{secs}S" if secs or text == "PT" else "")


def _line_duration(rest: str) -> tuple[str, int | None]:
    """The title part of a line and its running time, bracketed anywhere or bare at the end.

    >>> _line_duration("Title (10:18)"), _line_duration("Title [4:02] (sung by X)")
    (('Title', 618), ('Title (sung by X)', 242))
    >>> _line_duration("Title - 3:45"), _line_duration("Title")
    (('Title', 225), ('Title', None))
    """
    for pattern in (_BRACKETED_TIME, _BARE_TIME_AT_END):
        for match in pattern.finditer(rest):
            seconds = read_duration(match.group("clock"))
            if seconds is not None:
                title = (rest[:match.start()] + " " + rest[match.end():]).strip()
                return re.sub(r"\s{2,}", " ", title).strip(" -–—|"), seconds
    return rest.strip(), None


def read_track_line(line: str) -> tuple[int, str, int | None] | None:
    """(position, title part, seconds) of a numbered track line, or None for any other line.

    >>> read_track_line("4. Title (10:18)"), read_track_line("Track 7: Title")
    ((4, 'Title', 618), (7, 'Title', None))
    >>> read_track_line("04 - Title 3:45"), read_track_line("7) Title [4:02]")
    ((4, 'Title', 225), (7, 'Title', 242))
    >>> read_track_line("1998. A year, not a track"), read_track_line("0. Nothing")
    (None, None)
    """
    line = _BULLET.sub("", line).rstrip()
    match = _TRACK_WORD.match(line) or _HASHED.match(line) or _NUMBERED.match(line)
    if not match:
        return None
    number = int(match.group("number"))
    if number < 1:
        return None
    title, seconds = _line_duration(match.group("rest"))
    return (number, title, seconds) if title else None


def track_lines(text: str) -> list[TrackLine]:
    """Every numbered track line of a text, with its character span.

    >>> [(t.position, t.title) for t in track_lines("Tracks:\\n1. One (1:00)\\n2. Two\\n")]
    [(1, 'One'), (2, 'Two')]
    """
    lines = []
    for match in re.finditer(r"[^\r\n]+", text):
        read = read_track_line(match.group())
        if read:
            position, title, seconds = read
            raw = match.group()
            start = match.start() + len(raw) - len(raw.lstrip())
            end = match.start() + len(raw.rstrip())
            lines.append(TrackLine(position, title, seconds, start, end, text[start:end]))
    return lines


def _title_match(line_key: str, song_key: str) -> int:
    """How well a line's title part names a song, by normalized keys (see ``_key``):
    3 the same, 2 leads with it, 1 holds it, 0 not.

    >>> _title_match(_key('"Title" (sung by X)'), _key("Title")), _title_match("title", "title")
    (2, 3)
    >>> _title_match(_key("X - Title"), _key("Title")), _title_match("copper bell", "bell tower")
    (1, 0)
    """
    if not song_key:
        return 0
    if line_key == song_key:
        return 3
    if line_key.startswith(song_key + " "):
        return 2
    return 1 if f" {song_key} " in f" {line_key} " else 0


def _key(name: str) -> str:
    """A name as the track list matcher compares it: case, quotes and punctuation folded.

    >>> _key("“Tin Kite”"), _key("The Blue Original Soundtrack")
    ('tin kite', 'blue ost')
    """
    return name_key(name.strip(_QUOTES + " "))


def _albums_above(text: str, albums: list[str]) -> dict[int, str]:
    """For each line start, the album named last on a line above it (the heading a track
    list sits under); lines with no album named above are left out.

    >>> _albums_above("Blue OST\\nRed OST\\n1. x", ["Blue OST", "Red OST"])
    {9: 'Blue OST', 17: 'Red OST'}
    """
    keys = [(album, f" {_key(album)} ") for album in albums if _key(album)]
    above: dict[int, str] = {}
    current = None
    for match in re.finditer(r"[^\r\n]+", text):
        if current is not None:
            above[match.start()] = current
        line_key = f" {name_key(match.group())} "
        named = [(line_key.rfind(key), album) for album, key in keys if key in line_key]
        if named:
            current = max(named)[1]
    return above


def _word_runs(key: str, longest: int) -> set[str]:
    """Every run of up to ``longest`` consecutive words of a key: the song names it may hold.

    >>> sorted(_word_runs("tin kite", 2))
    ['kite', 'tin', 'tin kite']
    """
    words = key.split()
    return {" ".join(words[i:j]) for i in range(len(words))
            for j in range(i + 1, min(len(words), i + longest) + 1)}


def _says_track(line: str) -> bool:
    """Whether a line calls itself a track.

    >>> _says_track("- Track 7: Title"), _says_track("7. Title")
    (True, False)
    """
    return bool(_TRACK_WORD.match(_BULLET.sub("", line)))


def track_listings(text: str, credits: list[Credit]) -> list[TrackListing]:
    """The position and running time of every trackOf credit's song on a numbered line.

    A line names the song its title matches best, and a song takes its first line per
    album (first a line that says "Track" or gives a time, then any).
    When a song is a track of several albums, its line must sit under that album's name.
    A plain numbered line (no "Track" word and no time) counts only below a line that
    names an album, so that a ranked list of songs gives no track numbers.

    >>> c = Credit("Tin Kite", "trackOf", "Blue OST", 0.9, Evidence("x", 0, 1))
    >>> [(t.position, t.duration_seconds) for t in track_listings("Blue OST\\n3. Tin Kite (4:02)", [c])]
    [(3, 242)]
    """
    pairs = list(dict.fromkeys((c.subject, c.object) for c in credits if c.relation == "trackOf"))
    if not pairs:
        return []
    lines = track_lines(text)
    if not lines:
        return []
    above = _albums_above(text, list(dict.fromkeys(album for _, album in pairs)))
    albums_of: dict[str, set[str]] = {}
    for song, album in pairs:
        albums_of.setdefault(song, set()).add(album)
    # Each line once: its key, the album above it, whether it may stand without one.
    read = [(_key(line.title), above.get(line.start),
             line.duration_seconds is not None or _says_track(line.text)) for line in lines]

    # Each line names the one song it matches best (the longer name on a tie) ...
    songs_by_key: dict[str, list[str]] = {}
    for song in albums_of:
        if _key(song):
            songs_by_key.setdefault(_key(song), []).append(song)
    longest = max((len(key.split()) for key in songs_by_key), default=0)
    chosen: dict[tuple[str, str], tuple[tuple[bool, int], TrackListing]] = {}
    for line, (line_key, album_above, sure) in zip(lines, read):
        if album_above is None and not sure:
            continue
        named = [(_title_match(line_key, key), len(key), song)
                 for key in _word_runs(line_key, longest) for song in songs_by_key.get(key, ())]
        best = max(named, default=(0, 0, ""))
        if not best[0]:
            continue
        song = best[2]
        # ... and each song keeps, per album, its first line that says track or gives a
        # time, else its first line: a track list beats a ranked list of the same songs.
        rank = (not sure, line.start)
        for album in albums_of[song]:
            if len(albums_of[song]) > 1 and album_above != album:
                continue
            if (song, album) not in chosen or rank < chosen[(song, album)][0]:
                listing = TrackListing(song, album, line.position, line.duration_seconds,
                                       Evidence(line.text, line.start, line.end))
                chosen[(song, album)] = (rank, listing)
    return sorted((listing for _, listing in chosen.values()), key=lambda t: t.evidence.start)


def total_duration(text: str) -> int | None:
    """The first total running time a text states, in seconds, or None.

    >>> total_duration("Total time: 58:21"), total_duration("Total Playing Time 1:02:33")
    (3501, 3753)
    >>> total_duration("It lasts 58:21 in all.") is None
    True
    """
    for match in _TOTAL.finditer(text):
        seconds = read_duration(match.group("clock"))
        if seconds is not None:
            return seconds
    return None


def album_runtimes(text: str, credits: list[Credit]) -> list[AlbumRuntime]:
    """The total running time of each album that a "Total time" line names or sits under.

    The album is the one named last on or above the line, among the albums the credits
    know (the object of trackOf or artistOf, the subject of soundtrackOf or releasedBy);
    the first total under an album counts.

    >>> c = Credit("Tin Kite", "trackOf", "Blue OST", 0.9, Evidence("x", 0, 1))
    >>> [(r.album, r.seconds) for r in album_runtimes("Blue OST\\n1. Tin Kite\\nTotal time: 41:05", [c])]
    [('Blue OST', 2465)]
    """
    albums = list(dict.fromkeys(
        [c.object for c in credits if c.relation in ("trackOf", "artistOf")]
        + [c.subject for c in credits if c.relation in ("soundtrackOf", "releasedBy")]))
    if not albums or not _TOTAL.search(text):
        return []
    keys = [(album, f" {_key(album)} ") for album in albums if _key(album)]
    found: dict[str, AlbumRuntime] = {}
    current = None
    for line in re.finditer(r"[^\r\n]+", text):
        line_key = f" {name_key(line.group())} "
        named = [(line_key.rfind(key), album) for album, key in keys if key in line_key]
        if named:
            current = max(named)[1]
        match = _TOTAL.search(line.group())
        seconds = read_duration(match.group("clock")) if match else None
        # A text about one album may name it only as "the soundtrack": the total is its own.
        album = current or (albums[0] if len(albums) == 1 else None)
        if seconds is None or album is None or album in found:
            continue
        raw = line.group()
        start = line.start() + len(raw) - len(raw.lstrip())
        end = line.start() + len(raw.rstrip())
        found[album] = AlbumRuntime(album, seconds, Evidence(text[start:end], start, end))
    return list(found.values())
