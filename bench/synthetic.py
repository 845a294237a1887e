"""Synthetic but realistic credit texts with invented names, for benchmarks.

Each document mixes the ways people write about anime music: a list of shows with their
composers, theme songs with their singers, a track list under a soundtrack album, and
plain review prose. Names are made up from syllables, so no lexicon knows them.
"""

from __future__ import annotations

import random
from collections.abc import Iterator

SYLLABLES = ["ka", "ki", "ku", "ke", "ko", "sa", "shi", "su", "se", "so", "ta", "chi", "tsu", "te", "to",
             "na", "ni", "nu", "ne", "no", "ha", "hi", "fu", "he", "ho", "ma", "mi", "mu", "me", "mo",
             "ya", "yu", "yo", "ra", "ri", "ru", "re", "ro", "wa", "n"]
WORDS = ["Crimson", "Silver", "Glass", "Lantern", "Harbor", "Comet", "Orchard", "Signal", "Garden",
         "Ferry", "Meridian", "Echo", "Velvet", "Orbit", "Paper", "Moon", "Tide", "Crown", "Ember", "Road"]
FILLER = ("The animation holds up, but it is the music that people remember. "
          "I watched it twice and bought the album the week after. ")


def _name(rng: random.Random) -> str:
    def part(n: int) -> str:
        return "".join(rng.choice(SYLLABLES) for _ in range(n)).capitalize()
    return f"{part(2)} {part(rng.choice((2, 3)))}"


def _title(rng: random.Random, words: int = 2) -> str:
    return " ".join(rng.sample(WORDS, words))


def document(rng: random.Random) -> str:
    shows = [_title(rng) for _ in range(3)]
    composer, singer = _name(rng), _name(rng)
    song, album = _title(rng), f"{shows[0]} Original Soundtrack"
    tracks = [_title(rng) for _ in range(6)]
    lines = [
        f"{album}", "", f"Label: {rng.choice(WORDS)} Records", "", "Track List", "",
        *[f"  {i}. {t} ({rng.randint(1, 9)}:{rng.randint(10, 59)})" for i, t in enumerate(tracks, 1)], "",
        f"  1. {shows[0]} (music: {composer}). {FILLER}",
        f"  2. {shows[1]} (OP: “{song}” by {singer}). {FILLER}",
        f"  3. {shows[2]} (ED: by {_name(rng)}). {FILLER}", "",
        f"{composer}’s score for {shows[0]} is the highlight, performed by the {rng.choice(WORDS)} "
        f"Philharmonic Orchestra. {singer}’s “{song}” opens {shows[1]}. {FILLER * 3}",
    ]
    return "\n".join(lines) + "\n"


def corpus(total_chars: int, seed: int = 7) -> Iterator[str]:
    """Documents until their total length reaches total_chars."""
    rng = random.Random(seed)
    size = 0
    while size < total_chars:
        text = document(rng)
        size += len(text)
        yield text
