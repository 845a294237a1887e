"""Checks every SPARQL text passes before Oxigraph runs it: size, nesting, SERVICE, LOAD.

Two kinds of harm, two kinds of check:

- *A query that crashes the process.* Oxigraph's parser and planner recurse once per level
  of nesting and once per link of a chain (``a UNION b UNION ...``, ``x + y + ...``); past
  a few thousand levels the stack overflows and the process dies with SIGSEGV, which no
  ``except`` catches. Measured with pyoxigraph 0.5.13 on an 8 MiB main-thread stack:
  ``CONCAT(`` nested ~700 deep, ``{`` 2,000-2,500 deep and a chain of 1,500-3,000 MINUS
  blocks crash; ``[`` nested 400 deep takes 8 s to parse (the cost grows with the cube of
  the depth). So before Oxigraph sees the text, a small lexer counts its nesting and its
  tokens, and refuses both well below those points.
- *A query that makes this machine fetch other URLs* (SERVICE, and LOAD in an update).
  A text filter cannot know what the parser reads (an escaped ``\\#`` in a name hides a line
  from it; ``SERVICE:`` is a keyword followed by a prefixed name). So Oxigraph itself is
  asked, without running anything: every occurrence of the word, in any case and through
  ``\\u`` escapes, is renamed by one letter (consistently, to a spelling the text does not
  use), and Oxigraph parses the result. A bare word is a keyword or a syntax error in
  SPARQL, so if the renamed text still parses, no occurrence was the keyword; if only the
  original parses, one was, and the text is refused. Parsing only: a query is given a
  substitution for a variable it does not project, which Oxigraph refuses after parsing and
  before evaluating; an update is parsed by a read-only empty store, which refuses to start
  the transaction.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox

from animekg.errors import QueryError

# Real queries nest under 20 levels; the named queries under 10.
MAX_NESTING = 100
# Tokens outside VALUES and INSERT/DELETE DATA blocks (whose rows and triples Oxigraph keeps
# in flat lists: 100,000 of either parse fine). The named queries have under 800.
MAX_TOKENS = 4_000
# The lexer's own bound; the endpoint takes request bodies up to 4 MiB.
MAX_CHARACTERS = 8 * 2**20

LEXEME = re.compile(r"""
    (?P<long>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\")
  | (?P<string>'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<comment>\#[^\n\r]*)
  | (?P<open>[{(\[]|<<)
  | (?P<close>[})\]]|>>)
  | (?P<escape>\\.)
  | (?P<word>[^\s{}()\[\]<>"'\#\\,;.|&!=+*/^-]+)
  | (?P<space>\s+)
  | (?P<other>.)
""", re.VERBOSE | re.DOTALL)


def tokens(sparql: str) -> Iterator[tuple[re.Match, int]]:
    """The tokens of a SPARQL text that a parser reads (not spaces or comments), each with
    how many ``{ ( [`` it stands inside; an opening or closing bracket counts as inside.

    >>> [(m.group(), depth) for m, depth in tokens("ASK { ?s ?p 'x' } # a note")]
    [('ASK', 0), ('{', 1), ('?s', 1), ('?p', 1), ("'x'", 1), ('}', 1)]
    """
    depth = 0
    for m in LEXEME.finditer(sparql):
        kind = m.lastgroup
        if kind in ("space", "comment"):
            continue
        if kind == "open":
            depth += 1
        yield m, depth
        if kind == "close":
            depth = max(0, depth - 1)


def words(sparql: str) -> list[str]:
    """The bare words of a SPARQL text, upper-cased: its keywords, names and variables."""
    return [m.group().upper() for m, _ in tokens(sparql) if m.lastgroup == "word"]


_IRI_PUNCTUATION = re.compile(r"[(){}\[\]+*/|&!=^,;-]")


def check_text(sparql: str, what: str = "query") -> None:
    """QueryError when the text is too large or nests too deep for Oxigraph to parse safely."""
    if len(sparql) > MAX_CHARACTERS:
        raise QueryError(f"the {what} is {len(sparql):,} characters, over the limit of {MAX_CHARACTERS:,}; "
                         "split it, or load data from files (`animekg load`)")
    deepest = count = 0
    flat_from: int | None = None  # the depth of the VALUES or DATA block we are in
    flat_next = False
    previous = ""
    for m, depth in tokens(sparql):
        kind = m.lastgroup
        if kind == "open":
            deepest = max(deepest, depth)
            if flat_next and m.group() == "{":
                flat_from, flat_next = depth, False
        elif kind == "close":
            if flat_from is not None and depth == flat_from:
                flat_from = None
        elif kind == "iri":
            # Counted as the operators it could be read as, so that no reading of
            # `<...>` as comparisons hides a chain from the count (in a VALUES or DATA
            # block, a list of terms, nothing is read as an operator).
            if flat_from is None:
                count += len(_IRI_PUNCTUATION.findall(m.group()))
            depth_in_iri = 0
            for c in m.group():
                depth_in_iri += c in "([{"
                deepest = max(deepest, depth + depth_in_iri)
        elif kind == "word":
            word = m.group().upper()
            if word == "VALUES" or (word == "DATA" and previous in ("INSERT", "DELETE")):
                flat_next = True
            previous = word
        if deepest > MAX_NESTING:
            raise QueryError(f"the {what} nests deeper than {MAX_NESTING} levels of {{ }}, ( ) or [ ]; "
                             "Oxigraph cannot parse such nesting safely: flatten it")
        if flat_from is None:
            count += 1
            if count > MAX_TOKENS:
                raise QueryError(f"the {what} has more than {MAX_TOKENS:,} terms and operators outside VALUES "
                                 "and DATA blocks; Oxigraph cannot plan such a long chain safely: split it, "
                                 "or move constants into a VALUES block")


def _spelled(word: str) -> str:
    """A pattern for the word in any case, any letter maybe written as a \\u escape."""
    letters = []
    for c in word:
        codes = "|".join(f"\\\\u{ord(x):04x}|\\\\U{ord(x):08x}" for x in {c.lower(), c.upper()})
        letters.append(f"(?:{re.escape(c)}|{codes})")
    return "".join(letters)


def _renamed(text: str, word: str) -> str | None:
    """The text with every spelling of the word changed in its last letter, to a letter
    that makes a word the text does not already contain; None if the word is absent."""
    stem, last = word[:-1], word[-1]
    found = re.compile(f"({_spelled(stem)}){_spelled(last)}", re.IGNORECASE)
    if not found.search(text):
        return None
    for letter in "qxzjkwvyb":
        if not re.search(_spelled(stem + letter), text, re.IGNORECASE):
            return found.sub(lambda m: m.group(1) + letter, text)
    raise QueryError(f"the text spells {stem}* too many ways to be checked for {word.upper()}; rename its variables")


_PROBE = "animekg_parse_probe"
_UNPROJECTED = "does not contains variable"


def _query_parses(sparql: str) -> SyntaxError | None:
    """None if Oxigraph parses the query; its SyntaxError if not. Nothing is evaluated."""
    probe = _PROBE
    while probe in sparql:
        probe += "_"
    try:
        ox.Store().query(sparql, substitutions={ox.Variable(probe): ox.Literal("")})
    except SyntaxError as exc:
        return exc
    except RuntimeError as exc:
        if _UNPROJECTED in str(exc):
            return None
        raise QueryError(f"malformed SPARQL query: {' '.join(str(exc).split())}") from exc
    # Oxigraph took a substitution it should have refused: do not guess, refuse.
    raise QueryError("the query could not be checked before running; rephrase it")


def _update_parses(sparql: str) -> SyntaxError | None:
    """None if Oxigraph parses the update; its SyntaxError if not. Nothing is applied."""
    try:
        _read_only_store().update(sparql)
    except SyntaxError as exc:
        return exc
    except (RuntimeError, OSError):
        return None
    raise QueryError("the update could not be checked before running; rephrase it")


_empty_store: ox.Store | None = None


def _read_only_store() -> ox.Store:
    """An empty store opened read-only, shared by this user's processes: created once in
    the temporary folder, since a worker killed at its time limit cleans nothing up."""
    global _empty_store
    if _empty_store is None:
        path = Path(tempfile.gettempdir()) / f"animekg-empty-store-{os.getuid() if hasattr(os, 'getuid') else 0}"
        if not path.is_dir():
            scratch = Path(tempfile.mkdtemp(prefix="animekg-empty-store-"))
            store = ox.Store(str(scratch))
            store.flush()
            del store
            try:
                scratch.rename(path)
            except OSError:  # another process made it first
                shutil.rmtree(scratch, ignore_errors=True)
        _empty_store = ox.Store.read_only(str(path))
    return _empty_store


def _syntax_message(kind: str, exc: SyntaxError) -> str:
    return f"malformed SPARQL {kind}: {' '.join(str(exc).split())}"


SERVICE_REFUSED = ("federated queries (SERVICE) are refused: they would make this machine send requests "
                   "to other servers; query the other endpoint yourself")
LOAD_REFUSED = ("LOAD is refused: it would make this machine fetch a URL or read a file; load data with "
                "`animekg load FILES`, or start the server with --allow-load")


def check_query(sparql: str) -> None:
    """QueryError unless the query is safe to hand to Oxigraph: small and shallow enough,
    and without SERVICE."""
    check_text(sparql, "query")
    if uses_keyword(sparql, "service", "query"):
        raise QueryError(SERVICE_REFUSED)


def check_update(sparql: str, *, allow_load: bool = False) -> None:
    """QueryError unless the update is safe to hand to Oxigraph: small and shallow enough,
    without SERVICE, and without LOAD unless allowed."""
    check_text(sparql, "update")
    refused = [("service", SERVICE_REFUSED)] + ([] if allow_load else [("load", LOAD_REFUSED)])
    for word, message in refused:
        if uses_keyword(sparql, word, "update"):
            raise QueryError(message)


def uses_keyword(sparql: str, word: str, what: str = "query") -> bool:
    """Whether the text uses the word as a SPARQL keyword, anywhere Oxigraph's parser reads
    it (not in a string, an IRI, a comment or a name); QueryError if the text does not
    parse. ``what`` is "query" or "update"."""
    parses = _query_parses if what == "query" else _update_parses
    renamed = _renamed(sparql, word)
    if renamed is None or parses(renamed) is None:
        return False
    error = parses(sparql)
    if error is not None:
        raise QueryError(_syntax_message(what, error))
    return True


__all__ = ["MAX_NESTING", "MAX_TOKENS", "MAX_CHARACTERS", "LEXEME", "check_text", "check_query", "check_update",
           "tokens", "words", "uses_keyword", "SERVICE_REFUSED", "LOAD_REFUSED"]
