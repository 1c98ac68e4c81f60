"""RDF of the authoritative GCM text: the compact, objectives, commitments, actions, principles,
paragraphs and mechanisms, in the named graph of the resolution.

The Compact (`<base>compact`) is prov:wasDerivedFrom the three lines that name it: the
resolution's title, the paragraph that endorses it and the annex heading; the other name that
paragraph gives ("Marrakech Compact on Migration") is its skos:altLabel. No owl:sameAs or
skos:exactMatch to Wikidata is asserted: no identifier for it could be checked offline."""

from __future__ import annotations

from rdflib import URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS

from ..compare import ARTEFACT, VARIANT, heading_variant
from ..context import BuildContext
from ..extract.compact import COMPACT_TITLE
from ..extract.records import Objective, Resolution
from ..report import Discrepancy
from ..vocab import GCM, Iris
from .base import SourceGraph, english, integer, plain

SOURCE_ID = "resolution"


def build(ctx: BuildContext) -> None:
    graph = ctx.source_graph(SOURCE_ID)
    add_resolution(graph, ctx.resolution)
    for objective in ctx.resolution.objectives:
        finding = heading_finding(objective)
        if finding is not None:
            ctx.report.add(finding)


def add_resolution(graph: SourceGraph, resolution: Resolution) -> None:
    """Everything the resolution says, under the graph's IRI base."""
    iris = graph.iris
    compact = compact_iri(iris)
    graph.add(compact, RDF.type, GCM.Compact)
    graph.add(compact, DCTERMS.title, english(COMPACT_TITLE))
    graph.add(compact, RDFS.label, english(COMPACT_TITLE))
    graph.add(compact, DCTERMS.identifier, plain("A/RES/73/195"))
    graph.add(compact, DCTERMS.source, graph.source_iri)
    if resolution.compact is not None:
        for line in resolution.compact.lines:
            graph.derived(compact, line, line)
        if resolution.compact.other_name:
            graph.add(compact, SKOS.altLabel, english(resolution.compact.other_name))
    for objective in resolution.objectives:
        add_objective(graph, compact, objective)
    for principle in resolution.principles:
        iri = iris.principle(principle.letter)
        graph.add(compact, GCM.hasGuidingPrinciple, iri)
        graph.add(iri, RDF.type, GCM.GuidingPrinciple)
        graph.add(iri, GCM.letter, plain(principle.letter))
        graph.add(iri, SKOS.prefLabel, english(principle.name))
        graph.add(iri, RDFS.label, english(principle.name))
        graph.add(iri, DCTERMS.description, english(principle.text))
        graph.add(iri, GCM.paragraphNumber, integer(principle.paragraph))
        graph.derived(iri, principle.first_line, principle.last_line, principle.paragraph)
    for paragraph in resolution.paragraphs:
        iri = iris.paragraph(paragraph.number)
        graph.add(compact, GCM.hasParagraph, iri)
        graph.add(iri, RDF.type, GCM.Paragraph)
        graph.add(iri, GCM.paragraphNumber, integer(paragraph.number))
        graph.add(iri, RDFS.label, english(f"Paragraph {paragraph.number}"))
        graph.add(iri, GCM.section, english(paragraph.section))
        graph.add(iri, DCTERMS.description, english(paragraph.text))
        graph.derived(iri, paragraph.first_line, paragraph.last_line, paragraph.number)
    for mechanism in resolution.mechanisms:
        iri = iris.mechanism(mechanism.slug)
        graph.add(compact, GCM.establishesMechanism, iri)
        graph.add(iri, RDF.type, GCM.Mechanism)
        graph.add(iri, RDFS.label, english(mechanism.name))
        graph.add(iri, DCTERMS.description, english(mechanism.description))
        graph.add(iri, GCM.paragraphNumber, integer(mechanism.paragraph))
        graph.link(
            iri,
            GCM.establishedIn,
            iris.paragraph(mechanism.paragraph),
            mechanism.line,
            mechanism.line,
            mechanism.paragraph,
        )
        if mechanism.part_of:
            graph.add(iri, DCTERMS.isPartOf, iris.mechanism(mechanism.part_of))
        graph.derived(iri, mechanism.line, mechanism.line, mechanism.paragraph)


def compact_iri(iris: Iris) -> URIRef:
    return URIRef(iris.base + "compact")


def add_objective(graph: SourceGraph, compact: URIRef, objective: Objective) -> None:
    iris = graph.iris
    n = objective.number
    iri = iris.objective(n)
    graph.add(compact, GCM.hasObjective, iri)
    graph.add(iri, RDF.type, GCM.Objective)
    graph.add(iri, GCM.number, integer(n))
    graph.add(iri, DCTERMS.title, english(objective.title))
    graph.add(iri, RDFS.label, english(f"Objective {n}: {objective.title}"))
    graph.add(iri, GCM.commitmentParagraph, integer(objective.commitment_paragraph))
    if heading_variant(objective.title, objective.heading) == VARIANT:
        graph.add(iri, GCM.bodyHeading, english(objective.heading))
    graph.derived(iri, objective.title_line, objective.title_line, 16)
    graph.derived(iri, objective.heading_line, objective.last_line)

    commitment = iris.commitment(n)
    first, last = objective.commitment_lines
    graph.add(iri, GCM.commitment, commitment)
    graph.add(commitment, RDF.type, GCM.Commitment)
    graph.add(commitment, RDFS.label, english(f"Commitment of Objective {n}"))
    graph.add(commitment, GCM.paragraphNumber, integer(objective.commitment_paragraph))
    graph.add(commitment, DCTERMS.description, english(objective.commitment_text))
    graph.derived(commitment, first, last, objective.commitment_paragraph)

    for action in objective.actions:
        action_iri = iris.action(n, action.letter)
        graph.add(iri, GCM.hasAction, action_iri)
        graph.add(action_iri, RDF.type, GCM.Action)
        graph.add(action_iri, GCM.letter, plain(action.letter))
        graph.add(action_iri, GCM.objective, iri)
        graph.add(action_iri, RDFS.label, english(f"Objective {n} ({action.letter})"))
        graph.add(action_iri, DCTERMS.description, english(action.text))
        graph.derived(
            action_iri, action.first_line, action.last_line, objective.commitment_paragraph
        )


def heading_finding(objective: Objective) -> Discrepancy | None:
    """Report how an objective's body heading departs from its listed title, if it does."""
    kind = heading_variant(objective.title, objective.heading)
    if kind not in (ARTEFACT, VARIANT):
        return None
    locations = {SOURCE_ID: f"lines {objective.title_line}, {objective.heading_line}"}
    details = {"list_title": objective.title, "body_heading": objective.heading}
    if kind == ARTEFACT:
        return Discrepancy(
            "objective-heading-artefact",
            "info",
            f"objective {objective.number}",
            "the body heading differs from the paragraph-16 title only by a PDF artefact "
            "(spacing or hyphenation); the title is used",
            locations,
            details,
        )
    return Discrepancy(
        "objective-heading-variant",
        "substantive",
        f"objective {objective.number}",
        "the body heading words differ from the paragraph-16 title; both are kept "
        "(dcterms:title is the title, gcm:bodyHeading the heading)",
        locations,
        details,
    )
