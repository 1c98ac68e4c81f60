"""networkx's Louvain, step for step, on integer-indexed lists: the same partitions, faster.

The analysis runs Louvain 100 times per graph (metrics.LOUVAIN_RUNS seeds) for its stability
figures. `networkx.community.louvain_communities` spends most of that time outside the
algorithm proper: a networkx graph built per level, and a full `modularity` call (which first
checks that its argument is a partition) per level. `Louvain(graph).run(seed)` does the same
steps as networkx 3.x (`louvain_partitions` with resolution 1 and threshold 1e-7: the same
shuffles from `random.Random(seed)`, the same neighbour orders, the same float expressions in
the same order, so the same comparisons) on lists indexed by node, with the level-0 graph
prepared once for all the seeds. The result is the partition networkx returns, not an
approximation of it; tests/test_louvain.py checks that against networkx on the release's
graphs and on random graphs.

The arithmetic is exact only with integer edge weights (the analysis graphs' counts): then every
degree, community total and internal weight is an integer, so sums do not depend on their order
(which networkx takes from sets). A graph with another weight (or none) is handed to networkx.
"""

from __future__ import annotations

import random
from collections.abc import Hashable

import networkx as nx

THRESHOLD = 0.0000001
"""networkx's default: a level whose modularity gain is at most this ends the algorithm."""

Adjacency = list[dict[int, int]]
"""Per node index: neighbour index -> edge weight, in networkx's adjacency order."""


class Louvain:
    """Louvain runs on one graph (weights from the edge attribute "weight")."""

    def __init__(self, graph: nx.Graph) -> None:
        self.nodes = list(graph)
        self.exact = not graph.is_directed() and not graph.is_multigraph()
        self.exact = self.exact and all(
            type(weight) is int for *_, weight in graph.edges(data="weight")
        )
        self._graph = graph
        if self.exact:
            # networkx copies the graph the same way (and so fixes the adjacency order)
            copy = nx.Graph()
            copy.add_nodes_from(graph)
            copy.add_weighted_edges_from(graph.edges(data="weight"))
            index = {node: i for i, node in enumerate(self.nodes)}
            self._adjacency: Adjacency = [
                {index[v]: data["weight"] for v, data in copy.adj[u].items()} for u in copy
            ]
            self._level0 = _Level(self._adjacency)

    def run(self, seed: int) -> list[set[Hashable]]:
        """`networkx.community.louvain_communities(graph, weight="weight", seed=seed)`."""
        if not self.exact:
            return nx.community.louvain_communities(self._graph, weight="weight", seed=seed)
        if not any(self._adjacency):
            return [{node} for node in self.nodes]
        rng = random.Random(seed)
        level = self._level0
        members = [[i] for i in range(len(self.nodes))]  # original nodes of each level node
        mod = level.modularity(members)
        inner, _ = level.one_level(rng)
        found = (inner, members)  # the partition networkx would yield last
        while True:
            new_mod = level.modularity(inner)
            if new_mod - mod <= THRESHOLD:
                break
            mod = new_mod
            members = [[m for u in group for m in members[u]] for group in inner]
            level = _Level(level.aggregate(inner))
            inner, improvement = level.one_level(rng)
            if not improvement:
                break
            found = (inner, members)
        inner, members = found
        return [{self.nodes[m] for u in group for m in members[u]} for group in inner]


class _Level:
    """One level's graph: node indices 0..n-1, adjacency in networkx's order."""

    def __init__(self, adjacency: Adjacency) -> None:
        self.adjacency = adjacency
        # networkx's weighted degree: a self-loop counts twice
        self.degrees = [sum(a.values()) + (u in a and a[u]) for u, a in enumerate(adjacency)]
        self.neighbours = [
            [(v, w) for v, w in a.items() if v != u] for u, a in enumerate(adjacency)
        ]
        self.m = sum(self.degrees) / 2  # Graph.size(weight="weight")

    def modularity(self, partition: list[list[int]]) -> float:
        """`networkx.community.modularity(graph, partition, weight="weight")`, the same float."""
        deg_sum = sum(self.degrees)
        m = deg_sum / 2
        norm = 1 / deg_sum**2
        resolution = 1
        total = 0
        for community in partition:
            inside = set(community)
            internal = sum(
                w for u in inside for v, w in self.adjacency[u].items() if v in inside and v >= u
            )
            degree_sum = sum(self.degrees[u] for u in inside)
            total += internal / m - resolution * degree_sum * degree_sum * norm
        return total

    def one_level(self, rng: random.Random) -> tuple[list[list[int]], bool]:
        """networkx's `_one_level`: nodes moved to the neighbour community of best gain, in a
        shuffled order, until none moves. The non-empty communities (in index order) and
        whether any node moved."""
        n, m, resolution = len(self.degrees), self.m, 1
        degrees, neighbours = self.degrees, self.neighbours
        node2com = list(range(n))
        inner: list[set[int]] = [{u} for u in range(n)]
        stot = list(degrees)
        order = list(range(n))
        rng.shuffle(order)  # the permutation depends only on the length: networkx's order
        two_m2 = 2 * m**2
        improvement = False
        moves = 1
        while moves > 0:
            moves = 0
            for u in order:
                best_mod = 0
                best_com = node2com[u]
                weights2com: dict[int, float] = {}
                for v, wt in neighbours[u]:
                    com = node2com[v]
                    weights2com[com] = weights2com.get(com, 0.0) + wt
                if best_com not in weights2com:  # networkx's defaultdict adds it, last
                    weights2com[best_com] = 0.0
                degree = degrees[u]
                stot[best_com] -= degree
                remove_cost = (
                    -weights2com[best_com] / m + resolution * (stot[best_com] * degree) / two_m2
                )
                for nbr_com, wt in weights2com.items():
                    gain = remove_cost + wt / m - resolution * (stot[nbr_com] * degree) / two_m2
                    if gain > best_mod:
                        best_mod = gain
                        best_com = nbr_com
                stot[best_com] += degree
                if best_com != node2com[u]:
                    inner[node2com[u]].remove(u)
                    inner[best_com].add(u)
                    improvement = True
                    moves += 1
                    node2com[u] = best_com
        return [list(group) for group in inner if group], improvement

    def aggregate(self, partition: list[list[int]]) -> Adjacency:
        """networkx's `_gen_graph`: one node per community, edge weights summed, adjacency in
        the order networkx's add_edge gives it (edges visited in EdgeView order)."""
        node2com = {u: i for i, group in enumerate(partition) for u in group}
        adjacency: Adjacency = [{} for _ in partition]
        for u, a in enumerate(self.adjacency):
            for v, wt in a.items():
                if v < u:  # EdgeView: each edge once, from its first node
                    continue
                c1, c2 = node2com[u], node2com[v]
                weight = wt + adjacency[c1].get(c2, 0)
                adjacency[c1][c2] = weight
                adjacency[c2][c1] = weight
        return adjacency
