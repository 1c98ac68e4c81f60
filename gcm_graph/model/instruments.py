"""RDF of the international instruments: one `<base>instrument/{slug}` per instrument whatever
the document calls it, the documents that name it, what each document says about its years and
name (gcm:Claim in that document's graph), and the links from the texts that name it.

Which value becomes the instrument's own gcm:adoptionYear (etc.): the vendored reference's
(sources/instrument-dates.csv, see instrument_dates.py), against which every document's claim is
checked; a document's graph states the fact too where its claim agrees. Where the reference
holds no such date: the resolution's, where it states one; else the value all documents agree
on; where they disagree, none, and the claims and an 'instrument-fact-conflict' discrepancy say
who states what.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS, XSD

from ..compare import SUBSTANTIVE, TRIVIAL, classify_wording, wording_key
from ..context import BuildContext
from ..extract.booklet import clean, parse_booklet
from ..extract.instrument_catalogue import entry
from ..extract.instrument_dates import ReferenceDate, read_instrument_dates
from ..extract.instruments import (
    Evidence,
    NameClaim,
    YearClaim,
    booklet_frameworks,
    document_evidence,
    find_instruments,
    resolution_evidence,
    resolve_name,
    text_evidence,
)
from ..report import Discrepancy
from ..vocab import GCM
from .base import SourceGraph, english, plain
from .instrument_dates import (
    REFERENCE,
    YEAR_PROPERTY,
    add_claim,
    judge,
    state_reference_date,
    unchecked,
)

RESOLUTION = "resolution"
BOOKLET = "booklet"
# Where an instrument's core description goes: the first of these that names it.
SOURCE_ORDER = (RESOLUTION, BOOKLET, "gfmd", "idm")
FACT_PROPERTY = YEAR_PROPERTY
# (slug, fact) -> (the reference's date, the reference's graph, its claim)
Stated = dict[tuple[str, str], tuple[ReferenceDate, SourceGraph, URIRef]]


def build(ctx: BuildContext) -> None:
    evidence = collect(ctx)
    graphs = {sid: ctx.source_graph(sid) for sid in SOURCE_ORDER if sid in ctx.sources}
    described = sorted({r.slug for r in evidence.references})
    for slug in described:
        describe_instrument(graphs, slug, evidence)
    stated = state_reference_dates(ctx, described)
    for finding in year_findings(graphs, evidence, stated) + name_findings(graphs, evidence):
        ctx.report.add(finding)
    for source, name, line in sorted(set(evidence.unresolved)):
        ctx.report.add(
            Discrepancy(
                "instrument-uncatalogued",
                "info",
                f"instrument '{name}'",
                "an instrument the catalogue does not know; it is not in the graph",
                {source: f"line {line}"},
            )
        )
    link_resolution_texts(graphs[RESOLUTION], ctx)
    link_practices(graphs[BOOKLET], ctx)


def state_reference_dates(ctx: BuildContext, described: list[str]) -> Stated:
    """The reference's dates of the instruments in the graph, stated in the reference's graph."""
    if REFERENCE not in ctx.sources:
        return {}
    graph = ctx.source_graph(REFERENCE)
    dates = read_instrument_dates(ctx.sources[REFERENCE])
    return {
        key: (date, graph, state_reference_date(graph, graph.iris.instrument(key[0]), date))
        for key, date in sorted(dates.items())
        if key[0] in described
    }


def collect(ctx: BuildContext) -> Evidence:
    evidence = resolution_evidence(ctx.resolution, RESOLUTION)
    evidence.extend(booklet_frameworks(ctx.sources[BOOKLET]))
    for _, lines in _practice_lines(ctx):
        for number, text in lines:
            evidence.extend(_only_references(text_evidence(text, BOOKLET, number, number)))
    for sid in SOURCE_ORDER[2:]:
        if sid in ctx.sources:
            evidence.extend(document_evidence(ctx.sources[sid]))
    return evidence


def _only_references(evidence: Evidence) -> Evidence:
    return Evidence(references=evidence.references)


def _practice_lines(ctx: BuildContext):
    """(practice, [(line, cleaned text)]) for each booklet practice, footnote lines left out."""
    booklet = ctx.parsed(parse_booklet, BOOKLET)
    lines = ctx.sources[BOOKLET].lines()
    for section in booklet.sections:
        notes = {
            n for f in section.footnotes.values() for n in range(f.first_line, f.last_line + 1)
        }
        for practice in section.practices:
            yield (
                practice,
                [
                    (n, clean(lines[n - 1]))
                    for n in range(practice.first_line, practice.last_line + 1)
                    if n not in notes and lines[n - 1].strip()
                ],
            )


def describe_instrument(graphs: dict[str, SourceGraph], slug: str, evidence: Evidence) -> URIRef:
    item = entry(slug)
    references = [r for r in evidence.references if r.slug == slug]
    home = next(sid for sid in SOURCE_ORDER if any(r.source == sid for r in references))
    graph = graphs[home]
    iri = graph.iris.instrument(slug)
    graph.add(iri, RDF.type, GCM.Instrument)
    graph.add(iri, SKOS.prefLabel, english(item.name))
    graph.add(iri, RDFS.label, english(item.name))
    graph.add(iri, GCM.instrumentKind, GCM[item.kind])
    if item.acronym:
        graph.add(iri, GCM.acronym, plain(item.acronym))
    if item.ilo:
        graph.add(iri, SKOS.notation, Literal(item.ilo, datatype=GCM.ILONotation))
    for citation in (c for c in evidence.citations if c.slug == slug):
        resolution = graphs[RESOLUTION]
        resolution.add(iri, DCTERMS.bibliographicCitation, plain(citation.text))
    for ref in references:
        source = graphs[ref.source]
        source.link(iri, DCTERMS.isReferencedBy, source.source_iri, ref.first_line, ref.last_line)
        source.derived(iri, ref.first_line, ref.last_line)
    for claim in (n for n in evidence.names if n.slug == slug):
        if claim.name != item.name:
            add_name_claim(graphs[claim.source], iri, claim)
    return iri


def add_name_claim(graph: SourceGraph, instrument: URIRef, claim: NameClaim) -> URIRef:
    digest = hashlib.sha1(claim.name.encode("utf-8")).hexdigest()[:8]
    iri = graph.iris.claim(f"{claim.slug}-name-{claim.source}-line-{claim.line}-{digest}")
    graph.add(instrument, SKOS.altLabel, english(claim.name))
    add_claim(graph, iri, instrument, DCTERMS.title, english(claim.name), claim.name)
    graph.derived(iri, claim.line, claim.line)
    return iri


def add_year_claim(graph: SourceGraph, instrument: URIRef, claim: YearClaim) -> URIRef:
    iri = graph.iris.claim(
        f"{claim.slug}-{claim.fact}-{claim.source}-{claim.year}-line-{claim.line}"
    )
    value = Literal(str(claim.year), datatype=XSD.gYear)
    add_claim(graph, iri, instrument, FACT_PROPERTY[claim.fact], value, claim.evidence)
    graph.derived(iri, claim.line, claim.line)
    return iri


def year_findings(
    graphs: dict[str, SourceGraph], evidence: Evidence, stated: Stated | None = None
) -> list[Discrepancy]:
    """Claims for every year, each checked against the reference date `stated` for it (the
    (date, reference graph, reference claim) of each (slug, fact)); where there is none, the
    agreed (or the resolution's) value on the instrument."""
    by_fact: dict[tuple[str, str], list[YearClaim]] = defaultdict(list)
    unique = {(c.slug, c.fact, c.source, c.year, c.line): c for c in reversed(evidence.years)}
    for claim in sorted(unique.values(), key=lambda c: (c.source, c.line, c.slug)):
        by_fact[(claim.slug, claim.fact)].append(claim)
    findings = []
    for (slug, fact), claims in sorted(by_fact.items()):
        instrument = graphs[claims[0].source].iris.instrument(slug)
        iris = {c: add_year_claim(graphs[c.source], instrument, c) for c in claims}
        values = {c.year for c in claims}
        reference = (stated or {}).get((slug, fact))
        if reference is not None:
            date, graph, claim_iri = reference
            findings += judge(graph, claim_iri, date, iris)
            chosen = {date.year}
        else:
            findings.append(unchecked(slug, fact, claims))
            by_resolution = {c.year for c in claims if c.source == RESOLUTION}
            chosen = by_resolution if by_resolution else values
            if len(values) > 1:
                findings.append(_year_conflict(slug, fact, claims))
        if len(chosen) == 1:
            (year,) = chosen
            for claim in (c for c in claims if c.year == year):
                graphs[claim.source].link(
                    instrument,
                    FACT_PROPERTY[fact],
                    Literal(str(year), datatype=XSD.gYear),
                    claim.line,
                    claim.line,
                )
    return findings


def _year_conflict(slug: str, fact: str, claims: list[YearClaim]) -> Discrepancy:
    locations: dict[str, list[str]] = defaultdict(list)
    for claim in claims:
        locations[claim.source].append(str(claim.line))
    return Discrepancy(
        "instrument-fact-conflict",
        SUBSTANTIVE,
        f"instrument {slug}",
        f"the documents give different {fact.replace('-', ' ')} years: "
        + ", ".join(sorted({f"{c.year} ({c.source})" for c in claims})),
        {s: "line " + ", ".join(sorted(set(ls), key=int)) for s, ls in locations.items()},
        {
            "fact": fact,
            "claims": [
                {"source": c.source, "year": c.year, "line": c.line, "words": c.evidence}
                for c in sorted(claims, key=lambda c: (c.source, c.line))
            ],
        },
    )


def name_findings(graphs: dict[str, SourceGraph], evidence: Evidence) -> list[Discrepancy]:
    """The booklet's name for an instrument against the resolution's, where both name it."""
    findings = []
    for slug in sorted({n.slug for n in evidence.names}):
        ours = [n for n in evidence.names if n.slug == slug and n.source == RESOLUTION]
        theirs = [n for n in evidence.names if n.slug == slug and n.source == BOOKLET]
        if not ours or not theirs:
            continue
        reference = ours[0]
        if any(classify_wording(reference.name, t.name) == "same" for t in theirs):
            continue
        other = theirs[0]
        kind = _name_difference(reference.name, other.name)
        findings.append(
            Discrepancy(
                "instrument-fact-conflict",
                kind,
                f"instrument {slug}",
                f"the booklet names it differently from the resolution ({kind})",
                {RESOLUTION: f"line {reference.line}", BOOKLET: f"line {other.line}"},
                {"fact": "name", "resolution": reference.name, "booklet": other.name},
            )
        )
    return findings


def _name_difference(reference: str, other: str) -> str:
    """Trivial if one name's words all occur in the other (a short title, a dropped
    '(Revised)'), else substantive."""
    if classify_wording(reference, other) == TRIVIAL:
        return TRIVIAL
    a, b = set(wording_key(reference)), set(wording_key(other))
    return TRIVIAL if a <= b or b <= a else SUBSTANTIVE


def link_resolution_texts(graph: SourceGraph, ctx: BuildContext) -> None:
    """Actions, commitments and paragraphs -> the instruments their text names."""
    iris = ctx.iris
    for objective in ctx.resolution.objectives:
        objective_iri = iris.objective(objective.number)
        paragraph = objective.commitment_paragraph
        first, last = objective.commitment_lines
        for slug in _named(objective.commitment_text):
            instrument = iris.instrument(slug)
            graph.link(
                iris.commitment(objective.number),
                GCM.namesInstrument,
                instrument,
                first,
                last,
                paragraph,
            )
            graph.link(objective_iri, GCM.relatedInstrument, instrument, first, last, paragraph)
        for action in objective.actions:
            for slug in _named(action.text):
                instrument = iris.instrument(slug)
                action_iri = iris.action(objective.number, action.letter)
                graph.link(
                    action_iri,
                    GCM.namesInstrument,
                    instrument,
                    action.first_line,
                    action.last_line,
                    paragraph,
                )
                graph.link(
                    objective_iri,
                    GCM.relatedInstrument,
                    instrument,
                    action.first_line,
                    action.last_line,
                    paragraph,
                )
    for para in ctx.resolution.paragraphs:
        for slug in _named(para.text):
            graph.link(
                iris.paragraph(para.number),
                GCM.namesInstrument,
                iris.instrument(slug),
                para.first_line,
                para.last_line,
                para.number,
            )
    numbers = {p.number for p in ctx.resolution.paragraphs}
    for record in ctx.resolution.instruments:
        slug = resolve_name(record.name)
        if slug is not None and record.paragraph in numbers:
            graph.link(
                iris.paragraph(record.paragraph),
                GCM.namesInstrument,
                iris.instrument(slug),
                record.line,
                record.line,
                record.paragraph,
            )


def link_practices(graph: SourceGraph, ctx: BuildContext) -> None:
    for practice, lines in _practice_lines(ctx):
        seen: set[str] = set()
        for number, text in lines:
            for slug in _named(text):
                if slug not in seen:
                    seen.add(slug)
                    graph.link(
                        ctx.iris.practice(practice.id),
                        GCM.namesInstrument,
                        ctx.iris.instrument(slug),
                        number,
                        number,
                    )


def _named(text: str) -> list[str]:
    return sorted({m.slug for m in find_instruments(text)})
