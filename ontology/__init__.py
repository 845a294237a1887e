"""The animekg ontology, its SHACL shapes and the derivation rules, as files and as graphs.

The files next to this module are the source of truth (see README.md here); this
module only finds, parses and checks them, so that a broken or stale ontology fails
loudly at load time instead of producing a graph that silently lacks a relation.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from typing import TYPE_CHECKING

from animekg.errors import OntologyError
from animekg.extract.records import ENTITY_TYPES, RELATIONS

AMK = "https://w3id.org/animekg/ontology#"
ID = "https://w3id.org/animekg/id/"

if TYPE_CHECKING:  # rdflib is imported where a graph is parsed: every command imports this
    import rdflib  # module, and rdflib takes a tenth of a second to import

ONTOLOGY_IRI = "https://w3id.org/animekg/ontology"

_HERE = Path(__file__).resolve().parent

__all__ = [
    "AMK", "ID", "ONTOLOGY_IRI",
    "ontology_path", "shapes_path", "rules_path",
    "load_ontology", "load_shapes", "rule_queries",
]


def ontology_path() -> Path:
    return _HERE / "animekg.ttl"


def shapes_path() -> Path:
    return _HERE / "shapes.ttl"


def rules_path() -> Path:
    return _HERE / "rules"


def load_ontology() -> rdflib.Graph:
    """The ontology as a fresh graph, checked against the annotation spec.

    Every type and relation the extractor can emit must be declared, or the graph
    builder would write IRIs the ontology knows nothing about. The parse is cached;
    each call returns a copy, so callers may modify what they get.
    """
    return _copy(_checked_ontology(ontology_path()))


def load_shapes() -> rdflib.Graph:
    """The SHACL shapes as a fresh graph (parsed once, copied per call)."""
    return _copy(_parsed(shapes_path()))


def rule_queries() -> list[tuple[str, str]]:
    """The derivation rules as (name, SPARQL CONSTRUCT text), in the order of their names.

    Names are the file stems (``rule1_theme_songs``, ...), so a log line can point at
    the file. The order does not matter for the result: the caller runs them all
    until none derives anything new.
    """
    folder = rules_path()
    files = sorted(folder.glob("*.rq"), key=lambda p: p.stem)
    if not files:
        raise OntologyError(f"{folder}: no derivation rules (*.rq) found; reinstall animekg")
    try:
        return [(f.stem, f.read_text(encoding="utf-8")) for f in files]
    except (OSError, UnicodeDecodeError) as exc:
        raise OntologyError(f"{folder}: cannot read a rule file: {exc}") from exc


@cache
def _parsed(path: Path) -> rdflib.Graph:
    import rdflib

    try:
        return rdflib.Graph().parse(path, format="turtle")
    except FileNotFoundError as exc:
        raise OntologyError(f"{path}: file not found; reinstall animekg") from exc
    except OSError as exc:
        raise OntologyError(f"{path}: cannot be read: {exc}") from exc
    except Exception as exc:  # rdflib raises many kinds of parse errors
        raise OntologyError(f"{path}: not valid Turtle: {exc}") from exc


@cache
def _checked_ontology(path: Path) -> rdflib.Graph:
    import rdflib
    from rdflib.namespace import OWL, RDF

    graph = _parsed(path)
    missing = [
        f"class amk:{name}" for name in ENTITY_TYPES
        if (rdflib.URIRef(AMK + name), RDF.type, OWL.Class) not in graph
    ] + [
        f"object property amk:{name}" for name in RELATIONS
        if (rdflib.URIRef(AMK + name), RDF.type, OWL.ObjectProperty) not in graph
    ]
    if (rdflib.URIRef(ONTOLOGY_IRI), RDF.type, OWL.Ontology) not in graph:
        missing.insert(0, f"owl:Ontology <{ONTOLOGY_IRI}>")
    if missing:
        raise OntologyError(
            f"{path}: does not declare what the annotation spec needs: {', '.join(missing)}"
        )
    return graph


def _copy(graph: rdflib.Graph) -> rdflib.Graph:
    import rdflib

    copy = rdflib.Graph()
    for prefix, namespace in graph.namespaces():
        copy.bind(prefix, namespace, override=True)
    copy += graph
    return copy
