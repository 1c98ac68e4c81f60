"""The SPARQL 1.1 Service Description of the endpoint (returned by GET /sparql without a query)."""

from __future__ import annotations

from functools import lru_cache

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF, XSD

from ...vocab import VOID
from .. import formats
from ..query.store import Release, current_release

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS_NS = Namespace("http://www.w3.org/ns/formats/")

# formats.py name -> the W3C format IRI (http://www.w3.org/ns/formats/) where one exists
_W3C_FORMAT = {
    "json": "SPARQL_Results_JSON",
    "xml": "SPARQL_Results_XML",
    "csv": "SPARQL_Results_CSV",
    "tsv": "SPARQL_Results_TSV",
    "ttl": "Turtle",
    "nt": "N-Triples",
    "jsonld": "JSON-LD",
    "rdfxml": "RDF_XML",
}


def service_description(endpoint_url: str, fmt: formats.Format) -> bytes:
    """The description of the service at `endpoint_url`, serialised in `fmt` (a graph format)."""
    release = current_release()
    return _describe(release, endpoint_url, fmt)


@lru_cache(maxsize=64)  # the release does not change while it is served
def _describe(release: Release, endpoint_url: str, fmt: formats.Format) -> bytes:
    graph = Graph()
    graph.bind("sd", SD)
    graph.bind("void", VOID)
    graph.bind("dcterms", DCTERMS)
    service = URIRef(endpoint_url)
    graph.add((service, RDF.type, SD.Service))
    graph.add((service, SD.endpoint, service))
    graph.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    graph.add((service, SD.feature, SD.UnionDefaultGraph))  # default graph = merge of named ones
    graph.add(
        (
            service,
            DCTERMS.description,
            Literal(
                "Read-only SPARQL 1.1 endpoint of gcm-graph (Global Compact for Migration). "
                "SERVICE and SPARQL Update are refused; each query has a deadline.",
                lang="en",
            ),
        )
    )
    for fmt_name in sorted(_W3C_FORMAT):
        graph.add((service, SD.resultFormat, FORMATS_NS[_W3C_FORMAT[fmt_name]]))
    dataset, default_graph = BNode("dataset"), BNode("defaultGraph")
    graph.add((service, SD.defaultDataset, dataset))
    graph.add((dataset, RDF.type, SD.Dataset))
    graph.add((dataset, SD.defaultGraph, default_graph))
    graph.add((default_graph, RDF.type, SD.Graph))
    graph.add((default_graph, VOID.triples, Literal(release.triple_count(), datatype=XSD.integer)))
    for info in release.named_graphs():
        named, described = BNode(), BNode()
        graph.add((dataset, SD.namedGraph, named))
        graph.add((named, RDF.type, SD.NamedGraph))
        graph.add((named, SD.name, URIRef(info.name)))
        graph.add((named, SD.graph, described))
        graph.add((described, RDF.type, SD.Graph))
        graph.add((described, VOID.triples, Literal(info.triples, datatype=XSD.integer)))
    return graph.serialize(format=fmt.rdflib or "turtle", encoding="utf-8")
