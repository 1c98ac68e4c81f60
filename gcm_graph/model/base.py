"""The shared machinery of the RDF model: a source's named graph and its provenance spans.

Every extracted resource gets `prov:wasDerivedFrom` a `gcm:SourceSpan` (document, first and last
line, paragraph number where there is one). A link between two resources (a triple whose object is
another resource) is also reified as an `rdf:Statement` with its own `prov:wasDerivedFrom`, so a
researcher can ask where each single link came from.
"""

from __future__ import annotations

import hashlib
from functools import cache

from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, XSD

from ..sources import Source
from ..vocab import GCM, Iris

Node = URIRef | BNode | Literal


@cache
def integer(value: int) -> Literal:
    """xsd:integer literals are made again and again (line numbers): one per value."""
    return Literal(value, datatype=XSD.integer)


def english(text: str) -> Literal:
    return Literal(text, lang="en")


def plain(text: str) -> Literal:
    return Literal(text)


class SourceGraph:
    """The named graph of one source, with helpers that record where each fact came from."""

    def __init__(self, dataset: Dataset, iris: Iris, source: Source):
        self.iris = iris
        self.source = source
        self.source_iri = iris.source(source.id)
        self.name = iris.graph(source.id)
        self.graph: Graph = dataset.graph(self.name)
        self._spans: dict[tuple[int, int], URIRef] = {}
        """The spans this object described (one source graph may have several of them: a
        span described twice adds nothing)."""

    def add(self, subject: Node, predicate: URIRef, obj: Node) -> None:
        self.graph.add((subject, predicate, obj))

    def span(self, first_line: int, last_line: int, paragraph: int | None = None) -> URIRef:
        """The IRI of a line range of this source, described once in this graph."""
        if last_line < first_line:
            raise ValueError(f"span {first_line}-{last_line} of {self.source.id} is reversed")
        iri = self._spans.get((first_line, last_line))
        g = self.graph
        if iri is None:
            iri = self._spans[first_line, last_line] = self.iris.span(
                self.source.id, first_line, last_line
            )
            g.add((iri, RDF.type, GCM.SourceSpan))
            g.add((iri, GCM.inSource, self.source_iri))
            g.add((iri, GCM.firstLine, integer(first_line)))
            g.add((iri, GCM.lastLine, integer(last_line)))
        if paragraph is not None:
            g.add((iri, GCM.paragraphNumber, integer(paragraph)))
        return iri

    def derived(
        self, resource: URIRef, first_line: int, last_line: int, paragraph: int | None = None
    ) -> None:
        """Record that `resource` was read from lines first..last (paragraph) of this source."""
        self.graph.add((resource, PROV.wasDerivedFrom, self.span(first_line, last_line, paragraph)))

    def link(
        self,
        subject: URIRef,
        predicate: URIRef,
        obj: Node,
        first_line: int,
        last_line: int,
        paragraph: int | None = None,
    ) -> URIRef:
        """Add a link and a reified statement of it pointing to the span it was read from."""
        self.graph.add((subject, predicate, obj))
        statement = self.statement_iri(subject, predicate, obj)
        g = self.graph
        g.add((statement, RDF.type, RDF.Statement))
        g.add((statement, RDF.subject, subject))
        g.add((statement, RDF.predicate, predicate))
        g.add((statement, RDF.object, obj))
        g.add((statement, PROV.wasDerivedFrom, self.span(first_line, last_line, paragraph)))
        return statement

    def statement_iri(self, subject: Node, predicate: URIRef, obj: Node) -> URIRef:
        key = f"{self.source.id}\n{subject.n3()}\n{predicate.n3()}\n{obj.n3()}"
        digest = hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]
        return URIRef(f"{self.iris.base}statement/{digest}")


def describe_source(graph: Graph, iris: Iris, source: Source) -> URIRef:
    """The source document as a prov:Entity carrying its manifest metadata."""
    iri = iris.source(source.id)
    graph.add((iri, RDF.type, PROV.Entity))
    graph.add((iri, RDF.type, GCM.SourceDocument))
    graph.add((iri, DCTERMS.title, english(source.title)))
    # The licence statement as text; dcterms:license only for a licence IRI (none is guessed).
    graph.add((iri, DCTERMS.rights, plain(source.licence)))
    if source.metadata.get("licence_url"):
        graph.add((iri, DCTERMS.license, URIRef(source.metadata["licence_url"])))
    graph.add((iri, GCM.sha256, plain(source.sha256)))
    graph.add((iri, GCM.fileName, plain(source.path.name)))
    if source.publisher:
        graph.add((iri, DCTERMS.publisher, plain(source.publisher)))
    if source.year:
        graph.add((iri, DCTERMS.issued, Literal(str(source.year), datatype=XSD.gYear)))
    if source.symbol:
        graph.add((iri, DCTERMS.identifier, plain(source.symbol)))
    for key in ("origin", "role", "citation", "known_flaws", "year_note"):
        if key in source.metadata:
            graph.add((iri, GCM[_camel(key)], plain(str(source.metadata[key]))))
    return iri


def _camel(key: str) -> str:
    head, *rest = key.split("_")
    return head + "".join(part.title() for part in rest)
