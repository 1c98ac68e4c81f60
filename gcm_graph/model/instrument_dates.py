"""RDF of the reference of the instruments' official dates (graph `instrument-dates`), and the check
of every document's dated claims against it.

What the graph states as an instrument's date is the reference's: `gcm:adoptionDate` (xsd:date)
and `gcm:adoptionYear` (xsd:gYear), and likewise for opening for signature (date only), entry
into force and endorsement, each reified with the line of the reference that states it. The
reference's statement is also a `gcm:Claim` (with `gcm:authority` and the record as
`dcterms:bibliographicCitation`), so that a document's claim can point at what it agrees or
disagrees with: `gcm:agreesWith` / `gcm:disagreesWith`, stated in this graph (the judgement is
the reference's, not the document's). A document's claim that disagrees stays a claim in its
document's graph, never the instrument's fact, and is reported as
'instrument-date-disagrees-with-reference' (substantive); a claim about a date the reference
does not hold is reported as 'instrument-date-unchecked' (info).
"""

from __future__ import annotations

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, XSD

from ..extract.instrument_dates import OPENING_FOR_SIGNATURE, ReferenceDate
from ..extract.instruments import ADOPTION, ENDORSEMENT, ENTRY_INTO_FORCE, YearClaim
from ..report import Discrepancy
from ..vocab import GCM
from .base import SourceGraph, plain

REFERENCE = "instrument-dates"
YEAR_PROPERTY = {
    ADOPTION: GCM.adoptionYear,
    ENTRY_INTO_FORCE: GCM.entryIntoForceYear,
    ENDORSEMENT: GCM.endorsementYear,
}
DATE_PROPERTY = {
    ADOPTION: GCM.adoptionDate,
    OPENING_FOR_SIGNATURE: GCM.openingForSignatureDate,
    ENTRY_INTO_FORCE: GCM.entryIntoForceDate,
    ENDORSEMENT: GCM.endorsementDate,
}
DISAGREES = "instrument-date-disagrees-with-reference"
UNCHECKED = "instrument-date-unchecked"


def add_claim(graph: SourceGraph, iri: URIRef, subject: URIRef, prop, value, words: str) -> None:
    """A gcm:Claim: what `graph`'s source states `prop` of `subject` to be, in its words."""
    graph.add(iri, RDF.type, GCM.Claim)
    graph.add(iri, GCM.claimSubject, subject)
    graph.add(iri, GCM.claimProperty, prop)
    graph.add(iri, GCM.claimValue, value)
    graph.add(iri, GCM.evidenceText, plain(words))
    graph.add(iri, DCTERMS.source, graph.source_iri)


def state_reference_date(graph: SourceGraph, instrument: URIRef, date: ReferenceDate) -> URIRef:
    """The reference's date as the instrument's own fact, and as the claim others answer to."""
    year = Literal(str(date.year), datatype=XSD.gYear)
    day = Literal(date.date, datatype=XSD.date) if date.has_day else None
    if date.event in YEAR_PROPERTY:
        graph.link(instrument, YEAR_PROPERTY[date.event], year, date.line, date.line)
    if day is not None:
        graph.link(instrument, DATE_PROPERTY[date.event], day, date.line, date.line)
    prop, value = (DATE_PROPERTY[date.event], day) if day else (YEAR_PROPERTY[date.event], year)
    iri = graph.iris.claim(f"{date.slug}-{date.event}-{REFERENCE}-{date.date}-line-{date.line}")
    words = f"{date.event.replace('-', ' ')} {date.date}: {date.authority}, {date.record}"
    add_claim(graph, iri, instrument, prop, value, words)
    graph.add(iri, GCM.authority, plain(date.authority))
    graph.add(iri, DCTERMS.bibliographicCitation, plain(date.record))
    graph.derived(iri, date.line, date.line)
    return iri


def judge(
    graph: SourceGraph, reference: URIRef, date: ReferenceDate, claims: dict[YearClaim, URIRef]
) -> list[Discrepancy]:
    """Link each document claim to the reference claim it agrees or disagrees with."""
    wrong = []
    for claim, iri in claims.items():
        agrees = claim.year == date.year
        graph.link(
            iri, GCM.agreesWith if agrees else GCM.disagreesWith, reference, date.line, date.line
        )
        if not agrees:
            wrong.append(claim)
    return [_disagreement(claim, date) for claim in wrong]


def _disagreement(claim: YearClaim, date: ReferenceDate) -> Discrepancy:
    event = claim.fact.replace("-", " ")
    return Discrepancy(
        DISAGREES,
        "substantive",
        f"instrument {claim.slug}",
        f"the {claim.source} gives {event} in {claim.year} ('{claim.evidence}'); "
        f"the reference gives {date.date} ({date.authority}, {date.record})",
        {claim.source: f"line {claim.line}", REFERENCE: f"line {date.line}"},
        {
            "fact": claim.fact,
            "claim": {"source": claim.source, "year": claim.year, "words": claim.evidence},
            "reference": {"date": date.date, "authority": date.authority, "record": date.record},
        },
    )


def unchecked(slug: str, fact: str, claims: list[YearClaim]) -> Discrepancy:
    locations: dict[str, list[str]] = {}
    for claim in claims:
        locations.setdefault(claim.source, []).append(str(claim.line))
    return Discrepancy(
        UNCHECKED,
        "info",
        f"instrument {slug}",
        f"the reference holds no {fact.replace('-', ' ')} date to check "
        + ", ".join(sorted({f"{c.year} ({c.source})" for c in claims}))
        + " against",
        {s: "line " + ", ".join(sorted(set(ls), key=int)) for s, ls in locations.items()},
        {"fact": fact},
    )
