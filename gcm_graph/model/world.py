"""RDF that links the graph to the world: countries' UN names, M49 regions, development groups
and identifiers elsewhere (graphs `countries` and `m49-regions`), and organisations' Wikidata
items (graph `organisation-wikidata`). Runs after the document models: it describes the
countries and organisations they named.

- Every gcm:Country a document names gets, in graph `countries`: skos:prefLabel and rdfs:label
  in the six UN languages (UNTERM short names without their article mark; a language UNTERM
  lacks is left out, English then comes from the table's name_en), skos:altLabel@en the ISO
  3166 name the documents are matched with (pycountry) where it differs from the UN one, its
  gcm:m49Code, gcm:inRegion each M49 region, sub-region and intermediate region it belongs to,
  gcm:inGroup LDC / LLDC / SIDS, and skos:exactMatch its Wikidata item and GeoNames feature.
  It is prov:wasDerivedFrom its row of countries.csv (a one-line span), and each link is
  reified with that row like every link of the graph.
- Regions (`<base>region/{m49}`) are skos:Concepts of the scheme `<base>scheme/m49-regions`,
  the world its top concept, the hierarchy as skos:broader / skos:narrower, each derived from
  its row of regions.csv. Groups (`<base>group/{ldc,lldc,sids}`) are skos:Concepts of
  `<base>scheme/country-groups`, derived from the header line of countries.csv that names
  their column, with a note of where the membership comes from.
- Members: only the countries the documents name. A gcm:Country is a country a source names;
  minting the 108 others would change what every count of countries means (practices per
  country, the analysis). The regions and groups themselves are all listed (30 regions, 3
  groups): a vocabulary with holes would shift as the parsers learn new names.
- A country the table lacks is reported ('country-not-in-reference') and gets no reference
  statements.
"""

from __future__ import annotations

from collections.abc import Iterable

from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS

from ..context import BuildContext
from ..extract.countries import country_name
from ..extract.world import (
    CountryRow,
    OrganisationLink,
    Region,
    read_countries,
    read_organisation_links,
    read_regions,
)
from ..report import Discrepancy
from ..vocab import GCM, WIKIDATA, geonames
from .base import SourceGraph, english, plain

COUNTRIES_ID = "countries"
REGIONS_ID = "m49-regions"
ORGANISATIONS_ID = "organisation-wikidata"
REGION_SCHEME = "m49-regions"
GROUP_SCHEME = "country-groups"
LEVEL_CLASSES = {
    "world": GCM.M49World,
    "region": GCM.M49Region,
    "subregion": GCM.M49SubRegion,
    "intermediate": GCM.M49IntermediateRegion,
}
GROUP_NAMES = {
    "ldc": ("LDC", "Least Developed Countries"),
    "lldc": ("LLDC", "Land-Locked Developing Countries"),
    "sids": ("SIDS", "Small Island Developing States"),
}


def build(ctx: BuildContext) -> None:
    regions = read_regions(ctx.sources[REGIONS_ID])
    countries = read_countries(ctx.sources[COUNTRIES_ID], regions)
    add_regions(ctx.source_graph(REGIONS_ID), regions)
    graph = ctx.source_graph(COUNTRIES_ID)
    add_groups(graph)
    for iri in named(ctx.dataset, GCM.Country):
        alpha3 = str(iri).rsplit("/", 1)[-1]
        row = countries.get(alpha3)
        if row is None:
            ctx.report.add(_missing_country(alpha3))
            continue
        add_country(graph, iri, row)
    links = read_organisation_links(ctx.sources[ORGANISATIONS_ID])
    add_organisation_links(
        ctx.source_graph(ORGANISATIONS_ID), links, set(named(ctx.dataset, GCM.Organisation))
    )


def named(dataset: Dataset, cls: URIRef) -> list[URIRef]:
    """The resources of a class in any named graph, sorted."""
    return sorted({s for s, _, _, _ in dataset.quads((None, RDF.type, cls, None))})


def add_regions(graph: SourceGraph, regions: dict[str, Region]) -> URIRef:
    """The M49 regions as a SKOS concept scheme, each region derived from its row."""
    iris = graph.iris
    scheme = iris.scheme(REGION_SCHEME)
    graph.add(scheme, RDF.type, SKOS.ConceptScheme)
    graph.add(scheme, SKOS.prefLabel, english("UN M49 geographic regions"))
    graph.add(scheme, RDFS.label, english("UN M49 geographic regions"))
    graph.add(scheme, DCTERMS.source, graph.source_iri)
    graph.derived(scheme, 1, max(r.line for r in regions.values()))
    for region in regions.values():
        iri = iris.region(region.code)
        line = region.line
        for cls in (GCM.Region, LEVEL_CLASSES[region.level], SKOS.Concept):
            graph.add(iri, RDF.type, cls)
        graph.add(iri, SKOS.prefLabel, english(region.name))
        graph.add(iri, RDFS.label, english(region.name))
        graph.add(iri, SKOS.notation, Literal(region.code, datatype=GCM.M49Code))
        graph.derived(iri, line, line)
        graph.link(iri, SKOS.inScheme, scheme, line, line)
        if region.parent is None:
            graph.link(iri, SKOS.topConceptOf, scheme, line, line)
            graph.link(scheme, SKOS.hasTopConcept, iri, line, line)
        else:
            parent = iris.region(region.parent)
            graph.link(iri, SKOS.broader, parent, line, line)
            graph.link(parent, SKOS.narrower, iri, line, line)
    return scheme


def add_groups(graph: SourceGraph) -> URIRef:
    """LDC, LLDC and SIDS as a SKOS concept scheme, derived from the table's header line."""
    iris = graph.iris
    scheme = iris.scheme(GROUP_SCHEME)
    title = "UN groups of countries in special situations"
    graph.add(scheme, RDF.type, SKOS.ConceptScheme)
    graph.add(scheme, SKOS.prefLabel, english(title))
    graph.add(scheme, RDFS.label, english(title))
    graph.add(scheme, DCTERMS.source, graph.source_iri)
    graph.derived(scheme, 1, 1)
    for slug, (code, name) in GROUP_NAMES.items():
        iri = iris.country_group(slug)
        graph.add(iri, RDF.type, GCM.CountryGroup)
        graph.add(iri, RDF.type, SKOS.Concept)
        graph.add(iri, SKOS.prefLabel, english(name))
        graph.add(iri, RDFS.label, english(name))
        graph.add(iri, SKOS.notation, Literal(code, datatype=GCM.CountryGroupCode))
        graph.add(iri, SKOS.scopeNote, english(_membership_note(graph, slug)))
        graph.add(iri, DCTERMS.source, graph.source_iri)
        graph.derived(iri, 1, 1)
        graph.link(iri, SKOS.inScheme, scheme, 1, 1)
        graph.link(iri, SKOS.topConceptOf, scheme, 1, 1)
        graph.link(scheme, SKOS.hasTopConcept, iri, 1, 1)
    return scheme


def _membership_note(graph: SourceGraph, slug: str) -> str:
    return (
        f"Membership as the column '{slug}' of the vendored country table marks it "
        f"({graph.source.path.name}, from datasets/country-codes, which takes it from the UN "
        "M49 table; a snapshot, see the source's year note). Only the countries the documents "
        "name are in the graph; each gcm:inGroup link cites the country's row."
    )


def add_country(graph: SourceGraph, iri: URIRef, row: CountryRow) -> None:
    """What the table says of a country the documents name, derived from its row."""
    line = row.line
    graph.derived(iri, line, line)
    for language, label in row.names:
        graph.add(iri, SKOS.prefLabel, Literal(label, lang=language))
        graph.add(iri, RDFS.label, Literal(label, lang=language))
    iso_name = country_name(row.alpha3)
    if iso_name != row.name("en"):
        graph.add(iri, SKOS.altLabel, english(iso_name))
    if row.m49:
        graph.add(iri, GCM.m49Code, plain(row.m49))
    for code in row.regions:
        graph.link(iri, GCM.inRegion, graph.iris.region(code), line, line)
    for slug in row.groups:
        graph.link(iri, GCM.inGroup, graph.iris.country_group(slug), line, line)
    if row.wikidata:
        graph.link(iri, SKOS.exactMatch, WIKIDATA[row.wikidata], line, line)
    if row.geonames:
        graph.link(iri, SKOS.exactMatch, geonames(row.geonames), line, line)


def add_organisation_links(
    graph: SourceGraph, links: Iterable[OrganisationLink], organisations: set[URIRef]
) -> None:
    """skos:exactMatch to Wikidata for the organisations of the table that a document names."""
    for link in links:
        iri = graph.iris.organisation(link.slug)
        if iri in organisations:
            graph.link(iri, SKOS.exactMatch, WIKIDATA[link.wikidata], link.line, link.line)


def _missing_country(alpha3: str) -> Discrepancy:
    return Discrepancy(
        "country-not-in-reference",
        "substantive",
        f"country {alpha3}",
        "a document names this country but the country table has no row for it: it has no "
        "UN names, regions, groups or identifiers",
        {COUNTRIES_ID: "no row"},
    )
