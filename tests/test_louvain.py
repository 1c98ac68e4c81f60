"""analysis/louvain.py gives networkx's Louvain partitions, not merely similar ones.

The reference is `networkx.community.louvain_communities` itself, run beside it with the same
seeds: on the release's analysis graphs (the graphs whose communities the summary reports) and
on random weighted graphs with the cases networkx treats specially (self-loops, isolated nodes,
no edges, a community that loses its last node).
"""

from __future__ import annotations

import random

import networkx as nx
import pytest

from gcm_graph.analysis import build_graphs, load_release
from gcm_graph.analysis.louvain import Louvain
from gcm_graph.analysis.metrics import SEED
from gcm_graph.config import BUILD_DIR


def reference(graph: nx.Graph, seed: int) -> list[set]:
    return nx.community.louvain_communities(graph, weight="weight", seed=seed)


@pytest.fixture(scope="module")
def release_graphs() -> dict[str, nx.Graph]:
    return build_graphs(load_release(BUILD_DIR))


def test_the_release_graphs_get_networkx_partitions(release_graphs) -> None:
    assert len(release_graphs) == 6
    for name, graph in release_graphs.items():
        runner = Louvain(graph)
        assert runner.exact, name  # integer weights: the fast path is taken
        found = [runner.run(SEED + run) for run in range(25)]
        # the same communities in the same order, run by run
        assert found == [reference(graph, SEED + run) for run in range(25)], name
        # and the seeds matter on these graphs: a copy of one run would not pass
        assert len({tuple(map(frozenset, p)) for p in found}) > 1 or name in (
            "objective-projection",
            "objective-instrument",
        ), name


def random_graph(seed: int) -> nx.Graph:
    rng = random.Random(seed)
    graph = nx.gnm_random_graph(rng.randint(1, 50), rng.randint(0, 150), seed=seed)
    for u, v in graph.edges:
        graph.edges[u, v]["weight"] = rng.randint(1, 6)
    if seed % 5 == 0:
        graph.add_edge(0, 0, weight=rng.randint(1, 4))  # a self-loop
    if seed % 7 == 0:
        graph.add_node("isolated")
    return nx.relabel_nodes(graph, {n: f"n{n}" for n in graph if n != "isolated"})


def test_random_weighted_graphs_get_networkx_partitions() -> None:
    for seed in range(100):
        graph = random_graph(seed)
        runner = Louvain(graph)
        for run in range(3):
            assert runner.run(run) == reference(graph, run), (seed, run)


def test_a_graph_without_edges_is_all_singletons() -> None:
    graph = nx.Graph()
    graph.add_nodes_from("abc")
    assert Louvain(graph).run(1) == reference(graph, 1) == [{"a"}, {"b"}, {"c"}]


def test_other_weights_are_left_to_networkx() -> None:
    graph = nx.karate_club_graph()  # weights made fractional: sums would depend on order
    for i, (u, v) in enumerate(graph.edges):
        graph.edges[u, v]["weight"] = 0.5 + i % 3
    runner = Louvain(graph)
    assert not runner.exact
    assert runner.run(3) == reference(graph, 3)
