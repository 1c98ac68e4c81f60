"""RDF of what guidance texts name: countries, organisations and footnotes, described the same way
in whichever source graph names them (the merged graph then holds one description), each
prov:wasDerivedFrom every line that names it.

Country IRIs: `<base>country/{ALPHA3}` (ISO 3166-1 alpha-3, upper case), a gcm:Country with the
code as skos:notation (typed gcm:ISO3166Alpha3), so that the IRI can be matched with any other
ISO-coded dataset. Its names in the six UN languages, M49 regions, groups and links to Wikidata
and GeoNames come from the vendored country table (model/world.py, graph `countries`).
"""

from __future__ import annotations

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS

from ..extract.organisations import Organisation
from ..vocab import GCM
from .base import SourceGraph, english, integer, plain


def describe_country(graph: SourceGraph, alpha3: str, line: int) -> URIRef:
    """The country, derived from the line of the graph's source that names it."""
    iri = graph.iris.country(alpha3)
    graph.add(iri, RDF.type, GCM.Country)
    graph.add(iri, SKOS.notation, Literal(alpha3.upper(), datatype=GCM.ISO3166Alpha3))
    graph.derived(iri, line, line)
    return iri


def describe_organisation(graph: SourceGraph, organisation: Organisation, line: int) -> URIRef:
    """The organisation, derived from the line of the graph's source that names it."""
    iri = graph.iris.organisation(organisation.slug)
    graph.add(iri, RDF.type, GCM.Organisation)
    graph.add(iri, SKOS.prefLabel, english(organisation.name))
    graph.add(iri, RDFS.label, english(organisation.name))
    if organisation.acronym:
        graph.add(iri, SKOS.altLabel, english(organisation.acronym))
    graph.derived(iri, line, line)
    return iri


def describe_footnote(graph: SourceGraph, number: int, text: str, first: int, last: int) -> URIRef:
    """A footnote of the graph's source: its number, its text as the citation, its lines."""
    iri = graph.iris.footnote(graph.source.id, number)
    graph.add(iri, RDF.type, GCM.Footnote)
    graph.add(iri, GCM.footnoteNumber, integer(number))
    graph.add(iri, DCTERMS.bibliographicCitation, plain(text))
    graph.add(iri, DCTERMS.isPartOf, graph.source_iri)
    graph.derived(iri, first, last)
    return iri
