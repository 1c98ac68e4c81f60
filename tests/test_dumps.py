"""Dumps and the VoID/DCAT description, over HTTP against a real server (tests/ld_server.py)."""

from __future__ import annotations

import gzip
import json
from email.utils import formatdate

import pytest
import requests
from jsonld_support import parse_jsonld, served_context
from ld_server import BASE, assemble_release, ld_server  # noqa: F401  (fixture)
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, RDF

from gcm_graph.serve.formats import media_type_for_path

pytestmark = pytest.mark.slow

VOID = Namespace("http://rdfs.org/ns/void#")
DCAT = Namespace("http://www.w3.org/ns/dcat#")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
DATASET = URIRef(BASE + "dataset")
IANA = "https://www.iana.org/assignments/media-types/"
EXPECTED_TYPES = {  # the release's files and the media types formats.py gives them
    "gcm.nt": "application/n-triples",
    "gcm.nq": "application/n-quads",
    "gcm.ttl": "text/turtle",
    "gcm.trig": "application/trig",
    "manifest.json": "application/json",
    "discrepancies.json": "application/json",
    "discrepancies.md": "text/markdown",
    "void.ttl": "text/turtle",
}


def get(server, path: str, **headers: str) -> requests.Response:
    headers.setdefault("Accept-Encoding", "identity")
    return requests.get(server.at(path), headers=headers, allow_redirects=False, timeout=30)


def test_listing_names_every_release_file(ld_server):  # noqa: F811
    page = get(ld_server, "/dumps/")
    assert page.status_code == 200
    files = sorted(p.name for p in ld_server.release.iterdir() if p.is_file())
    assert sorted(EXPECTED_TYPES) == files
    for name in files:
        assert f'href="/dumps/{name}"' in page.text
    assert get(ld_server, "/dumps").headers["Location"] == "/dumps/"


@pytest.mark.parametrize("name", sorted(EXPECTED_TYPES))
def test_each_file_is_served_whole_with_its_media_type(ld_server, name):  # noqa: F811
    response = get(ld_server, f"/dumps/{name}")
    assert response.status_code == 200
    assert response.headers["Content-Type"].split(";")[0] == EXPECTED_TYPES[name]
    assert EXPECTED_TYPES[name] == media_type_for_path(name)
    assert response.content == (ld_server.release / name).read_bytes()
    assert response.headers["ETag"]
    assert response.headers["Last-Modified"]


def test_revalidation_answers_304(ld_server):  # noqa: F811
    first = get(ld_server, "/dumps/gcm.nq")
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    assert get(ld_server, "/dumps/gcm.nq", **{"If-None-Match": etag}).status_code == 304
    assert get(ld_server, "/dumps/gcm.nq", **{"If-Modified-Since": modified}).status_code == 304
    stale = get(ld_server, "/dumps/gcm.nq", **{"If-None-Match": '"0000"'})
    assert stale.status_code == 200 and stale.content
    long_ago = formatdate(0, usegmt=True)
    assert get(ld_server, "/dumps/gcm.nq", **{"If-Modified-Since": long_ago}).status_code == 200
    # The ETag is the content's: another file has another tag.
    assert get(ld_server, "/dumps/gcm.nt").headers["ETag"] != etag


def test_gzip_is_negotiated(ld_server):  # noqa: F811
    plain = get(ld_server, "/dumps/gcm.nt")
    zipped = requests.get(
        ld_server.at("/dumps/gcm.nt"), headers={"Accept-Encoding": "gzip"}, stream=True, timeout=30
    )
    raw = zipped.raw.read(decode_content=False)
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in zipped.headers["Vary"]
    assert gzip.decompress(raw) == (ld_server.release / "gcm.nt").read_bytes()
    assert len(raw) < len(plain.content)
    assert zipped.headers["ETag"] != plain.headers["ETag"]
    again = get(
        ld_server,
        "/dumps/gcm.nt",
        **{"Accept-Encoding": "gzip", "If-None-Match": zipped.headers["ETag"]},
    )
    assert again.status_code == 304
    assert "Content-Encoding" not in plain.headers


@pytest.mark.parametrize(
    "path",
    [
        "/dumps/../pyproject.toml",
        "/dumps/%2e%2e/pyproject.toml",
        "/dumps/nothing.nt",
        "/dumps/.hidden",
    ],
)
def test_nothing_outside_the_release_is_served(ld_server, path):  # noqa: F811
    assert get(ld_server, path).status_code == 404


# --- VoID ---------------------------------------------------------------------------------


def void_graph(server, accept: str | None = None, fmt: str = "turtle") -> Graph:
    headers = {"Accept": accept} if accept else {}
    response = get(server, "/.well-known/void", **headers)
    assert response.status_code == 200
    if fmt == "json-ld":
        return parse_jsonld(response.content, served_context(server.url))
    return Graph().parse(data=response.content, format=fmt)


def test_void_is_turtle_by_default_and_negotiates(ld_server):  # noqa: F811
    response = get(ld_server, "/.well-known/void")
    assert response.headers["Content-Type"].startswith("text/turtle")
    turtle = Graph().parse(data=response.content, format="turtle")
    jsonld = void_graph(ld_server, "application/ld+json", "json-ld")
    ntriples = void_graph(ld_server, "application/n-triples", "nt")
    assert len(turtle) == len(jsonld) == len(ntriples) > 30
    page = get(ld_server, "/.well-known/void", Accept="text/html")
    assert page.headers["Content-Type"].startswith("text/html")
    assert "the Global Compact for Safe, Orderly and Regular Migration as linked data" in page.text


def test_void_is_the_one_the_build_wrote(ld_server):  # noqa: F811
    """The server serves the release's void.ttl (gcm_graph/void.py wrote it), in any format."""
    served = void_graph(ld_server, "application/n-triples", "nt")
    written = Graph().parse(ld_server.release / "void.ttl", format="turtle")
    assert isomorphic(served, written)


def test_void_describes_the_release(ld_server):  # noqa: F811
    graph = void_graph(ld_server)
    manifest = json.loads((ld_server.release / "manifest.json").read_text())
    rows = graph.query(
        """SELECT ?triples ?endpoint ?licence WHERE {
             ?d a void:Dataset, dcat:Dataset ; void:triples ?triples ;
                void:sparqlEndpoint ?endpoint ; dcterms:license ?licence .
             FILTER(?d = <https://w3id.org/gcm/dataset>) }""",
        initNs={"void": VOID, "dcat": DCAT, "dcterms": DCTERMS},
    )
    ((triples, endpoint, licence),) = list(rows)
    assert int(triples) == manifest["triples"]
    assert endpoint == URIRef(BASE + "sparql")
    assert str(licence) == "https://creativecommons.org/licenses/by-nc-nd/3.0/igo/"
    # One subset per named graph, with the manifest's counts.
    subsets = {
        str(s): int(n)
        for s, n in graph.query(
            "SELECT ?s ?n { <https://w3id.org/gcm/dataset> void:subset ?s . ?s void:triples ?n }",
            initNs={"void": VOID},
        )
    }
    assert subsets == {g: n for g, n in manifest["graphs"].items() if g}
    # The source document, with its title.
    source = URIRef(BASE + "source/resolution")
    assert (DATASET, DCTERMS.source, source) in graph
    assert any(
        str(t).startswith("Resolution adopted") for t in graph.objects(source, DCTERMS.title)
    )


def test_void_dump_urls_resolve_on_this_server(ld_server):  # noqa: F811
    graph = void_graph(ld_server)
    dumps = sorted(str(d) for d in graph.objects(DATASET, VOID.dataDump))
    assert dumps == [BASE + f"dumps/gcm.{e}" for e in ("nq", "nt", "trig", "ttl")]
    for url in graph.objects(None, DCAT.downloadURL):
        path = "/" + str(url)[len(BASE) :]
        response = get(ld_server, path)
        assert response.status_code == 200, path
        distribution = next(graph.subjects(DCAT.downloadURL, url))
        media_type = str(graph.value(distribution, DCAT.mediaType))  # an IANA IRI
        assert media_type == IANA + response.headers["Content-Type"].split(";")[0]
    assert URIRef(BASE + "objective/7") in set(graph.objects(DATASET, VOID.exampleResource))
    response = get(ld_server, "/objective/7", Accept="text/turtle")
    assert response.status_code == 303


def test_dataset_iri_resolves_to_the_void_description(ld_server):  # noqa: F811
    response = get(ld_server, "/dataset", Accept="text/turtle")
    assert (response.status_code, response.headers["Location"]) == (303, "/dataset.ttl")
    graph = Graph().parse(data=get(ld_server, "/dataset.ttl").content, format="turtle")
    assert (DATASET, RDF.type, VOID.Dataset) in graph


def test_home_page_links_the_void(ld_server):  # noqa: F811
    assert 'href="/.well-known/void"' in get(ld_server, "/").text


def test_a_void_file_in_the_release_is_served_as_is(tmp_path):
    """The build's own void.ttl, when present, is authoritative (Flask test client: no pool)."""
    from gcm_graph.serve import create_app

    release = assemble_release(tmp_path / "release")
    (release / "void.ttl").write_text(
        "<https://w3id.org/gcm/dataset> a <http://rdfs.org/ns/void#Dataset> ;\n"
        '    <http://purl.org/dc/terms/title> "from the build" .\n'
    )
    app = create_app({"RELEASE_DIR": str(release), "START_QUERY_POOL": False})
    response = app.test_client().get(
        "/.well-known/void", headers={"Accept": "application/n-triples"}
    )
    graph = Graph().parse(data=response.data, format="nt")
    assert len(graph) == 2
    assert graph.value(DATASET, DCTERMS.title) == Literal("from the build")


def test_a_release_without_void_has_no_description(tmp_path):
    """No void.ttl: 404 with a message, never a description made up by the server."""
    from gcm_graph.serve import create_app

    release = assemble_release(tmp_path / "release")
    (release / "void.ttl").unlink()
    app = create_app({"RELEASE_DIR": str(release), "START_QUERY_POOL": False})
    response = app.test_client().get("/.well-known/void", headers={"Accept": "text/turtle"})
    assert response.status_code == 404
    assert "no void.ttl" in response.get_data(as_text=True)


def test_analysis_files_are_served_with_their_media_types():
    """Regression: PNG and SVG figures of build/analysis/ were served as application/octet-stream."""
    from gcm_graph.serve.formats import media_type_for_path

    assert media_type_for_path("analysis/figures/heatmap.png") == "image/png"
    assert media_type_for_path("analysis/figures/heatmap.svg") == "image/svg+xml"
    assert (
        media_type_for_path("analysis/graphs/objective-target.graphml") == "application/graphml+xml"
    )
    assert media_type_for_path("analysis/summary.md") == "text/markdown"
    assert media_type_for_path("gcm.ttl") == "text/turtle"


def test_an_over_long_dump_name_is_404_not_500(ld_server):  # noqa: F811
    """Regression (found by benchmarks/fuzz_test.py): a name longer than the file system allows
    raised OSError in Path.is_file, and the server answered 500."""
    response = requests.get(ld_server.at("/dumps/" + "a" * 300 + ".ttl"), timeout=30)
    assert response.status_code == 404
