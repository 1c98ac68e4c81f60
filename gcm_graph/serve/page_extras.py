"""What a resource page shows beyond its properties, by kind of resource:

* an objective: its actions in letter order, each with its letter and text;
* a SKOS concept or scheme (the SDG goals and targets): its hierarchy (hierarchy.py);
* a source span: the quoted lines of the vendored document (excerpt.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from pyoxigraph import NamedNode, QuerySolutions, Store

from ..config import ONTOLOGY_NS
from .excerpt import IN_SOURCE as IN_SOURCE_NODE
from .excerpt import span_excerpt
from .hierarchy import concept_hierarchy
from .views import Linker, ResourcePage

SKOS = "http://www.w3.org/2004/02/skos/core#"
IN_SOURCE = IN_SOURCE_NODE.value
CONCEPT_TYPES = {SKOS + "Concept", SKOS + "ConceptScheme"}
ACTIONS = (
    f"PREFIX gcm: <{ONTOLOGY_NS}>\nPREFIX dcterms: <http://purl.org/dc/terms/>\n"
    "SELECT ?action ?letter ?text WHERE {\n"
    "  <%(o)s> gcm:hasAction ?action . ?action gcm:letter ?letter .\n"
    '  OPTIONAL { ?action dcterms:description ?text FILTER (lang(?text) = "en" || lang(?text) = "") }\n'
    "}"
)


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
