"""The VoID + DCAT description of the release, generated when the build did not write void.ttl.

Everything in it is read from the release: triple and entity counts and the named graphs from the
store, the source documents (`gcm:SourceDocument`) with their titles and licence statements, the
dump files of the release directory, the build date from manifest.json. The dataset licence is the
manifest's `licence`/`license` if it has one, else the DATA_LICENSE setting (default: CC BY 4.0,
the licence the ontology declares for the project's own work); the source texts keep their own
terms, stated per source.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from pyoxigraph import BlankNode, Literal, NamedNode, QuerySolutions, Triple

from .. import config
from . import formats

if TYPE_CHECKING:
    from .site import Site

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
XSD = "http://www.w3.org/2001/XMLSchema#"
DCTERMS = "http://purl.org/dc/terms/"
VOID = "http://rdfs.org/ns/void#"
DCAT = "http://www.w3.org/ns/dcat#"
FOAF = "http://xmlns.com/foaf/0.1/"
GCM = config.ONTOLOGY_NS
DEFAULT_LICENSE = "https://creativecommons.org/licenses/by/4.0/"
VOCABULARIES = (
    GCM,
    DCTERMS,
    "http://www.w3.org/2004/02/skos/core#",
    "http://www.w3.org/ns/prov#",
    "http://metadata.un.org/sdg/ontology#",
)
EXAMPLE_CLASSES = ("Objective", "Action", "GuidingPrinciple", "Instrument", "Practice")


def _iri(value: str) -> NamedNode:
    return NamedNode(value)


def _int(value: int) -> Literal:
    return Literal(str(value), datatype=NamedNode(XSD + "integer"))


def _en(text: str) -> Literal:
    return Literal(text, language="en")


class _Builder:
    def __init__(self) -> None:
        self.triples: list[Triple] = []

    def add(self, s: NamedNode | BlankNode, p: str, o: NamedNode | BlankNode | Literal) -> None:
        self.triples.append(Triple(s, _iri(p), o))


def generate_void(site: Site, files: list[Path], release_dir: Path) -> list[Triple]:
    base = site.base_uri
    release = site.release
    store = release.store
    manifest = site.manifest()
    dataset = _iri(base + "dataset")
    b = _Builder()

    document = _iri(base + ".well-known/void")
    b.add(document, RDF + "type", _iri(VOID + "DatasetDescription"))
    b.add(document, FOAF + "primaryTopic", dataset)
    b.add(document, DCTERMS + "title", _en("VoID and DCAT description of gcm-graph"))

    b.add(dataset, RDF + "type", _iri(VOID + "Dataset"))
    b.add(dataset, RDF + "type", _iri(DCAT + "Dataset"))
    b.add(
        dataset,
        DCTERMS + "title",
        _en("gcm-graph: the Global Compact for Migration as linked data"),
    )
    b.add(
        dataset,
        DCTERMS + "description",
        _en(
            "A knowledge graph of the Global Compact for Safe, Orderly and Regular Migration "
            "(UN General Assembly resolution A/RES/73/195): objectives, commitments, actions, "
            "guiding principles, related SDG targets, instruments and practices, each fact "
            "linked to the lines of the source document it was read from."
        ),
    )
    licence = manifest.get("licence") or manifest.get("license")
    licence = licence or site_setting(site, "DATA_LICENSE") or DEFAULT_LICENSE
    b.add(dataset, DCTERMS + "license", _iri(licence) if "://" in licence else Literal(licence))
    b.add(
        dataset,
        DCTERMS + "rights",
        _en("The texts of the source documents keep their own terms; see each dcterms:source."),
    )
    built = manifest.get("built") or manifest.get("created") or manifest.get("generated")
    if isinstance(built, str) and built:
        b.add(dataset, DCTERMS + "modified", Literal(built))
    b.add(dataset, DCAT + "landingPage", _iri(base))
    b.add(dataset, FOAF + "homepage", _iri(base))
    b.add(dataset, VOID + "uriSpace", Literal(base))
    for vocabulary in VOCABULARIES:
        b.add(dataset, VOID + "vocabulary", _iri(vocabulary))
    b.add(dataset, VOID + "sparqlEndpoint", _iri(base + "sparql"))
    _counts(b, dataset, store)
    _sources(b, dataset, store)
    _subsets(b, dataset, release, base)
    _dumps(b, dataset, files, release_dir, base)
    _service(b, dataset, base)
    for example in _examples(store):
        b.add(dataset, VOID + "exampleResource", _iri(example))
    return b.triples


def site_setting(site: Site, key: str) -> str | None:
    from flask import current_app

    value = current_app.config.get(key)
    return str(value) if value else None


def _select(store, query: str) -> list:
    rows = store.query(query)
    assert isinstance(rows, QuerySolutions)
    return list(rows)


def _counts(b: _Builder, dataset: NamedNode, store) -> None:
    (row,) = _select(
        store,
        "SELECT (COUNT(*) AS ?triples) (COUNT(DISTINCT ?s) AS ?subjects) "
        "(COUNT(DISTINCT ?p) AS ?properties) (COUNT(DISTINCT ?o) AS ?objects) { ?s ?p ?o }",
    )
    b.add(dataset, VOID + "triples", _int(int(row["triples"].value)))
    b.add(dataset, VOID + "distinctSubjects", _int(int(row["subjects"].value)))
    b.add(dataset, VOID + "properties", _int(int(row["properties"].value)))
    b.add(dataset, VOID + "distinctObjects", _int(int(row["objects"].value)))
    classes = _select(
        store,
        "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) { ?s a ?c FILTER(isIRI(?s)) } GROUP BY ?c ORDER BY ?c",
    )
    b.add(dataset, VOID + "classes", _int(len(classes)))
    b.add(dataset, VOID + "entities", _int(sum(int(r["n"].value) for r in classes)))
    for row in classes:
        partition = BlankNode()
        b.add(dataset, VOID + "classPartition", partition)
        b.add(partition, VOID + "class", row["c"])
        b.add(partition, VOID + "entities", _int(int(row["n"].value)))


def _sources(b: _Builder, dataset: NamedNode, store) -> None:
    rows = _select(
        store,
        f"""SELECT ?src (SAMPLE(?t) AS ?title) (SAMPLE(?l) AS ?licence) (SAMPLE(?pub) AS ?publisher)
        {{ ?src a <{GCM}SourceDocument> OPTIONAL {{ ?src <{DCTERMS}title> ?t }}
          OPTIONAL {{ ?src <{DCTERMS}license> ?l }} OPTIONAL {{ ?src <{DCTERMS}publisher> ?pub }} }}
        GROUP BY ?src ORDER BY ?src""",
    )
    for row in rows:
        source = row["src"]
        b.add(dataset, DCTERMS + "source", source)
        for key, predicate in (
            ("title", "title"),
            ("licence", "license"),
            ("publisher", "publisher"),
        ):
            if row[key] is not None:
                b.add(source, DCTERMS + predicate, row[key])


def _subsets(b: _Builder, dataset: NamedNode, release, base: str) -> None:
    for graph in release.named_graphs():
        subset = _iri(graph.name)
        b.add(dataset, VOID + "subset", subset)
        b.add(subset, RDF + "type", _iri(VOID + "Dataset"))
        b.add(subset, VOID + "triples", _int(graph.triples))
        if graph.name.startswith(base + "graph/"):
            source_id = graph.name[len(base + "graph/") :]
            b.add(subset, DCTERMS + "source", _iri(f"{base}source/{source_id}"))


def _dumps(b: _Builder, dataset: NamedNode, files: list[Path], root: Path, base: str) -> None:
    for path in files:
        name = path.relative_to(root).as_posix()
        url = _iri(f"{base}dumps/{name}")
        fmt = formats.by_extension(path.suffix) if path.suffix else None
        is_rdf = fmt is not None and fmt.kind in ("graph", "dataset")
        if is_rdf:
            b.add(dataset, VOID + "dataDump", url)
        distribution = _iri(f"{base}dumps/{name}#distribution")
        b.add(dataset, DCAT + "distribution", distribution)
        b.add(distribution, RDF + "type", _iri(DCAT + "Distribution"))
        b.add(distribution, DCAT + "downloadURL", url)
        b.add(distribution, DCAT + "accessURL", _iri(f"{base}dumps/"))
        b.add(distribution, DCAT + "mediaType", _iri(_iana(formats.media_type_for_path(path))))
        b.add(distribution, DCAT + "byteSize", _int(path.stat().st_size))
        b.add(distribution, DCTERMS + "title", Literal(name))


def _iana(media_type: str) -> str:
    return f"https://www.iana.org/assignments/media-types/{media_type}"


def _service(b: _Builder, dataset: NamedNode, base: str) -> None:
    service = _iri(base + "sparql")
    b.add(dataset, DCAT + "distribution", _iri(base + "sparql#distribution"))
    b.add(_iri(base + "sparql#distribution"), RDF + "type", _iri(DCAT + "Distribution"))
    b.add(_iri(base + "sparql#distribution"), DCAT + "accessService", service)
    b.add(_iri(base + "sparql#distribution"), DCAT + "accessURL", service)
    b.add(service, RDF + "type", _iri(DCAT + "DataService"))
    b.add(service, DCAT + "endpointURL", service)
    b.add(service, DCAT + "servesDataset", dataset)
    b.add(service, DCTERMS + "conformsTo", _iri("https://www.w3.org/TR/sparql11-protocol/"))


def _examples(store) -> list[str]:
    """The first instance (smallest IRI) of each headline class, or a few subjects."""
    found = []
    for name in EXAMPLE_CLASSES:
        rows = _select(
            store, f"SELECT (MIN(STR(?s)) AS ?x) {{ ?s a <{GCM}{name}> FILTER(isIRI(?s)) }}"
        )
        if rows and rows[0]["x"] is not None:
            found.append(rows[0]["x"].value)
    if not found:
        rows = _select(
            store, "SELECT DISTINCT ?s { ?s ?p ?o FILTER(isIRI(?s)) } ORDER BY ?s LIMIT 3"
        )
        found = [row["s"].value for row in rows]
    return found
