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
