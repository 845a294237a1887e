"""No name or wording of the shared corpus in the extractor's code, data or tests.

The rules must generalise to texts nobody has seen, so they may not quote the texts they
were measured on: no gold entity name (of two or more words, or six or more letters) and
no run of six words of a corpus document may appear in ``extract/*.py``,
``extract/patterns/*`` or ``tests/extract/*.py``. The corpus lives beside the checkout in
``../shared``, which a user's clone does not have: then this test skips.

A few names are also common words or well-known facts that our own examples use on
purpose; they are listed in ``ALLOWED`` with the reason.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT.parent / "shared" / "corpus"
SPLITS = ("train", "valid", "dev")
RUN = 6

pytestmark = pytest.mark.skipif(not (CORPUS / "train" / "gold").is_dir(),
                                reason="../shared/corpus is not beside this checkout")

# Gold names that may stay, lower-cased, with the reason: ordinary English words; the
# well-known record labels of the lexicon (public facts, listed there before any corpus
# text); and well-known facts that the test documents in tests/data/documents and the
# README's examples use in sentences of our own.
COMMON_WORDS = {"another", "message", "shuffle", "connect", "vol. 2"}
WELL_KNOWN_LABELS = {"aniplex", "avex trax", "columbia", "nippon columbia", "flying dog", "geneon", "lantis",
                     "pony canyon", "tokuma", "victor entertainment", "warner", "5pb. records", "tofu records"}
WELL_KNOWN_FACTS = {"cowboy bebop", "yoko kanno", "the seatbelts", "gurenge", "hiroyuki sawano", "sawano",
                    "joe hisaishi", "hisaishi", "spirited away", "ghost in the shell", "ghost in the shell ost",
                    "kenji kawai"}
ALLOWED = COMMON_WORDS | WELL_KNOWN_LABELS | WELL_KNOWN_FACTS

WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")


def _scanned() -> list[Path]:
    files = sorted((ROOT / "extract").glob("*.py")) + sorted((ROOT / "tests" / "extract").glob("*.py"))
    files += sorted(p for p in (ROOT / "extract" / "patterns").iterdir() if p.is_file())
    return [p for p in files if p.name != Path(__file__).name]


def _gold_names() -> set[str]:
    names = set()
    for split in SPLITS:
        for path in sorted((CORPUS / split / "gold").glob("*.json")):
            for entity in json.loads(path.read_text(encoding="utf-8"))["entities"]:
                for form in [entity["name"], *entity.get("aliases", [])]:
                    form = " ".join(form.split())
                    if len(form.split()) >= 2 or len(form) >= 6:
                        names.add(form)
    return names


def _words(text: str) -> list[str]:
    return [w.lower().replace("’", "'") for w in WORD.findall(text)]


def _corpus_runs() -> set[tuple[str, ...]]:
    runs = set()
    for split in SPLITS:
        for path in sorted((CORPUS / split / "docs").glob("*")):
            words = _words(path.read_text(encoding="utf-8", errors="replace"))
            runs.update(tuple(words[i:i + RUN]) for i in range(len(words) - RUN + 1))
    return runs


def find_corpus_text() -> list[str]:
    """Each place a scanned file quotes the corpus, as "path:line: what"."""
    names = sorted(n for n in _gold_names() if n.lower() not in ALLOWED)
    name_res = [(n, n.lower(), re.compile(r"(?<![^\W_])" + re.escape(n) + r"(?![^\W_])", re.I)) for n in names]
    runs = _corpus_runs()
    found = []
    for path in _scanned():
        where = path.relative_to(ROOT)
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            lowered = line.lower()
            for name, lowered_name, pattern in name_res:
                # The substring test first: a regex per name and line is slow.
                if lowered_name in lowered and pattern.search(line):
                    found.append(f"{where}:{number}: name {name!r}")
            words = _words(line)
            for i in range(len(words) - RUN + 1):
                if tuple(words[i:i + RUN]) in runs:
                    found.append(f"{where}:{number}: words {' '.join(words[i:i + RUN])!r}")
                    break
    return found


def test_no_corpus_names_or_wording_in_the_extractor():
    found = find_corpus_text()
    assert not found, "corpus text in code, data or tests:\n" + "\n".join(found)


if __name__ == "__main__":
    print("\n".join(find_corpus_text()) or "nothing found")
