"""RDF of the SDG goals and targets (graph `sdg-kos`) and of the booklet's objective -> SDG links
(graph `booklet`).

Goals and targets keep the UN's IRIs (http://metadata.un.org/sdg/10, .../10.7), typed sdgo:Goal or
sdgo:Target and skos:Concept, with skos:notation (the compact code, typed sdgo:SDGCodeCompact as
the KOS types it: "10.7"^^sdgo:SDGCodeCompact; the KOS's zero-padded sdgo:SDGCode "10.07" is
left out, so that a concept has one notation), skos:prefLabel in the languages the KOS gives
(en/fr/es) and skos:altLabel (a goal's short name). The vocabulary is published as the KOS
publishes it: the UN's own skos:ConceptScheme <http://metadata.un.org/sdg> (its prefLabel),
skos:hasTopConcept / skos:topConceptOf between it and the 17 goals, skos:inScheme on every goal
and target, skos:broader (a target's goal) and its inverse skos:narrower (a goal's targets), and
the KOS's skos:exactMatch links (SDGIO, and Wikidata for goals). Every such link is reified with
the line of the KOS statement it was read from. Each concept is prov:wasDerivedFrom the spans of
the other KOS statements it was read from (the file is written predicate by predicate, so a
concept has several spans, not one block). A label the build cleaned carries a gcm:cleaningNote saying
what was wrong and what was done; non-whitespace cleanings are also reported as
'sdg-kos-label-cleaned' (info).

What the booklet says about an objective's SDGs is kept in distinct properties, each link
reified with the line(s) it was read from (SourceGraph.link):
- gcm:relevantTarget: a target LISTED in the objective's "RELEVANT SDGs" section;
- gcm:relevantGoal: the goal of at least one listed target (only from listed targets);
- gcm:relevantToAllGoals true: the section says all SDGs are relevant ("All SDGs", objectives
  2 and 19; objective 23's "accelerators towards all 17 Sustainable Development Goals" is not
  such a statement: it lists its relevant targets). It is never expanded into
  17 relevantGoal or 169 relevantTarget links: a query for the goals relevant to an objective
  must union relevantGoal with relevantToAllGoals. The reified statement carries gcm:quotation,
  the words that say so;
- gcm:mentionsTarget / gcm:mentionsGoal: a target or goal only named in the section's prose
  ("SDG 1 on poverty", "SDG 17.14: Enhance policy coherence ..."), with gcm:quotation. Weaker
  than a listing; not counted as relevantTarget/relevantGoal.
Where the printed wording of a target differs from the official KOS text beyond spacing and
punctuation, the wording is kept as a gcm:TargetWording (rdf:value, gcm:printedCode,
gcm:wordingOf the target, gcm:printedUnderObjective, gcm:matchesTextOf when it is another
target's text) and reported: 'target-text-differs' (trivial or substantive by the number of
changed words) or 'target-code-mismatch' (substantive). A code printed with a wrong separator is
reported as 'target-code-typo' (trivial). A code the KOS does not know is reported as
'target-unknown' (substantive) and gets no link: it cannot be resolved to a target and a link to
an untyped IRI would fail validation, while failing the build for one guidance document's typo
would be disproportionate; the report makes it visible.
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, SKOS

from ..compare import SAME, SUBSTANTIVE
from ..context import BuildContext
from ..extract.booklet_targets import (
    SAME_TEXT_RATIO,
    BookletTargets,
    ListedTarget,
    ProseMention,
    best_matching_code,
    compare_wording,
    parse_booklet_targets,
)
from ..extract.sdg_kos import (
    LINK_PREDICATES,
    NOTATION_DATATYPE,
    Link,
    SdgConcept,
    SdgKos,
    SdgScheme,
    parse_sdg_kos,
)
from ..extract.sdg_labels import StatementSpan
from ..report import Discrepancy
from ..vocab import GCM, SDGO, Iris, sdg_goal, sdg_target
from .base import SourceGraph, english, plain

KOS_ID = "sdg-kos"
BOOKLET_ID = "booklet"
_TYPES = {"goal": SDGO.Goal, "target": SDGO.Target}


def build(ctx: BuildContext) -> None:
    """Add the SDG goals/targets and the booklet's objective -> SDG links, with their findings."""
    kos = parse_sdg_kos(ctx.sources[KOS_ID])
    booklet = parse_booklet_targets(ctx.sources[BOOKLET_ID])
    for finding in add_sdg_concepts(ctx.source_graph(KOS_ID), kos):
        ctx.report.add(finding)
    for finding in add_booklet_links(ctx.source_graph(BOOKLET_ID), kos, booklet):
        ctx.report.add(finding)


def target_wording_iri(iris: Iris, objective: int, code: str) -> URIRef:
    return URIRef(f"{iris.base}objective/{objective}/target-wording/{code}")


# --- the KOS -------------------------------------------------------------------------------


def add_sdg_concepts(graph: SourceGraph, kos: SdgKos) -> list[Discrepancy]:
    add_scheme(graph, kos.scheme)
    findings = []
    for concept in kos.goals + kos.targets:
        add_concept(graph, concept)
        findings += cleaning_findings(concept)
    return findings


def add_scheme(graph: SourceGraph, scheme: SdgScheme) -> URIRef:
    """The KOS's concept scheme, its labels and top concepts, as the KOS states them."""
    iri = scheme.iri
    graph.add(iri, RDF.type, SKOS.ConceptScheme)
    add_labels_and_links(graph, iri, scheme.labels, scheme.statements, scheme.links)
    return iri


def add_concept(graph: SourceGraph, concept: SdgConcept) -> URIRef:
    iri = concept_iri(concept.code)
    graph.add(iri, RDF.type, _TYPES[concept.kind])
    graph.add(iri, RDF.type, SKOS.Concept)
    graph.add(iri, SKOS.notation, Literal(concept.code, datatype=NOTATION_DATATYPE))
    for language, text in concept.short_names:
        graph.add(iri, SKOS.altLabel, Literal(text, lang=language))
    add_labels_and_links(graph, iri, concept.labels, concept.statements, concept.links)
    for cleaning in concept.cleanings:
        done = f"changed to '{cleaning.result}'" if cleaning.result is not None else "left out"
        note = (
            f"@{cleaning.language} skos:prefLabel '{cleaning.original}' (lines "
            f"{cleaning.first_line}-{cleaning.last_line}) {done}: {cleaning.reason}."
        )
        graph.add(iri, GCM.cleaningNote, english(note))
    return iri


def concept_iri(code: str) -> URIRef:
    """The UN's IRI of a goal ('10') or target ('10.7')."""
    return sdg_target(code) if "." in code else sdg_goal(int(code))


def add_labels_and_links(
    graph: SourceGraph,
    iri: URIRef,
    labels: tuple[tuple[str, str], ...],
    statements: tuple[StatementSpan, ...],
    links: tuple[Link, ...],
) -> None:
    """A concept's or the scheme's prefLabels, the spans of its statements and its links.

    The resource is prov:wasDerivedFrom the statements that describe it; each SKOS link the KOS
    states is reified with the line(s) of its own statement instead.
    """
    for language, text in labels:
        graph.add(iri, SKOS.prefLabel, Literal(text, lang=language))
    for span in statements:
        if span.predicate not in LINK_PREDICATES:
            graph.derived(iri, span.first_line, span.last_line)
    for link in links:
        predicate = SKOS[link.predicate]
        graph.link(iri, predicate, URIRef(link.target), link.span.first_line, link.span.last_line)


def cleaning_findings(concept: SdgConcept) -> list[Discrepancy]:
    return [
        Discrepancy(
            check="sdg-kos-label-cleaned",
            severity="info",
            subject=f"{concept.kind} {concept.code}",
            message=f"@{c.language} label {c.action}: {c.reason}",
            locations={KOS_ID: f"lines {c.first_line}-{c.last_line}"},
            details={"original": c.original, "result": c.result},
        )
        for c in concept.cleanings
        if not c.is_whitespace_only
    ]


# --- the booklet ---------------------------------------------------------------------------


def add_booklet_links(
    graph: SourceGraph, kos: SdgKos, booklet: BookletTargets
) -> list[Discrepancy]:
    findings: list[Discrepancy] = []
    for section in booklet.sections:
        objective = graph.iris.objective(section.objective)
        for listed in section.targets:
            findings += add_listed_target(graph, kos, objective, listed)
        for statement in section.all_goals:
            link = graph.link(
                objective, GCM.relevantToAllGoals, Literal(True), statement.line, statement.line
            )
            graph.add(link, GCM.quotation, english(statement.phrase))
        for mention in section.mentions:
            findings += add_mention(graph, kos, objective, mention)
    return findings


def add_listed_target(
    graph: SourceGraph, kos: SdgKos, objective: URIRef, listed: ListedTarget
) -> list[Discrepancy]:
    subject = f"objective {listed.objective} target {listed.code}"
    where = {BOOKLET_ID: f"line {listed.line}"}
    findings = []
    if listed.printed_code != listed.code:
        findings.append(
            Discrepancy(
                "target-code-typo",
                "trivial",
                subject,
                f"code printed as '{listed.printed_code}'",
                where,
                {"printed": listed.printed_code, "read_as": listed.code},
            )
        )
    if listed.goal != listed.goal_heading:
        findings.append(
            Discrepancy(
                "target-under-other-goal",
                "trivial",
                subject,
                f"listed under the heading of SDG {listed.goal_heading}",
                where,
            )
        )
    target = kos.target(listed.code)
    if target is None:
        message = f"the booklet lists target '{listed.printed_code}', which the SDG KOS lacks"
        return [*findings, Discrepancy("target-unknown", "substantive", subject, message, where)]
    target_iri = sdg_target(listed.code)
    link = graph.link(objective, GCM.relevantTarget, target_iri, listed.line, listed.line)
    if listed.commentary:
        graph.add(link, GCM.bookletCommentary, english(listed.commentary))
    graph.link(objective, GCM.relevantGoal, sdg_goal(listed.goal), listed.line, listed.line)
    printed = PrintedText(
        listed.objective, listed.code, listed.printed_code, listed.wording, listed.line
    )
    return findings + compare_printed_text(graph, kos, objective, printed)


def add_mention(
    graph: SourceGraph, kos: SdgKos, objective: URIRef, mention: ProseMention
) -> list[Discrepancy]:
    if not mention.is_target:
        link = graph.link(
            objective, GCM.mentionsGoal, sdg_goal(int(mention.code)), mention.line, mention.line
        )
        graph.add(link, GCM.quotation, english(mention.quotation))
        return []
    subject = f"objective {mention.objective} target {mention.code}"
    if kos.target(mention.code) is None:
        message = f"the booklet's prose names target '{mention.code}', which the SDG KOS lacks"
        where = {BOOKLET_ID: f"line {mention.line}"}
        return [Discrepancy("target-unknown", "substantive", subject, message, where)]
    target_iri = sdg_target(mention.code)
    link = graph.link(objective, GCM.mentionsTarget, target_iri, mention.line, mention.line)
    graph.add(link, GCM.quotation, english(mention.quotation))
    if mention.wording is None:
        return []
    printed = PrintedText(
        mention.objective, mention.code, mention.code, mention.wording, mention.line
    )
    return compare_printed_text(graph, kos, objective, printed)


@dataclass(frozen=True)
class PrintedText:
    """A target's text as the booklet prints it under one objective."""

    objective: int
    code: str
    printed_code: str
    wording: str
    line: int

    @property
    def subject(self) -> str:
        return f"objective {self.objective} target {self.code}"


def compare_printed_text(
    graph: SourceGraph, kos: SdgKos, objective: URIRef, printed: PrintedText
) -> list[Discrepancy]:
    """Keep a printed target text that differs from the official one, and report how."""
    official = kos.target(printed.code)
    if official is None:
        raise ValueError(f"target {printed.code} is not in the KOS: check before comparing")
    official_text = official.label("en")
    difference = compare_wording(printed.wording, official_text)
    if difference.level == SAME:
        return []
    wording = add_wording(graph, objective, printed)
    (label_span,) = official.spans("prefLabel")
    where = {
        BOOKLET_ID: f"line {printed.line}",
        KOS_ID: f"lines {label_span.first_line}-{label_span.last_line}",
    }
    details: dict[str, object] = {"printed": printed.wording, "official": official_text}
    if difference.level == SUBSTANTIVE:
        others = [(t.code, t.label("en")) for t in kos.targets]
        match, ratio = best_matching_code(printed.wording, others)
        if match != printed.code and ratio >= SAME_TEXT_RATIO:
            graph.link(wording, GCM.matchesTextOf, sdg_target(match), printed.line, printed.line)
            message = f"printed under code {printed.printed_code} with the text of target {match}"
            details |= {"text_of": match, "similarity": ratio}
            return [
                Discrepancy(
                    "target-code-mismatch", "substantive", printed.subject, message, where, details
                )
            ]
    if difference.words_changed == 0:
        message = "printed wording differs from the official text in letter case or articles only"
    else:
        message = (
            f"printed wording differs from the official text: {difference.words_changed} word(s)"
            " added, removed or replaced"
        )
    details["words_changed"] = difference.words_changed
    return [
        Discrepancy(
            "target-text-differs", difference.level, printed.subject, message, where, details
        )
    ]


def add_wording(graph: SourceGraph, objective: URIRef, printed: PrintedText) -> URIRef:
    """The printed wording as a resource of its own, attributed to its line of the booklet."""
    iri = target_wording_iri(graph.iris, printed.objective, printed.code)
    line = printed.line
    graph.add(iri, RDF.type, GCM.TargetWording)
    graph.add(iri, RDF.value, english(printed.wording))
    graph.add(iri, GCM.printedCode, plain(printed.printed_code))
    graph.link(iri, GCM.wordingOf, sdg_target(printed.code), line, line)
    graph.link(iri, GCM.printedUnderObjective, objective, line, line)
    graph.derived(iri, line, line)
    return iri
