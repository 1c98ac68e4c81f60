"""The merged graph of a release (the union of its named graphs) as plain Python data.

The JSON-LD dump and the VoID partitions describe the merged graph. Copying the ~42k triples into
an rdflib Graph took longer than writing both of them (rdflib's memory store indexes every
triple three ways and by context), and reading it back through that store's generic pattern
matching took most of the JSON-LD time. `MergedTriples` holds the unique triples and a subject
index, and answers the few read-only rdflib Graph calls that rdflib's JSON-LD converter
(`rdflib.plugins.serializers.jsonld.from_rdf`) makes: the dump is the same, byte for byte
(tests/test_release.py compares a fresh build with the committed one).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping

from rdflib import BNode, URIRef
from rdflib.term import Node

Triple = tuple[Node, Node, Node]


class MergedTriples:
    """Unique triples, indexed by subject (and, on first use, by object)."""

    context_aware = False  # one graph, not a dataset (what from_rdf asks first)

    def __init__(self, triples: Iterable[Triple]):
        self.identifier = BNode()  # an unnamed graph: from_rdf gives it no @id
        self._triples = set(triples)
        self._by_subject: dict[Node, list[tuple[Node, Node]]] = defaultdict(list)
        for s, p, o in self._triples:
            self._by_subject[s].append((p, o))
        self._by_object: dict[Node, list[Node]] | None = None
        self._values: dict[Node, dict[Node, Node]] = {}

    @classmethod
    def of(cls, graphs: Mapping[str, Iterable[Triple]]) -> MergedTriples:
        """The union of the named graphs (each triple once)."""
        return cls(triple for triples in graphs.values() for triple in triples)

    def __len__(self) -> int:
        return len(self._triples)

    def __iter__(self) -> Iterator[Triple]:
        return iter(self._triples)

    def subjects(self, predicate: None = None, object: Node | None = None) -> Iterator[Node]:
        """Every subject, or those of the triples whose object is `object`."""
        if predicate is not None:
            raise NotImplementedError("subjects() by predicate")
        if object is None:
            return iter(self._by_subject)
        if self._by_object is None:
            self._by_object = defaultdict(list)
            for s, _p, o in self._triples:
                self._by_object[o].append(s)
        return iter(self._by_object.get(object, ()))

    def predicate_objects(self, subject: Node) -> Iterator[tuple[Node, Node]]:
        return iter(self._by_subject.get(subject, ()))

    def value(self, subject: Node, predicate: URIRef) -> Node | None:
        """An object of (subject, predicate), None if there is none. The converter asks
        rdf:first of every object (is it a list?): one index per predicate asked."""
        if predicate not in self._values:
            index = self._values[predicate] = {}
            for s, p, o in self._triples:
                if p == predicate:
                    index.setdefault(s, o)
        return self._values[predicate].get(subject)
