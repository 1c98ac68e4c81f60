"""RDF shared by the GFMD and IDM models: practices, objective links and their checks.

A practice is described with the same terms as the booklet's (model/booklet.py), so that the
merged graph can be queried across documents: gcm:Practice, dcterms:title (short title),
dcterms:description (full text), gcm:illustrates (an objective the text names), gcm:namesCountry,
gcm:namesOrganisation, gcm:namesYear (xsd:gYear) and gcm:citesFootnote. Countries,
organisations and footnotes are described by model/mentions.py, identically in every graph.

An objective number that no objective of the resolution has is not linked: it is reported as
'objective-does-not-exist'.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, XSD

from ..extract.guidance import Mention, PracticeRecord
from ..extract.mentions import organisation_table
from ..extract.organisations import Organisation
from ..report import Discrepancy, DiscrepancyReport
from ..vocab import GCM
from .base import SourceGraph, english, plain
from .mentions import describe_country, describe_footnote, describe_organisation

ILLUSTRATES = GCM.illustrates
NAMES_COUNTRY = GCM.namesCountry
NAMES_ORGANISATION = GCM.namesOrganisation
NAMES_YEAR = GCM.namesYear
CITES_FOOTNOTE = GCM.citesFootnote


def add_practice(graph: SourceGraph, record: PracticeRecord) -> URIRef:
    """The practice, its texts, the countries, organisations and years it names, its notes.

    Objective links are left to the caller (`link_objectives`), which knows the valid numbers.
    """
    iri = graph.iris.practice(record.id)
    graph.add(iri, RDF.type, GCM.Practice)
    graph.add(iri, DCTERMS.identifier, plain(record.id))
    graph.add(iri, DCTERMS.title, english(record.title))
    graph.add(iri, RDFS.label, english(record.title))
    graph.add(iri, DCTERMS.description, english(record.description))
    graph.add(iri, DCTERMS.source, graph.source_iri)
    graph.derived(iri, record.first_line, record.last_line)
    for mention in record.countries:
        country = describe_country(graph, str(mention.value), mention.line)
        graph.link(iri, NAMES_COUNTRY, country, mention.line, mention.line)
    for mention in record.organisations:
        link_organisation(graph, iri, NAMES_ORGANISATION, mention)
    for mention in record.years:
        graph.add(iri, NAMES_YEAR, Literal(str(mention.value), datatype=XSD.gYear))
    for citation in record.citations:
        note = describe_footnote(
            graph, citation.number, citation.text, citation.line, citation.line
        )
        graph.link(iri, CITES_FOOTNOTE, note, record.first_line, record.last_line)
    return iri


def link_organisation(
    graph: SourceGraph, subject: URIRef, predicate: URIRef, mention: Mention
) -> None:
    organisation = Organisation(mention.name or mention.text, mention.acronym or _acronym(mention))
    iri = describe_organisation(graph, organisation, mention.line)
    graph.link(subject, predicate, iri, mention.line, mention.line)


def _acronym(mention: Mention) -> str | None:
    """The acronym of a gazetteer organisation, from the shared table."""
    for entry in organisation_table().values():
        if entry.slug == mention.value:
            return entry.acronym
    return None


def link_objectives(
    graph: SourceGraph,
    report: DiscrepancyReport,
    subject: URIRef,
    predicate: URIRef,
    mentions: Iterable[Mention],
    valid: Collection[int],
    where: str,
) -> None:
    """Link `subject` to each objective named; report the numbers that name no objective."""
    for mention in mentions:
        number = int(mention.value)
        if number in valid:
            graph.link(subject, predicate, graph.iris.objective(number), mention.line, mention.line)
            continue
        report.add(
            Discrepancy(
                "objective-does-not-exist",
                "substantive",
                f"{where}: objective {number}",
                f"the text names objective {number}; the Compact has objectives "
                f"{min(valid)} to {max(valid)}, so no link is made",
                {graph.source.id: f"line {mention.line}"},
                {"printed": mention.text, "number": number},
            )
        )


def describe_section(graph: SourceGraph, number: str, title: str, first: int, last: int) -> URIRef:
    """A numbered section of the graph's source document ('1.1', 'IV')."""
    iri = graph.iris.section(graph.source.id, number)
    graph.add(iri, RDF.type, GCM.DocumentSection)
    graph.add(iri, DCTERMS.title, english(title))
    graph.add(iri, RDFS.label, english(title))
    graph.add(iri, GCM.sectionNumber, plain(number))
    graph.link(iri, DCTERMS.isPartOf, graph.source_iri, first, last)
    graph.derived(iri, first, last)
    return iri
