"""The ontology's rules run to a fixpoint in memory, away from the store they read.

:meth:`GraphStore.materialize_inferred <animekg.graph.store.GraphStore.materialize_inferred>`
copies the triples the rules can match out of the document graphs, derives here, and
writes the result in one update. Deriving apart from the store means the old inferred
graph stays in place, whole, until the new one replaces it, and is never read as input,
so a derived fact whose grounds are gone is not derived again.

Which triples the rules can match: those whose predicate a rule names, and of the
``rdf:type`` triples those whose class a rule names. The rules (ontology/rules/*.rq) name
every predicate and class they read, by IRI or prefixed name; a rule that matched an
unnamed predicate through a free variable would see nothing here
(tests/graph/test_inference.py compares with the rules run over the whole union).
"""

from __future__ import annotations

import os
import re
import signal
from collections.abc import Iterable
from itertools import count

import pyoxigraph as ox

RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
FAULT_VARIABLE = "ANIMEKG_FAULT"

# The tokens of a rule that can hold an IRI, and those that only look as if they might.
_RULE_TOKENS = re.compile(r"""
    (?P<prefix>\bPREFIX\s+(?P<declared>[A-Za-z][\w.-]*)?:\s*<(?P<namespace>[^<>\s]*)>)
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*'''
              |"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
  | (?P<comment>\#[^\n]*)
  | (?P<variable>[?$]\w+)
  | (?P<pname>(?<![\w.-])(?P<pn>[A-Za-z][\w.-]*)?:(?P<local>\w[\w.-]*\w|\w))
""", re.VERBOSE | re.IGNORECASE)


def fault_point(name: str) -> None:
    """Where tests kill the process: if $ANIMEKG_FAULT is ``name``, die by SIGKILL here,
    as a killed build would, with no cleanup run. Unset (always, outside tests), nothing."""
    if os.environ.get(FAULT_VARIABLE) == name:
        os.kill(os.getpid(), signal.SIGKILL)


def named_iris(rules: Iterable[tuple[str, str]]) -> set[ox.NamedNode]:
    """Every IRI the rules' texts name, prefixed names expanded; comments and strings skipped."""
    named: set[ox.NamedNode] = set()
    for _, text in rules:
        namespaces: dict[str, str] = {}
        for m in _RULE_TOKENS.finditer(text):
            if m.lastgroup == "prefix":
                namespaces[m.group("declared") or ""] = m.group("namespace")
            elif m.lastgroup == "iri":
                named.add(ox.NamedNode(m.group()[1:-1]))
            elif m.lastgroup == "pname" and (m.group("pn") or "") in namespaces:
                named.add(ox.NamedNode(namespaces[m.group("pn") or ""] + m.group("local")))
    return named


def derive(facts: Iterable[ox.Triple], rules: list[tuple[str, str]]) -> set[ox.Triple]:
    """The triples the rules derive from ``facts`` that are not among them, to a fixpoint.

    The rules chain (an opening theme is a theme song, a theme song is featured in its
    show, a performer of a featured song performed music for the show), so each round
    reads the facts and everything derived so far.
    """
    work = ox.Store()
    work.extend(ox.Quad(t.subject, t.predicate, t.object) for t in facts)
    derived: set[ox.Triple] = set()
    for round_number in count(1):
        new = {t for _, text in rules for t in work.query(text)}
        new = {t for t in new if t not in derived and ox.Quad(t.subject, t.predicate, t.object) not in work}
        if not new:
            break
        derived |= new
        work.extend(ox.Quad(t.subject, t.predicate, t.object) for t in new)
        fault_point(f"inference:round-{round_number}")
    return derived


__all__ = ["FAULT_VARIABLE", "derive", "fault_point", "named_iris"]
