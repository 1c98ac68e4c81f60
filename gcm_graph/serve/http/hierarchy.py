"""A concept's place in its SKOS hierarchy, Skosmos-style: scheme › broader › concept, and its
narrower concepts (or a scheme's top concepts) with codes and labels, in code order, each with
the GCM objectives that point to it (gcm:relevantTarget / gcm:relevantGoal).

Codes sort as a reader expects: 10.1 < 10.2 < 10.10 < 10.a (numbers before letters, numerically).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pyoxigraph import NamedNode, QuerySolutions, Store

from ...config import ONTOLOGY_NS

PREFIXES = (
    "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
    "PREFIX dcterms: <http://purl.org/dc/terms/>\n"
    f"PREFIX gcm: <{ONTOLOGY_NS}>\n"
)
CHILDREN = (
    PREFIXES
    + """SELECT ?child ?notation ?label ?objective ?number ?title WHERE {
  { <%(c)s> skos:narrower ?child } UNION { ?child skos:broader <%(c)s> }
  UNION { <%(c)s> skos:hasTopConcept ?child } UNION { ?child skos:topConceptOf <%(c)s> }
  OPTIONAL { ?child skos:notation ?notation }
  OPTIONAL { ?child skos:prefLabel ?label FILTER (lang(?label) = "en" || lang(?label) = "") }
  OPTIONAL { ?objective gcm:relevantTarget|gcm:relevantGoal ?child ; gcm:number ?number .
             OPTIONAL { ?objective dcterms:title ?title } }
}"""
)
ANCESTORS = (
    PREFIXES
    + """SELECT ?node ?notation ?label ?scheme WHERE {
  { BIND(<%(c)s> AS ?node) } UNION { <%(c)s> skos:broader+ ?node }
  OPTIONAL { ?node skos:notation ?notation }
  OPTIONAL { ?node skos:prefLabel ?label FILTER (lang(?label) = "en" || lang(?label) = "") }
  OPTIONAL { ?node skos:inScheme|skos:topConceptOf ?scheme }
}"""
)
SCHEME_LABEL = PREFIXES + (
    "SELECT ?label WHERE { <%(c)s> skos:prefLabel|dcterms:title|<http://www.w3.org/2000/01/"
    'rdf-schema#label> ?label FILTER (lang(?label) = "en" || lang(?label) = "") } LIMIT 1'
)


def code_key(code: str) -> tuple:
    """'10.2' < '10.10' < '10.a': dotted parts, numbers (numerically) before letters."""
    return tuple(
        (0, int(part), "") if part.isdigit() else (1, 0, part)
        for part in re.split(r"[.\s]+", code.strip())
        if part
    )


@dataclass
class LinkedObjective:
    iri: str
    number: int
    title: str
    href: str | None = None


@dataclass
class ConceptRow:
    iri: str
    code: str
    label: str
    objectives: list[LinkedObjective] = field(default_factory=list)
    href: str | None = None


@dataclass
class Crumb:
    iri: str
    text: str
    href: str | None = None


@dataclass
class Hierarchy:
    trail: list[Crumb]  # scheme, broader concepts, from the top
    children: list[ConceptRow]


def _iri_text(value: object) -> str:
    return getattr(value, "value", "") if value is not None else ""


def concept_hierarchy(store: Store, iri: str) -> Hierarchy | None:
    """The hierarchy around `iri`, or None if it has neither broader nor narrower concepts."""
    node = NamedNode(iri).value  # raises ValueError on a bad IRI (the caller checked it)
    rows: dict[str, ConceptRow] = {}
    solutions = store.query(CHILDREN % {"c": node})
    assert isinstance(solutions, QuerySolutions)
    for s in solutions:
        child = _iri_text(s["child"])
        row = rows.setdefault(child, ConceptRow(child, _iri_text(s["notation"]), ""))
        row.label = row.label or _iri_text(s["label"])
        row.code = row.code or _iri_text(s["notation"])
        objective = _iri_text(s["objective"])
        if objective and all(o.iri != objective for o in row.objectives):
            number = _iri_text(s["number"])
            row.objectives.append(
                LinkedObjective(
                    objective, int(number) if number.isdigit() else 0, _iri_text(s["title"])
                )
            )
    trail = _trail(store, node)
    if not rows and len(trail) <= 1:
        return None
    for row in rows.values():
        row.objectives.sort(key=lambda o: o.number)
    children = sorted(rows.values(), key=lambda r: code_key(r.code) if r.code else ((2, 0, r.iri),))
    return Hierarchy(trail, children)


def _trail(store: Store, node: str) -> list[Crumb]:
    """Scheme first, then the broader concepts from the top down (the concept itself excluded)."""
    solutions = store.query(ANCESTORS % {"c": node})
    assert isinstance(solutions, QuerySolutions)
    found: dict[str, tuple[str, str]] = {}
    schemes: list[str] = []
    for s in solutions:
        iri = _iri_text(s["node"])
        code, label = _iri_text(s["notation"]), _iri_text(s["label"])
        found.setdefault(iri, (code, label))
        scheme = _iri_text(s["scheme"])
        if scheme and scheme not in schemes and scheme != node:
            schemes.append(scheme)
    ancestors = sorted(
        ((iri, code, label) for iri, (code, label) in found.items() if iri != node),
        key=lambda t: len(code_key(t[1])) if t[1] else 0,
    )
    crumbs = [Crumb(s, _scheme_label(store, s)) for s in sorted(schemes)[:1]]
    crumbs += [Crumb(iri, f"{code} {label}".strip() or iri) for iri, code, label in ancestors]
    return crumbs


def _scheme_label(store: Store, scheme: str) -> str:
    solutions = store.query(SCHEME_LABEL % {"c": NamedNode(scheme).value})
    assert isinstance(solutions, QuerySolutions)
    for s in solutions:
        return _iri_text(s["label"])
    return scheme
