"""Reading our compact JSON-LD back into RDF without the network.

Answers name their @context by its published URL (`<base>context.jsonld`, on w3id.org); a client
resolves it once and caches it. Tests do the same with the copy the server under test serves at
/context.jsonld (no test may reach the Internet).
"""

from __future__ import annotations

import json

import requests
from rdflib import Graph

CONTEXT_URL = "https://w3id.org/gcm/context.jsonld"


def served_context(server_url: str) -> dict:
    """The @context the server publishes (server_url with or without a trailing slash)."""
    response = requests.get(server_url.rstrip("/") + "/context.jsonld", timeout=30)
    assert response.status_code == 200, response.text
    assert response.headers["Content-Type"].startswith("application/ld+json")
    return response.json()


def parse_jsonld(body: bytes | str, context: dict) -> Graph:
    """The graph of a JSON-LD document whose "@context" is our published context's URL."""
    document = json.loads(body)
    assert document["@context"] == CONTEXT_URL, document.get("@context")
    document["@context"] = context["@context"]
    return Graph().parse(data=json.dumps(document), format="json-ld")


def parse_answer(body: bytes | str, rdflib_format: str, server_url: str) -> Graph:
    """Any RDF answer of the server; JSON-LD with the context the server publishes."""
    if rdflib_format == "json-ld":
        return parse_jsonld(body, served_context(server_url))
    return Graph().parse(data=body, format=rdflib_format)
