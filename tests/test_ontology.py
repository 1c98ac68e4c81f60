"""The ontology describes every term the release uses, each with a label and a definition."""

from __future__ import annotations

from rdflib import Graph
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from gcm_graph.config import ONTOLOGY_FILE
from gcm_graph.vocab import GCM

from support import fresh_release  # noqa: F401  (fixture)

TERM_TYPES = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)


def ontology() -> Graph:
    return Graph().parse(ONTOLOGY_FILE)


def declared_terms(graph: Graph) -> set:
    return {
        s for t in TERM_TYPES for s in graph.subjects(RDF.type, t) if str(s).startswith(str(GCM))
    }


def test_every_term_has_an_english_label_and_definition():
    graph = ontology()
    terms = declared_terms(graph)
    assert len(terms) > 20
    for term in terms:
        labels = [label for label in graph.objects(term, RDFS.label) if label.language == "en"]
        definitions = [d for d in graph.objects(term, SKOS.definition) if d.language == "en"]
        assert labels and definitions, f"{term} lacks an English rdfs:label or skos:definition"


def test_every_gcm_term_in_the_release_is_declared(fresh_release):  # noqa: F811
    declared = declared_terms(ontology())
    data = Graph().parse(fresh_release.out_dir / "gcm.nt", format="nt")
    used = {p for p in data.predicates() if str(p).startswith(str(GCM))}
    used |= {o for o in data.objects(None, RDF.type) if str(o).startswith(str(GCM))}
    assert used, "the release uses no gcm: term"
    assert used - declared == set()
