"""The analysis of the real release against overlaps read from the booklet by hand.

Facts from sources/gcm-implementation-booklet.txt, "RELEVANT SDGs" sections, read by eye (line
numbers in the comments). The release is built afresh from the sources by the shared fixture.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from test_analysis_outputs import check_every_row_has_its_query

from gcm_graph.analysis import (
    analyze,
    load_release,
    objective_instrument_graph,
    objective_projection,
    objective_target_graph,
    objectives_without_shared_target,
    overlaps,
    run_query,
)

from support import fresh_release  # noqa: F401  (fixture)

OBJ = "https://w3id.org/gcm/objective/"


@pytest.fixture(scope="module")
def linked_release(fresh_release) -> Path:  # noqa: F811
    return fresh_release.out_dir


@pytest.fixture(scope="module")
def store(linked_release: Path):
    return load_release(linked_release)


def numbers(graph, nodes) -> list[int]:
    return sorted(graph.nodes[n]["number"] for n in nodes)


def test_objectives_listing_target_10_7(store) -> None:
    graph = objective_target_graph(store)
    # "- **10.7:** Facilitate orderly, safe, regular ..." under RELEVANT SDGs of objective
    # 1 (line 171), 3 (265), 4 (305), 5 (368), 6 (428), 7 (483), 8 (531), 9 (575), 10 (635),
    # 11 (685), 12 (737), 14 (845), 16 (985), 17 (1051), 18 (1119), 21 (1276), 22 (1342).
    # Not in the sections of 2 (208-219, "All SDGs"), 13 (783-807), 15 (898-942), 19 (1162,
    # "All SDGs"), 20 (1207-1234), 23 (1377-).
    expected = [1, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 14, 16, 17, 18, 21, 22]
    assert numbers(graph, graph["http://metadata.un.org/sdg/10.7"]) == expected
    reach = {row["code"]: row["objectives"] for row in run_query(store, "analysis-target-reach")}
    assert reach["10.7"] == 17 and max(reach.values()) == 17  # the target that bridges most


def test_objectives_6_and_7_share_seven_targets(store) -> None:
    # Objective 6 (RELEVANT SDGs, line 408): 1.3 (412), 5.2 (416), 5.4 (417), 8.7 (421),
    # 8.8 (422), 8.b (423), 10.2 (427), 10.7 (428): 8 targets.
    # Objective 7 (line 463): 1.3 (467), 1.4 (468), 5.2 (472), 5.4 (473), 8.7 (477), 8.8 (478),
    # 10.2 (482), 10.7 (483), 16.2 (493), 16.3 (494), 16.7 (495), 16.9 (496), 17.14 (500): 13.
    # Shared: 1.3, 5.2, 5.4, 8.7, 8.8, 10.2, 10.7 = 7; Jaccard 7 / (8 + 13 - 7) = 0.5.
    projection = objective_projection(store)
    edge = projection.edges[OBJ + "6", OBJ + "7"]
    assert edge["weight"] == 7 and edge["jaccard"] == 0.5
    assert edge["shared_targets"] == "1.3 5.2 5.4 8.7 8.8 10.2 10.7"
    top = overlaps(projection)[0]
    assert (top.a, top.b, top.shared) == (OBJ + "6", OBJ + "7", 7)  # the most overlapping pair


def test_the_highest_jaccard_pairs(store) -> None:
    # Objective 12 (line 729): 5.1 (733), 10.7 (737), 16.3 (741), 16.6 (742), 16.9 (743),
    # 16.10 (744), 17.18 (748): 7. Objective 14 (line 837): 1.3 (841), 10.7 (845), 16.3 (849),
    # 16.6 (850), 16.9 (851), 16.10 (852), 17.16 (856), 17.18 (857): 8.
    # Shared 10.7, 16.3, 16.6, 16.9, 16.10, 17.18 = 6; Jaccard 6 / (7 + 8 - 6) = 2/3.
    # Objective 4 (line 297): 1.3 (301), 10.7 (305), 16.9 (309), 17.18 (313): 4. Objective 21
    # (line 1267): 1.3 (1271), 1.4 (1272), 10.7 (1276), 16.b (1280), 16.9 (1281), 17.18 (1285): 6.
    # Shared 1.3, 10.7, 16.9, 17.18 = 4; Jaccard 4 / (4 + 6 - 4) = 2/3.
    projection = objective_projection(store)
    assert projection.edges[OBJ + "12", OBJ + "14"]["weight"] == 6
    assert projection.edges[OBJ + "4", OBJ + "21"]["weight"] == 4
    best = max(d["jaccard"] for *_, d in projection.edges(data=True))
    top = {frozenset((u, v)) for u, v, d in projection.edges(data=True) if d["jaccard"] == best}
    assert best == pytest.approx(2 / 3, abs=1e-6)
    assert top == {frozenset((OBJ + "12", OBJ + "14")), frozenset((OBJ + "4", OBJ + "21"))}


def test_objective_15_lists_most_targets_and_2_and_19_none(store) -> None:
    # Objective 15 (line 898): 1.3, 1.4 (902-903), 3.3-3.8 (907-910), 4.1-4.5 (914-917),
    # 6.1, 6.2 (921-922), 7.1 (926), 11.1 (930), 16.b, 16.3, 16.9, 16.10 (934-937): 18 targets.
    # Objectives 2 and 19: "All SDGs" (lines 210 and 1164), no target listed.
    listed = {row["number"]: row for row in run_query(store, "analysis-objectives")}
    assert listed[15]["targets"] == 18 == max(row["targets"] for row in listed.values())
    assert listed[2]["targets"] == listed[19]["targets"] == 0
    assert listed[2]["allGoals"] and listed[19]["allGoals"]
    graph = objective_target_graph(store)
    # every objective with a listed target shares one (10.7 or 17.18 are in almost all)
    assert numbers(graph, objectives_without_shared_target(graph)) == [2, 19]


def test_every_number_of_the_real_analysis_has_a_query(
    linked_release: Path, store, tmp_path: Path
) -> None:
    result = analyze(linked_release, tmp_path / "analysis")
    assert check_every_row_has_its_query(result.rows, store) > 50
    subjects = {r.subject for r in result.rows if r.measure == "shared SDG targets"}
    assert "Objectives 6 & 7" in subjects


def test_objective_instrument_edges_are_the_related_instruments(store) -> None:
    """Two derivations agree: the query's commitment/action path and the instrument model's
    objective-level gcm:relatedInstrument links."""
    related = {
        (s["o"].value, s["i"].value)
        for s in store.query(
            "PREFIX gcm: <https://w3id.org/gcm/ontology#> "
            "SELECT ?o ?i WHERE { ?o a gcm:Objective ; gcm:relatedInstrument ?i }"
        )
    }
    graph = objective_instrument_graph(store)
    edges = {(u, v) if graph.nodes[u]["kind"] == "objective" else (v, u) for u, v in graph.edges}
    assert related and edges == related
