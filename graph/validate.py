"""SHACL validation of a built graph against ``ontology/shapes.ttl`` (pyshacl)."""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox
import rdflib
from pyshacl import validate as shacl_validate

from animekg.ontology import load_ontology, load_shapes

from .store import GraphStore


@dataclass(frozen=True)
class ValidationReport:
    conforms: bool
    text: str
    triples: int


def union_graph(store: GraphStore) -> rdflib.Graph:
    """All graphs of the store as one rdflib graph: what the shapes constrain."""
    data = store.dump(ox.RdfFormat.N_TRIPLES)
    graph = rdflib.Graph()
    graph.parse(data=data.decode("utf-8"), format="nt")
    return graph


def validate_store(store: GraphStore) -> ValidationReport:
    data = union_graph(store)
    conforms, _, text = shacl_validate(
        data, shacl_graph=load_shapes(), ont_graph=load_ontology(), inference="none",
        advanced=True, allow_warnings=True)
    return ValidationReport(bool(conforms), str(text), len(data))
