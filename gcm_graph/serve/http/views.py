"""Turning RDF terms and descriptions into plain view objects for the Jinja templates.

Nothing here produces HTML: templates get strings and Jinja's autoescaping escapes every one of
them, so a literal holding `<script>` is shown as text, never run.

Links: an IRI under the configured base becomes a local path (`https://w3id.org/gcm/objective/7`
-> `/objective/7` on whatever host serves the release); an ontology term becomes an anchor of the
ontology page; any other IRI the release describes (the UN SDG goals and targets) becomes
`/describe?uri=...`; the rest link to themselves.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import quote, urlencode

from pyoxigraph import BlankNode, Literal, NamedNode, Triple

from ...config import ONTOLOGY_NS
from ...vocab import PREFIXES
from ..query.describe import (
    PROV_DERIVED,
    RDF_OBJECT,
    RDF_PREDICATE,
    RDF_SUBJECT,
    RDF_TYPE,
    Description,
)

GCM_NS = ONTOLOGY_NS
IN_SOURCE = NamedNode(GCM_NS + "inSource")
FIRST_LINE = NamedNode(GCM_NS + "firstLine")
LAST_LINE = NamedNode(GCM_NS + "lastLine")
PARAGRAPH = NamedNode(GCM_NS + "paragraphNumber")
SKOS_NOTATION = NamedNode("http://www.w3.org/2004/02/skos/core#notation")
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
PREFIX_TABLE: tuple[tuple[str, str], ...] = tuple(
    sorted(((str(ns), name) for name, ns in PREFIXES.items()), key=lambda p: -len(p[0]))
)
# Safe characters in a path built from an IRI (RFC 3986 pchar plus '/').
PATH_SAFE = "/:@-._~!$&'()*+,;="


@dataclass
class SpanView:
    text: str  # "Document title, lines 165–183, paragraph 17"
    href: str | None
    short: str = ""  # "resolution, lines 165–183, paragraph 17" (the source's id)


@dataclass
class TermView:
    kind: str  # "iri" | "literal" | "bnode"
    text: str
    iri: str = ""
    href: str | None = None
    lang: str | None = None
    datatype: str | None = None
    nested: list[PropertyView] = field(default_factory=list)
    provenance: list[SpanView] = field(default_factory=list)


@dataclass
class PropertyView:
    predicate: TermView
    values: list[TermView]


@dataclass
class LinkView:
    subject: TermView
    predicate: TermView


def natural_key(view: TermView) -> tuple:
    """Order values as a reader expects: 'sdg/2' before 'sdg/10', 'Objective 7 (b)' before '(c)'."""
    key = view.iri or view.text
    return tuple(int(part) if part.isdigit() else part for part in re.split(r"(\d+)", key))


def curie(iri: str) -> str:
    """`gcm:hasAction` for a known namespace, else the IRI itself."""
    for namespace, prefix in PREFIX_TABLE:
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace) :]}"
    return iri


class Linker:
    """Where a link to an IRI points on this server (see the module docstring)."""

    def __init__(self, base_uri: str, root: str, described: Callable[[NamedNode], bool]):
        self.base_uri = base_uri
        self.root = root.rstrip("/")
        self.described = described
        self.ontology_iri = ONTOLOGY_NS.rstrip("#/")

    def local_path(self, iri: str) -> str | None:
        """The path of an IRI under the base (with its fragment, if any), or None."""
        if not iri.startswith(self.base_uri):
            return None
        path, hash_, fragment = iri[len(self.base_uri) :].partition("#")
        local = self.root + "/" + quote(path, safe=PATH_SAFE)
        return local + hash_ + quote(fragment, safe="") if hash_ else local

    def href(self, iri: str) -> str | None:
        if iri.startswith(ONTOLOGY_NS):
            return f"{self.root}/ontology.html#{quote(iri[len(ONTOLOGY_NS) :], safe='')}"
        if iri == self.ontology_iri:
            return f"{self.root}/ontology.html"
        local = self.local_path(iri)
        if local is not None:
            return local
        if self.described(NamedNode(iri)):
            return self.describe_path(iri)
        return iri if iri.startswith(("http://", "https://")) else None

    def describe_path(self, iri: str, extension: str = "") -> str:
        suffix = f".{extension}" if extension else ""
        return f"{self.root}/describe{suffix}?{urlencode({'uri': iri})}"


class Viewer:
    """Builds term views with labels: those of the description, then the ontology's."""

    def __init__(self, linker: Linker, labels: dict[str, str], term_labels: dict[str, str]):
        self.linker = linker
        self.labels = labels
        self.term_labels = term_labels

    def iri(self, node: NamedNode, *, predicate: bool = False) -> TermView:
        iri = node.value
        if predicate:
            text = self.term_labels.get(iri) or curie(iri)
        else:
            text = self.labels.get(iri) or self.term_labels.get(iri) or self.short(iri)
        return TermView("iri", text, iri=iri, href=self.linker.href(iri))

    def short(self, iri: str) -> str:
        if iri.startswith(self.linker.base_uri) and not iri.startswith(ONTOLOGY_NS):
            return iri[len(self.linker.base_uri) :]
        return curie(iri)

    def literal(self, node: Literal) -> TermView:
        datatype = node.datatype.value if node.datatype else None
        shown = None if datatype in (None, XSD_STRING, RDF_LANG_STRING) else curie(datatype)
        return TermView("literal", node.value, lang=node.language, datatype=shown)

    def term(self, node: object, nested: Callable[[BlankNode], list[PropertyView]]) -> TermView:
        if isinstance(node, NamedNode):
            return self.iri(node)
        if isinstance(node, Literal):
            return self.literal(node)
        if isinstance(node, BlankNode):
            return TermView("bnode", "", nested=nested(node))
        return TermView("literal", str(node))


@dataclass
class ResourcePage:
    iri: str
    title: str
    types: list[TermView]
    properties: list[PropertyView]
    provenance: list[SpanView]
    incoming: list[LinkView]
    incoming_total: int
    truncated: bool
    limit: int
    formats: list[dict[str, str]] = field(default_factory=list)


def resource_page(
    description: Description,
    viewer: Viewer,
    incoming_labels: dict[str, str],
    limit: int,
) -> ResourcePage:
    """The view of a resource page: properties with per-link provenance, spans, incoming links."""
    by_subject: dict[object, list[Triple]] = defaultdict(list)
    for triple in description.triples:
        by_subject[triple.subject].append(triple)
    spans = _span_texts(by_subject, viewer)
    link_spans = _statement_spans(by_subject, spans)
    resource = description.resource

    def rows(subject: object, depth: int = 0) -> list[PropertyView]:
        grouped: dict[NamedNode, list[TermView]] = defaultdict(list)
        for t in by_subject.get(subject, []):
            if t.predicate in (RDF_TYPE, PROV_DERIVED) and subject == resource:
                continue
            view = viewer.term(t.object, lambda b: rows(b, depth + 1) if depth < 4 else [])
            view.provenance = link_spans.get((t.subject, t.predicate, t.object), [])
            grouped[t.predicate].append(view)
        for values in grouped.values():
            values.sort(key=natural_key)
        return sorted(
            (PropertyView(viewer.iri(p, predicate=True), v) for p, v in grouped.items()),
            key=lambda row: (row.predicate.text.lower(), row.predicate.iri),
        )

    own = by_subject.get(resource, [])
    types = [viewer.iri(t.object) for t in own if t.predicate == RDF_TYPE and _named(t.object)]
    provenance = [spans[t.object] for t in own if t.predicate == PROV_DERIVED and t.object in spans]
    both = dict(viewer.labels) | incoming_labels
    incoming_viewer = Viewer(viewer.linker, both, viewer.term_labels)
    incoming = [
        LinkView(
            incoming_viewer.term(t.subject, lambda _b: []), viewer.iri(t.predicate, predicate=True)
        )
        for t in description.incoming
    ]
    incoming.sort(key=lambda link: (link.predicate.text.lower(), natural_key(link.subject)))
    return ResourcePage(
        iri=resource.value,
        title=_title(resource, own, viewer, types),
        types=types,
        properties=rows(resource),
        provenance=provenance,
        incoming=incoming,
        incoming_total=description.incoming_total,
        truncated=description.truncated,
        limit=limit,
    )


def _named(node: object) -> bool:
    return isinstance(node, NamedNode)


def _title(resource: NamedNode, own: list[Triple], viewer: Viewer, types: list[TermView]) -> str:
    label = viewer.labels.get(resource.value)
    notation = next((t.object.value for t in own if t.predicate == SKOS_NOTATION), None)
    if label:
        return f"{notation} {label}" if notation and not label.startswith(notation) else label
    kind = types[0].text if types else "Resource"
    if notation:
        return f"{kind} {notation}"
    return f"{kind} {viewer.short(resource.value)}"


def _span_texts(by_subject: dict[object, list[Triple]], viewer: Viewer) -> dict[object, SpanView]:
    """Every span in the description -> 'Document title, lines 165–183, paragraph 16'."""
    views: dict[object, SpanView] = {}
    for subject, triples in by_subject.items():
        values = {t.predicate: t.object for t in triples}
        if FIRST_LINE not in values:
            continue
        first, last = values[FIRST_LINE].value, values.get(LAST_LINE, values[FIRST_LINE]).value
        lines = f"line {first}" if first == last else f"lines {first}–{last}"
        where = [lines]
        if PARAGRAPH in values:
            where.append(f"paragraph {values[PARAGRAPH].value}")
        title, short = where, where
        source = values.get(IN_SOURCE)
        if isinstance(source, NamedNode):
            name = viewer.labels.get(source.value) or viewer.short(source.value)
            title = [name, *where]
            short = [source.value.rstrip("/").rpartition("/")[2], *where]
        href = viewer.linker.href(subject.value) if isinstance(subject, NamedNode) else None
        views[subject] = SpanView(", ".join(title), href, ", ".join(short))
    return views


def _statement_spans(
    by_subject: dict[object, list[Triple]], spans: dict[object, SpanView]
) -> dict[tuple[object, object, object], list[SpanView]]:
    """(s, p, o) of a reified link -> the spans its rdf:Statement was derived from."""
    found: dict[tuple[object, object, object], list[SpanView]] = defaultdict(list)
    for triples in by_subject.values():
        values: dict[NamedNode, list[object]] = defaultdict(list)
        for t in triples:
            values[t.predicate].append(t.object)
        if not (values[RDF_SUBJECT] and values[RDF_PREDICATE] and values[RDF_OBJECT]):
            continue
        key = (values[RDF_SUBJECT][0], values[RDF_PREDICATE][0], values[RDF_OBJECT][0])
        found[key] += [spans[s] for s in values[PROV_DERIVED] if s in spans]
    return found
