"""The endpoint over the real release (build/), when the build has written it; else skipped.

Golden facts read in sources/un-ga-resolution-A-RES-73-195-gcm.txt: 23 objectives (list at lines
138-160; "Objective 23" heading at line 568), Objective 7's title at line 289; 187 actions in all.
"""

from __future__ import annotations

import json
from pathlib import Path

import requests
from conftest import LiveServer
from pyoxigraph import NamedNode, RdfFormat, parse
from rdflib import Graph, URIRef
from SPARQLWrapper import JSON, SPARQLWrapper

from gcm_graph.catalogue import catalogue
from gcm_graph.serve.cli_support import run_catalogue_query

GCM = "https://w3id.org/gcm/"
TIMEOUT = 30


def select(server: LiveServer, query: str) -> list[dict]:
    response = requests.post(server.sparql, data={"query": query}, timeout=TIMEOUT)
    assert response.status_code == 200, response.text
    return response.json()["results"]["bindings"]


def test_objectives_and_actions(built_server: LiveServer) -> None:
    prefix = "PREFIX gcm: <https://w3id.org/gcm/ontology#> "
    counts = select(
        built_server,
        prefix + "SELECT (COUNT(DISTINCT ?o) AS ?objectives) (COUNT(DISTINCT ?a) AS ?actions) "
        "{ ?o a gcm:Objective . OPTIONAL { ?o gcm:hasAction ?a } }",
    )[0]
    assert int(counts["objectives"]["value"]) == 23
    assert int(counts["actions"]["value"]) == 187
    client = SPARQLWrapper(built_server.sparql)
    client.setReturnFormat(JSON)
    client.setQuery(
        f"SELECT ?t {{ GRAPH <{GCM}graph/resolution> {{ <{GCM}objective/7> "
        "<http://purl.org/dc/terms/title> ?t } }"
    )
    rows = client.query().convert()["results"]["bindings"]
    assert [r["t"]["value"] for r in rows] == ["Address and reduce vulnerabilities in migration"]


def test_service_description_lists_the_release_graphs(
    built_server: LiveServer, built_release: Path
) -> None:
    response = requests.get(built_server.sparql, headers={"Accept": "text/turtle"}, timeout=TIMEOUT)
    graph = Graph().parse(data=response.content, format="turtle")
    sd = "http://www.w3.org/ns/sparql-service-description#"
    names = {str(o) for o in graph.objects(None, URIRef(sd + "name"))}
    quads = parse(path=built_release / "gcm.nq", format=RdfFormat.N_QUADS)
    in_dump = {q.graph_name.value for q in quads if isinstance(q.graph_name, NamedNode)}
    assert f"{GCM}graph/resolution" in names
    assert names == in_dump


def test_catalogue_queries_over_http_agree_with_the_cli(
    built_server: LiveServer, built_release: Path
) -> None:
    for entry in catalogue():
        response = requests.post(
            built_server.sparql,
            data=entry.text.encode("utf-8"),
            headers={"Content-Type": "application/sparql-query", "Accept": "application/json"},
            timeout=TIMEOUT,
        )
        assert response.status_code == 200, (entry.name, response.text)
        local = json.loads(run_catalogue_query(entry.name, built_release, "json"))
        assert response.json() == local, entry.name
