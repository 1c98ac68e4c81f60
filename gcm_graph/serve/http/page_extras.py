"""What a resource page shows beyond its properties, by kind of resource:

* an objective: its actions in letter order, each with its letter and text;
* a SKOS concept or scheme (the SDG goals and targets): its hierarchy (hierarchy.py);
* a source span: the quoted lines of the vendored document (excerpt.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from pyoxigraph import NamedNode, QuerySolutions, Store

from ...config import ONTOLOGY_NS
from .excerpt import IN_SOURCE as IN_SOURCE_NODE
from .excerpt import span_excerpt
from .hierarchy import concept_hierarchy
from .views import Linker, ResourcePage

SKOS = "http://www.w3.org/2004/02/skos/core#"
IN_SOURCE = IN_SOURCE_NODE.value
LISTED_IN_HIERARCHY = {SKOS + "narrower", SKOS + "hasTopConcept"}
BACKLINKS_IN_HIERARCHY = {SKOS + "broader", SKOS + "topConceptOf"}
CONCEPT_TYPES = {SKOS + "Concept", SKOS + "ConceptScheme"}
ACTIONS = (
    f"PREFIX gcm: <{ONTOLOGY_NS}>\nPREFIX dcterms: <http://purl.org/dc/terms/>\n"
    "SELECT ?action ?letter ?text WHERE {\n"
    "  <%(o)s> gcm:hasAction ?action . ?action gcm:letter ?letter .\n"
    '  OPTIONAL { ?action dcterms:description ?text FILTER (lang(?text) = "en" || lang(?text) = "") }\n'
    "}"
)


CLAIMS = (
    f"PREFIX gcm: <{ONTOLOGY_NS}>\nPREFIX dcterms: <http://purl.org/dc/terms/>\n"
    "PREFIX prov: <http://www.w3.org/ns/prov#>\n"
    "SELECT ?claim ?property ?value ?source (MIN(?line) AS ?first) WHERE {\n"
    "  VALUES ?claim { %(claims)s }\n"
    "  ?claim a gcm:Claim ; gcm:claimProperty ?property ; gcm:claimValue ?value .\n"
    "  OPTIONAL { ?claim dcterms:source ?source }\n"
    "  OPTIONAL { ?claim prov:wasDerivedFrom/gcm:firstLine ?line }\n"
    "} GROUP BY ?claim ?property ?value ?source"
)


def claim_labels(
    store: Store, iris: list[NamedNode], term_labels: dict[str, str]
) -> dict[str, str]:
    """Names for claims (which have no label of their own): 'adoption year 2015, per gfmd line
    106' rather than the path `claim/addis-ababa-action-agenda-adoption-gfmd-2015-line-106`."""
    claims = sorted({i.value for i in iris if "/claim/" in i.value})
    if not claims:
        return {}
    values = " ".join(f"<{NamedNode(c).value}>" for c in claims)
    solutions = store.query(CLAIMS % {"claims": values})
    assert isinstance(solutions, QuerySolutions)
    found = {}
    for s in solutions:
        prop = s["property"].value
        what = term_labels.get(prop) or prop.rpartition("#")[2]
        source = s["source"].value.rstrip("/").rpartition("/")[2] if s["source"] else ""
        where = " ".join(p for p in (source, f"line {s['first'].value}" if s["first"] else "") if p)
        text = f"{what} {s['value'].value}" + (f", per {where}" if where else "")
        found[s["claim"].value] = text[:1].upper() + text[1:]
    return found


@dataclass
class ActionRow:
    iri: str
    letter: str
    text: str
    href: str | None = None


def letter_key(letter: str) -> tuple[int, str]:
    """a < b < … < z < aa (as lettered lists continue), never 'aa' < 'b'."""
    return (len(letter), letter)


def objective_actions(store: Store, objective: str) -> list[ActionRow]:
    solutions = store.query(ACTIONS % {"o": NamedNode(objective).value})
    assert isinstance(solutions, QuerySolutions)
    rows: dict[str, ActionRow] = {}
    for s in solutions:
        iri = s["action"].value
        text = s["text"].value if s["text"] is not None else ""
        rows.setdefault(iri, ActionRow(iri, s["letter"].value, text))
    return sorted(rows.values(), key=lambda r: letter_key(r.letter))


def enrich(page: ResourcePage, store: Store, linker: Linker) -> None:
    """Fill the page's kind-specific sections (left empty for other kinds)."""
    types = {t.iri for t in page.types}
    if ONTOLOGY_NS + "Objective" in types:
        page.actions = objective_actions(store, page.iri)
        for action in page.actions:
            action.href = linker.href(action.iri)
    if types & CONCEPT_TYPES:
        hierarchy = concept_hierarchy(store, page.iri)
        if hierarchy is not None:
            for item in [*hierarchy.trail, *hierarchy.children]:
                item.href = linker.href(item.iri)
            for row in hierarchy.children:
                for objective in row.objectives:
                    objective.href = linker.href(objective.iri)
            # The table lists the narrower concepts: not again among the properties.
            page.properties = [
                row for row in page.properties if row.predicate.iri not in LISTED_IN_HIERARCHY
            ]
            # Nor among the incoming links, as the children's skos:broader / skos:topConceptOf.
            kept = [
                link for link in page.incoming if link.predicate.iri not in BACKLINKS_IN_HIERARCHY
            ]
            page.incoming_total -= len(page.incoming) - len(kept)
            page.incoming = kept
        page.hierarchy = hierarchy
    if ONTOLOGY_NS + "SourceSpan" in types:
        page.excerpt = excerpt = span_excerpt(store, NamedNode(page.iri))
        document = next(
            (row.values[0].text for row in page.properties if row.predicate.iri == IN_SOURCE),
            None,
        )
        if excerpt is not None and document:
            lines = (
                f"line {excerpt.first}"
                if excerpt.first == excerpt.last
                else (f"lines {excerpt.first}–{excerpt.last}")
            )
            page.title = f"{document}, {lines}"
