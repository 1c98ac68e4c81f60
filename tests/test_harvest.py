"""Harvester basics over a started server on the committed release: the VoID/DCAT description
is complete and true (every file and named graph it announces answers with the announced bytes,
checksum and triples), robots.txt, sitemap.xml and openapi.yaml."""

from __future__ import annotations

import hashlib
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import requests
import yaml
from conftest import COMMITTED_RELEASE, LiveServer
from jsonld_support import parse_answer
from pyshacl import validate
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, RDF

pytestmark = pytest.mark.slow

BASE = "https://w3id.org/gcm/"
DATASET = URIRef(BASE + "dataset")
VOID = Namespace("http://rdfs.org/ns/void#")
DCAT = Namespace("http://www.w3.org/ns/dcat#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
SHAPE = Path(__file__).parent / "fixtures" / "void" / "void-shape.ttl"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def local(server: LiveServer, iri: object) -> str:
    """The URL on the test server of a published IRI under the base."""
    assert str(iri).startswith(BASE), iri
    return server.url + str(iri)[len(BASE) :]


def fetch(url: str, **headers: str) -> requests.Response:
    headers.setdefault("Accept-Encoding", "identity")  # the bytes as stored, for the checksums
    return requests.get(url, headers=headers, allow_redirects=False, timeout=120)


@pytest.fixture(scope="module")
def void(built_server: LiveServer) -> Graph:
    response = fetch(built_server.url + ".well-known/void", Accept="text/turtle")
    assert response.status_code == 200
    return Graph().parse(data=response.content, format="turtle")


# --- the VoID / DCAT description -------------------------------------------------------------


def test_void_conforms_to_the_harvester_shape(void: Graph) -> None:
    conforms, _graph, text = validate(void, shacl_graph=Graph().parse(SHAPE))
    assert conforms, text


def test_the_shape_refuses_a_licence_that_is_a_sentence(void: Graph) -> None:
    """The shape can fail: a subset licence as text (the old VoID's) is a violation."""
    broken = Graph()
    for triple in void:
        broken.add(triple)
    broken.add((URIRef(BASE + "graph/booklet"), DCTERMS.license, Literal("Not stated.")))
    conforms, _graph, text = validate(broken, shacl_graph=Graph().parse(SHAPE))
    assert not conforms and "Not stated." in text


def test_dates_publisher_and_licences(void: Graph) -> None:
    assert str(void.value(DATASET, DCTERMS.issued)) == "2026-11-23"
    modified = void.value(DATASET, DCTERMS.modified)
    assert modified.toPython() >= void.value(DATASET, DCTERMS.issued).toPython()
    publisher = void.value(DATASET, DCTERMS.publisher)
    assert (
        str(void.value(publisher, URIRef("http://xmlns.com/foaf/0.1/name"))) == "gcm-graph project"
    )
    booklet = URIRef(BASE + "graph/booklet")  # its document states no licence
    assert void.value(booklet, DCTERMS.license) is None
    assert "Not stated" in str(void.value(booklet, DCTERMS.rights))
    idm = URIRef(BASE + "graph/idm")
    assert str(void.value(idm, DCTERMS.license)).startswith(
        "https://creativecommons.org/licenses/by-nc-nd/3.0/igo"
    )


def test_no_licence_in_the_data_is_a_sentence() -> None:
    """Source documents too: dcterms:license only with an IRI, the statement as dcterms:rights."""
    data = Graph().parse(COMMITTED_RELEASE / "gcm.nt", format="nt")
    licences = list(data.objects(None, DCTERMS.license))
    assert licences and all(isinstance(licence, URIRef) for licence in licences)
    booklet = URIRef(BASE + "source/booklet")
    assert data.value(booklet, DCTERMS.license) is None
    assert str(data.value(booklet, DCTERMS.rights)) == "Not stated in the document."


def test_release_date_comes_from_source_date_epoch_never_the_clock(monkeypatch) -> None:
    from gcm_graph import config

    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    assert config.release_date() == config.RELEASE_DATE
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01T00:00:00Z
    assert config.release_date() == "2026-01-01"


def test_every_distribution_answers_with_its_announced_size_and_checksum(
    built_server: LiveServer, void: Graph
) -> None:
    names = set()
    for distribution in void.objects(DATASET, DCAT.distribution):
        url = void.value(distribution, DCAT.downloadURL)
        response = fetch(local(built_server, url))
        assert response.status_code == 200, url
        body = response.content
        assert len(body) == int(void.value(distribution, DCAT.byteSize)), url
        checksum = void.value(distribution, SPDX.checksum)
        assert hashlib.sha256(body).hexdigest() == str(void.value(checksum, SPDX.checksumValue))
        media_type = str(void.value(distribution, DCAT.mediaType)).rsplit("/", 2)[-2:]
        assert response.headers["Content-Type"].split(";")[0] == "/".join(media_type), url
        names.add(str(url).rsplit("/", 1)[-1])
    assert {"gcm.ttl", "gcm.nt", "gcm.jsonld", "gcm.trig", "gcm.nq", "context.jsonld"} <= names
    assert URIRef(BASE + "dumps/gcm.jsonld") in set(void.objects(DATASET, VOID.dataDump))


def test_the_announced_files_are_the_release_files(void: Graph) -> None:
    for distribution in void.objects(DATASET, DCAT.distribution):
        name = str(void.value(distribution, DCAT.downloadURL)).rsplit("/", 1)[-1]
        data = (COMMITTED_RELEASE / name).read_bytes()
        assert int(void.value(distribution, DCAT.byteSize)) == len(data)


def test_every_subset_answers_with_its_triples(built_server: LiveServer, void: Graph) -> None:
    """The /graph/booklet.ttl regression: a subset the VoID lists is never empty."""
    subsets = list(void.objects(DATASET, VOID.subset))
    assert len(subsets) >= 10
    total = 0
    for subset in subsets:
        announced = int(void.value(subset, VOID.triples))
        dump = void.value(subset, VOID.dataDump)
        response = fetch(local(built_server, dump))
        assert response.status_code == 200, dump
        graph = Graph().parse(data=response.content, format="nt")
        assert len(graph) == announced > 0, subset
        redirect = fetch(local(built_server, subset), Accept="text/turtle")
        assert redirect.status_code == 303
        assert redirect.headers["Location"] == "/" + str(subset)[len(BASE) :] + ".ttl"
        total += announced
    quads = sum(1 for line in (COMMITTED_RELEASE / "gcm.nq").open() if line.strip())
    assert total == quads


@pytest.mark.parametrize(("extension", "parser"), [("ttl", "turtle"), ("jsonld", "json-ld")])
def test_a_named_graph_is_the_same_in_every_format(built_server, extension, parser) -> None:
    url = built_server.url + "graph/booklet"
    reference = Graph().parse(data=fetch(url + ".nt").content, format="nt")
    response = fetch(f"{url}.{extension}")
    assert response.status_code == 200 and len(response.content) > 100_000
    assert isomorphic(parse_answer(response.content, parser, built_server.url), reference)
    assert fetch(url + ".nt").content == fetch(url + ".nt").content  # sorted: same bytes


def test_unknown_named_graph_is_404(built_server: LiveServer) -> None:
    assert fetch(built_server.url + "graph/nothing.ttl").status_code == 404
    assert fetch(built_server.url + "graph/nothing").status_code == 404


def test_partition_counts_agree_with_the_endpoint(built_server: LiveServer, void: Graph) -> None:
    """Counted again by SPARQL on the server's store, not by the code that wrote the VoID."""
    query = "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c"
    rows = requests.get(built_server.sparql, params={"query": query}, timeout=120).json()
    counted = {r["c"]["value"]: int(r["n"]["value"]) for r in rows["results"]["bindings"]}
    announced = {
        str(void.value(p, VOID["class"])): int(void.value(p, VOID.entities))
        for p in void.objects(DATASET, VOID.classPartition)
    }
    assert announced == counted
    assert announced["https://w3id.org/gcm/ontology#Objective"] == 23
    query = "SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p"
    rows = requests.get(built_server.sparql, params={"query": query}, timeout=120).json()
    counted = {r["p"]["value"]: int(r["n"]["value"]) for r in rows["results"]["bindings"]}
    announced = {
        str(void.value(p, VOID.property)): int(void.value(p, VOID.triples))
        for p in void.objects(DATASET, VOID.propertyPartition)
    }
    assert announced == counted
    assert sum(announced.values()) == int(void.value(DATASET, VOID.triples))
    assert (DATASET, RDF.type, DCAT.Dataset) in void


# --- robots.txt, sitemap.xml, openapi.yaml ----------------------------------------------------


def test_robots_allows_all_and_names_the_sitemap(built_server: LiveServer) -> None:
    response = fetch(built_server.url + "robots.txt")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/plain")
    lines = response.text.splitlines()
    assert "User-agent: *" in lines and "Allow: /" in lines
    assert not any(line.startswith("Disallow:") and line.strip() != "Disallow:" for line in lines)
    assert f"Sitemap: {built_server.url}sitemap.xml" in lines


def test_sitemap_lists_every_resource_page_within_the_limits(built_server: LiveServer) -> None:
    first = fetch(built_server.url + "sitemap.xml")
    assert first.status_code == 200
    assert first.headers["Content-Type"].startswith("application/xml")
    assert fetch(built_server.url + "sitemap.xml").content == first.content  # deterministic
    assert len(first.content) < 50 * 1024 * 1024
    root = ET.fromstring(first.content)
    assert root.tag == f"{SITEMAP}urlset"
    urls = [loc.text for loc in root.iter(f"{SITEMAP}loc")]
    assert len(urls) == len(set(urls)) <= 50_000
    assert urls[0] == built_server.url and urls[1:] == sorted(urls[1:])
    subjects = {
        line.split(" ", 1)[0][1:-1]
        for line in (COMMITTED_RELEASE / "gcm.nt").open(encoding="utf-8")
        if line.startswith("<" + BASE)
    }
    assert {u[len(built_server.url) :] for u in urls[1:]} == {s[len(BASE) :] for s in subjects}
    for url in urls[1 :: max(1, len(urls) // 15)]:  # a sample of every kind: each page resolves
        response = fetch(url, Accept="text/html")
        assert response.status_code == 303, url
        assert fetch(built_server.url + response.headers["Location"][1:]).status_code == 200


def test_openapi_is_served_and_describes_the_new_routes(built_server: LiveServer) -> None:
    response = fetch(built_server.url + "openapi.yaml")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/yaml")
    spec = yaml.safe_load(response.text)
    assert spec["openapi"].startswith("3.")
    for path in ("/context.jsonld", "/graph/{name}", "/robots.txt", "/sitemap.xml", "/sparql"):
        assert path in spec["paths"], path
