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
# The data carries the terms of its sources. The most restrictive licence any source states (the
# IOM report's) is given for the whole dataset; each named graph (void:subset) states its own.
MOST_RESTRICTIVE_LICENCE = "https://creativecommons.org/licenses/by-nc-nd/3.0/igo/"
LICENCE_NOTE = (
    "The data carries the terms of its sources: each named graph (void:subset) states the licence "
    "of the document it was read from. The whole dataset is offered under the most restrictive of "
    "them, CC BY-NC-ND 3.0 IGO (IOM, International Dialogue on Migration No. 33); the SDG KOS must "
    "be cited as its publisher asks (see the sdg-kos source)."
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
    g.add((dataset, DCTERMS.rights, Literal(LICENCE_NOTE, lang="en")))
    g.add((dataset, DCTERMS.license, URIRef(MOST_RESTRICTIVE_LICENCE)))
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
    by_graph = {str(iris.graph(source.id)): source for source in sources}
    for name, size in sorted(graph_sizes.items()):
        subset = URIRef(name)
        g.add((dataset, VOID.subset, subset))
        g.add((subset, RDF.type, VOID.Dataset))
        g.add((subset, VOID.triples, Literal(size, datatype=XSD.integer)))
        source = by_graph.get(name)
        if source is not None:
            g.add((subset, DCTERMS.source, iris.source(source.id)))
            url = source.metadata.get("licence_url")
            g.add((subset, DCTERMS.license, URIRef(url) if url else Literal(source.licence)))
    return g
