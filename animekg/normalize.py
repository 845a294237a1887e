"""The normalized key of a name, shared by the extractor (names within a document) and
the graph (names across documents).

It folds what the annotation spec treats as the same name: case, accents, punctuation,
a leading "the", long vowels (Yuuki = Yuki, Saitou = Saito), honorifics, and the ways of
writing "Original Soundtrack".
"""

from __future__ import annotations

import functools
import re
import unicodedata

HONORIFIC = re.compile(r"(?i)(^(dr|mr|mrs|ms|prof|sir)\.?\s+)|([-\s](san|sensei|sama|chan|kun|shi)$)")
ALBUM_WORDS = re.compile(r"\b(original soundtrack|original sound track|soundtrack|sound track|o s t|ost)\b")


# Every stage asks for the keys of the same few hundred names of a document, many times.
@functools.lru_cache(maxsize=65536)
def name_key(text: str) -> str:
    s = unicodedata.normalize("NFKC", text).strip()
    s = HONORIFIC.sub("", s)
    s = s.casefold()
    s = "".join(c for c in unicodedata.normalize("NFD", s) if unicodedata.category(c) != "Mn")
    s = re.sub(r"[\W_]+", " ", s).strip()
    if s.startswith("the "):
        s = s[4:]
    s = ALBUM_WORDS.sub("ost", s)
    s = s.replace("ou", "o")
    s = re.sub(r"([aeiou])\1+", r"\1", s)
    return s


def order_free_key(key: str) -> str:
    """Two-word names match in either order (Kajiura Yuki = Yuki Kajiura)."""
    words = key.split()
    return " ".join(sorted(words)) if len(words) == 2 else key
