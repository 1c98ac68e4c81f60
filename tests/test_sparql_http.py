"""The SPARQL 1.1 Protocol over HTTP against a real started server (fixture release).

Facts of the fixture release (tests/fixtures/release/gcm.trig, copied by eye from the resolution):
objectives 1, 2 and 7 (titles at resolution lines 165, 189, 289), actions 1a, 1b, 2a, named graphs
resolution (28 triples), booklet (4) and sdg-kos (12); 43 distinct triples in all.
"""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import pytest
import requests
from conftest import LiveServer
from jsonld_support import parse_answer
from rdflib import Graph, URIRef
from rdflib.query import Result

GCM = "https://w3id.org/gcm/"
OBJECTIVE_TITLES = {
    f"{GCM}objective/1": "Collect and utilize accurate and disaggregated data as a basis for "
    "evidence-based policies",
    f"{GCM}objective/2": "Minimize the adverse drivers and structural factors that compel people "
    "to leave their country of origin",
    f"{GCM}objective/7": "Address and reduce vulnerabilities in migration",
}
TITLES = """PREFIX gcm: <https://w3id.org/gcm/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?objective ?title WHERE { ?objective a gcm:Objective ; dcterms:title ?title }
ORDER BY ?objective"""
ACTIONS_GRAPH = """PREFIX gcm: <https://w3id.org/gcm/ontology#>
CONSTRUCT { ?objective gcm:hasAction ?action . ?action gcm:letter ?letter }
WHERE { ?objective gcm:hasAction ?action . ?action gcm:letter ?letter }"""
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
TIMEOUT = 30


def get(server: LiveServer, query: str | None = None, **kwargs) -> requests.Response:
    params = dict(kwargs.pop("params", {}))
    if query is not None:
        params["query"] = query
    return requests.get(server.sparql, params=params, timeout=TIMEOUT, **kwargs)


def titles_of(body: bytes) -> dict[str, str]:
    rows = json.loads(body)["results"]["bindings"]
    return {row["objective"]["value"]: row["title"]["value"] for row in rows}


def count(server: LiveServer, query: str = COUNT, **params) -> int:
    response = get(server, query, params=params, headers={"Accept": "application/json"})
    assert response.status_code == 200, response.text
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


# --- protocol forms ----------------------------------------------------------------------------


def test_get_select_answers_sparql_json(live_server: LiveServer) -> None:
    response = get(live_server, TITLES)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/sparql-results+json"
    assert titles_of(response.content) == OBJECTIVE_TITLES
    binding = json.loads(response.content)["results"]["bindings"][0]["title"]
    assert binding["xml:lang"] == "en"


def test_post_forms_give_the_same_answer(live_server: LiveServer) -> None:
    form = requests.post(live_server.sparql, data={"query": TITLES}, timeout=TIMEOUT)
    direct = requests.post(
        live_server.sparql,
        data=TITLES.encode("utf-8"),
        headers={"Content-Type": "application/sparql-query; charset=utf-8"},
        timeout=TIMEOUT,
    )
    for response in (form, direct):
        assert response.status_code == 200, response.text
        assert titles_of(response.content) == OBJECTIVE_TITLES


def test_head_has_headers_and_no_body(live_server: LiveServer) -> None:
    response = requests.head(live_server.sparql, params={"query": COUNT}, timeout=TIMEOUT)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/sparql-results+json"
    assert response.content == b""


# --- result formats, parsed back ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "media_type", "rdflib_format"),
    [
        ("json", "application/sparql-results+json", "json"),
        ("xml", "application/sparql-results+xml", "xml"),
        ("csv", "text/csv", "csv"),
        ("tsv", "text/tab-separated-values", "tsv"),
    ],
)
def test_select_formats_parse_back(
    live_server: LiveServer, name: str, media_type: str, rdflib_format: str
) -> None:
    by_parameter = get(live_server, TITLES, params={"format": name})
    by_accept = get(live_server, TITLES, headers={"Accept": media_type})
    assert by_parameter.content == by_accept.content
    assert by_accept.headers["Content-Type"].split(";")[0] == media_type
    result = Result.parse(io.BytesIO(by_accept.content), format=rdflib_format)
    parsed = {str(row[0]): str(row[1]) for row in result}
    assert parsed == OBJECTIVE_TITLES


def test_csv_is_plain_rfc4180(live_server: LiveServer) -> None:
    response = get(live_server, TITLES, params={"format": "csv"})
    rows = list(csv.reader(io.StringIO(response.text)))
    assert rows[0] == ["objective", "title"]
    assert dict(rows[1:]) == OBJECTIVE_TITLES


def test_ask_in_json_and_xml(live_server: LiveServer) -> None:
    yes = f"ASK {{ <{GCM}objective/7> ?p ?o }}"
    no = f"ASK {{ <{GCM}objective/99> ?p ?o }}"
    assert get(live_server, yes).json()["boolean"] is True
    assert get(live_server, no).json()["boolean"] is False
    xml = get(live_server, yes, headers={"Accept": "application/sparql-results+xml"})
    boolean = ET.fromstring(xml.content).find("{http://www.w3.org/2005/sparql-results#}boolean")
    assert boolean is not None and boolean.text == "true"


@pytest.mark.parametrize(
    ("name", "media_type", "rdflib_format"),
    [
        ("ttl", "text/turtle", "turtle"),
        ("nt", "application/n-triples", "nt"),
        ("jsonld", "application/ld+json", "json-ld"),
        ("rdfxml", "application/rdf+xml", "xml"),
    ],
)
def test_construct_formats_parse_back_and_can_be_queried(
    live_server: LiveServer, name: str, media_type: str, rdflib_format: str
) -> None:
    response = get(live_server, ACTIONS_GRAPH, headers={"Accept": media_type})
    assert response.status_code == 200, response.text
    assert response.headers["Content-Type"].split(";")[0] == media_type
    assert get(live_server, ACTIONS_GRAPH, params={"format": name}).content == response.content
    graph = parse_answer(response.content, rdflib_format, live_server.url)
    rows = graph.query(
        "SELECT ?o ?l { ?o <https://w3id.org/gcm/ontology#hasAction> ?a . "
        "?a <https://w3id.org/gcm/ontology#letter> ?l }"
    )
    pairs = sorted((str(o).rsplit("/", 1)[-1], str(letter)) for o, letter in rows)
    assert pairs == [("1", "a"), ("1", "b"), ("2", "a")]


def test_describe_gives_the_resource_description(live_server: LiveServer) -> None:
    response = get(live_server, f"DESCRIBE <{GCM}objective/1/action/b>", params={"format": "ttl"})
    graph = Graph().parse(data=response.content, format="turtle")
    subject = URIRef(f"{GCM}objective/1/action/b")
    assert set(graph.subjects()) == {subject}
    letter = graph.value(subject, URIRef("https://w3id.org/gcm/ontology#letter"))
    assert str(letter) == "b"


# --- content negotiation -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "accept", "expected"),
    [
        (
            TITLES,
            "text/csv;q=0.5, application/sparql-results+xml;q=0.9",
            "application/sparql-results+xml",
        ),
        (TITLES, "text/csv;q=0.9, application/sparql-results+xml;q=0.5", "text/csv"),
        # HTML preferred (a browser): the query editor with the query (test_front_door.py)
        (TITLES, "text/html, */*;q=0.1", "text/html"),
        (TITLES, "text/html;q=0.5, */*;q=0.8", "application/sparql-results+json"),
        (ACTIONS_GRAPH, "text/turtle;q=0.2, application/ld+json;q=0.8", "application/ld+json"),
        (ACTIONS_GRAPH, "application/n-triples, text/turtle;q=0.5", "application/n-triples"),
        (ACTIONS_GRAPH, "*/*", "text/turtle"),
    ],
)
def test_accept_with_q_values(
    live_server: LiveServer, query: str, accept: str, expected: str
) -> None:
    response = get(live_server, query, headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["Content-Type"].split(";")[0] == expected
    assert "Accept" in response.headers["Vary"]


@pytest.mark.parametrize(
    ("query", "headers", "params"),
    [
        (TITLES, {"Accept": "image/png"}, {}),
        (TITLES, {"Accept": "text/turtle"}, {}),  # a graph type for a SELECT
        (ACTIONS_GRAPH, {"Accept": "text/csv"}, {}),  # a table type for a CONSTRUCT
        (ACTIONS_GRAPH, {}, {"format": "csv"}),
        (TITLES, {}, {"format": "jsonld"}),
    ],
)
def test_unproducible_type_is_406(
    live_server: LiveServer, query: str, headers: dict, params: dict
) -> None:
    response = get(live_server, query, headers=headers, params=params)
    assert response.status_code == 406
    assert response.headers["Content-Type"].startswith("text/plain")
    assert "available" in response.text or "produced" in response.text


def test_unknown_format_parameter_is_400(live_server: LiveServer) -> None:
    response = get(live_server, TITLES, params={"format": "yaml"})
    assert response.status_code == 400
    assert "yaml" in response.text and "ttl" in response.text


# --- dataset: default graph, named graphs, protocol parameters ---------------------------------


def test_default_graph_is_the_merge_and_named_graphs_are_queryable(live_server: LiveServer) -> None:
    assert count(live_server) == 43  # not 44: a triple stated by two sources counts once
    per_graph = get(
        live_server, "SELECT ?g (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
    ).json()["results"]["bindings"]
    sizes = {row["g"]["value"].rsplit("/", 1)[-1]: int(row["n"]["value"]) for row in per_graph}
    assert sizes == {"resolution": 28, "booklet": 4, "sdg-kos": 12}


def test_default_and_named_graph_uri_parameters(live_server: LiveServer) -> None:
    booklet, kos = f"{GCM}graph/booklet", f"{GCM}graph/sdg-kos"
    assert count(live_server, **{"default-graph-uri": booklet}) == 4
    assert count(live_server, **{"default-graph-uri": [booklet, kos]}) == 16
    graphs = "SELECT DISTINCT ?g { GRAPH ?g { ?s ?p ?o } }"
    only_kos = get(live_server, graphs, params={"named-graph-uri": kos}).json()
    assert [row["g"]["value"] for row in only_kos["results"]["bindings"]] == [kos]
    # given only named graphs, the default graph is empty (SPARQL Protocol 2.1.4)
    assert count(live_server, **{"named-graph-uri": kos}) == 0
    # and the parameters win over FROM in the query
    from_booklet = f"SELECT (COUNT(*) AS ?n) FROM <{booklet}> {{ ?s ?p ?o }}"
    assert count(live_server, from_booklet) == 4
    assert count(live_server, from_booklet, **{"default-graph-uri": kos}) == 12


def test_invalid_graph_iri_is_400(live_server: LiveServer) -> None:
    response = get(live_server, COUNT, params={"default-graph-uri": "not an iri"})
    assert response.status_code == 400


# --- service description -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("accept", "rdflib_format"), [("text/turtle", "turtle"), ("application/ld+json", "json-ld")]
)
def test_service_description(live_server: LiveServer, accept: str, rdflib_format: str) -> None:
    response = get(live_server, headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["Content-Type"].split(";")[0] == accept
    graph = Graph().parse(data=response.content, format=rdflib_format)
    sd = "http://www.w3.org/ns/sparql-service-description#"
    service = URIRef(live_server.sparql)
    assert (service, URIRef(f"{sd}endpoint"), service) in graph
    names = {str(o) for o in graph.objects(None, URIRef(f"{sd}name"))}
    assert names == {f"{GCM}graph/{g}" for g in ("resolution", "booklet", "sdg-kos")}
    formats = {
        str(o).rsplit("/", 1)[-1] for o in graph.objects(service, URIRef(f"{sd}resultFormat"))
    }
    assert {"SPARQL_Results_JSON", "SPARQL_Results_CSV", "Turtle", "JSON-LD"} <= formats


# --- errors ------------------------------------------------------------------------------------


def test_malformed_query_gets_the_parser_message(live_server: LiveServer) -> None:
    response = get(live_server, "SELECT * WHERE { ?s ?p }")
    assert response.status_code == 400
    assert "error at 1:" in response.text  # pyoxigraph's position, e.g. "error at 1:23: expected"


def test_a_query_without_prefix_lines_uses_the_standard_prefixes(live_server: LiveServer) -> None:
    """gcm: and dcterms: are declared for the query (serve/query/prefixes.py); the fixture release
    has objectives 1, 2 and 7. An unknown prefix is named in the 400, with its line and column."""
    response = get(
        live_server,
        "SELECT ?n WHERE {\n  ?o a gcm:Objective ; gcm:number ?n ; dcterms:title ?t }\nORDER BY ?n",
        headers={"Accept": "application/sparql-results+json"},
    )
    assert response.status_code == 200, response.text
    assert [b["n"]["value"] for b in response.json()["results"]["bindings"]] == ["1", "2", "7"]
    unknown = get(live_server, "SELECT * WHERE {\n  ?s nope:p ?o }")
    assert unknown.status_code == 400
    assert (
        "error at line 2, column" in unknown.text and "Undeclared prefix(es): nope:" in unknown.text
    )
    assert "\\u{" not in unknown.text


def test_too_long_query_is_413(live_server: LiveServer) -> None:
    padding = "#" + "x" * 25_000 + "\n"
    response = requests.post(live_server.sparql, data={"query": padding + COUNT}, timeout=TIMEOUT)
    assert response.status_code == 413
    assert "20000" in response.text


@pytest.mark.parametrize(
    ("data", "content_type", "status"),
    [
        (COUNT, "text/plain", 415),
        ("format=json", "application/x-www-form-urlencoded", 400),
        ("query=ASK{}&query=ASK{}", "application/x-www-form-urlencoded", 400),
    ],
)
def test_bad_posts(live_server: LiveServer, data: str, content_type: str, status: int) -> None:
    response = requests.post(
        live_server.sparql, data=data, headers={"Content-Type": content_type}, timeout=TIMEOUT
    )
    assert response.status_code == status
    assert response.text.strip()


# --- caching -----------------------------------------------------------------------------------


def test_gzip_on_request_and_304_for_the_compressed_entity(live_server: LiveServer) -> None:
    plain = get(live_server, TITLES, headers={"Accept-Encoding": "identity"})
    assert "Content-Encoding" not in plain.headers
    zipped = get(live_server, TITLES, headers={"Accept-Encoding": "gzip"})
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert zipped.content == plain.content  # requests decodes it
    assert "Accept-Encoding" in zipped.headers["Vary"]
    assert zipped.headers["ETag"] != plain.headers["ETag"]  # another representation
    for response in (plain, zipped):
        tag = response.headers["ETag"]
        again = get(live_server, TITLES, headers={"If-None-Match": tag})
        assert again.status_code == 304


def test_etag_cache_control_and_304(live_server: LiveServer) -> None:
    first = get(live_server, TITLES)
    etag = first.headers["ETag"]
    assert etag.startswith('"') and len(etag) > 10
    assert "max-age=" in first.headers["Cache-Control"]
    again = get(live_server, TITLES, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["ETag"] == etag
    # a different query, format or dataset is a different entity
    other_query = get(live_server, TITLES + " LIMIT 1", headers={"If-None-Match": etag})
    other_format = get(
        live_server, TITLES, params={"format": "csv"}, headers={"If-None-Match": etag}
    )
    other_graph = get(
        live_server,
        TITLES,
        params={"default-graph-uri": f"{GCM}graph/booklet"},
        headers={"If-None-Match": etag},
    )
    for response in (other_query, other_format, other_graph):
        assert response.status_code == 200
        assert response.headers["ETag"] != etag
    # the same query answered again has the same validator
    assert get(live_server, TITLES).headers["ETag"] == etag


# --- CORS --------------------------------------------------------------------------------------


def test_cors_simple_and_preflight(live_server: LiveServer) -> None:
    origin = "https://client.example.org"
    simple = get(live_server, COUNT, headers={"Origin": origin})
    assert simple.headers["Access-Control-Allow-Origin"] in ("*", origin)
    assert "ETag" in simple.headers["Access-Control-Expose-Headers"]
    preflight = requests.options(
        live_server.sparql,
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "Content-Type",
        },
        timeout=TIMEOUT,
    )
    assert preflight.status_code == 200
    assert "POST" in preflight.headers["Access-Control-Allow-Methods"]
    assert "content-type" in preflight.headers["Access-Control-Allow-Headers"].lower()
    assert preflight.headers["Access-Control-Allow-Origin"] in ("*", origin)


# --- real SPARQL clients -----------------------------------------------------------------------


def test_sparqlwrapper_client(live_server: LiveServer) -> None:
    from SPARQLWrapper import JSON, POST, TURTLE, SPARQLWrapper

    client = SPARQLWrapper(live_server.sparql)
    client.setQuery(TITLES)
    client.setReturnFormat(JSON)
    rows = client.query().convert()["results"]["bindings"]
    assert {r["objective"]["value"]: r["title"]["value"] for r in rows} == OBJECTIVE_TITLES
    client.setMethod(POST)
    client.setQuery(ACTIONS_GRAPH)
    client.setReturnFormat(TURTLE)
    graph = Graph().parse(data=client.query().convert(), format="turtle")
    assert len(graph) == 6  # 3 hasAction + 3 letter triples


def test_rdflib_sparqlstore_client(live_server: LiveServer) -> None:
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    graph = Graph(store=SPARQLStore(live_server.sparql, returnFormat="json"))
    rows = graph.query(TITLES)
    assert {str(o): str(t) for o, t in rows} == OBJECTIVE_TITLES
    ask = graph.query(f"ASK {{ <{GCM}objective/2/action/a> ?p ?o }}")
    assert ask.askAnswer is True
