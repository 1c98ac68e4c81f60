"""The analysis graphs and metrics on a hand-made release (tests/fixtures/analysis/release.trig).

Every expected value is computed by hand from the fixture's comment header, in the comments.
"""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest
from networkx.algorithms import bipartite
from rdflib import Dataset, Graph

from gcm_graph.analysis import (
    analysis_queries,
    annotate,
    betweenness,
    bipartite_density,
    build_graphs,
    communities,
    eigenvector,
    load_release,
    objective_country_graph,
    objective_goal_graph,
    objective_instrument_graph,
    objective_projection,
    objective_target_graph,
    objectives_without_shared_target,
    overlaps,
    run_query,
    target_projection,
)
from gcm_graph.analysis.graphs import code_key
from gcm_graph.analysis.metrics import louvain_runs, modularity, power_iteration
from gcm_graph.analysis.queries import ReleaseNotFound, read_query
from gcm_graph.config import QUERIES_DIR

FIXTURE = Path(__file__).parent / "fixtures" / "analysis" / "release.trig"
OBJ = "https://w3id.org/gcm/objective/"
SDG = "http://metadata.un.org/sdg/"


def write_hand_release(directory: Path, nquads_only: bool = False) -> Path:
    """The fixture as a release: gcm.nq (named graphs) and, unless nquads_only, gcm.nt (merge)."""
    directory.mkdir(parents=True, exist_ok=True)
    dataset = Dataset()
    dataset.parse(FIXTURE, format="trig")
    (directory / "gcm.nq").write_text(dataset.serialize(format="nquads"), encoding="utf-8")
    if not nquads_only:
        merged = Graph()
        for quad in dataset.quads():
            merged.add(quad[:3])
        lines = sorted(merged.serialize(format="nt").splitlines())
        (directory / "gcm.nt").write_text("\n".join(line for line in lines if line) + "\n")
    return directory


@pytest.fixture(scope="module")
def hand_release(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_hand_release(tmp_path_factory.mktemp("hand") / "release")


@pytest.fixture(scope="module")
def store(hand_release: Path):
    return load_release(hand_release)


def number(graph: nx.Graph, node: str) -> int:
    return graph.nodes[node]["number"]


def edges_by_numbers(graph: nx.Graph) -> dict[tuple[int, int], dict]:
    return {
        tuple(sorted((number(graph, u), number(graph, v)))): d for u, v, d in graph.edges(data=True)
    }


def test_objective_target_graph_has_every_objective_and_each_listing(store) -> None:
    graph = objective_target_graph(store)
    # 5 objectives + 5 distinct targets (1.3, 10.7, 16.3, 16.9, 17.18); 2 + 3 + 2 + 0 + 1 = 8 links
    assert graph.number_of_nodes() == 10
    assert graph.number_of_edges() == 8
    assert set(graph[OBJ + "2"]) == {SDG + "10.7", SDG + "16.9", SDG + "17.18"}
    assert graph.degree(OBJ + "4") == 0 and graph.nodes[OBJ + "4"]["all_goals"] is True
    target = graph.nodes[SDG + "16.9"]
    assert (target["kind"], target["code"], target["goal"], target["label"]) == (
        "target",
        "16.9",
        16,
        "16.9",
    )
    assert target["colour"] == "#00689D"  # SDG 16's official colour
    assert bipartite.is_bipartite_node_set(
        graph, [n for n in graph if graph.nodes[n]["bipartite"] == 0]
    )


def test_jaccard_of_the_objective_projection_by_hand(store) -> None:
    projection = objective_projection(store)
    edges = edges_by_numbers(projection)
    # 1 = {10.7, 17.18}, 2 = {10.7, 16.9, 17.18}: shared {10.7, 17.18} = 2, union 3 -> 2/3
    # 2 and 3 = {16.3, 16.9}: shared {16.9} = 1, union {10.7, 16.3, 16.9, 17.18} = 4 -> 1/4
    # 1 and 3 share nothing; 4 lists nothing; 5's only target 1.3 is listed by no other objective
    assert set(edges) == {(1, 2), (2, 3)}
    assert edges[(1, 2)]["weight"] == 2 and edges[(1, 2)]["jaccard"] == pytest.approx(
        2 / 3, abs=1e-6
    )
    assert edges[(1, 2)]["shared_targets"] == "10.7 17.18"
    assert edges[(2, 3)]["weight"] == 1 and edges[(2, 3)]["jaccard"] == 0.25
    assert edges[(2, 3)]["shared_targets"] == "16.9"
    assert projection.number_of_nodes() == 5  # objectives without a shared target stay as nodes


def test_the_sparql_projection_equals_networkx_projection_of_the_bipartite_graph(store) -> None:
    """Two independent computations: the query's counts and networkx's own projections."""
    graph = objective_target_graph(store)
    objectives = [n for n in graph if graph.nodes[n]["kind"] == "objective"]
    counted = bipartite.weighted_projected_graph(graph, objectives)
    jaccard = bipartite.overlap_weighted_projected_graph(graph, objectives, jaccard=True)
    projection = objective_projection(store)
    assert {frozenset(e) for e in projection.edges} == {frozenset(e) for e in counted.edges}
    for u, v, data in projection.edges(data=True):
        assert data["weight"] == counted.edges[u, v]["weight"]
        assert data["jaccard"] == pytest.approx(jaccard.edges[u, v]["weight"], abs=1e-6)


def test_target_cooccurrence_by_hand(store) -> None:
    graph = target_projection(store)
    edges = {
        tuple(sorted((graph.nodes[u]["code"], graph.nodes[v]["code"]), key=code_key)): d
        for u, v, d in graph.edges(data=True)
    }
    # 10.7 & 17.18: objectives 1 and 2; 10.7 & 16.9, 16.9 & 17.18: objective 2; 16.3 & 16.9: objective 3
    assert {k: d["weight"] for k, d in edges.items()} == {
        ("10.7", "17.18"): 2,
        ("10.7", "16.9"): 1,
        ("16.9", "17.18"): 1,
        ("16.3", "16.9"): 1,
    }
    assert edges[("10.7", "17.18")]["objectives"] == "1 2"
    assert graph.degree(SDG + "1.3") == 0  # listed by objective 5 alone


def test_objective_goal_weights_count_the_listed_targets_of_each_goal(store) -> None:
    graph = objective_goal_graph(store)
    # objective 3 lists 16.3 and 16.9 (both SDG 16); objective 2 lists 16.9 only under SDG 16
    assert graph.edges[OBJ + "3", SDG + "16"]["weight"] == 2
    assert graph.edges[OBJ + "2", SDG + "16"]["weight"] == 1
    assert graph.number_of_edges() == 7  # 1: 10, 17; 2: 10, 16, 17; 3: 16; 5: 1
    assert graph.nodes[SDG + "16"]["name"] == "Peace, justice and strong institutions"


def test_bipartite_density_by_hand_and_by_query(store) -> None:
    target_graph, goal_graph = objective_target_graph(store), objective_goal_graph(store)
    # objective–target: 8 links / (5 objectives × 5 targets) = 0.32
    # objective–goal: 7 links / (5 objectives × 4 goals: 1, 10, 16, 17) = 0.35
    assert bipartite_density(target_graph) == 0.32
    assert bipartite_density(goal_graph) == 0.35
    density = {row["graph"]: row["density"] for row in run_query(store, "analysis-density")}
    assert density == pytest.approx({"objective-target": 0.32, "objective-goal": 0.35})


def test_objectives_without_a_shared_target(store) -> None:
    graph = objective_target_graph(store)
    # 4 lists no target; 5 lists 1.3, which no other objective lists
    assert [number(graph, n) for n in objectives_without_shared_target(graph)] == [4, 5]
    rows = {row["number"]: row for row in run_query(store, "analysis-objective-overlap")}
    assert [n for n, row in sorted(rows.items()) if row["sharedTargets"] == 0] == [4, 5]
    # objective 2 shares 2 targets with 1 and 1 with 3: weighted degree 3 in the projection
    assert (rows[2]["partners"], rows[2]["sharedWeight"], rows[2]["sharedTargets"]) == (2, 3, 3)


def test_overlaps_are_ranked_by_shared_targets(store) -> None:
    projection = objective_projection(store)
    found = overlaps(projection)
    assert [(number(projection, o.a), number(projection, o.b), o.shared) for o in found] == [
        (1, 2, 2),
        (2, 3, 1),
    ]
    assert found[0].targets == ("10.7", "17.18")


def test_instruments_are_weighted_by_the_commitment_and_actions_naming_them(store) -> None:
    graph = objective_instrument_graph(store)
    convention = "https://w3id.org/gcm/instrument/refugee-convention"
    paris = "https://w3id.org/gcm/instrument/paris-agreement"
    # objective 1: actions 1a and 1b name the convention (2)
    # objective 2: its commitment and action 2a name the convention (2); 2a names Paris (1)
    # practice p1 (objective 1) names Paris: a practice is not the objective's text, no edge
    assert graph.edges[OBJ + "1", convention]["weight"] == 2
    assert graph.edges[OBJ + "2", convention]["weight"] == 2
    assert graph.edges[OBJ + "2", paris]["weight"] == 1
    assert graph.number_of_edges() == 3
    # the shorter of skos:altLabel and the name; rdfs:label when there is no skos:prefLabel
    assert graph.nodes[convention]["label"] == "Refugee Convention"
    assert graph.nodes[convention]["name"] == "Convention relating to the Status of Refugees"
    assert graph.nodes[convention]["acronym"] == "CSR"
    assert graph.nodes[paris]["label"] == "Paris Agreement"


def test_countries_are_weighted_by_the_practices_naming_them(store) -> None:
    graph = objective_country_graph(store)
    mexico, philippines = "https://w3id.org/gcm/country/MEX", "https://w3id.org/gcm/country/PHL"
    # p1 and p2 illustrate objective 1 and name Mexico (2); p2 also the Philippines; p3: objective 2
    assert graph.edges[OBJ + "1", mexico]["weight"] == 2
    assert graph.edges[OBJ + "1", philippines]["weight"] == 1
    assert graph.edges[OBJ + "2", philippines]["weight"] == 1
    assert graph.nodes[mexico]["code"] == "MEX" and graph.nodes[mexico]["name"] == "Mexico"


def test_nquads_release_gives_the_same_graphs_as_the_merged_triples(tmp_path: Path, store) -> None:
    from_quads = load_release(write_hand_release(tmp_path / "nq", nquads_only=True))
    for name, graph in build_graphs(from_quads).items():
        expected = build_graphs(store)[name]
        assert list(graph.nodes(data=True)) == list(expected.nodes(data=True)), name
        assert list(graph.edges(data=True)) == list(expected.edges(data=True)), name


def test_no_release_is_reported(tmp_path: Path) -> None:
    with pytest.raises(ReleaseNotFound, match="gcm-graph build"):
        load_release(tmp_path)


def test_eigenvector_on_a_disconnected_graph_lives_on_the_largest_component() -> None:
    graph = nx.Graph()
    graph.add_nodes_from(["a", "b", "c", "d", "e", "f"], kind="x", label="n")
    graph.add_edges_from([("a", "b"), ("b", "c"), ("c", "a"), ("d", "e")], weight=1)  # f isolated
    values = eigenvector(graph)
    # a triangle: every node 1/sqrt(3); the pair and the isolated node get 0
    assert values["a"] == values["b"] == values["c"] == pytest.approx(3**-0.5, abs=1e-6)
    assert values["d"] == values["e"] == values["f"] == 0.0


def test_power_iteration_gives_networkx_eigenvector_floats() -> None:
    """metrics.power_iteration is networkx's eigenvector_centrality on lists: the same floats
    (not approximately), on weighted graphs of several shapes."""
    for seed in range(30):
        graph = nx.gnm_random_graph(3 + seed, 4 + 3 * seed, seed=seed)
        for i, (u, v) in enumerate(graph.edges):
            graph.edges[u, v]["weight"] = 1 + (i * 7 + seed) % 5
        nodes = list(max(nx.connected_components(graph), key=len))
        nodes.sort(key=lambda n: (n * 37) % 101)  # an order of its own, kept by both
        component = nx.Graph()
        component.add_nodes_from(nodes)
        component.add_edges_from(
            e for e in graph.edges(data=True) if e[0] in nodes and e[1] in nodes
        )
        expected = nx.eigenvector_centrality(component, max_iter=10_000, tol=1e-12, weight="weight")
        assert power_iteration(graph, nodes) == expected, seed


def test_betweenness_prefers_strong_ties() -> None:
    graph = nx.Graph()
    graph.add_edge("a", "b", weight=4)
    graph.add_edge("b", "c", weight=4)
    graph.add_edge("a", "c", weight=1)
    # distance a-b-c = 1/4 + 1/4 = 0.5 < a-c = 1: the one a–c shortest path runs through b;
    # normalised for 3 nodes by 1/((n-1)(n-2)/2) = 1 -> 1.0 (unweighted it would be 0)
    assert betweenness(graph)["b"] == 1.0
    assert nx.betweenness_centrality(graph)["b"] == 0.0


def test_louvain_communities_are_stable_and_numbered_by_size() -> None:
    graph = nx.Graph()
    big = [f"b{i}" for i in range(5)]
    small = [f"s{i}" for i in range(3)]
    for group in (big, small):
        graph.add_nodes_from(group, kind="x", label="n")
        graph.add_edges_from(((u, v) for u in group for v in group if u < v), weight=1)
    graph.add_edge("b0", "s0", weight=1)
    first = communities(graph)
    assert first == [sorted(big), sorted(small)]
    assert communities(graph) == first  # fixed seeds: same result every time
    annotate(graph)
    # two cliques joined by one edge: every run finds them
    assert graph.graph["partition_runs"] == graph.graph["louvain_runs"] == 100
    assert [graph.nodes[n]["community"] for n in ("b0", "s0")] == [1, 2]


def test_the_best_of_the_louvain_runs_is_kept() -> None:
    graph = nx.karate_club_graph()
    nx.set_node_attributes(graph, "x", "kind")
    nx.set_node_attributes(graph, {n: str(n) for n in graph}, "label")
    nx.set_edge_attributes(graph, 1, "weight")
    runs = louvain_runs(graph, runs=20)
    best = communities(graph, runs=20)
    # the kept partition is one of the runs, and no run has a higher modularity
    assert best in runs
    assert modularity(graph, best) == max(modularity(graph, run) for run in runs)


def test_annotate_sets_every_metric_on_every_node(store) -> None:
    graph = objective_target_graph(store)
    annotate(graph)
    for _, data in graph.nodes(data=True):
        assert {"degree", "weighted_degree", "betweenness", "eigenvector", "community"} <= set(data)
    # 10.7 and 17.18 are listed by objectives 1 and 2; degree = listings
    assert graph.nodes[SDG + "10.7"]["degree"] == 2


def test_every_analysis_query_has_a_header_and_runs(store) -> None:
    queries = analysis_queries()
    assert len(queries) >= 10
    for query in queries:
        assert query.title and query.description and query.parameters
        run_query(store, query.name)  # parses and runs on the release


def test_a_query_without_header_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "analysis-bad.rq"
    path.write_text("# title: only a title\nSELECT * WHERE { ?s ?p ?o }\n")
    with pytest.raises(ValueError, match="description, parameters"):
        read_query(path)


def test_graphs_name_only_catalogue_queries(store) -> None:
    names = {path.stem for path in QUERIES_DIR.glob("analysis-*.rq")}
    for graph in build_graphs(store).values():
        assert set(graph.graph["queries"].split()) <= names
