"""Every catalogue query runs on the release; the ones with known answers give them.

Known answers are read from the booklet (sources/gcm-implementation-booklet.txt): its "RELEVANT
SDGs" sections start at lines 167 (Objective 1), 208, 249, 297, 347, 408, 463 (7), 527, 571,
622 (10), 676, 729, 783, 837, 898 (15), 980, 1041, 1101, 1162, 1207 (20), 1267, 1314, 1377 (23).
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from gcm_graph.catalogue import catalogue, find_query

from support import fresh_release  # noqa: F401  (fixture)


@pytest.fixture(scope="module")
def store(fresh_release):  # noqa: F811
    store = ox.Store()
    store.bulk_load(path=fresh_release.out_dir / "gcm.nq", format=ox.RdfFormat.N_QUADS)
    return store


def rows(store, name):
    solutions = store.query(find_query(name).text, use_default_graph_as_union=True)
    return [{v.value: s[v] for v in solutions.variables if s[v] is not None} for s in solutions]


def value(term):
    return term.value


@pytest.mark.parametrize("query", catalogue(), ids=lambda q: q.name)
def test_every_catalogue_query_has_a_header_and_runs(store, query):
    assert query.title and query.description, f"{query.name}: header lacks title or description"
    result = store.query(query.text, use_default_graph_as_union=True)
    list(result)


def test_objectives_sharing_target_10_7(store):
    # "- **10.7:**" stands at lines 171, 265, 305, 368, 428, 483, 531, 575, 635, 685, 737, 845,
    # 985, 1051, 1119, 1276, 1342: in the sections of these objectives.
    numbers = [int(value(r["number"])) for r in rows(store, "objectives-sharing-a-target")]
    assert numbers == [1, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 14, 16, 17, 18, 21, 22]


def test_targets_of_objective_7(store):
    # Lines 467-497: SDG 1 (1.3, 1.4), 5 (5.2, 5.4), 8 (8.7, 8.8), 10 (10.2, 10.7),
    # 16 (16.2, 16.3, 16.7, 16.9, after a footnote block), 17 (17.14).
    codes = [value(r["code"]) for r in rows(store, "objective-targets")]
    assert codes == [
        "1.3",
        "1.4",
        "5.2",
        "5.4",
        "8.7",
        "8.8",
        "10.2",
        "10.7",
        "16.2",
        "16.3",
        "16.7",
        "16.9",
        "17.14",
    ]


def test_pairs_ranked_by_shared_targets(store):
    pairs = rows(store, "objective-pairs-by-shared-targets")
    counts = [int(value(r["shared"])) for r in pairs]
    assert counts == sorted(counts, reverse=True)
    first = pairs[0]
    shared = set(value(first["targets"]).split())
    assert int(value(first["shared"])) == len(shared)


def test_where_a_fact_and_a_resource_come_from(store):
    fact = rows(store, "where-a-fact-comes-from")
    # Objective 10's "- **10.7:**" is line 635 of the booklet.
    assert [(value(r["file"]), int(value(r["firstLine"]))) for r in fact] == [
        ("gcm-implementation-booklet.txt", 635)
    ]
    resource = rows(store, "where-a-resource-comes-from")
    # Objective 20 (d): lines 525-529 of the resolution, commitment paragraph 36.
    assert [
        (value(r["file"]), int(value(r["firstLine"])), int(value(r["lastLine"]))) for r in resource
    ] == [("un-ga-resolution-A-RES-73-195-gcm.txt", 525, 529)]


def test_unknown_query_name_is_a_clear_error():
    from gcm_graph.catalogue import UnknownQuery

    with pytest.raises(UnknownQuery, match="no catalogue query 'nope'; known: "):
        find_query("nope")


def test_instruments_of_objective_9(store):
    # Objective 9 (a), line 336 of the resolution: "Promote ratification of, accession to and
    # implementation of the Protocol against the Smuggling of Migrants by Land, Sea and Air,
    # supplementing the United Nations Convention against Transnational Organized Crime".
    found = {
        value(r["instrument"]).rsplit("/", 1)[-1]: r for r in rows(store, "objective-instruments")
    }
    assert set(found) == {"smuggling-protocol", "untoc"}
    assert value(found["smuggling-protocol"]["actions"]) == "a"
    assert value(found["untoc"]["acronym"]) == "UNTOC"


def test_practices_naming_mexico(store):
    # Booklet line 289: "The matrícula consular, an ID card issued by the Mexican government to
    # Mexican citizens abroad, helps Mexico locate its nationals ..." (Objective 4).
    practices = rows(store, "practices-by-country")
    consular = [r for r in practices if "matr" in value(r["title"])]
    assert [value(r["objectives"]) for r in consular] == ["4"]
    assert {value(r["document"]) for r in practices} >= {
        "gcm-implementation-booklet.txt",
        "gfmd-thematic-recollection-2007-2017.txt",
    }
    ranked = rows(store, "practices-per-country")
    counts = [int(value(r["practices"])) for r in ranked]
    assert counts == sorted(counts, reverse=True)
    assert "MEX" in {value(r["code"]) for r in ranked}


# --- linked to the world: practices by UN region and group, countries and their regions ------
# Counted by hand from the documents: every name of a country of the region or group (UN and
# ISO names from sources/countries/countries.csv and pycountry) searched in the three guidance
# documents, and each hit read in its practice:
# - Oceania (M49 009): booklet line 1204 "Australia and New Zealand saw their remittance costs
#   decrease", GFMD line 438 "the New Zealand Recognized Seasonal Employers Scheme", line 1093
#   "The Australia-Asia Program to Combat Trafficking in Persons", line 1095 "the Bali Process
#   ..., co-chaired by Indonesia and Australia": 4 practices, 2 countries (AUS, NZL);
# - Central Asia (143): booklet line 727 "the National Academy of Public Administration (APA) in
#   Kazakhstan": 1 practice, 1 country;
# - the Caribbean (029), Melanesia (054), Micronesia (057), Polynesia (061): no country named;
# - SIDS: booklet line 895 "Guyana extended its social protection system", GFMD line 931 "to
#   inform the general population of Mauritius" (IDM line 1887 names Guyana in a list of
#   contributors, not in a practice): 2 practices, 2 countries.


def with_value(name: str, default: str, value: str) -> str:
    """The query's text with its VALUES default replaced, as a researcher edits it."""
    text = find_query(name).text
    assert default in text
    return text.replace(default, value)


def practice_lines(store, text) -> set[tuple[str, int]]:
    """(document, first line) of each practice a query returns."""
    found = set()
    for solution in store.query(text, use_default_graph_as_union=True):
        spans = store.query(
            "PREFIX gcm: <https://w3id.org/gcm/ontology#> "
            "PREFIX prov: <http://www.w3.org/ns/prov#> "
            f"SELECT ?file ?first WHERE {{ <{solution['practice'].value}> prov:wasDerivedFrom ?s . "
            "?s gcm:firstLine ?first ; gcm:inSource/gcm:fileName ?file }",
            use_default_graph_as_union=True,
        )
        found |= {(s["file"].value, int(s["first"].value)) for s in spans}
    return found


BOOKLET = "gcm-implementation-booklet.txt"
GFMD = "gfmd-thematic-recollection-2007-2017.txt"
REGION_419 = "<https://w3id.org/gcm/region/419>"


def test_practices_in_oceania_and_central_asia(store):
    oceania = with_value("practices-by-region", REGION_419, "<https://w3id.org/gcm/region/009>")
    assert practice_lines(store, oceania) == {
        (BOOKLET, 1204),
        (GFMD, 438),
        (GFMD, 1093),
        (GFMD, 1095),
    }
    asia = with_value("practices-by-region", REGION_419, "<https://w3id.org/gcm/region/143>")
    assert practice_lines(store, asia) == {(BOOKLET, 727)}
    ((countries,),) = [
        (value(r["countries"]),) for r in store.query(asia, use_default_graph_as_union=True)
    ]
    assert countries == "KAZ"


def test_practices_per_region(store):
    found = {value(r["code"]): r for r in rows(store, "practices-per-region")}
    assert len(found) == 29  # 5 regions, 17 sub-regions, 7 intermediate regions; not the world
    counts = {
        code: (int(value(r["practices"])), int(value(r["countries"]))) for code, r in found.items()
    }
    assert counts["009"] == (4, 2)
    assert counts["143"] == (1, 1)
    for empty in ("029", "054", "057", "061"):
        assert counts[empty] == (0, 0)
    assert value(found["419"]["level"]) == "sub-region"
    assert value(found["419"]["name"]) == "Latin America and the Caribbean"


def test_practices_of_small_island_developing_states(store):
    assert practice_lines(store, find_query("practices-by-group").text) == {
        (BOOKLET, 895),
        (GFMD, 931),
    }
    groups = {value(r["code"]): r for r in rows(store, "practices-per-group")}
    assert set(groups) == {"LDC", "LLDC", "SIDS"}
    sids = groups["SIDS"]
    assert (int(value(sids["practices"])), int(value(sids["countries"]))) == (2, 2)
    assert sorted(value(sids["members"]).split()) == ["GUY", "MUS"]
    for code, group in groups.items():
        text = with_value(
            "practices-by-group",
            "<https://w3id.org/gcm/group/sids>",
            f"<https://w3id.org/gcm/group/{code.lower()}>",
        )
        listed = list(store.query(text, use_default_graph_as_union=True))
        assert len(listed) == int(value(group["practices"]))


def test_countries_and_regions_in_french_and_arabic(store):
    # countries.csv line 144: Mexique (le) / المكسيك, 019 Americas, 419, 013 Central America,
    # GeoNames 3996063, Wikidata Q96; line 163 NER: Niger (le), LDC and LLDC; line 228 TUR has
    # no UNTERM names (English "Türkiye" is used).
    found = {value(r["code"]): r for r in rows(store, "countries-and-regions")}
    mex = found["MEX"]
    assert value(mex["name"]) == "Mexique" and value(mex["m49"]) == "484"
    assert (value(mex["region"]), value(mex["subregion"]), value(mex["intermediate"])) == (
        "Americas",
        "Latin America and the Caribbean",
        "Central America",
    )
    assert value(mex["wikidata"]) == "http://www.wikidata.org/entity/Q96"
    assert value(mex["geonames"]) == "https://sws.geonames.org/3996063/"
    assert value(mex["groups"]) == ""  # in no group: "" on every store (unbound differs)
    assert value(found["NER"]["groups"]) == "LDC LLDC"  # in code order
    assert value(found["TUR"]["name"]) == "Türkiye"
    arabic = with_value(
        "countries-and-regions", 'VALUES ?language { "fr" }', 'VALUES ?language { "ar" }'
    )
    names = {
        r["code"].value: r["name"].value
        for r in store.query(arabic, use_default_graph_as_union=True)
    }
    assert names["MEX"] == "المكسيك"
    assert len(names) == len(found)


def test_practices_per_country_lists_each_country_once_in_english(store):
    ranked = rows(store, "practices-per-country")
    codes = [value(r["code"]) for r in ranked]
    assert len(codes) == len(set(codes))
    assert {value(r["code"]): value(r["name"]) for r in ranked}["MEX"] == "Mexico"
