"""What ``GET /sparql`` with no query answers: a SPARQL 1.1 Service Description.

Clients (YASGUI, federated engines, crawlers) read it to learn what the endpoint speaks:
the languages (Query, and Update when the server takes updates), the result formats, and
the dataset a query gets when it names no graphs, which for animekg is the union of all
the document graphs (``sd:UnionDefaultGraph``).
"""

from __future__ import annotations

import pyoxigraph as ox

from .formats import GRAPH_FORMATS, SOLUTION_FORMATS

SD = "http://www.w3.org/ns/sparql-service-description#"
FORMATS = "http://www.w3.org/ns/formats/"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
# Our format names -> the W3C's names for them (https://www.w3.org/ns/formats/).
W3C_FORMAT_NAMES = {"json": "SPARQL_Results_JSON", "xml": "SPARQL_Results_XML", "csv": "SPARQL_Results_CSV",
                    "tsv": "SPARQL_Results_TSV", "turtle": "Turtle", "ntriples": "N-Triples",
                    "jsonld": "JSON-LD", "rdfxml": "RDF_XML"}


def _sd(name: str) -> ox.NamedNode:
    return ox.NamedNode(SD + name)


def service_description(endpoint_url: str, takes_updates: bool) -> list[ox.Triple]:
    """The description of the endpoint at this URL, as triples."""
    service, dataset, default_graph = ox.BlankNode("service"), ox.BlankNode("dataset"), ox.BlankNode("default")
    languages = ["SPARQL11Query"] + (["SPARQL11Update"] if takes_updates else [])
    triples = [
        ox.Triple(service, RDF_TYPE, _sd("Service")),
        ox.Triple(service, _sd("endpoint"), ox.NamedNode(endpoint_url)),
        *(ox.Triple(service, _sd("supportedLanguage"), _sd(lang)) for lang in languages),
        *(ox.Triple(service, _sd("resultFormat"), ox.NamedNode(FORMATS + W3C_FORMAT_NAMES[f.name]))
          for f in SOLUTION_FORMATS + GRAPH_FORMATS),
        ox.Triple(service, _sd("feature"), _sd("UnionDefaultGraph")),
        ox.Triple(service, _sd("defaultDataset"), dataset),
        ox.Triple(dataset, RDF_TYPE, _sd("Dataset")),
        ox.Triple(dataset, _sd("defaultGraph"), default_graph),
        ox.Triple(default_graph, RDF_TYPE, _sd("Graph")),
    ]
    return triples


__all__ = ["service_description"]
