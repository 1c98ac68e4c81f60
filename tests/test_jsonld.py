"""Compact JSON-LD: the published @context, resource documents, SPARQL answers and the dump.

Every JSON-LD answer is read back into RDF (with the context the server publishes, as a client's
document loader would) and compared with the Turtle answer by rdflib.compare.isomorphic.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import requests
from conftest import COMMITTED_RELEASE, FIXTURE_RELEASE, LiveServer
from jsonld_support import CONTEXT_URL, parse_jsonld, served_context
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import OWL, RDF

from gcm_graph.config import ONTOLOGY_FILE
from gcm_graph.jsonld import CONTEXT_PATH, context_from_ontology, dumps

pytestmark = pytest.mark.slow

GCM = "https://w3id.org/gcm/"
ONT = "https://w3id.org/gcm/ontology#"
RESOURCES = (
    "objective/7",
    "objective/20/action/d",
    "principle/a",
    "country/ITA",
    "source/resolution/lines/105-105",
)


def get(server: LiveServer, path: str, **headers: str) -> requests.Response:
    return requests.get(server.url + path, headers=headers, allow_redirects=False, timeout=60)


# --- the context -----------------------------------------------------------------------------


def test_committed_context_is_the_one_the_ontology_gives() -> None:
    """ontology/context.jsonld is current: a new ontology term cannot be left out of it."""
    expected = context_from_ontology(Graph().parse(ONTOLOGY_FILE))
    assert CONTEXT_PATH.read_bytes() == dumps(expected)


def test_context_names_every_ontology_term_with_the_right_coercion() -> None:
    terms = json.loads(CONTEXT_PATH.read_text())["@context"]
    ontology = Graph().parse(ONTOLOGY_FILE)
    named = {(t if isinstance(t, str) else t["@id"]).replace("gcm:", ONT) for t in terms.values()}
    for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty):
        for term in ontology.subjects(RDF.type, kind):
            assert str(term) in named, f"{term} has no term in the context"
    # Read from the ontology by hand: a line number is an integer, an action an IRI.
    assert terms["firstLine"] == {"@id": "gcm:firstLine", "@type": "xsd:integer"}
    assert terms["hasAction"] == {"@id": "gcm:hasAction", "@type": "@id"}
    assert terms["adoptionDate"] == {"@id": "gcm:adoptionDate", "@type": "xsd:date"}
    assert terms["letter"] == "gcm:letter"  # xsd:string: no coercion
    assert terms["prefLabel"] == "skos:prefLabel"
    assert terms["Objective"] == "gcm:Objective"
    for prefix in ("gcm", "skos", "dcterms", "prov", "owl", "rdfs", "xsd", "sdg"):
        assert terms[prefix].startswith("http")


def test_context_is_served_at_its_stable_url_and_in_the_release(built_server) -> None:
    response = get(built_server, "context.jsonld")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/ld+json"
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    published = json.loads(CONTEXT_PATH.read_text())
    assert response.json() == published
    assert json.loads((COMMITTED_RELEASE / "context.jsonld").read_text()) == published
    dump = get(built_server, "dumps/context.jsonld")
    assert dump.status_code == 200 and dump.json() == published


# --- resource documents ----------------------------------------------------------------------


@pytest.mark.parametrize("path", RESOURCES)
def test_resource_json_ld_is_compact_and_the_same_graph_as_turtle(built_server, path) -> None:
    for accept in ("application/ld+json", "application/json"):
        redirect = get(built_server, path, Accept=accept)
        assert redirect.status_code == 303, (accept, redirect.status_code)
        assert redirect.headers["Location"] == f"/{path}.jsonld"
    response = get(built_server, f"{path}.jsonld")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/ld+json"
    document = response.json()
    assert document["@context"] == CONTEXT_URL
    assert any(node["@id"] == GCM + path for node in document["@graph"])
    keys = {key for node in document["@graph"] for key in node}
    assert not any(key.startswith("http") for key in keys), keys  # every property has a term
    turtle = Graph().parse(data=get(built_server, f"{path}.ttl").content, format="turtle")
    graph = parse_jsonld(response.content, served_context(built_server.url))
    assert len(graph) == len(turtle) > 3
    assert isomorphic(graph, turtle)


def test_typed_values_are_coerced_by_the_context(built_server) -> None:
    document = get(built_server, "objective/7.jsonld").json()
    objective = next(n for n in document["@graph"] if n["@id"] == GCM + "objective/7")
    assert objective["@type"] == "Objective"
    assert objective["number"] == "7"  # "number": xsd:integer in the context
    assert GCM + "objective/7/action/a" in objective["hasAction"]
    graph = parse_jsonld(json.dumps(document), served_context(built_server.url))
    assert (URIRef(GCM + "objective/7"), URIRef(ONT + "number"), Literal(7)) in graph
    number = graph.value(URIRef(GCM + "objective/7"), URIRef(ONT + "number"))
    assert number.datatype == URIRef("http://www.w3.org/2001/XMLSchema#integer")


# --- SPARQL ----------------------------------------------------------------------------------

CONSTRUCT = (
    "PREFIX gcm: <https://w3id.org/gcm/ontology#> CONSTRUCT { ?a gcm:letter ?l ; gcm:objective ?o"
    " ; ?p ?v } WHERE { ?o gcm:number 7 ; gcm:hasAction ?a . ?a gcm:letter ?l ; ?p ?v }"
)
DESCRIBE = "DESCRIBE <https://w3id.org/gcm/objective/7> <http://metadata.un.org/sdg/10.7>"


@pytest.mark.parametrize("query", [CONSTRUCT, DESCRIBE])
@pytest.mark.parametrize("accept", ["application/ld+json", "application/json"])
def test_sparql_graph_answers_in_compact_json_ld(built_server, query, accept) -> None:
    answer = requests.post(
        built_server.sparql, data={"query": query}, headers={"Accept": accept}, timeout=60
    )
    assert answer.status_code == 200, answer.text
    assert answer.headers["Content-Type"] == "application/ld+json"
    assert answer.json()["@context"] == CONTEXT_URL
    turtle = requests.post(
        built_server.sparql, data={"query": query}, headers={"Accept": "text/turtle"}, timeout=60
    )
    reference = Graph().parse(data=turtle.content, format="turtle")
    graph = parse_jsonld(answer.content, served_context(built_server.url))
    assert len(graph) == len(reference) > 10
    assert isomorphic(graph, reference)


def test_sparql_select_and_ask_with_plain_json_are_sparql_json_results(built_server) -> None:
    select = requests.get(
        built_server.sparql,
        params={"query": "SELECT ?o WHERE { ?o <https://w3id.org/gcm/ontology#number> 7 }"},
        headers={"Accept": "application/json"},
        timeout=60,
    )
    assert select.status_code == 200
    assert select.headers["Content-Type"] == "application/sparql-results+json"
    assert select.json()["results"]["bindings"][0]["o"]["value"] == GCM + "objective/7"
    ask = requests.get(
        built_server.sparql,
        params={"query": "ASK { ?o <https://w3id.org/gcm/ontology#number> 23 }"},
        headers={"Accept": "application/json"},
        timeout=60,
    )
    assert ask.json() == {"head": {}, "boolean": True}


# --- the dump --------------------------------------------------------------------------------


def test_json_ld_dump_is_the_merged_graph(built_server) -> None:
    path = COMMITTED_RELEASE / "gcm.jsonld"
    document = json.loads(path.read_bytes())
    assert isinstance(document["@context"], dict)  # inlined: the dump is usable offline
    graph = Graph().parse(data=path.read_bytes(), format="json-ld")
    reference = Graph().parse(COMMITTED_RELEASE / "gcm.nt", format="nt")
    assert len(graph) == len(reference) > 40_000
    assert isomorphic(graph, reference)
    served = requests.get(built_server.url + "dumps/gcm.jsonld", timeout=60)
    assert served.status_code == 200
    assert served.headers["Content-Type"].startswith("application/ld+json")
    assert served.content == path.read_bytes()


def test_compaction_gives_the_same_bytes_whatever_the_hash_seed(tmp_path: Path) -> None:
    """rdflib walks sets of subjects (order changes with PYTHONHASHSEED); our output must not."""
    script = (
        "import sys; from rdflib import Graph; from gcm_graph import jsonld; "
        "g = Graph().parse(sys.argv[1], format='nt'); c = jsonld.load_context(); "
        "sys.stdout.buffer.write(jsonld.compact(g, c, jsonld.CONTEXT_FILE))"
    )
    outputs = set()
    for seed in ("1", "2", "3"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        run = subprocess.run(
            [sys.executable, "-c", script, str(FIXTURE_RELEASE / "gcm.nt")],
            capture_output=True,
            env=env,
            timeout=120,
            check=True,
        )
        outputs.add(run.stdout)
    assert len(outputs) == 1 and len(outputs.pop()) > 1000
