"""The input stage: files (or strings) -> Document.

Decoding follows what a browser would do, so text pasted from the web reads the way its
author saw it: a byte-order mark, then UTF-8, then the charset an HTML page declares, then
a guess that prefers windows-1252. One exception: a file that is UTF-8 but for a few bad
bytes (at least as many valid multi-byte characters as runs of bad bytes) is read as
UTF-8 with U+FFFD in their place, and an InputWarning names the file; a single-byte
guess would have turned every other accented letter and curly quote into mojibake.
HTML and Markdown are turned into plain readable text, and Document.text is
that converted text: every offset later in the pipeline points into it.

A document's id is its path under the folder given, without the suffix, ``/`` between
folders (``a/review`` for ``dup/a/review.txt`` when ``dup`` is given); a file named
directly is its stem, so the files of a flat folder are keyed by stem as the gold
corpora are. Ids that would clash take more of their path until none does: the suffix
(``review.md``, ``review.txt``), then parent folders (``x/review.txt``). A string has
``text-`` and the start of its content hash.

Every problem with an input raises InputError with a one-line message that starts with
the path, names the problem and says what to do. Only regular files are read: a link that
loops or a FIFO (which would block the read forever) is such a problem.
"""

from __future__ import annotations

import codecs
import errno
import hashlib
import html
import os
import re
import stat
import warnings
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import charset_normalizer

from animekg.errors import InputError, InputWarning
from animekg.extract.records import Document

try:  # lexbor is the faster, better-maintained backend; older selectolax builds lack it
    from selectolax.lexbor import LexborHTMLParser as HTMLParser
except ImportError:  # pragma: no cover
    from selectolax.parser import HTMLParser

Node = Any  # a selectolax node; both backends share the small interface used here

SUPPORTED_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm")

_MEDIA_TYPES = {
    ".txt": "text/plain", ".md": "text/markdown", ".markdown": "text/markdown",
    ".html": "text/html", ".htm": "text/html",
}
_MAX_TITLE = 200
# Hex digits of the content hash in the id of a text without one: 48 bits, so a clash
# needs some ten million texts in one graph.
_TEXT_ID_HASH = 12
# Above this share of control characters a file is not text anyone meant to be read.
_MAX_CONTROL_SHARE = 0.3
# charset-normalizer's "mess" score; above this its guess is not worth trusting.
_MAX_CHAOS = 0.1

_SOURCE_HEADER = re.compile(r"source:[ \t]*(\S[^\n]*?)[ \t]*(?:\n|$)", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_SPACES = re.compile(r"[^\S\n]+")


# --- finding files -------------------------------------------------------------------

@dataclass(frozen=True)
class SourceFile:
    """A file to read and the id its document gets."""

    path: Path
    doc_id: str


def find_documents(paths: Iterable[str | Path]) -> list[Path]:
    """The supported files among ``paths``; folders are walked recursively, sorted."""
    return [source.path for source in find_sources(paths)]


def find_sources(paths: Iterable[str | Path]) -> list[SourceFile]:
    """The supported files among ``paths`` with their document ids (see the module
    docstring); folders are walked recursively, sorted."""
    found: list[tuple[Path, tuple[str, ...]]] = []  # each file and its path under what was given
    for given in paths:
        path = Path(given)
        if path.is_dir():
            files = _walk(path)
            if not files:
                raise InputError(
                    f"{path}: folder has no supported files ({', '.join(SUPPORTED_SUFFIXES)}); "
                    "add some or leave the folder out")
            found.extend((file, file.relative_to(path).parts) for file in files)
        elif os.path.lexists(path):
            if path.suffix.lower() not in SUPPORTED_SUFFIXES:
                kind = f"file type {path.suffix!r}" if path.suffix else "file without a suffix"
                raise InputError(f"{path}: unsupported {kind}; supported suffixes are "
                                 f"{', '.join(SUPPORTED_SUFFIXES)}")
            found.append((path, (path.name,)))
        else:
            raise InputError(f"{path}: no such file or folder")
    # The same file named twice (directly and through its folder, or through a link) is
    # read once. Device and inode name it without following links by hand, which loops.
    seen: set[tuple[int, int]] = set()
    unique = []
    for path, relative in found:
        info = check_regular_file(path)
        if (info.st_dev, info.st_ino) not in seen:
            seen.add((info.st_dev, info.st_ino))
            unique.append((path, relative))
    return [SourceFile(path, doc_id) for (path, _), doc_id in zip(unique, _document_ids(unique))]


def _walk(folder: Path) -> list[Path]:
    files = []
    for root, dirs, names in os.walk(folder):
        dirs[:] = [d for d in dirs if not d.startswith(".")]  # prunes the walk too
        files.extend(Path(root, name) for name in names
                     if not name.startswith(".")
                     and Path(name).suffix.lower() in SUPPORTED_SUFFIXES)
    return sorted(files)


def check_regular_file(path: Path) -> os.stat_result:
    """``path``'s status, or InputError when it is not a regular file one can open: a link
    that loops or leads nowhere, or a FIFO, socket or device, where a read waits forever."""
    try:
        info = os.stat(path)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise InputError(f"{path}: symbolic link loop (it leads back to itself); "
                             "point it at a file or remove it") from exc
        if exc.errno == errno.ENOENT and os.path.islink(path):
            raise InputError(f"{path}: broken symbolic link (its target does not exist); "
                             "point it at a file or remove it") from exc
        raise InputError(f"{path}: cannot read file ({exc.strerror or exc}); "
                         "check that it is a file you have permission to read") from exc
    if not stat.S_ISREG(info.st_mode):
        kind = ("a FIFO (named pipe)" if stat.S_ISFIFO(info.st_mode) else
                "a socket" if stat.S_ISSOCK(info.st_mode) else
                "a folder" if stat.S_ISDIR(info.st_mode) else "a device")
        raise InputError(f"{path}: not a regular file but {kind}; "
                         "give a regular file or leave it out")
    return info


def _document_ids(files: list[tuple[Path, tuple[str, ...]]]) -> list[str]:
    """One id per file, unique among ``files``: each starts as its path under the folder
    given without the suffix, and the ids that clash take more of their path until none
    does (see the module docstring)."""
    levels = [0] * len(files)
    # The highest level: the whole absolute path, which no other file has.
    tops = [len(_absolute_parts(path)) - len(relative) + 1 for path, relative in files]
    while True:
        ids = [_id_at(path, relative, level) for (path, relative), level in zip(files, levels)]
        holders: dict[str, list[int]] = {}
        for i, doc_id in enumerate(ids):
            holders.setdefault(doc_id, []).append(i)
        clashing = [i for group in holders.values() if len(group) > 1 for i in group]
        movable = [i for i in clashing if levels[i] < tops[i]]
        if not movable:
            if clashing:  # two spellings of one absolute path (a/../b) that are two files
                first, second = (files[i][0] for i in clashing[:2])
                raise InputError(f"{second}: would get the same document id as {first}; "
                                 "rename one of them")
            return ids
        for i in movable:
            levels[i] += 1


def _absolute_parts(path: Path) -> tuple[str, ...]:
    return Path(os.path.abspath(path)).parts[1:]


def _id_at(path: Path, relative: tuple[str, ...], level: int) -> str:
    """Level 0: the path under the folder given, without the suffix (``a/review``);
    level 1: with it (``a/review.txt``); each further level: one more parent folder."""
    if level == 0:
        return "/".join((*relative[:-1], Path(relative[-1]).stem))
    parts = _absolute_parts(path)
    return "/".join(parts[-min(len(relative) + level - 1, len(parts)):])


# --- reading ---------------------------------------------------------------------------

def read_document(path: Path, doc_id: str | None = None) -> Document:
    """Read, decode and convert one file into a Document (id: ``doc_id``, or the file's
    stem; :func:`find_sources` gives ids that do not clash)."""
    path = Path(path)
    check_regular_file(path)  # before opening it: opening a FIFO waits for a writer
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read file ({exc.strerror or exc}); "
                         "check that it is a file you have permission to read") from exc
    if not raw:
        raise InputError(f"{path}: file is empty (0 bytes); add text to it or leave it out")

    media_type = _MEDIA_TYPES.get(path.suffix.lower(), "text/plain")
    text = _normalize_newlines(_decode(raw, path, html=media_type == "text/html"))
    if len(_CONTROL.findall(text)) > _MAX_CONTROL_SHARE * len(text):
        raise InputError(f"{path}: looks binary (mostly control characters), not text; "
                         "give a text, Markdown or HTML file instead")

    header = _SOURCE_HEADER.match(text)
    body = text[header.end():] if header else text
    title = ""
    if media_type != "text/plain":
        convert = _html_to_text if media_type == "text/html" else _markdown_to_text
        body, title = convert(body)
        # The header line is kept in the converted text as our corpora write it.
        text = f"{header.group(0).rstrip()}\n\n{body}" if header else body
    if not body.strip():
        kind = "" if media_type == "text/plain" else f" after converting {media_type}"
        raise InputError(f"{path}: is empty (only whitespace{kind}); "
                         "add text to it or leave it out")

    return Document(
        doc_id=path.stem if doc_id is None else doc_id,
        text=text,
        source=header.group(1) if header else str(path),
        sha256=hashlib.sha256(raw).hexdigest(),
        title=title[:_MAX_TITLE].strip() or _plain_title(text),
        media_type=media_type,
    )


def read_text(text: str, doc_id: str | None = None, source: str = "<string>") -> Document:
    """A Document from a Python string, read as plain text. Without a ``doc_id`` its id
    is ``text-`` and the start of its content hash, so two texts never share one."""
    sha256 = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    doc_id = f"text-{sha256[:_TEXT_ID_HASH]}" if doc_id is None else doc_id
    if not text.strip():
        raise InputError(f"{doc_id}: text is empty (only whitespace); pass some text")
    text = _normalize_newlines(text)
    header = _SOURCE_HEADER.match(text)
    return Document(doc_id=doc_id, text=text, source=header.group(1) if header else source,
                    sha256=sha256, title=_plain_title(text), media_type="text/plain")


def _normalize_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _plain_title(text: str) -> str:
    for i, line in enumerate(text.split("\n")):
        if i == 0 and _SOURCE_HEADER.match(line):
            continue
        if line.strip():
            return line.strip()[:_MAX_TITLE].strip()
    return ""


# --- decoding --------------------------------------------------------------------------

# UTF-32 marks first: the UTF-32-LE mark begins with the UTF-16-LE one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)
_META_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""",
                           re.IGNORECASE)


def _decode(raw: bytes, path: Path, html: bool) -> str:
    for bom, codec in _BOMS:
        if raw.startswith(bom):
            try:
                return raw.decode(codec)
            except UnicodeDecodeError as exc:
                raise InputError(f"{path}: cannot decode: it starts with a {codec} byte-order "
                                 f"mark but is not valid {codec}; re-save it as UTF-8") from exc
    if b"\x00" in raw:  # text without a UTF-16/32 byte-order mark never holds NUL bytes
        raise InputError(f"{path}: looks binary (contains NUL bytes), not text; "
                         "give a text, Markdown or HTML file instead")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    # A charset the page declares is what a browser uses, right or wrong.
    if html and (declared := _meta_charset(raw)):
        try:
            return raw.decode(declared)
        except UnicodeDecodeError:
            pass
    if (mostly := _mostly_utf8(raw)) is not None:
        text, bad = mostly
        warnings.warn(InputWarning(
            f"{path}: not valid UTF-8 at {bad} place{'s' if bad > 1 else ''} (the first at byte "
            f"{first_bad}); read as UTF-8 with U+FFFD in their place; fix those bytes or re-save "
            "the file as UTF-8"), stacklevel=2)
        return text
    guessed = _guess(raw)
    if guessed is None:
        raise InputError(f"{path}: cannot decode: not UTF-8 and its encoding cannot be "
                         "guessed with confidence; re-save it as UTF-8")
    return guessed


def _mostly_utf8(raw: bytes) -> tuple[str, int] | None:
    """The text with the bad bytes replaced and how many runs of them there were, when
    ``raw`` holds at least as many valid multi-byte UTF-8 characters as runs of bad bytes:
    UTF-8 with a few broken bytes, which a single-byte code page would turn into
    mojibake everywhere else. None when the evidence says it is not UTF-8."""
    text = raw.decode("utf-8", errors="replace")
    genuine = raw.count("\ufffd".encode())
    bad = text.count("\ufffd") - genuine
    valid = sum(1 for c in text if c > "\x7f") - bad
    return (text, bad) if valid >= bad else None


def _meta_charset(raw: bytes) -> str | None:
    match = _META_CHARSET.search(raw[:4096])
    if not match:
        return None
    try:
        name = codecs.lookup(match.group(1).decode("ascii")).name
    except LookupError:
        return None
    if name.startswith("utf"):  # UTF-8 already failed; browsers ignore a UTF-16 meta
        return None
    # Browsers read these labels as windows-1252 (the WHATWG Encoding standard).
    return "cp1252" if name in ("iso8859-1", "ascii") else name


def _guess(raw: bytes) -> str | None:
    best = charset_normalizer.from_bytes(raw).best()
    western = charset_normalizer.from_bytes(raw, cp_isolation=["cp1252"]).best()
    # English with curly quotes decodes equally cleanly in several single-byte code pages
    # and the detector picks among them arbitrarily (often cp1250, which turns "ï" into
    # "ď"); a browser in a Western locale would use windows-1252, so it wins ties.
    if western is not None and western.chaos <= _MAX_CHAOS and (
            best is None or western.chaos <= best.chaos + 0.01):
        return str(western)
    if best is not None and best.chaos <= _MAX_CHAOS:
        return str(best)
    return None


# --- HTML ------------------------------------------------------------------------------

_DROP_TAGS = frozenset({
    "head", "script", "style", "noscript", "nav", "header", "footer", "aside", "form",
    "iframe", "svg", "template",
})
_BLOCK_TAGS = frozenset({
    "p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "div", "br", "tr", "dd", "dt",
    "blockquote", "pre", "ul", "ol", "dl", "table", "section", "article", "main",
    "figure", "figcaption", "hr", "address", "caption",
})
_CELL_TAGS = frozenset({"td", "th"})
# Words in a class or id that mark page furniture rather than content; whole words only,
# so "ads" matches "ad-banner" but not "heads" or "downloads".
_BOILERPLATE = re.compile(
    r"(?<![a-z0-9])(?:cookies?|share|sharing|social|sidebar|breadcrumbs?|advert\w*|ads?"
    r"|menu|newsletter|subscribe|comments?[-_]?form)(?![a-z0-9])")
# Never drop the containers the content itself lives in for a class such as "has-sidebar".
_STRUCTURAL = frozenset({"html", "body", "main", "article"})


def _html_to_text(markup: str) -> tuple[str, str]:
    """Main text of an HTML page, one block per line, and its title."""
    tree = HTMLParser(markup)
    title = ""
    for selector in ("title", "h1"):
        node = tree.css_first(selector)
        if node is not None and (title := " ".join(node.text(deep=True).split())):
            break
    # One <article> is the content; several (a thread, comments as articles) are better
    # read together from <main> or the body, where furniture is dropped anyway.
    articles = tree.css("article")
    main = tree.css_first("main")
    if len(articles) == 1:
        root = articles[0]
    else:
        root = main if main is not None else tree.body
    return (_block_text(root) if root is not None else ""), title


def _block_text(root: Node) -> str:
    out: list[str] = []
    # An explicit stack rather than recursion: real pages nest deeper than Python recurses.
    stack = [(root, False)]
    in_pre = 0
    while stack:
        node, leaving = stack.pop()
        tag = node.tag
        if leaving:
            if tag in _BLOCK_TAGS:
                out.append("\n")
            if tag == "pre":
                in_pre -= 1
            continue
        if tag == "-text":
            text = node.text_content or ""
            # Outside <pre> a newline in the source is just a space, as a browser shows it.
            out.append(text if in_pre else text.replace("\n", " "))
            continue
        if tag.startswith("-") or tag in _DROP_TAGS or (
                tag not in _STRUCTURAL and _is_boilerplate(node)):
            continue  # comments, doctype, page furniture
        if tag in _BLOCK_TAGS:
            out.append("\n")
        elif tag in _CELL_TAGS:
            out.append(" ")
        if tag == "li":
            out.append(_list_marker(node))
        if tag == "pre":
            in_pre += 1
        stack.append((node, True))
        stack.extend((child, False) for child in reversed(list(node.iter(include_text=True))))
    lines = (_SPACES.sub(" ", line).strip() for line in "".join(out).split("\n"))
    return "\n".join(line for line in lines if line)


def _is_boilerplate(node: Node) -> bool:
    attrs = node.attributes
    marks = f"{attrs.get('class') or ''} {attrs.get('id') or ''}".lower()
    return bool(_BOILERPLATE.search(marks))


def _list_marker(item: Node) -> str:
    parent = item.parent
    if parent is None or parent.tag not in ("ol", "ul"):
        return ""
    if parent.tag == "ul":
        return "- "
    try:
        number = int(parent.attributes.get("start") or 1)
    except ValueError:
        number = 1
    sibling = item.prev
    while sibling is not None:
        number += sibling.tag == "li"
        sibling = sibling.prev
    return f"{number}. "


# --- Markdown --------------------------------------------------------------------------

_MD_FENCE = re.compile(r"\s*(```|~~~)")
_MD_RULE = re.compile(r"\s*([-*_=])(\s*\1){2,}\s*$")  # also setext heading underlines
_MD_TABLE_RULE = re.compile(r"\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")
_MD_LINK_DEF = re.compile(r"\s{0,3}\[[^\]]+\]:\s*\S+")
_MD_QUOTE = re.compile(r"^\s*(>\s?)+")
_MD_HEADING = re.compile(r"\s{0,3}(#{1,6})\s+(.*?)(\s+#+)?\s*$")
_MD_BULLET = re.compile(r"\s*[-*+]\s+")
_MD_NUMBER = re.compile(r"\s*(\d{1,9})[.)]\s+")
_MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!<>|~])")
# Escaped characters are parked in the Private Use Area while markup is removed.
_PARKED = re.compile("[\ue000-\ue07f]")
_MD_INLINE = (
    (re.compile(r"!\[[^\]]*\](\([^)]*\)|\[[^\]]*\])"), ""),  # images
    (re.compile(r"\[([^\]]+)\](\([^)]*\)|\[[^\]]*\])"), r"\1"),  # links
    (re.compile(r"<((?:https?|mailto):[^>\s]+)>"), r"\1"),  # autolinks
    (re.compile(r"</?[A-Za-z][^>]*>"), ""),  # inline HTML
    (re.compile(r"(`+)(.+?)\1"), r"\2"),
    (re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1"), r"\2"),
    (re.compile(r"\*(?=\S)(.+?)(?<=\S)\*"), r"\1"),
    (re.compile(r"(?<!\w)_(?=\S)(.+?)(?<=\S)_(?!\w)"), r"\1"),
    (re.compile(r"~~(.+?)~~"), r"\1"),
)


def _markdown_to_text(markdown: str) -> tuple[str, str]:
    """Markdown without its markup, list markers kept, and its first level-1 heading."""
    markdown = re.sub(r"<!--.*?-->", "", markdown, flags=re.DOTALL)
    lines: list[str] = []
    title = ""
    in_fence = False
    for line in markdown.split("\n"):
        if _MD_FENCE.match(line):
            in_fence = not in_fence
            continue
        if in_fence:
            lines.append(line)
            continue
        if _MD_RULE.match(line) or _MD_TABLE_RULE.match(line) or _MD_LINK_DEF.match(line):
            continue
        line = _MD_QUOTE.sub("", line)
        if heading := _MD_HEADING.match(line):
            line = _md_inline(heading.group(2))
            if not title and len(heading.group(1)) == 1:
                title = line
        elif bullet := _MD_BULLET.match(line):
            line = "- " + _md_inline(line[bullet.end():])
        elif number := _MD_NUMBER.match(line):
            line = f"{number.group(1)}. " + _md_inline(line[number.end():])
        else:
            line = _md_inline(line.strip().strip("|").strip() if "|" in line else line.strip())
        lines.append(line.rstrip())
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines))
    return text.strip("\n"), title


def _md_inline(text: str) -> str:
    text = _MD_ESCAPE.sub(lambda m: chr(0xE000 + ord(m.group(1))), text)
    for pattern, replacement in _MD_INLINE:
        text = pattern.sub(replacement, text)
    text = _SPACES.sub(" ", html.unescape(text))
    return _PARKED.sub(lambda m: chr(ord(m.group()) - 0xE000), text)


__all__ = ["SUPPORTED_SUFFIXES", "SourceFile", "check_regular_file", "find_documents", "find_sources", "read_document", "read_text"]
