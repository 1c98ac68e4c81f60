"""RDF of the GFMD Thematic Recollection (named graph `gfmd`), and its discrepancies.

- `<base>cluster/{n}` a gcm:ThematicCluster: dcterms:title (the body heading in title case),
  gcm:number, gcm:hasSubTheme; the heading as printed (capitals) and the CONTENT list's
  differing wording as skos:hiddenLabel.
- `<base>cluster/{n}/subtheme/{m}` a gcm:SubTheme: dcterms:title, gcm:number, skos:broader and
  dcterms:isPartOf its cluster.
- `<base>recommendation/{id}` a gcm:Recommendation and one of gcm:PolicyOption,
  gcm:PracticalActionOption (with gcm:subTheme) or gcm:ActionArea (dcterms:isPartOf section IV).
  Ids: 'gfmd-c{n}-s{m}-po-' / '-pa-' or 'gfmd-iv-' + a hash of the normalised text.
- `<base>practice/gfmd-c{n}-s{m}-{hash}` a gcm:Practice (model/guidance.py) with gcm:subTheme.

The recollection was written in 2017, before the Compact had objectives: its clusters and
practices are linked to objectives only where a text names one (none does).
"""

from __future__ import annotations

import re
from collections import defaultdict

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS, XSD

from ..context import BuildContext
from ..extract.gfmd import (
    ACTION_AREA,
    POLICY_OPTION,
    PRACTICAL_ACTION,
    Cluster,
    Gfmd,
    GfmdPractice,
    Recommendation,
    SubTheme,
    Title,
    parse_gfmd,
)
from ..extract.guidance import text_key
from ..report import Discrepancy
from ..vocab import GCM
from .base import SourceGraph, english, integer
from .guidance import ILLUSTRATES, add_practice, describe_section, link_objectives

SOURCE_ID = "gfmd"
SECTION_IV_TITLE = "Conclusions and Action Areas for the Global Compact on Migration"
_KIND_CLASSES = {
    POLICY_OPTION: GCM.PolicyOption,
    PRACTICAL_ACTION: GCM.PracticalActionOption,
    ACTION_AREA: GCM.ActionArea,
}
_PFP_URL = re.compile(r"https?://(?:www\.)?([\w.-]+)/pfp/ppd/(\d+)")


def build(ctx: BuildContext) -> None:
    gfmd = parse_gfmd(ctx.sources[SOURCE_ID])
    graph = ctx.source_graph(SOURCE_ID)
    valid = {objective.number for objective in ctx.resolution.objectives}
    for cluster in gfmd.clusters:
        add_cluster(graph, cluster)
    first, last = gfmd.section_lines["IV"]
    section_iv = describe_section(graph, "IV", SECTION_IV_TITLE, first, last)
    for recommendation in gfmd.recommendations:
        add_recommendation(graph, recommendation, section_iv)
    for practice in gfmd.practices:
        iri = add_practice(graph, practice.record)
        _mark_inferred_footnotes(graph, gfmd, practice)
        subtheme = graph.iris.subtheme(practice.cluster, practice.subtheme)
        record = practice.record
        graph.link(iri, GCM.subTheme, subtheme, record.first_line, record.last_line)
        where = f"GFMD practice {record.id}"
        link_objectives(graph, ctx.report, iri, ILLUSTRATES, record.objectives, valid, where)
    for item in discrepancies(gfmd):
        ctx.report.add(item)


def add_cluster(graph: SourceGraph, cluster: Cluster) -> URIRef:
    iri = graph.iris.cluster(cluster.number)
    graph.add(iri, RDF.type, GCM.ThematicCluster)
    graph.add(iri, DCTERMS.title, english(cluster.title))
    graph.add(iri, RDFS.label, english(cluster.title))
    graph.add(iri, GCM.number, integer(cluster.number))
    graph.add(iri, SKOS.hiddenLabel, english(cluster.heading))
    _hidden_labels(graph, iri, cluster.heading, [cluster.contents_title])
    graph.derived(iri, cluster.line, cluster.last_line)
    for subtheme in cluster.subthemes:
        child = add_subtheme(graph, subtheme, iri)
        graph.link(iri, GCM.hasSubTheme, child, subtheme.line, subtheme.line)
    return iri


def add_subtheme(graph: SourceGraph, subtheme: SubTheme, cluster: URIRef) -> URIRef:
    iri = graph.iris.subtheme(subtheme.cluster, subtheme.number)
    graph.add(iri, RDF.type, GCM.SubTheme)
    graph.add(iri, DCTERMS.title, english(subtheme.title))
    graph.add(iri, RDFS.label, english(subtheme.title))
    graph.add(iri, GCM.number, integer(subtheme.number))
    _hidden_labels(graph, iri, subtheme.title, [subtheme.contents_title, subtheme.focus_title])
    graph.derived(iri, subtheme.line, subtheme.last_line)
    graph.link(iri, SKOS.broader, cluster, subtheme.line, subtheme.line)
    graph.link(iri, DCTERMS.isPartOf, cluster, subtheme.line, subtheme.line)
    return iri


def _hidden_labels(
    graph: SourceGraph, iri: URIRef, title: str, variants: list[Title | None]
) -> None:
    """Other printings of a title that differ from it (typos, truncations) as hidden labels.

    skos:hiddenLabel is the SKOS term for misspelt forms: searchable, never displayed.
    """
    for variant in variants:
        if variant is not None and text_key(variant.text) != text_key(title):
            graph.add(iri, SKOS.hiddenLabel, english(variant.text))


def add_recommendation(graph: SourceGraph, item: Recommendation, section_iv: URIRef) -> URIRef:
    iri = graph.iris.recommendation(item.id)
    graph.add(iri, RDF.type, GCM.Recommendation)
    graph.add(iri, RDF.type, _KIND_CLASSES[item.kind])
    graph.add(iri, DCTERMS.identifier, Literal(item.id))
    graph.add(iri, DCTERMS.description, english(item.text))
    graph.add(iri, DCTERMS.source, graph.source_iri)
    graph.derived(iri, item.first_line, item.last_line)
    if item.cluster is None:
        graph.link(iri, DCTERMS.isPartOf, section_iv, item.first_line, item.last_line)
    else:
        subtheme = graph.iris.subtheme(item.cluster, item.subtheme)
        graph.link(iri, GCM.subTheme, subtheme, item.first_line, item.last_line)
    return iri


def _mark_inferred_footnotes(graph: SourceGraph, gfmd: Gfmd, practice: GfmdPractice) -> None:
    """Footnotes whose number the text lost and the parser inferred say so."""
    for citation in practice.record.citations:
        if not gfmd.notes.by_number[citation.number].numbered:
            note = graph.iris.footnote(graph.source.id, citation.number)
            graph.add(note, GCM.footnoteNumberInferred, Literal(True, datatype=XSD.boolean))


# --- discrepancies ----------------------------------------------------------------------


def discrepancies(gfmd: Gfmd) -> list[Discrepancy]:
    found: list[Discrepancy] = []
    for cluster in gfmd.clusters:
        found += _title_differs(
            f"GFMD cluster {cluster.number}",
            cluster.title,
            cluster.line,
            {"CONTENT list": cluster.contents_title},
        )
        for s in cluster.subthemes:
            subject = f"GFMD cluster {s.cluster} sub-theme {s.number}"
            found += _title_differs(
                subject,
                s.title,
                s.line,
                {"CONTENT list": s.contents_title, "focus areas": s.focus_title},
            )
            if s.focus_title is None:
                found.append(
                    Discrepancy(
                        "gfmd-focus-area-missing",
                        "trivial",
                        subject,
                        "the cluster's list of focus areas omits this sub-theme, which the "
                        "CONTENT list and the body have",
                        {SOURCE_ID: f"line {s.line}"},
                        {"title": s.title},
                    )
                )
    found += _footnote_findings(gfmd)
    return found


def _title_differs(
    subject: str, title: str, line: int, variants: dict[str, Title | None]
) -> list[Discrepancy]:
    found = []
    for where, variant in variants.items():
        if variant is None or text_key(variant.text) == text_key(title):
            continue
        found.append(
            Discrepancy(
                "gfmd-heading-differs",
                "trivial",
                subject,
                f"the {where} prints the title differently from the body heading "
                "(a typo or truncation of the PDF text; the body heading is used)",
                {SOURCE_ID: f"lines {variant.line}, {line}"},
                {"body": title, where: variant.text},
            )
        )
    return found


def _footnote_findings(gfmd: Gfmd) -> list[Discrepancy]:
    """Practice footnotes that point to a mistyped host, and one PfP entry cited twice."""
    found: list[Discrepancy] = []
    cited_by: dict[str, list[tuple[str, int, int]]] = defaultdict(list)
    for practice in gfmd.practices:
        for citation in practice.record.citations:
            match = _PFP_URL.search(citation.text)
            if not match:
                continue
            host, entry = match.groups()
            cited_by[entry].append((practice.record.id, citation.number, citation.line))
            if host != "gfmd.org":
                found.append(
                    Discrepancy(
                        "gfmd-footnote-host-typo",
                        "trivial",
                        f"GFMD footnote {citation.number}",
                        f"the Platform for Partnerships link names the host {host!r}, "
                        "not 'gfmd.org'",
                        {SOURCE_ID: f"line {citation.line}"},
                        {"footnote": citation.text, "practice": practice.record.id},
                    )
                )
    for entry, citing in sorted(cited_by.items()):
        if len({practice for practice, _, _ in citing}) > 1:
            found.append(
                Discrepancy(
                    "gfmd-footnote-shared",
                    "info",
                    f"GFMD Platform for Partnerships entry {entry}",
                    "two different practices cite the same database entry; one of the two "
                    "footnotes is probably wrong",
                    {SOURCE_ID: "lines " + ", ".join(str(line) for _, _, line in citing)},
                    {
                        "practices": sorted(practice for practice, _, _ in citing),
                        "footnotes": [number for _, number, _ in citing],
                    },
                )
            )
    return found
