"""Network metrics of the analysis graphs.

Conventions (the same for every graph, so that numbers compare):
- weighted degree: the sum of the weights of a node's edges (shared targets in the objective
  projection, listed targets per goal in the objective–goal graph; 1 per edge otherwise);
- betweenness: shortest paths with distance = 1 / weight (a stronger tie is a shorter step),
  normalised by networkx; on unit weights it is the plain betweenness;
- eigenvector centrality: computed (with the weights) on the largest connected component only,
  every other node gets 0 — on a disconnected graph the leading eigenvector lives on one
  component, and per-component values would not be comparable;
- communities: networkx's Louvain with the weights (louvain.py: the same algorithm and results,
  computed faster), run LOUVAIN_RUNS times with the seeds SEED,
  SEED + 1, ...; the partition with the highest modularity is kept (the earliest run on a tie).
  Louvain is greedy and order-dependent: one seed's partition is one of many near-optimal ones,
  so the summary also says how many runs found the kept partition and which objectives end up
  together in most runs (co-membership). Communities are numbered 1, 2, ... by size (largest
  first), ties by their first member. Why not fewer runs (they cost build time): on this
  release the kept partition is found by 1 or 2 of the 100 runs on four of the six graphs
  (objective-target, objective-goal, target-projection, objective-country; first at runs 19 to
  70), so fewer runs would keep other communities and co-membership shares would be coarser;
  the runs are made cheap instead (louvain.py);
- floats are rounded to ROUND digits, so that exports do not depend on the last bits.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

import networkx as nx
from networkx.algorithms import bipartite

from .graphs import code_key, objective_nodes
from .louvain import Louvain

T = TypeVar("T")
SEED = 20181219  # the day the General Assembly endorsed the Compact
ROUND = 6
LOUVAIN_RUNS = 100
METRICS = ("degree", "weighted_degree", "betweenness", "eigenvector", "community")


def node_sort_key(graph: nx.Graph, node: str) -> tuple:
    """Objectives by number, then targets in the UN's order, then the rest by label."""
    data = graph.nodes[node]
    kind = data.get("kind", "")
    if kind == "objective":
        return (0, data["number"], "")
    if kind == "target":
        return (1, code_key(data["code"]), "")
    if kind == "goal":
        return (2, data["number"], "")
    return (3, 0, str(data.get("label", node)).lower() + "\0" + str(node))


def sorted_nodes(graph: nx.Graph, nodes=None) -> list[str]:
    return sorted(graph.nodes if nodes is None else nodes, key=lambda n: node_sort_key(graph, n))


def _distance(_u: str, _v: str, data: dict) -> float:
    return 1.0 / data.get("weight", 1)


def weighted_degree(graph: nx.Graph) -> dict[str, float]:
    return {node: value for node, value in graph.degree(weight="weight")}


def betweenness(graph: nx.Graph) -> dict[str, float]:
    values = nx.betweenness_centrality(graph, weight=_distance, normalized=True)
    return {node: round(value, ROUND) for node, value in values.items()}


def eigenvector(graph: nx.Graph) -> dict[str, float]:
    """Eigenvector centrality on the largest connected component (ties: the first in order)."""
    values = dict.fromkeys(graph.nodes, 0.0)
    if graph.number_of_edges() == 0:
        return values
    components = [sorted_nodes(graph, c) for c in nx.connected_components(graph)]
    largest = sorted(components, key=lambda c: (-len(c), node_sort_key(graph, c[0])))[0]
    members = set(largest)
    found = power_iteration(graph, [n for n in graph if n in members])
    values.update({node: round(value, ROUND) for node, value in found.items()})
    return values


def power_iteration(
    graph: nx.Graph, nodes: list[str], max_iter: int = 10_000, tol: float = 1e-12
) -> dict[str, float]:
    """networkx's eigenvector_centrality (weights; power iteration with A + I, L1 convergence
    test) on the subgraph of `nodes`, the same operations in the same order on lists: the same
    floats as networkx on a graph with the nodes in this order, several times faster. The
    order is the graph's (networkx's subgraph view would take a set's order, which changes with
    the interpreter's string hashing, for a component under half the graph)."""
    index = {node: i for i, node in enumerate(nodes)}
    adjacency = [
        [(index[v], data.get("weight", 1)) for v, data in graph.adj[u].items() if v in index]
        for u in nodes
    ]
    x = [1 / len(nodes)] * len(nodes)
    for _ in range(max_iter):
        last = x
        x = list(last)
        for n, neighbours in enumerate(adjacency):
            for nbr, w in neighbours:
                x[nbr] += last[n] * w
        norm = math.hypot(*x) or 1
        x = [v / norm for v in x]
        if sum(abs(a - b) for a, b in zip(x, last, strict=True)) < len(nodes) * tol:
            return dict(zip(nodes, x, strict=True))
    raise nx.PowerIterationFailedConvergence(max_iter)


Partition = list[list[str]]


def louvain(graph: nx.Graph, seed: int, runner: Louvain | None = None) -> Partition:
    """One Louvain run (networkx's louvain_communities with the weights; see louvain.py):
    communities largest first, members in sorted order."""
    found = (runner or Louvain(graph)).run(seed)
    groups = [sorted_nodes(graph, group) for group in found]
    return sorted(groups, key=lambda g: (-len(g), node_sort_key(graph, g[0])))


def louvain_runs(graph: nx.Graph, seed: int = SEED, runs: int = LOUVAIN_RUNS) -> list[Partition]:
    """The partitions of `runs` Louvain runs (seeds seed, seed + 1, ...), computed once per graph:
    annotate() and the summary's co-membership rows read the same runs."""
    cache = graph.graph.setdefault(_RUNS_CACHE, {})
    if (seed, runs) not in cache:
        runner = Louvain(graph)  # the graph prepared once for all the runs
        cache[(seed, runs)] = [louvain(graph, seed + run, runner) for run in range(runs)]
    return cache[(seed, runs)]


_RUNS_CACHE = "_louvain_runs"
"""Graph attribute holding the runs (exports write only the attributes they list)."""


def best_partition(graph: nx.Graph, partitions: list[Partition]) -> Partition:
    """The partition of highest modularity (the earliest on a tie); each distinct partition is
    scored once (most runs find one of a few)."""
    scores: dict[tuple, float] = {}
    for partition in partitions:
        key = tuple(map(tuple, partition))
        if key not in scores:
            scores[key] = modularity(graph, partition)
    return partitions[
        max(range(len(partitions)), key=lambda i: (scores[tuple(map(tuple, partitions[i]))], -i))
    ]


def communities(graph: nx.Graph, seed: int = SEED, runs: int = LOUVAIN_RUNS) -> Partition:
    """The best of `runs` Louvain partitions (seeds seed, seed + 1, ...)."""
    return best_partition(graph, louvain_runs(graph, seed, runs))


def modularity(graph: nx.Graph, groups: Partition) -> float:
    if graph.number_of_edges() == 0:
        return 0.0
    return round(nx.community.modularity(graph, groups, weight="weight"), ROUND)


def co_membership(
    graph: nx.Graph, partitions: list[Partition], kind: str
) -> dict[tuple[str, str], float]:
    """For each pair of nodes of a kind: the share of the partitions that put them together."""
    together: dict[tuple[str, str], int] = {}
    for partition in partitions:
        for group in partition:
            members = [n for n in group if graph.nodes[n].get("kind") == kind]
            for i, a in enumerate(members):
                for b in members[i + 1 :]:
                    together[(a, b)] = together.get((a, b), 0) + 1
    return {pair: round(count / len(partitions), ROUND) for pair, count in together.items()}


def annotate(graph: nx.Graph, seed: int = SEED, runs: int = LOUVAIN_RUNS) -> Partition:
    """Set METRICS as node attributes of every node, and as graph attributes the modularity of
    the communities and how many of the Louvain runs found them; return the communities."""
    degree = dict(graph.degree())
    weighted = weighted_degree(graph)
    between = betweenness(graph)
    eigen = eigenvector(graph)
    partitions = louvain_runs(graph, seed, runs)
    groups = best_partition(graph, partitions)
    membership = {node: number for number, group in enumerate(groups, 1) for node in group}
    for node, data in graph.nodes(data=True):
        data["degree"] = degree[node]
        data["weighted_degree"] = weighted[node]
        data["betweenness"] = between[node]
        data["eigenvector"] = eigen[node]
        data["community"] = membership[node]
    graph.graph["modularity"] = modularity(graph, groups)
    graph.graph["louvain_runs"] = runs
    graph.graph["partition_runs"] = sum(p == groups for p in partitions)
    return groups


def bipartite_density(graph: nx.Graph) -> float:
    """Edges / (objectives × nodes of the other side): networkx's bipartite density."""
    objectives = objective_nodes(graph)
    if not objectives or len(objectives) == graph.number_of_nodes():
        return 0.0
    return round(bipartite.density(graph, objectives), ROUND)


def top_with_ties(items: list[T], value: Callable[[T], float], top: int) -> list[T]:
    """The first `top` items by value (highest first, stable), and every item tied with the last."""
    ordered = sorted(items, key=lambda item: -value(item))
    if len(ordered) <= top:
        return ordered
    cut = value(ordered[top - 1])
    return [item for item in ordered if value(item) >= cut]


def ranked(graph: nx.Graph, attribute: str, kind: str, top: int) -> list[str]:
    """The `top` nodes of a kind by an attribute (and those tied with the last), highest first;
    ties in sorted order."""
    nodes = [n for n in sorted_nodes(graph) if graph.nodes[n].get("kind") == kind]
    return top_with_ties(nodes, lambda n: graph.nodes[n][attribute], top)


@dataclass(frozen=True)
class Overlap:
    """Two objectives and the targets they both list."""

    a: str
    b: str
    shared: int
    jaccard: float
    targets: tuple[str, ...]


def overlaps(projection: nx.Graph) -> list[Overlap]:
    """Every objective pair of the projection, most shared targets first (then Jaccard, numbers)."""
    found = []
    for u, v, data in projection.edges(data=True):
        a, b = sorted_nodes(projection, (u, v))
        found.append(
            Overlap(a, b, data["weight"], data["jaccard"], tuple(data["shared_targets"].split()))
        )
    return sorted(
        found,
        key=lambda o: (
            -o.shared,
            -o.jaccard,
            node_sort_key(projection, o.a),
            node_sort_key(projection, o.b),
        ),
    )


def objectives_without_shared_target(objective_target: nx.Graph) -> list[str]:
    """Objectives none of whose listed targets another objective lists (also those with none)."""
    return [
        node
        for node in sorted_nodes(objective_target, objective_nodes(objective_target))
        if all(objective_target.degree(t) < 2 for t in objective_target[node])
    ]
