"""Compact JSON-LD: the published @context and the compaction of graphs with it.

The context (ontology/context.jsonld, shipped with the package, copied into every release and
served at `<base>context.jsonld`) gives a short term to every class, property and datatype of
our ontology, to the SKOS, Dublin Core, PROV and RDF(S) properties the data uses, and the
prefixes of formats of the release. Object properties are coerced to IRIs (`"@type": "@id"`),
datatype properties with a typed range (xsd:integer, xsd:date, xsd:gYear, xsd:boolean...) to
their datatype, so `"firstLine": "165"` means `165`^^xsd:integer. A value that does not fit a
term's coercion keeps the full form: compaction never changes the triples (tests parse answers
back and compare them with the Turtle answer).

`context_from_ontology` derives the context from the ontology; the committed file must equal
it (tests/test_jsonld.py), so a new ontology term cannot be left out of the context.

Output is deterministic: nodes sorted by @id, every multi-valued property's values sorted, keys
sorted, so the same graph gives the same bytes on every run (the `gcm.jsonld` dump is compared
byte for byte like the other dumps).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from rdflib import Graph
from rdflib.namespace import OWL, RDF, RDFS, XSD
from rdflib.plugins.serializers.jsonld import from_rdf

from .config import ONTOLOGY_FILE
from .merged import MergedTriples
from .vocab import PREFIXES

CONTEXT_FILE = "context.jsonld"
CONTEXT_PATH = ONTOLOGY_FILE.parent / CONTEXT_FILE
DUMP_FILE = "gcm.jsonld"
MEDIA_TYPE = "application/ld+json"

EXTRA_PREFIXES = {
    "foaf": "http://xmlns.com/foaf/0.1/",
    "spdx": "http://spdx.org/rdf/terms#",
}
# Properties of other vocabularies that the data and the VoID use: (term, CURIE, is an IRI).
EXTERNAL_TERMS: tuple[tuple[str, str, bool], ...] = (
    ("label", "rdfs:label", False),
    ("comment", "rdfs:comment", False),
    ("seeAlso", "rdfs:seeAlso", True),
    ("prefLabel", "skos:prefLabel", False),
    ("altLabel", "skos:altLabel", False),
    ("hiddenLabel", "skos:hiddenLabel", False),
    ("notation", "skos:notation", False),
    ("scopeNote", "skos:scopeNote", False),
    ("definition", "skos:definition", False),
    ("broader", "skos:broader", True),
    ("narrower", "skos:narrower", True),
    ("inScheme", "skos:inScheme", True),
    ("topConceptOf", "skos:topConceptOf", True),
    ("hasTopConcept", "skos:hasTopConcept", True),
    ("exactMatch", "skos:exactMatch", True),
    ("closeMatch", "skos:closeMatch", True),
    ("sameAs", "owl:sameAs", True),
    ("title", "dcterms:title", False),
    ("description", "dcterms:description", False),
    ("identifier", "dcterms:identifier", False),
    ("bibliographicCitation", "dcterms:bibliographicCitation", False),
    ("source", "dcterms:source", True),
    ("isPartOf", "dcterms:isPartOf", True),
    ("isReferencedBy", "dcterms:isReferencedBy", True),
    ("license", "dcterms:license", True),
    ("rights", "dcterms:rights", False),
    ("publisher", "dcterms:publisher", True),
    ("issued", "dcterms:issued", False),
    ("modified", "dcterms:modified", False),
    ("wasDerivedFrom", "prov:wasDerivedFrom", True),
    ("subject", "rdf:subject", True),
    ("predicate", "rdf:predicate", True),
    ("object", "rdf:object", False),
    ("value", "rdf:value", False),
)
# Ranges that are not coerced: plain and language-tagged strings keep their JSON form.
_UNCOERCED = {XSD.string, RDF.langString, RDFS.Literal, RDF.PlainLiteral}
_PROPERTY_TYPES = (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, RDF.Property)
_CLASS_TYPES = (OWL.Class, RDFS.Class, RDFS.Datatype)


def _curie(iri: str, prefixes: dict[str, str]) -> str:
    for prefix, namespace in sorted(prefixes.items(), key=lambda p: -len(p[1])):
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace) :]}"
    return iri


def context_from_ontology(ontology: Graph) -> dict[str, Any]:
    """The @context document for the ontology: prefixes, then one term per local name."""
    prefixes = {name: str(ns) for name, ns in PREFIXES.items()} | EXTRA_PREFIXES
    terms: dict[str, Any] = dict(sorted(prefixes.items()))
    gcm = prefixes["gcm"]
    for kind in _CLASS_TYPES:
        for cls in ontology.subjects(RDF.type, kind):
            if str(cls).startswith(gcm):
                terms[str(cls)[len(gcm) :]] = _curie(str(cls), prefixes)
    for kind in _PROPERTY_TYPES:
        for prop in ontology.subjects(RDF.type, kind):
            if not str(prop).startswith(gcm):
                continue
            definition: dict[str, str] = {"@id": _curie(str(prop), prefixes)}
            ranges = set(ontology.objects(prop, RDFS.range))
            if (prop, RDF.type, OWL.ObjectProperty) in ontology:
                definition["@type"] = "@id"
            elif len(ranges) == 1 and not ranges & _UNCOERCED:
                definition["@type"] = _curie(str(ranges.pop()), prefixes)
            terms[str(prop)[len(gcm) :]] = definition if len(definition) > 1 else definition["@id"]
    for term, curie, is_iri in EXTERNAL_TERMS:
        if term in terms:
            raise ValueError(f"context term {term!r} is both an ontology term and {curie}")
        terms[term] = {"@id": curie, "@type": "@id"} if is_iri else curie
    return {"@context": dict(sorted(terms.items()))}


def load_context(path: Path = CONTEXT_PATH) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def dumps(data: object) -> bytes:
    return (json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")


def _sort_key(value: object) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def _canonical(value: Any) -> Any:
    """Values sorted in every array except @list ones (their order is data)."""
    if isinstance(value, dict):
        return {
            key: (
                [_canonical(v) for v in item]
                if key == "@list" and isinstance(item, list)
                else _canonical(item)
            )
            for key, item in value.items()
        }
    if isinstance(value, list):
        return sorted((_canonical(v) for v in value), key=_sort_key)
    if isinstance(value, str):
        return str(value)  # rdflib Literal -> plain str
    return value


def compact(graph: Graph | MergedTriples, context: dict[str, Any], context_ref: object) -> bytes:
    """The graph as compact JSON-LD with `context`; the document's "@context" is `context_ref`
    (the context's URL for answers, the context object itself for the self-contained dump)."""
    document = from_rdf(graph, context["@context"])
    if "@graph" not in document:  # one node: rdflib puts it at the top level
        node = {key: value for key, value in document.items() if key != "@context"}
        document = {"@graph": [node] if node else []}
    nodes = sorted((_canonical(n) for n in document["@graph"]), key=lambda n: n.get("@id", ""))
    return dumps({"@context": context_ref, "@graph": nodes})


def compact_ntriples(ntriples: bytes | str, context: dict[str, Any], context_ref: object) -> bytes:
    """compact() of N-Triples text (the serving side's pyoxigraph triples, written as N-Triples)."""
    graph = Graph()
    graph.parse(data=ntriples, format="nt")
    return compact(graph, context, context_ref)


def context_url(base: str) -> str:
    return base + CONTEXT_FILE


def write_release_files(merged: Graph | MergedTriples, out: Path) -> None:
    """context.jsonld and gcm.jsonld (the merged graph, its context inlined: usable offline)."""
    context = load_context()
    (out / CONTEXT_FILE).write_bytes(dumps(context))
    (out / DUMP_FILE).write_bytes(compact(merged, context, context["@context"]))
