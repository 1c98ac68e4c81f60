"""The VoID + DCAT description of a release: what it is, who publishes it, where its files are.

Everything in it is computed from the release itself, never from the clock: dcterms:issued is
the first release's date, dcterms:modified this release's (config.release_date:
$SOURCE_DATE_EPOCH, else config.RELEASE_DATE), the sizes
and sha256 checksums are those of the files written before it, the partitions count the merged
graph. Licences: an IRI (dcterms:license) where the source names one, else its statement as
text (dcterms:rights) and no dcterms:license at all, so that no harvester reads a sentence
such as "Not stated in the document." as a licence.

URLs: `<base>dumps/NAME` for every file of the release, `<base>context.jsonld` for the JSON-LD
context, `<base>graph/ID.nt` for each named graph (void:subset), `<base>sparql`.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from pathlib import Path

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, RDF, RDFS, XSD

from .config import FIRST_ISSUED
from .merged import MergedTriples
from .sources import Source
from .vocab import DCAT, GCM, PREFIXES, VOID, Iris

Merged = Graph | MergedTriples  # the union of the release's graphs (its triples and their number)
SPDX = Namespace("http://spdx.org/rdf/terms#")
IANA = "https://www.iana.org/assignments/media-types/"
W3C_FORMATS = Namespace("http://www.w3.org/ns/formats/")
# Every file a harvester may want, with its media type, W3C format and what it is.
DISTRIBUTIONS: dict[str, tuple[str, str | None, str]] = {
    "gcm.ttl": ("text/turtle", "Turtle", "The merged graph as Turtle"),
    "gcm.nt": ("application/n-triples", "N-Triples", "The merged graph as sorted N-Triples"),
    "gcm.jsonld": (
        "application/ld+json",
        "JSON-LD",
        "The merged graph as compact JSON-LD (its @context inlined)",
    ),
    "gcm.trig": ("application/trig", "TriG", "The named graphs (one per source) as TriG"),
    "gcm.nq": ("application/n-quads", "N-Quads", "The named graphs as sorted N-Quads"),
    "context.jsonld": (
        "application/ld+json",
        None,
        "The JSON-LD @context of the JSON-LD dump and answers (terms only, no data)",
    ),
    "ontology.ttl": ("text/turtle", None, "The gcm ontology (OWL) the data uses"),
}
DATA_DUMPS = ("gcm.jsonld", "gcm.nq", "gcm.nt", "gcm.trig", "gcm.ttl")
SUBSET_DUMP_EXTENSION = "nt"  # <base>graph/ID.nt: one named graph, served from the store
EXAMPLE_PATHS = ("objective/7", "objective/20/action/d", "principle/a")
PUBLISHER_NAME = "gcm-graph project"
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
    iris: Iris,
    sources: list[Source],
    merged: Merged,
    graph_sizes: dict[str, int],
    release_dir: Path,
    release_date: str,
) -> Graph:
    """The description; `release_dir` holds the files of DISTRIBUTIONS already written."""
    g = Graph()
    for prefix, ns in (*PREFIXES.items(), ("foaf", FOAF), ("spdx", SPDX)):
        g.bind(prefix, ns)
    dataset, base = iris.dataset(), iris.base
    _describe_dataset(g, dataset, base, len(merged), release_date)
    for name in DISTRIBUTIONS:
        path = release_dir / name
        if path.is_file():
            _distribution(g, dataset, base, name, path)
    _partitions(g, dataset, merged)
    _sources_and_subsets(g, iris, sources, graph_sizes)
    return g


def _describe_dataset(g: Graph, dataset: URIRef, base: str, triples: int, date: str) -> None:
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
    g.add((dataset, DCTERMS.issued, Literal(FIRST_ISSUED, datatype=XSD.date)))
    g.add((dataset, DCTERMS.modified, Literal(date, datatype=XSD.date)))
    publisher = URIRef(base + "publisher")
    g.add((dataset, DCTERMS.publisher, publisher))
    g.add((publisher, RDF.type, FOAF.Organization))
    g.add((publisher, FOAF.name, Literal(PUBLISHER_NAME)))
    g.add((publisher, FOAF.homepage, URIRef(base)))
    g.add((dataset, VOID.triples, Literal(triples, datatype=XSD.integer)))
    g.add((dataset, VOID.uriSpace, Literal(base)))
    g.add((dataset, VOID.sparqlEndpoint, URIRef(base + "sparql")))
    g.add((dataset, VOID.vocabulary, URIRef(str(GCM))))
    g.add((dataset, FOAF.homepage, URIRef(base)))
    g.add((dataset, DCAT.landingPage, URIRef(base)))
    for path in EXAMPLE_PATHS:
        g.add((dataset, VOID.exampleResource, URIRef(base + path)))


def _distribution(g: Graph, dataset: URIRef, base: str, name: str, path: Path) -> None:
    media_type, w3c_format, description = DISTRIBUTIONS[name]
    url = URIRef(base + name if name == "context.jsonld" else f"{base}dumps/{name}")
    distribution = URIRef(f"{base}dumps/{name}#distribution")
    checksum = URIRef(f"{base}dumps/{name}#sha256")
    data = path.read_bytes()
    g.add((dataset, DCAT.distribution, distribution))
    if name in DATA_DUMPS:
        g.add((dataset, VOID.dataDump, url))
    if w3c_format:
        g.add((dataset, VOID.feature, W3C_FORMATS[w3c_format]))
    g.add((distribution, RDF.type, DCAT.Distribution))
    g.add((distribution, DCTERMS.title, Literal(name)))
    g.add((distribution, DCTERMS.description, Literal(description, lang="en")))
    g.add((distribution, DCAT.downloadURL, url))
    g.add((distribution, DCAT.accessURL, url))
    g.add((distribution, DCAT.mediaType, URIRef(IANA + media_type)))
    g.add((distribution, DCAT.byteSize, Literal(len(data), datatype=XSD.nonNegativeInteger)))
    g.add((distribution, DCTERMS.license, URIRef(MOST_RESTRICTIVE_LICENCE)))
    g.add((distribution, SPDX.checksum, checksum))
    g.add((checksum, RDF.type, SPDX.Checksum))
    g.add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
    digest = hashlib.sha256(data).hexdigest()
    g.add((checksum, SPDX.checksumValue, Literal(digest, datatype=XSD.hexBinary)))


def _slug(iri: str) -> str:
    """A readable, stable fragment for a class or property: `gcm-Objective`, `skos-prefLabel`."""
    for prefix, namespace in sorted(PREFIXES.items(), key=lambda p: -len(str(p[1]))):
        local = iri[len(str(namespace)) :]
        if iri.startswith(str(namespace)) and re.fullmatch(r"[\w-]+", local):
            return f"{prefix}-{local}"
    return hashlib.sha256(iri.encode()).hexdigest()[:16]


def _partitions(g: Graph, dataset: URIRef, merged: Merged) -> None:
    """void:classPartition (entities per class) and void:propertyPartition (triples per property),
    counted in one pass over the merged graph's triples."""
    classes: Counter[URIRef] = Counter()
    properties: Counter[URIRef] = Counter()
    subjects = set()
    rdf_type = RDF.type
    for s, p, o in merged:
        properties[p] += 1
        subjects.add(s)
        if p == rdf_type and isinstance(o, URIRef):
            classes[o] += 1
    g.add((dataset, VOID.classes, Literal(len(classes), datatype=XSD.integer)))
    g.add((dataset, VOID.properties, Literal(len(properties), datatype=XSD.integer)))
    g.add((dataset, VOID.distinctSubjects, Literal(len(subjects), datatype=XSD.integer)))
    for cls, count in sorted(classes.items()):
        partition = URIRef(f"{dataset}#class-{_slug(str(cls))}")
        g.add((dataset, VOID.classPartition, partition))
        g.add((partition, VOID["class"], cls))
        g.add((partition, VOID.entities, Literal(count, datatype=XSD.integer)))
    for prop, count in sorted(properties.items()):
        partition = URIRef(f"{dataset}#property-{_slug(str(prop))}")
        g.add((dataset, VOID.propertyPartition, partition))
        g.add((partition, VOID.property, prop))
        g.add((partition, VOID.triples, Literal(count, datatype=XSD.integer)))


def _licence(g: Graph, node: URIRef, source: Source) -> None:
    """dcterms:license only for a licence IRI; a statement without one is dcterms:rights text."""
    url = source.metadata.get("licence_url")
    if url:
        g.add((node, DCTERMS.license, URIRef(url)))
    g.add((node, DCTERMS.rights, Literal(source.licence, lang="en")))


def _sources_and_subsets(
    g: Graph, iris: Iris, sources: list[Source], graph_sizes: dict[str, int]
) -> None:
    dataset = iris.dataset()
    for source in sources:
        node = iris.source(source.id)
        g.add((dataset, DCTERMS.source, node))
        g.add((node, DCTERMS.title, Literal(source.title, lang="en")))
        _licence(g, node, source)
    by_graph = {str(iris.graph(source.id)): source for source in sources}
    for name, size in sorted(graph_sizes.items()):
        subset = URIRef(name)
        g.add((dataset, VOID.subset, subset))
        g.add((subset, RDF.type, VOID.Dataset))
        g.add((subset, VOID.triples, Literal(size, datatype=XSD.integer)))
        g.add((subset, VOID.dataDump, URIRef(f"{name}.{SUBSET_DUMP_EXTENSION}")))
        source = by_graph.get(name)
        if source is not None:
            g.add((subset, DCTERMS.source, iris.source(source.id)))
            _licence(g, subset, source)
