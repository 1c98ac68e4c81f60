"""What the server says about one resource: its concise bounded description, plus context.

The RDF document of a resource (`/objective/7.ttl`) is, in this order of construction:

1. its **concise bounded description** (CBD, https://www.w3.org/submission/CBD/): every triple
   with the resource as subject, recursively the triples of every blank node reached that way, and
   the reifications of statements about it (`?st rdf:subject <resource>`) with their own CBDs;
2. the **location of its provenance**: for every `prov:wasDerivedFrom` object reached in step 1,
   that span's own triples (document, first and last line, paragraph), so a client can cite the
   lines without a second request;
3. the **labels of linked resources**: `skos:prefLabel`, `rdfs:label` and `dcterms:title` of every
   IRI in object position, so a client can show a link by name.

Descriptions are read from the store's default graph, which `store.py` makes the RDF merge of all
named graphs (a fact stated by two sources appears once).
Incoming links are not part of the RDF document; the HTML page lists them (bounded), skipping the
`rdf:subject`/`rdf:object` pointers of reification nodes, which are noise to a reader.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from pyoxigraph import BlankNode, DefaultGraph, Literal, NamedNode, Quad, Store, Triple

RDF_NS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDF_TYPE = NamedNode(RDF_NS + "type")
RDF_SUBJECT = NamedNode(RDF_NS + "subject")
RDF_PREDICATE = NamedNode(RDF_NS + "predicate")
RDF_OBJECT = NamedNode(RDF_NS + "object")
PROV_DERIVED = NamedNode("http://www.w3.org/ns/prov#wasDerivedFrom")
SKOS_PREF_LABEL = NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel")
RDFS_LABEL = NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
DCTERMS_TITLE = NamedNode("http://purl.org/dc/terms/title")
SKOS_NOTATION = NamedNode("http://www.w3.org/2004/02/skos/core#notation")
# In order of preference for naming a resource.
LABEL_PREDICATES: tuple[NamedNode, ...] = (SKOS_PREF_LABEL, RDFS_LABEL, DCTERMS_TITLE)

# Bounds, so that one request cannot make the server walk the whole graph.
MAX_DESCRIPTION_TRIPLES = 5000
MAX_INCOMING = 300

Subject = NamedNode | BlankNode
MERGED = DefaultGraph()


@dataclass
class Description:
    """A resource's RDF document (`triples`) and, for its page, a bounded list of incoming links."""

    resource: NamedNode
    triples: list[Triple]
    incoming: list[Triple] = field(default_factory=list)
    incoming_total: int = 0
    truncated: bool = False

    def labels(self) -> dict[str, str]:
        """IRI -> best label among the description's triples (English, then untagged, then any)."""
        return best_labels(self.triples)


def _triples(
    store: Store, subject: Subject, predicate: NamedNode | None = None
) -> Iterator[Triple]:
    for quad in store.quads_for_pattern(subject, predicate, None, MERGED):
        yield quad.triple


def is_known(store: Store, iri: NamedNode) -> bool:
    """Whether the release mentions `iri` at all: as a subject, an object or a graph name."""
    return (
        _first(store.quads_for_pattern(iri, None, None, MERGED)) is not None
        or _first(store.quads_for_pattern(None, None, iri, MERGED)) is not None
        or store.contains_named_graph(iri)
    )


def has_description(store: Store, iri: NamedNode) -> bool:
    """Whether the release says anything about `iri` as a subject (worth linking to its page)."""
    return _first(store.quads_for_pattern(iri, None, None, MERGED)) is not None


def _first(quads: Iterable[Quad]) -> Quad | None:
    return next(iter(quads), None)


def concise_bounded_description(store: Store, resource: NamedNode, limit: int) -> list[Triple]:
    """Steps 1 and 2 of the module docstring: the CBD with reifications and provenance spans."""
    found: dict[Triple, None] = {}  # insertion-ordered set
    queue: list[Subject] = [resource]
    queue += [t.subject for t in _reifications(store, resource)]
    visited: set[Subject] = set()
    while queue and len(found) < limit:
        node = queue.pop(0)
        if node in visited:
            continue
        visited.add(node)
        for triple in _triples(store, node):
            found.setdefault(triple, None)
            if isinstance(triple.object, BlankNode) and triple.object not in visited:
                queue.append(triple.object)
    spans = {t.object for t in found if t.predicate == PROV_DERIVED}
    for span in sorted(spans, key=str):
        if isinstance(span, NamedNode | BlankNode) and span not in visited:
            for triple in _triples(store, span):
                found.setdefault(triple, None)
    return list(found)


def _reifications(store: Store, resource: NamedNode) -> Iterator[Triple]:
    return _triples_with_object(store, RDF_SUBJECT, resource)


def _triples_with_object(store: Store, predicate: NamedNode, obj: NamedNode) -> Iterator[Triple]:
    for quad in store.quads_for_pattern(None, predicate, obj, MERGED):
        yield quad.triple


def linked_labels(store: Store, triples: Iterable[Triple]) -> list[Triple]:
    """Step 3: the label triples of every IRI in object position."""
    linked = {t.object for t in triples if isinstance(t.object, NamedNode)}
    labels: dict[Triple, None] = {}
    for iri in sorted(linked, key=str):
        for predicate in LABEL_PREDICATES:
            for triple in _triples(store, iri, predicate):
                labels.setdefault(triple, None)
    return list(labels)


def incoming_links(store: Store, resource: NamedNode, limit: int) -> tuple[list[Triple], int]:
    """Up to `limit` triples `?s ?p <resource>` (reification pointers skipped), and their number."""
    seen: set[Triple] = set()
    kept: list[Triple] = []
    for quad in store.quads_for_pattern(None, None, resource, MERGED):
        triple = quad.triple
        if triple.predicate in (RDF_SUBJECT, RDF_OBJECT) or triple in seen:
            continue
        seen.add(triple)
        if len(kept) < limit:
            kept.append(triple)
    return sorted(kept, key=_sort_key), len(seen)


def describe(
    store: Store,
    resource: NamedNode,
    *,
    limit: int = MAX_DESCRIPTION_TRIPLES,
    incoming_limit: int = MAX_INCOMING,
) -> Description | None:
    """The description of `resource`, or None if the release does not mention it."""
    if not is_known(store, resource):
        return None
    cbd = concise_bounded_description(store, resource, limit)
    truncated = len(cbd) >= limit
    labels = linked_labels(store, cbd)
    triples = sorted(
        dict.fromkeys(cbd + labels), key=lambda t: (t.subject != resource, *_sort_key(t))
    )
    incoming, total = incoming_links(store, resource, incoming_limit)
    return Description(resource, triples, incoming, total, truncated)


def subject_labels(store: Store, iris: Iterable[NamedNode]) -> dict[str, str]:
    """IRI -> best label, for IRIs that are not in a description (incoming link subjects)."""
    triples = [
        triple
        for iri in sorted(set(iris), key=str)
        for predicate in LABEL_PREDICATES
        for triple in _triples(store, iri, predicate)
    ]
    return best_labels(triples)


def notations(store: Store, iris: Iterable[NamedNode]) -> dict[str, str]:
    """IRI -> skos:notation (e.g. an SDG target's code '10.7'), for naming links on pages."""
    found: dict[str, str] = {}
    for iri in set(iris):
        for triple in _triples(store, iri, SKOS_NOTATION):
            if isinstance(triple.object, Literal):
                found.setdefault(iri.value, triple.object.value)
    return found


def best_labels(triples: Iterable[Triple]) -> dict[str, str]:
    """IRI -> its preferred label: by predicate preference, then English, untagged, any language."""
    ranked: dict[str, tuple[tuple[int, int, str], str]] = {}
    for triple in triples:
        if triple.predicate not in LABEL_PREDICATES or not isinstance(triple.object, Literal):
            continue
        if not isinstance(triple.subject, NamedNode):
            continue
        literal = triple.object
        language_rank = {"en": 0, None: 1}.get(literal.language, 2)
        rank = (LABEL_PREDICATES.index(triple.predicate), language_rank, literal.value)
        key = triple.subject.value
        if key not in ranked or rank < ranked[key][0]:
            ranked[key] = (rank, literal.value)
    return {iri: label for iri, (_rank, label) in ranked.items()}


def _sort_key(triple: Triple) -> tuple[str, str, str]:
    return (str(triple.subject), str(triple.predicate), str(triple.object))
