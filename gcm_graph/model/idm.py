"""RDF of IOM International Dialogue on Migration No. 33 (named graph `idm`), and its checks.

- `<base>source/idm/section/{1.1}` a gcm:DocumentSection: dcterms:title, gcm:sectionNumber,
  gcm:addressesObjective for each objective of its box, and any its prose names.
- `<base>practice/idm-{slug}` a gcm:Practice (model/guidance.py), dcterms:isPartOf its section,
  gcm:leadOrganisation (from ORGANIZATION), gcm:period, gcm:geographicScope, gcm:impacts,
  gcm:lessonsLearned, gcm:brieflyReferred, skos:notation (the report's number, '1.1.3'),
  gcm:illustrates for each objective its own text names.

Checks, against the resolution: an objective number that does not exist; a box entry whose
quoted title is not the title of its number (substantive when it is another objective's title:
the box then says two things and neither link is made); a section box that repeats the previous
section's box word for word (info); the licence statement against the sources manifest.
"""

from __future__ import annotations

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, SKOS, XSD

from ..context import BuildContext
from ..extract.guidance import Mention, text_key
from ..extract.idm import Idm, IdmPractice, IdmSection, ObjectiveBox, parse_idm
from ..report import Discrepancy
from ..vocab import GCM
from .base import SourceGraph, english, plain
from .guidance import (
    ILLUSTRATES,
    add_practice,
    describe_section,
    link_objectives,
    link_organisation,
)

SOURCE_ID = "idm"
LICENCE_CODE = "CC BY-NC-ND 3.0 IGO"


def build(ctx: BuildContext) -> None:
    idm = parse_idm(ctx.sources[SOURCE_ID])
    graph = ctx.source_graph(SOURCE_ID)
    titles = {objective.number: objective.title for objective in ctx.resolution.objectives}
    sections = {}
    for section in idm.sections:
        sections[section.number] = add_section(graph, ctx, section, titles)
    for practice in idm.practices:
        add_idm_practice(graph, ctx, practice, sections[practice.section], set(titles))
    for item in repeated_boxes(idm) + licence_findings(idm, ctx.sources[SOURCE_ID].licence):
        ctx.report.add(item)


def add_section(
    graph: SourceGraph, ctx: BuildContext, section: IdmSection, titles: dict[int, str]
) -> URIRef:
    iri = describe_section(graph, section.number, section.title, section.line, section.last_line)
    where = f"IDM section {section.number}"
    for box in section.boxes:
        finding = check_box(section, box, titles)
        if finding is not None:
            ctx.report.add(finding)
            if finding.severity == "substantive":
                continue
        mention = Mention(box.number, box.line, f"Objective {box.number}")
        link_objectives(graph, ctx.report, iri, GCM.addressesObjective, [mention], titles, where)
    link_objectives(
        graph, ctx.report, iri, GCM.addressesObjective, section.mentioned_objectives, titles, where
    )
    return iri


def add_idm_practice(
    graph: SourceGraph, ctx: BuildContext, practice: IdmPractice, section: URIRef, valid: set[int]
) -> URIRef:
    record = practice.record
    iri = add_practice(graph, record)
    graph.link(iri, DCTERMS.isPartOf, section, record.first_line, record.first_line)
    graph.add(iri, SKOS.notation, plain(practice.code))
    graph.add(iri, SKOS.hiddenLabel, english(practice.heading))
    graph.add(iri, GCM.brieflyReferred, Literal(practice.briefly_referred, datatype=XSD.boolean))
    for mention in practice.lead_organisations:
        link_organisation(graph, iri, GCM.leadOrganisation, mention)
    for name, term, language in (
        ("PERIOD", GCM.period, False),
        ("GEOGRAPHICAL SCOPE", GCM.geographicScope, True),
        ("IMPACTS", GCM.impacts, True),
        ("LESSONS LEARNED", GCM.lessonsLearned, True),
    ):
        text = practice.field_text(name)
        if text:
            graph.add(iri, term, english(text) if language else plain(text))
    where = f"IDM practice {practice.code} ({record.id})"
    link_objectives(graph, ctx.report, iri, ILLUSTRATES, record.objectives, valid, where)
    return iri


def check_box(section: IdmSection, box: ObjectiveBox, titles: dict[int, str]) -> Discrepancy | None:
    """None if the box quotes its objective's title (up to case and punctuation)."""
    quoted = text_key(box.title)
    if box.number in titles and quoted == text_key(titles[box.number]):
        return None
    same = [n for n, title in titles.items() if text_key(title) == quoted and n != box.number]
    subject = f"IDM section {section.number} objective box: Objective {box.number}"
    locations = {SOURCE_ID: f"lines {box.line}-{box.title_line}"}
    details = {"quoted": box.title, "title": titles.get(box.number)}
    if same:
        details["quoted_is_title_of"] = same[0]
        return Discrepancy(
            "idm-box-title-of-other-objective",
            "substantive",
            subject,
            f"the box labels the title of objective {same[0]} as objective {box.number}; "
            "neither objective is linked from this entry",
            locations,
            details,
        )
    return Discrepancy(
        "idm-box-title-differs",
        "trivial",
        subject,
        "the box quotes the objective's title in other words than the resolution",
        locations,
        details,
    )


def repeated_boxes(idm: Idm) -> list[Discrepancy]:
    found = []
    for before, section in zip(idm.sections, idm.sections[1:], strict=False):
        ours = [(b.number, text_key(b.title)) for b in section.boxes]
        if ours and ours == [(b.number, text_key(b.title)) for b in before.boxes]:
            found.append(
                Discrepancy(
                    "idm-objective-box-repeated",
                    "info",
                    f"IDM section {section.number} objective box",
                    f"the box repeats the box of section {before.number} word for word "
                    f"(objectives {', '.join(str(b.number) for b in section.boxes)}); it may "
                    "have been copied rather than chosen for this topic",
                    {SOURCE_ID: f"lines {section.boxes[0].line}, {before.boxes[0].line}"},
                    {"section": section.title, "previous": before.title},
                )
            )
    return found


def licence_findings(idm: Idm, manifest_licence: str) -> list[Discrepancy]:
    """The text's licence statement must be the one the manifest records."""
    if idm.licence is not None and LICENCE_CODE in manifest_licence:
        return []
    where = f"line {idm.licence.number}" if idm.licence else "not found"
    return [
        Discrepancy(
            "idm-licence-differs",
            "substantive",
            "IDM licence",
            "the licence stated in the text and the one in sources/manifest.json differ",
            {SOURCE_ID: where},
            {"manifest": manifest_licence},
        )
    ]
