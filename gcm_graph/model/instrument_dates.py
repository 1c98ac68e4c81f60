"""RDF of the reference of the instruments' official dates (graph `instrument-dates`), and the check
of every document's dated claims against it.

What the graph states as an instrument's date is the reference's: `gcm:adoptionDate` (xsd:date)
and `gcm:adoptionYear` (xsd:gYear), and likewise for opening for signature (date only), entry
into force and endorsement, each reified with the line of the reference that states it. The
reference's statement is also a `gcm:Claim` (with `gcm:authority` and the record as
`dcterms:bibliographicCitation`), so that a document's claim can point at what it agrees or
disagrees with: `gcm:agreesWith` / `gcm:disagreesWith`, stated in this graph (the judgement is
the reference's, not the document's). A claim agrees if its date, at the precision the document
states it ("on 10 December 1948", "in July 2015", "in 2003"), is the reference's. A document's
claim that disagrees stays a claim in its document's graph, never the instrument's fact, and is
reported as
'instrument-date-disagrees-with-reference' (substantive); a claim about a date the reference
does not hold is reported as 'instrument-date-unchecked' (info).
"""

from __future__ import annotations

import re

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


_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
_MONTH_NAMES = "|".join(_MONTHS)
_DAY_MONTH = re.compile(
    rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)? (?P<month>{_MONTH_NAMES}),? (?:of )?(?P<year>\d{{4}})\b"
)
_MONTH = re.compile(rf"\b(?P<month>{_MONTH_NAMES}),? (?:of )?(?P<year>\d{{4}})\b")


def stated_date(words: str, year: int) -> str:
    """The date the words give for `year`, as precisely as they give it: '1948-12-10' for
    "on 10 December 1948", '2015-07' for "in July 2015", else '2015'."""
    for pattern in (_DAY_MONTH, _MONTH):
        for match in pattern.finditer(words):
            if int(match.group("year")) == year:
                month = _MONTHS.index(match.group("month")) + 1
                day = match.groupdict().get("day")
                return f"{year}-{month:02d}" + (f"-{int(day):02d}" if day else "")
    return str(year)


def agrees(claim: YearClaim, date: ReferenceDate) -> bool:
    """The claim's date, at the precision it is stated, is the reference's."""
    stated = stated_date(claim.evidence, claim.year)
    return date.date.startswith(stated) if date.has_day else stated[:4] == date.date


def judge(
    graph: SourceGraph, reference: URIRef, date: ReferenceDate, claims: dict[YearClaim, URIRef]
) -> list[Discrepancy]:
    """Link each document claim to the reference claim it agrees or disagrees with."""
    wrong = []
    for claim, iri in claims.items():
        right = agrees(claim, date)
        link = GCM.agreesWith if right else GCM.disagreesWith
        graph.link(iri, link, reference, date.line, date.line)
        if not right:
            wrong.append(claim)
    return [_disagreement(claim, date) for claim in wrong]


def _disagreement(claim: YearClaim, date: ReferenceDate) -> Discrepancy:
    event = claim.fact.replace("-", " ")
    return Discrepancy(
        DISAGREES,
        "substantive",
        f"instrument {claim.slug}",
        f"the {claim.source} gives {event} {stated_date(claim.evidence, claim.year)} "
        f"('{claim.evidence}'); "
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
