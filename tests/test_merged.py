"""MergedTriples (gcm_graph/merged.py): the merged graph the JSON-LD dump and the VoID read.

It must give rdflib's JSON-LD converter the answers an rdflib Graph of the same triples gives:
the same compact JSON-LD for every shape of data, including the ones the release does not have
yet (blank nodes, RDF lists, one triple in two named graphs).
"""

from __future__ import annotations

from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SKOS, XSD

from gcm_graph.jsonld import compact, load_context
from gcm_graph.merged import MergedTriples
from gcm_graph.release import named_graphs
from gcm_graph.vocab import GCM
from gcm_graph.void import _partitions

BASE = "https://w3id.org/gcm/"


def sample_dataset() -> Dataset:
    dataset = Dataset(default_union=False)
    first = dataset.graph(URIRef(BASE + "graph/one"))
    second = dataset.graph(URIRef(BASE + "graph/two"))
    objective = URIRef(BASE + "objective/1")
    for graph in (first, second):  # the same triple in two graphs: once in the merged graph
        graph.add((objective, RDF.type, GCM.Objective))
    first.add((objective, SKOS.prefLabel, Literal("Collect data", lang="en")))
    first.add((objective, GCM.objectiveNumber, Literal(1, datatype=XSD.integer)))
    note = BNode()
    second.add((objective, RDFS.comment, Literal("plain")))
    second.add((objective, RDFS.seeAlso, note))
    second.add((note, RDFS.label, Literal("a blank node", lang="en")))
    items = BNode()
    Collection(second, items, [Literal("a"), Literal("b")])
    second.add((objective, GCM.hasList, items))
    return dataset


def rdflib_union(dataset: Dataset) -> Graph:
    """The reference: every triple of every graph added to one rdflib Graph."""
    graph = Graph()
    for context in dataset.graphs():
        for triple in context:
            graph.add(triple)
    return graph


def test_compact_json_ld_equals_the_rdflib_graphs():
    dataset = sample_dataset()
    graph = rdflib_union(dataset)
    merged = MergedTriples.of(named_graphs(dataset))
    assert len(merged) == len(graph) == 11
    context = load_context()
    assert compact(merged, context, {}) == compact(graph, context, {})


def test_void_partitions_count_the_same_as_on_a_graph():
    dataset = sample_dataset()
    graph = rdflib_union(dataset)
    from_merged, from_graph = Graph(), Graph()
    node = URIRef(BASE + "dataset")
    _partitions(from_merged, node, MergedTriples.of(named_graphs(dataset)))
    _partitions(from_graph, node, graph)
    assert set(from_merged) == set(from_graph)
    assert (
        node,
        URIRef("http://rdfs.org/ns/void#distinctSubjects"),
        Literal(4, datatype=XSD.integer),
    ) in from_merged
