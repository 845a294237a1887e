"""Control characters kept out of what terminals and other tools read.

A name read from a web page can hold control characters: an ESC that recolours (or
retitles, or worse) the terminal that prints it, a vertical tab or a U+FFFF that makes a
GraphML or GEXF file invalid XML. The graph keeps names exactly as read; what is written
for people and tools escapes these characters: the C0 and C1 controls except newline and
tab, and the two non-characters XML forbids, U+FFFE and U+FFFF.

Two ways, one set of characters:

- :func:`escape_controls` writes each as visible text, ``\\x1b`` (``\\ufffe``), for
  terminal tables, error messages and the network exports;
- :func:`escape_controls_in_serialized` writes each as a ``\\u001b`` escape inside text
  already serialized as JSON or N-Triples, where that escape means the character itself:
  the data stays exact and nothing a terminal acts on is left (``json.dumps`` escapes C0
  characters, but with ``ensure_ascii=False`` leaves C1 ones raw).
"""

from __future__ import annotations

import re

CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff]")


def _visible(match: re.Match) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def escape_controls(text: str) -> str:
    """``text`` with each control character written out as ``\\xNN`` (or ``\\uFFFE``)."""
    return CONTROL_CHARACTERS.sub(_visible, text)


def escape_controls_in_serialized(text: str) -> str:
    """JSON or N-Triples text with each control character left in it as a ``\\uXXXX``
    escape (such characters can only be inside its strings, where that is the same)."""
    return CONTROL_CHARACTERS.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


__all__ = ["CONTROL_CHARACTERS", "escape_controls", "escape_controls_in_serialized"]
