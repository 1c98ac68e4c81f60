"""The VoID + DCAT description of a release: what it is, where its dumps and endpoint are."""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, RDF, RDFS, XSD

from .sources import Source
from .vocab import DCAT, GCM, VOID, Iris

DUMP_MEDIA_TYPES = {
    "gcm.ttl": "text/turtle",
    "gcm.nt": "application/n-triples",
    "gcm.trig": "application/trig",
    "gcm.nq": "application/n-quads",
}
EXAMPLE_PATHS = ("objective/7", "objective/20/action/d", "principle/a")
LICENCE_NOTE = (
    "Code and ontology: see the repository. The data carries the terms of its sources: each "
    "source's licence is stated on its prov:Entity (dcterms:license); the IOM report is "
    "CC BY-NC-ND 3.0 IGO and the SDG KOS must be cited as its publisher asks."
)


def void_graph(
    iris: Iris, sources: list[Source], triples: int, graph_sizes: dict[str, int]
) -> Graph:
    g = Graph()
    for prefix, ns in (("void", VOID), ("dcat", DCAT), ("dcterms", DCTERMS), ("gcm", GCM)):
        g.bind(prefix, ns)
    dataset = iris.dataset()
    base = iris.base
    g.add((dataset, RDF.type, VOID.Dataset))
    g.add((dataset, RDF.type, DCAT.Dataset))
    title = "gcm-graph: the Global Compact for Safe, Orderly and Regular Migration as linked data"
    g.add((dataset, DCTERMS.title, Literal(title, lang="en")))
    g.add(
        (
            dataset,
            DCTERMS.description,
            Literal(
                "The 23 objectives, commitments, actions and guiding principles of A/RES/73/195, "
                "linked to SDG targets, instruments and practices from guidance documents, with "
                "provenance for every fact.",
                lang="en",
            ),
        )
    )
    g.add((dataset, RDFS.comment, Literal(LICENCE_NOTE, lang="en")))
    g.add((dataset, VOID.triples, Literal(triples, datatype=XSD.integer)))
    g.add((dataset, VOID.uriSpace, Literal(base)))
    g.add((dataset, VOID.sparqlEndpoint, URIRef(base + "sparql")))
    g.add((dataset, VOID.vocabulary, URIRef(str(GCM))))
    g.add((dataset, FOAF.homepage, URIRef(base)))
    for path in EXAMPLE_PATHS:
        g.add((dataset, VOID.exampleResource, URIRef(base + path)))
    for name, media_type in DUMP_MEDIA_TYPES.items():
        url = URIRef(f"{base}dumps/{name}")
        g.add((dataset, VOID.dataDump, url))
        distribution = URIRef(f"{base}dumps/{name}#distribution")
        g.add((dataset, DCAT.distribution, distribution))
        g.add((distribution, RDF.type, DCAT.Distribution))
        g.add((distribution, DCAT.downloadURL, url))
        g.add((distribution, DCAT.mediaType, Literal(media_type)))
    for source in sources:
        g.add((dataset, DCTERMS.source, iris.source(source.id)))
        g.add((iris.source(source.id), DCTERMS.title, Literal(source.title, lang="en")))
        g.add((iris.source(source.id), DCTERMS.license, Literal(source.licence)))
    for name, size in sorted(graph_sizes.items()):
        subset = URIRef(name)
        g.add((dataset, VOID.subset, subset))
        g.add((subset, RDF.type, VOID.Dataset))
        g.add((subset, VOID.triples, Literal(size, datatype=XSD.integer)))
    return g
