"""Linked to the world: countries' UN names, M49 regions, groups and links to Wikidata/GeoNames.

Golden values were read from the vendored tables by eye (sources/countries/):
- countries.csv line 144 "MEX,MX,484,Mexico,المكسيك,墨西哥,Mexico,México,Mexique (le),Мексика,
  019,Americas,419,Latin America and the Caribbean,013,Central America,false,false,false,
  3996063,Q96,iso3166-1";
- line 163 NER: "Niger (the)", "Níger (el)", "Niger (le)", 002 / 202 / 011, ldc true, lldc true;
- line 178 PHL: "Philippines (the)", "Filipinas", "Philippines (les)", 142 Asia / 035
  South-eastern Asia, no intermediate region;
- line 228 TUR: no UNTERM names at all, name_en "Türkiye";
- regions.csv: line 2 "001,World,world,", line 5 "019,Americas,region,001", line 24
  "419,Latin America and the Caribbean,subregion,019", line 27 "013,Central America,
  intermediate,419".
Documents: booklet line 289 names Mexico ("the Mexican government"); organisation-wikidata.csv
line 8 "international-organization-for-migration,Q472311,...".
"""

from __future__ import annotations

import re

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from gcm_graph.config import SHAPES_DIR
from gcm_graph.errors import SourceError
from gcm_graph.extract.world import label_of, read_countries, read_organisation_links, read_regions
from gcm_graph.model import booklet as booklet_model
from gcm_graph.model import gfmd as gfmd_model
from gcm_graph.model import idm as idm_model
from gcm_graph.model import resolution as resolution_model
from gcm_graph.model import world as world_model
from gcm_graph.release import merged_graph
from gcm_graph.sources import load_verified
from gcm_graph.validate import load_shapes, validate_graph
from gcm_graph.vocab import GCM, Iris

from support import copy_sources, damaged, models_context, rewrite_source, spans_of

IRIS = Iris("https://w3id.org/gcm/")
MEX = IRIS.country("MEX")
WD = "http://www.wikidata.org/entity/"


@pytest.fixture(scope="module")
def context(sources):
    return models_context(
        sources,
        resolution_model.build,
        booklet_model.build,
        gfmd_model.build,
        idm_model.build,
        world_model.build,
    )


@pytest.fixture(scope="module")
def graph(context):
    return merged_graph(context.dataset)


@pytest.fixture(scope="module")
def shapes():
    return load_shapes()


@pytest.fixture(scope="module")
def world_shapes():
    """The shapes of world.ttl and skos.ttl only: a negative test validates in 1.5 s, not 10."""
    graph = Graph()
    for name in ("world.ttl", "skos.ttl"):
        graph.parse(SHAPES_DIR / name)
    return graph


def statement_of(graph, subject, predicate, obj):
    (statement,) = (
        set(graph.subjects(RDF.subject, subject))
        & set(graph.subjects(RDF.predicate, predicate))
        & set(graph.subjects(RDF.object, obj))
    )
    return statement


# --- the reading of the tables -------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "language", "label"),
    [
        ("Philippines (the)", "en", "Philippines"),
        ("Philippines (les)", "fr", "Philippines"),
        ("Afghanistan (l')", "fr", "Afghanistan"),
        ("Níger (el)", "es", "Níger"),
        ("Bolivia (Plurinational State of)", "en", "Bolivia (Plurinational State of)"),
        ("Iran (Islamic Republic of)", "en", "Iran (Islamic Republic of)"),
        ("France (la)", "en", "France (la)"),  # not an English article
        ("Mexico", "en", "Mexico"),
    ],
)
def test_the_article_mark_of_a_unterm_name_is_removed(name, language, label):
    assert label_of(name, language) == label


def test_mexico_row(sources):
    regions = read_regions(sources["m49-regions"])
    row = read_countries(sources["countries"], regions)["MEX"]
    assert row.line == 144
    assert row.m49 == "484"
    assert row.names == (
        ("ar", "المكسيك"),
        ("zh", "墨西哥"),
        ("en", "Mexico"),
        ("es", "México"),
        ("fr", "Mexique"),
        ("ru", "Мексика"),
    )
    assert row.regions == ("019", "419", "013")
    assert row.groups == ()
    assert (row.wikidata, row.geonames) == ("Q96", "3996063")


def test_a_row_without_unterm_names_has_its_english_name_only(sources):
    regions = read_regions(sources["m49-regions"])
    assert read_countries(sources["countries"], regions)["TUR"].names == (("en", "Türkiye"),)


def test_the_regions_table(sources):
    regions = read_regions(sources["m49-regions"])
    assert len(regions) == 30
    assert [r.code for r in regions.values() if r.level == "world"] == ["001"]
    assert (regions["419"].parent, regions["419"].line) == ("019", 24)
    assert (regions["013"].level, regions["013"].parent) == ("intermediate", "419")


@pytest.mark.parametrize(
    ("source_id", "old", "new", "expected"),
    [
        ("countries", "MEX,MX,484,", "MEX,MX,4840,", "countries.csv:144: expected an M49 code"),
        (
            "countries",
            "013,Central America,false,false,false,3996063",
            "013,Middle America,false,false,false,3996063",
            "countries.csv:144: expected the intermediate of regions.csv with code 013",
        ),
        (
            "countries",
            "Q96,iso3166-1",
            "96,iso3166-1",
            "countries.csv:144: expected a Wikidata id",
        ),
        (
            "countries",
            "Central America,false,false,false,3996063",
            "Central America,no,false,false,3996063",
            "countries.csv:144: expected ldc true, false or empty",
        ),
        (
            "countries",
            "MEX,MX,484",
            "MEX,MX,484,extra",
            "countries.csv:144: expected 22 fields",
        ),
        (
            "m49-regions",
            "419,Latin America and the Caribbean,subregion,019",
            "419,Latin America and the Caribbean,subregion,002x",
            "regions.csv:24: expected a parent of level region for subregion 419",
        ),
        (
            "m49-regions",
            "013,Central America,intermediate,419",
            "013,Central America,intermediate,019",
            "regions.csv:27: expected a parent of level subregion for intermediate 013",
        ),
        (
            "organisation-wikidata",
            "international-organization-for-migration,Q472311,International Organization",
            "international-organisation-for-migration,Q472311,International Organization",
            "organisation-wikidata.csv:8: expected a new organisation of the gazetteer",
        ),
    ],
)
def test_a_broken_table_stops_the_build_at_its_line(tmp_path, source_id, old, new, expected):
    sources_dir = copy_sources(tmp_path)
    rewrite_source(sources_dir, source_id, lambda text: text.replace(old, new, 1))
    sources = load_verified(sources_dir)
    with pytest.raises(SourceError, match=re.escape(expected)):
        regions = read_regions(sources["m49-regions"])
        read_countries(sources["countries"], regions)
        read_organisation_links(sources["organisation-wikidata"])


# --- countries ---------------------------------------------------------------------------


def test_mexico_has_six_un_names_its_regions_and_links(graph):
    names = {(str(x), x.language) for x in graph.objects(MEX, SKOS.prefLabel)}
    assert names == {
        ("المكسيك", "ar"),
        ("墨西哥", "zh"),
        ("Mexico", "en"),
        ("México", "es"),
        ("Mexique", "fr"),
        ("Мексика", "ru"),
    }
    assert {(str(x), x.language) for x in graph.objects(MEX, RDFS.label)} == names
    assert list(graph.objects(MEX, SKOS.altLabel)) == []  # the ISO name is the UN one
    assert list(graph.objects(MEX, GCM.m49Code)) == [Literal("484")]
    assert set(graph.objects(MEX, GCM.inRegion)) == {
        IRIS.region("019"),
        IRIS.region("419"),
        IRIS.region("013"),
    }
    assert list(graph.objects(MEX, GCM.inGroup)) == []
    assert set(graph.objects(MEX, SKOS.exactMatch)) == {
        URIRef(WD + "Q96"),
        URIRef("https://sws.geonames.org/3996063/"),
    }


def test_a_country_is_derived_from_its_row_and_each_link_cites_it(graph):
    assert ("countries.csv", 144, 144) in spans_of(graph, MEX)
    assert ("gcm-implementation-booklet.txt", 289, 289) in spans_of(graph, MEX)
    for predicate, obj in (
        (GCM.inRegion, IRIS.region("013")),
        (SKOS.exactMatch, URIRef(WD + "Q96")),
    ):
        statement = statement_of(graph, MEX, predicate, obj)
        assert spans_of(graph, statement) == {("countries.csv", 144, 144)}


def test_the_reference_statements_are_in_their_own_named_graph(context):
    countries = context.dataset.graph(IRIS.graph("countries"))
    booklet = context.dataset.graph(IRIS.graph("booklet"))
    assert (MEX, GCM.m49Code, Literal("484")) in countries
    assert (MEX, SKOS.prefLabel, Literal("Mexique", lang="fr")) in countries
    assert (MEX, GCM.m49Code, None) not in booklet
    assert (MEX, SKOS.prefLabel, None) not in booklet


def test_the_un_name_is_preferred_and_the_iso_name_kept(graph):
    # PHL: "Philippines (the)" / "(les)" lose their article mark; NER is LDC and LLDC.
    phl = IRIS.country("PHL")
    assert Literal("Philippines", lang="fr") in set(graph.objects(phl, SKOS.prefLabel))
    assert set(graph.objects(phl, GCM.inRegion)) == {IRIS.region("142"), IRIS.region("035")}
    gbr = IRIS.country("GBR")
    english = [x for x in graph.objects(gbr, SKOS.prefLabel) if x.language == "en"]
    assert english == [Literal("United Kingdom of Great Britain and Northern Ireland", lang="en")]
    assert list(graph.objects(gbr, SKOS.altLabel)) == [Literal("United Kingdom", lang="en")]
    ner = IRIS.country("NER")
    assert set(graph.objects(ner, GCM.inGroup)) == {
        IRIS.country_group("ldc"),
        IRIS.country_group("lldc"),
    }


def test_only_the_named_countries_are_described(graph, sources):
    countries = set(graph.subjects(RDF.type, GCM.Country))
    described = set(graph.subjects(GCM.m49Code, None))
    assert described == countries
    assert IRIS.country("ATA") not in countries  # no document names Antarctica
    assert 50 < len(countries) < 250


# --- regions and groups ------------------------------------------------------------------


def test_the_region_scheme(graph):
    scheme = IRIS.scheme("m49-regions")
    world = IRIS.region("001")
    assert (scheme, RDF.type, SKOS.ConceptScheme) in graph
    assert list(graph.objects(scheme, SKOS.hasTopConcept)) == [world]
    regions = set(graph.subjects(RDF.type, GCM.Region))
    assert len(regions) == 30
    assert set(graph.subjects(SKOS.inScheme, scheme)) == regions
    assert set(graph.objects(world, SKOS.narrower)) == {
        IRIS.region(c) for c in ("002", "009", "019", "142", "150")
    }
    latin = IRIS.region("419")
    assert (latin, RDF.type, GCM.M49SubRegion) in graph
    assert list(graph.objects(latin, SKOS.broader)) == [IRIS.region("019")]
    assert list(graph.objects(latin, SKOS.notation)) == [Literal("419", datatype=GCM.M49Code)]
    assert list(graph.objects(latin, SKOS.prefLabel)) == [
        Literal("Latin America and the Caribbean", lang="en")
    ]
    assert spans_of(graph, latin) == {("regions.csv", 24, 24)}


def test_the_country_groups(graph):
    scheme = IRIS.scheme("country-groups")
    groups = {IRIS.country_group(g) for g in ("ldc", "lldc", "sids")}
    assert set(graph.objects(scheme, SKOS.hasTopConcept)) == groups
    sids = IRIS.country_group("sids")
    assert list(graph.objects(sids, SKOS.prefLabel)) == [
        Literal("Small Island Developing States", lang="en")
    ]
    assert list(graph.objects(sids, SKOS.notation)) == [
        Literal("SIDS", datatype=GCM.CountryGroupCode)
    ]
    (note,) = graph.objects(sids, SKOS.scopeNote)
    assert "column 'sids'" in note and "countries.csv" in note
    assert spans_of(graph, sids) == {("countries.csv", 1, 1)}


def test_organisations_link_to_wikidata_where_two_tables_agree(graph):
    iom = IRIS.organisation("international-organization-for-migration")
    assert list(graph.objects(iom, SKOS.exactMatch)) == [URIRef(WD + "Q472311")]
    statement = statement_of(graph, iom, SKOS.exactMatch, URIRef(WD + "Q472311"))
    assert spans_of(graph, statement) == {("organisation-wikidata.csv", 8, 8)}
    unhcr = IRIS.organisation("office-of-the-united-nations-high-commissioner-for-refugees")
    assert (unhcr, RDF.type, GCM.Organisation) in graph
    assert list(graph.objects(unhcr, SKOS.exactMatch)) == []


# --- shapes ------------------------------------------------------------------------------


def test_the_world_graph_conforms(graph, shapes):
    result = validate_graph(graph, shapes)
    assert result.conforms, result.text()


LATIN = IRIS.region("419")
AMERICAS = IRIS.region("019")
SIDS = IRIS.country_group("sids")
SDG_10 = URIRef("http://metadata.un.org/sdg/10")


@pytest.mark.parametrize(
    ("remove", "add", "message"),
    [
        ([], [(MEX, SKOS.prefLabel, Literal("Mexiko", lang="de"))], "six UN languages"),
        ([], [(MEX, SKOS.prefLabel, Literal("Mexique bis", lang="fr"))], "at most one name"),
        ([(MEX, SKOS.prefLabel, None)], [(MEX, SKOS.prefLabel, Literal("México", lang="es"))], "none in English"),
        ([], [(MEX, SKOS.altLabel, Literal("Mexico", lang="en"))], "not its preferred name"),
        ([], [(MEX, GCM.m49Code, Literal("48"))], "M49 code of three digits"),
        ([], [(MEX, SKOS.exactMatch, URIRef("https://www.wikidata.org/wiki/Q96"))], "matches a Wikidata item"),
        ([], [(MEX, SKOS.exactMatch, URIRef("https://sws.geonames.org/3996063"))], "GeoNames feature"),
        ([], [(MEX, SKOS.exactMatch, URIRef(WD + "Q1"))], "matches one Wikidata item"),
        ([], [(MEX, GCM.inRegion, IRIS.country("USA"))], "A country's region is an M49 region"),
        ([(MEX, GCM.inRegion, LATIN)], [], "but not in"),
        ([(LATIN, SKOS.notation, None)], [(LATIN, SKOS.notation, Literal("418", datatype=GCM.M49Code))], "not the code in its IRI"),
        ([(LATIN, SKOS.broader, None)], [(LATIN, SKOS.broader, IRIS.region("001"))], "under one region"),
        ([(LATIN, RDF.type, GCM.M49SubRegion)], [], "must conform to exactly one shape"),
        ([(LATIN, SKOS.narrower, None)], [], "is not skos:narrower"),
        ([(AMERICAS, SKOS.narrower, LATIN)], [], "is not skos:narrower"),
        ([(LATIN, SKOS.inScheme, None)], [], "in one concept scheme"),
        ([], [(LATIN, SKOS.altLabel, Literal("Latin America and the Caribbean", lang="en"))], "S13"),
        ([(SIDS, SKOS.scopeNote, None)], [], "where its membership comes from"),
        ([(SIDS, SKOS.notation, None)], [(SIDS, SKOS.notation, Literal("SID", datatype=GCM.CountryGroupCode))], "LDC, LLDC or SIDS"),
        ([(IRIS.scheme("country-groups"), SKOS.hasTopConcept, SIDS)], [], "not both ways"),
        ([], [(IRIS.region("001"), SKOS.broader, AMERICAS), (AMERICAS, SKOS.narrower, IRIS.region("001"))], "has a broader concept"),
        ([], [(IRIS.organisation("international-organization-for-migration"), SKOS.exactMatch, URIRef(WD + "Q1"))], "at most one Wikidata item"),
        ([], [(LATIN, SKOS.broader, SDG_10), (SDG_10, SKOS.narrower, LATIN)], "outside it"),
        ([(IRIS.scheme("m49-regions"), SKOS.prefLabel, None)], [], "one English prefLabel"),
    ],
)  # fmt: skip
def test_each_world_shape_bites(graph, world_shapes, remove, add, message):
    result = validate_graph(damaged(graph, remove=remove, add=add), world_shapes)
    assert not result.conforms
    assert message in result.text(), result.text()
