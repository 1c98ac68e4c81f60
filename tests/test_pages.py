"""Dereferenceable IRIs and HTML pages, over HTTP against a real server (tests/ld_server.py).

The release is tests/fixtures/release plus tests/fixtures/pages/extra.trig; the facts asserted
here are read from those two hand-written files.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlparse

import pytest
import requests
from jsonld_support import parse_answer
from ld_server import BASE, ld_server  # noqa: F401  (fixture)
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, SKOS

pytestmark = pytest.mark.slow

GCM = Namespace("https://w3id.org/gcm/ontology#")
OBJ1 = URIRef(BASE + "objective/1")
OBJ7 = URIRef(BASE + "objective/7")
SDG17 = "http://metadata.un.org/sdg/17"
BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
RDF_TWINS = {  # extension -> (media type from formats.py, rdflib parser)
    "ttl": ("text/turtle", "turtle"),
    "nt": ("application/n-triples", "nt"),
    "jsonld": ("application/ld+json", "json-ld"),
    "rdf": ("application/rdf+xml", "xml"),
}


def get(server, path: str, accept: str | None = None, **kwargs) -> requests.Response:
    headers = kwargs.pop("headers", {})
    if accept is not None:
        headers["Accept"] = accept
    return requests.get(
        server.at(path), headers=headers, allow_redirects=False, timeout=30, **kwargs
    )


def graph_of(server, path: str) -> Graph:
    response = get(server, path)
    assert response.status_code == 200, (path, response.status_code, response.text[:300])
    return Graph().parse(data=response.content, format="turtle")


# --- 303 and content negotiation ----------------------------------------------------------


@pytest.mark.parametrize(
    ("accept", "twin"),
    [
        (BROWSER_ACCEPT, "html"),
        ("text/turtle", "ttl"),
        ("application/ld+json", "jsonld"),
        ("application/n-triples", "nt"),
        ("application/rdf+xml", "rdf"),
        ("text/turtle;q=0.5, application/ld+json;q=0.9", "jsonld"),
        ("text/html;q=0.1, text/turtle", "ttl"),
        (None, "ttl"),  # no Accept header: Turtle (documented default)
        ("*/*", "ttl"),
    ],
)
def test_resource_iri_answers_303_by_content_negotiation(ld_server, accept, twin):  # noqa: F811
    response = get(ld_server, "/objective/7", accept)
    assert response.status_code == 303
    assert response.headers["Location"] == f"/objective/7.{twin}"
    assert "Accept" in response.headers["Vary"]


def test_format_parameter_wins_over_accept(ld_server):  # noqa: F811
    response = get(ld_server, "/objective/7?format=nt", BROWSER_ACCEPT)
    assert response.status_code == 303
    assert response.headers["Location"] == "/objective/7.nt"


def test_unacceptable_type_is_406(ld_server):  # noqa: F811
    response = get(ld_server, "/objective/7", "image/png")
    assert response.status_code == 406
    assert "text/turtle" in response.text


def test_nested_iri_resolves(ld_server):  # noqa: F811
    response = get(ld_server, "/objective/1/action/a", "text/turtle")
    assert response.status_code == 303
    assert response.headers["Location"] == "/objective/1/action/a.ttl"


# --- the RDF twins ------------------------------------------------------------------------


@pytest.mark.parametrize("extension", sorted(RDF_TWINS))
def test_rdf_twins_parse_to_the_same_graph(ld_server, extension):  # noqa: F811
    media_type, parser = RDF_TWINS[extension]
    response = get(ld_server, f"/objective/7.{extension}")
    assert response.status_code == 200
    assert response.headers["Content-Type"].split(";")[0] == media_type
    graph = parse_answer(response.content, parser, ld_server.url)
    reference = graph_of(ld_server, "/objective/7.ttl")
    assert len(graph) == len(reference) > 0
    assert isomorphic(graph, reference)
    assert (OBJ7, GCM.number, Literal(7)) in graph
    # Each twin names the others in a Link header.
    assert 'rel="alternate"' in response.headers["Link"]
    assert f"/objective/7.{extension}>" not in response.headers["Link"]


def test_description_is_the_cbd_with_blank_nodes_and_linked_labels(ld_server):  # noqa: F811
    graph = graph_of(ld_server, "/objective/7.ttl")
    # Outgoing triples (fixture gcm.trig, objective 7).
    assert (
        OBJ7,
        DCTERMS.title,
        Literal("Address and reduce vulnerabilities in migration", lang="en"),
    ) in graph
    # The blank node reached from it, with its own triples (extra.trig).
    (attribution,) = graph.objects(OBJ7, PROV.qualifiedAttribution)
    assert (attribution, RDF.type, PROV.Attribution) in graph
    assert (attribution, PROV.hadRole, Literal("fixture role: adopting body")) in graph
    # The label of a linked resource (SDG goal 10's prefLabel from the sdg-kos graph).
    goal10 = URIRef("http://metadata.un.org/sdg/10")
    assert (
        goal10,
        SKOS.prefLabel,
        Literal("Reduce inequality within and among countries", lang="en"),
    ) in graph
    # ...but nothing else about it (its notation is not a label).
    assert not list(graph.triples((goal10, SKOS.notation, None)))
    # Incoming links are not part of the document; other resources are absent.
    assert not list(graph.triples((None, GCM.establishedIn, OBJ7)))
    assert not list(graph.triples((URIRef(BASE + "objective/2"), None, None)))


def test_description_follows_reified_statements_and_provenance(ld_server):  # noqa: F811
    graph = graph_of(ld_server, "/objective/1.ttl")
    statement = URIRef(BASE + "statement/fixture0000000001")
    assert (statement, RDF.subject, OBJ1) in graph
    assert (statement, RDF.object, URIRef(BASE + "objective/1/action/a")) in graph
    span171 = URIRef(BASE + "source/resolution/lines/171-171")
    assert (statement, PROV.wasDerivedFrom, span171) in graph
    # The spans' locations come along: document and lines.
    assert (span171, GCM.firstLine, Literal(171)) in graph
    span = URIRef(BASE + "source/resolution/lines/165-183")
    assert (span, GCM.paragraphNumber, Literal(17)) in graph
    assert (span, GCM.inSource, URIRef(BASE + "source/resolution")) in graph
    # ...and the source document's title as the label of a linked resource.
    titles = list(graph.objects(URIRef(BASE + "source/resolution"), DCTERMS.title))
    assert titles and str(titles[0]).startswith("Resolution adopted by the General Assembly")


def test_every_iri_under_the_base_resolves(ld_server):  # noqa: F811
    """Every IRI under the base that the release mentions (subject or object) dereferences."""
    data = Graph().parse(ld_server.release / "gcm.nt", format="nt")
    iris = sorted(
        {str(t) for triple in data for t in (triple[0], triple[2]) if isinstance(t, URIRef)}
    )
    under_base = [i for i in iris if i.startswith(BASE) and not i.startswith(str(GCM))]
    assert len(under_base) > 10
    for iri in under_base:
        path = "/" + iri[len(BASE) :]
        response = get(ld_server, path, "text/turtle")
        assert response.status_code == 303, path
        document = Graph().parse(data=get(ld_server, path + ".ttl").content, format="turtle")
        assert URIRef(iri) in set(document.subjects()) | set(document.objects()), path


def test_unknown_iri_is_404_plain_for_clients_html_for_browsers(ld_server):  # noqa: F811
    plain = get(ld_server, "/objective/99")
    assert plain.status_code == 404
    assert plain.headers["Content-Type"].startswith("text/plain")
    page = get(ld_server, "/objective/99", BROWSER_ACCEPT)
    assert page.status_code == 404
    assert page.headers["Content-Type"].startswith("text/html")
    assert "https://w3id.org/gcm/objective/99" in page.text
    for path in ("/objective/99.ttl", "/objective/99.html", "/objective/7.xyz", "/no/such/thing"):
        assert get(ld_server, path).status_code == 404, path


# --- external IRIs ------------------------------------------------------------------------


def test_external_iris_are_described_at_describe(ld_server):  # noqa: F811
    response = get(ld_server, f"/describe?uri={SDG17}", BROWSER_ACCEPT)
    assert response.status_code == 303
    assert (
        response.headers["Location"] == "/describe.html?uri=http%3A%2F%2Fmetadata.un.org%2Fsdg%2F17"
    )
    page = get(ld_server, response.headers["Location"])
    assert page.status_code == 200
    assert "Strengthen the means of implementation" in page.text
    turtle = get(ld_server, "/describe.ttl", params={"uri": SDG17})
    graph = Graph().parse(data=turtle.content, format="turtle")
    assert (URIRef(SDG17), SKOS.notation, Literal("17")) in graph
    assert (
        get(ld_server, "/describe.ttl", params={"uri": "http://example.org/x"}).status_code == 404
    )
    # An IRI under the base is sent to its own path.
    local = get(ld_server, f"/describe?uri={BASE}objective/7")
    assert (local.status_code, local.headers["Location"]) == (303, "/objective/7")


# --- HTML pages ---------------------------------------------------------------------------


def test_literals_are_escaped(ld_server):  # noqa: F811
    page = get(ld_server, "/objective/7.html").text
    assert "alert('gcm-xss')" not in page
    assert (
        "Heading &lt;script&gt;alert(&#39;gcm-xss&#39;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;"
        in page
    )
    # A label with markup, shown in the incoming links of objective 7 and as a page title.
    assert "&lt;script&gt;alert(&#39;gcm-title&#39;)&lt;/script&gt; Mechanism" in page
    mechanism = get(ld_server, "/mechanism/escaping-fixture.html")
    assert "<script>" not in mechanism.text
    assert (
        "<title>&lt;script&gt;alert(&#39;gcm-title&#39;)&lt;/script&gt; Mechanism" in mechanism.text
    )
    # And scripts are forbidden outright (no page needs one).
    assert "default-src 'none'" in mechanism.headers["Content-Security-Policy"]


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.ids: set[str] = set()
        self.scripts = 0

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag == "a" and values.get("href"):
            self.hrefs.append(values["href"])
        if values.get("id"):
            self.ids.add(values["id"])
        if tag == "script" and values.get("type") != "application/ld+json":
            self.scripts += 1


def links_of(html: str) -> Links:
    parser = Links()
    parser.feed(html)
    return parser


def test_resource_page_shows_properties_links_provenance(ld_server):  # noqa: F811
    page = get(ld_server, "/objective/1.html")
    assert page.status_code == 200
    html = page.text
    links = links_of(html)
    assert links.scripts == 0
    assert "<h1>Collect and utilize accurate and disaggregated data" in html
    # Outgoing links as local links; SDG goal by its label, at /describe.
    assert "/objective/1/action/a" in links.hrefs
    assert "/describe?uri=http%3A%2F%2Fmetadata.un.org%2Fsdg%2F17" in links.hrefs
    assert "Strengthen the means of implementation" in html
    # Provenance: grouped by document, each span once; a value cites its span by number.
    assert "lines 165–183, paragraph 17" in html
    cited = re.search(r'objective/1/action/a</a><sup class="prov"><a href="#prov-(\d+)"', html)
    assert cited, "the link to action (a) cites its statement's span"
    listed = re.search(
        rf'<li id="prov-{cited.group(1)}"><span class="ref">\[\d+\]</span> '
        r'<a href="/source/resolution/lines/171-171">line 171</a>',
        html,
    )
    assert listed, "the cited number is the span's entry in the Provenance list"
    provenance = html.split('id="provenance"', 1)[1]
    assert provenance.count("<dt>") == len(set(re.findall(r"<dt>(.*?)</dt>", provenance)))
    # Incoming links (actions point back with gcm:objective).
    assert html.count('href="/objective/1/action/b"') >= 2
    # Twins are linked from the page and announced in <head>.
    for extension in RDF_TWINS:
        assert f"/objective/1.{extension}" in links.hrefs
    assert 'rel="alternate" type="text/turtle" href="/objective/1.ttl"' in html


def test_ontology_anchors_used_by_pages_exist(ld_server):  # noqa: F811
    redirect = get(ld_server, "/ontology", BROWSER_ACCEPT)
    assert (redirect.status_code, redirect.headers["Location"]) == (303, "/ontology.html")
    assert get(ld_server, "/ontology", "text/turtle").headers["Location"] == "/ontology.ttl"
    ontology = get(ld_server, "/ontology.html")
    assert ontology.status_code == 200
    ids = links_of(ontology.text).ids
    anchors: set[str] = set()
    for path in ("/objective/1.html", "/objective/7.html", "/source/resolution/lines/165-183.html"):
        hrefs = links_of(get(ld_server, path).text).hrefs
        anchors |= {h.split("#", 1)[1] for h in hrefs if h.startswith("/ontology.html#")}
    # Anchors are the terms' local names, also for multi-word labels ("Source span").
    assert {"hasAction", "number", "Objective", "SourceSpan", "firstLine", "inSource"} <= anchors
    assert anchors <= ids
    graph = Graph().parse(data=get(ld_server, "/ontology.ttl").content, format="turtle")
    assert (URIRef("https://w3id.org/gcm/ontology"), RDF.type, OWL.Ontology) in graph


def test_shapes_page_shows_every_shapes_file(ld_server):  # noqa: F811
    from gcm_graph.config import SHAPES_DIR

    page = get(ld_server, "/shapes")
    assert page.status_code == 200
    files = sorted(p.name for p in SHAPES_DIR.glob("*.ttl"))
    assert files
    for name in files:
        assert f"/shapes/{name}" in page.text
        served = get(ld_server, f"/shapes/{name}")
        assert served.headers["Content-Type"].startswith("text/turtle")
        assert served.content == (SHAPES_DIR / name).read_bytes()


def test_home_page(ld_server):  # noqa: F811
    page = get(ld_server, "/")
    assert page.status_code == 200
    html = page.text
    links = links_of(html)
    assert "/.well-known/void" in links.hrefs
    assert "/dumps/" in links.hrefs
    assert "/dumps/gcm.nt" in links.hrefs
    # Counts: triples of the merged graph (= lines of the N-Triples dump) and objectives.
    triples = len((ld_server.release / "gcm.nt").read_text().strip().splitlines())
    assert re.search(rf'<span class="n">{triples}</span>triples', html)
    assert re.search(r'<span class="n">3</span><a href="[^"]*">objectives</a>', html)
    # The example queries with their header titles and descriptions (tests/fixtures/pages/queries).
    assert "Objectives and their titles" in html
    assert "Every objective of the Compact with its number and title, in order." in html
    assert "SDG goals related to objectives" in html
    assert '<form class="query" method="get" action="/query">' in html
    assert "How to cite" in html


def test_pages_revalidate_with_etag(ld_server):  # noqa: F811
    for path in ("/objective/7.html", "/objective/7.ttl", "/", "/ontology.html"):
        first = get(ld_server, path)
        assert first.status_code == 200
        assert first.headers["Cache-Control"].startswith("public")
        etag = first.headers["ETag"]
        again = get(ld_server, path, headers={"If-None-Match": etag})
        assert again.status_code == 304, path
        assert again.content == b""
        other = get(ld_server, path, headers={"If-None-Match": '"something-else"'})
        assert other.status_code == 200


def test_pages_are_gzipped_and_revalidate_compressed(ld_server):  # noqa: F811
    zipped = get(ld_server, "/objective/7.html", headers={"Accept-Encoding": "gzip"})
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert "Address and reduce vulnerabilities" in zipped.text  # requests decompresses
    again = get(
        ld_server,
        "/objective/7.html",
        headers={"Accept-Encoding": "gzip", "If-None-Match": zipped.headers["ETag"]},
    )
    assert again.status_code == 304


def test_rdf_documents_allow_cross_origin_reads(ld_server):  # noqa: F811
    response = get(ld_server, "/objective/7.jsonld", headers={"Origin": "https://example.org"})
    # Exactly one header (the app's CORS; the pages must not add a second one).
    assert response.raw.headers.getlist("Access-Control-Allow-Origin") in (
        ["*"],
        ["https://example.org"],
    )
    assert "ETag" in response.headers["Access-Control-Expose-Headers"]


def test_site_crawl_has_no_broken_local_links(ld_server):  # noqa: F811
    """Follow every local link from the home page (bounded): nothing answers 4xx/5xx."""
    seen: set[str] = set()
    todo = ["/"]
    while todo and len(seen) < 150:
        path = todo.pop(0)
        if path in seen:
            continue
        seen.add(path)
        response = requests.get(ld_server.at(path), headers={"Accept": BROWSER_ACCEPT}, timeout=30)
        assert response.status_code == 200, (path, response.status_code)
        if "text/html" not in response.headers["Content-Type"] or path.startswith("/ontology"):
            continue
        for href in links_of(response.text).hrefs:
            target = urlparse(urljoin(ld_server.at(path), href))
            if target.netloc != urlparse(ld_server.url).netloc:
                continue
            local = target.path + (f"?{target.query}" if target.query else "")
            if not local.startswith("/query") and local not in seen:
                todo.append(local)
    assert len(seen) > 20


# --- the query form -----------------------------------------------------------------------

OBJECTIVES_QUERY = (
    "PREFIX gcm: <https://w3id.org/gcm/ontology#>\n"
    "SELECT ?o ?n WHERE { ?o a gcm:Objective ; gcm:number ?n } ORDER BY ?n"
)


def result_rows(html: str) -> list[list[str]]:
    body = html.split('id="results-table"', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r"<tr>(.*?)</tr>", body.split("<tbody>", 1)[1], flags=re.S)
    return [
        [
            re.sub(r"<[^>]+>", "", cell).strip()
            for cell in re.findall(r"<td>(.*?)</td>", row, flags=re.S)
        ]
        for row in rows
    ]


def test_query_page_renders_results_and_download_links(ld_server):  # noqa: F811
    page = get(ld_server, "/query", params={"query": OBJECTIVES_QUERY})
    assert page.status_code == 200
    rows = result_rows(page.text)
    assert rows == [["objective/1", "1"], ["objective/2", "2"], ["objective/7", "7"]]
    links = links_of(page.text).hrefs
    csv_link = next(h for h in links if h.startswith("/sparql?") and "format=csv" in h)
    json_link = next(h for h in links if h.startswith("/sparql?") and "format=json" in h)
    csv = get(ld_server, csv_link.replace("&amp;", "&"))
    assert csv.status_code == 200 and csv.headers["Content-Type"].startswith("text/csv")
    assert csv.text.splitlines()[1:] == [f"{BASE}objective/{n},{n}" for n in (1, 2, 7)]
    answer = get(ld_server, json_link.replace("&amp;", "&")).json()
    assert [b["n"]["value"] for b in answer["results"]["bindings"]] == ["1", "2", "7"]


def test_query_page_posts_and_runs_examples(ld_server):  # noqa: F811
    posted = requests.post(ld_server.at("/query"), data={"query": OBJECTIVES_QUERY}, timeout=30)
    assert posted.status_code == 200
    assert len(result_rows(posted.text)) == 3
    example = get(ld_server, "/query", params={"example": "goals"})
    # tests/fixtures/pages/queries/goals.rq over the fixture: objective 1 -> goal 17, 7 -> 10.
    assert result_rows(example.text) == [["objective/1", "sdg:17"], ["objective/7", "sdg:10"]]


def test_query_page_constructs_and_asks(ld_server):  # noqa: F811
    construct = get(
        ld_server,
        "/query",
        params={"query": f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ BIND(<{OBJ7}> AS ?s) ?s ?p ?o }}"},
    )
    rows = result_rows(construct.text)
    assert ["objective/7", "number", "7"] in rows
    assert ["objective/7", "rdf:type", "Objective"] in rows
    assert all(row[0] == "objective/7" for row in rows)
    assert "format=ttl" in construct.text
    ask = get(ld_server, "/query", params={"query": f"ASK {{ <{OBJ7}> ?p ?o }}"})
    assert '<p id="ask-result">Answer: <strong>true</strong></p>' in ask.text


@pytest.mark.parametrize(
    ("query", "status", "message"),
    [
        ("SELECT ?x WHERE { ?x ", 400, "Malformed query"),
        ("INSERT DATA { <urn:a> <urn:b> <urn:c> }", 403, ""),
        ("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }", 403, ""),
    ],
)
def test_query_page_reports_refusals_and_errors(ld_server, query, status, message):  # noqa: F811
    page = get(ld_server, "/query", params={"query": query})
    assert page.status_code == status
    assert 'id="query-error"' in page.text and message in page.text
    assert "results-table" not in page.text


def test_paths_follow_the_configured_base(tmp_path):
    """The request path is mapped to an IRI by BASE_URI: a release minted under another base is
    served at the same paths, and its pages link local paths (Flask test client: no query pool)."""
    from ld_server import assemble_release

    from gcm_graph.serve import create_app

    release = assemble_release(tmp_path / "release")
    other = "http://data.example.org/gcm/"
    for name in ("gcm.nq", "void.ttl"):
        # Rebase instance IRIs; the vocabulary (…/gcm/ontology#) is a contract and stays.
        text = (release / name).read_text()
        (release / name).write_text(re.sub(r"https://w3id\.org/gcm/(?!ontology#)", other, text))
    app = create_app({"RELEASE_DIR": str(release), "BASE_URI": other, "START_QUERY_POOL": False})
    client = app.test_client()
    graph = Graph().parse(data=client.get("/objective/7.ttl").data, format="turtle")
    assert (URIRef(other + "objective/7"), GCM.number, Literal(7)) in graph
    page = client.get("/objective/1.html").get_data(as_text=True)
    assert 'href="/objective/1/action/a"' in page
    assert other + "objective/1" in page
    # Under the default base the same paths find nothing: the mapping really uses BASE_URI.
    default = create_app({"RELEASE_DIR": str(release), "START_QUERY_POOL": False})
    assert default.test_client().get("/objective/7.ttl").status_code == 404


# --- against the real release (skipped until the build has run) -----------------------------


def test_built_release_pages_and_catalogue_queries(built_server):
    """The real build: the contract IRIs resolve and every catalogue query runs in the form."""
    from gcm_graph.config import QUERIES_DIR

    root = built_server.url.rstrip("/")
    data = Graph().parse(built_server.release_dir / "gcm.nt", format="nt")
    contract = sorted(
        {
            str(s)
            for cls in (GCM.Objective, GCM.Action, GCM.GuidingPrinciple)
            for s in data.subjects(RDF.type, cls)
        }
    )
    assert len(contract) >= 23 + 187 + 10
    session = requests.Session()
    for iri in contract:
        path = iri[len(BASE) :]
        response = session.get(f"{root}/{path}.ttl", timeout=30)
        assert response.status_code == 200, iri
        assert (URIRef(iri), RDF.type, None) in Graph().parse(
            data=response.content, format="turtle"
        )
    page = session.get(f"{root}/objective/7.html", timeout=30)
    assert "Address and reduce vulnerabilities in migration" in page.text
    for query in sorted(QUERIES_DIR.glob("*.rq")):
        response = session.get(f"{root}/query", params={"example": query.stem}, timeout=60)
        assert response.status_code == 200, query.name
        assert 'id="results-table"' in response.text or 'id="ask-result"' in response.text


def test_a_path_that_is_no_iri_is_404_not_500(ld_server):  # noqa: F811
    """Regression (found by benchmarks/fuzz_test.py): characters not allowed in an IRI made
    pyoxigraph's NamedNode raise, and the page answered 500."""
    for path in ("/objective/%01", "/objective/a%20b", "/x%7Fy", "/objective/%3Cscript%3E"):
        response = get(ld_server, path)
        assert response.status_code == 404, (path, response.status_code)
