"""The summary of the analysis: every number with the catalogue query it comes from.

A row is either READ from a query (`column` names the result variable, `key` the values that
select the result row: run the query, find the row, read the column) or COMPUTED by networkx
(`metric` on the graph `graph`, which is built from `query` and the other queries in
graph.graph["queries"]). Both kinds can be re-checked from the release alone.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import networkx as nx
from pyoxigraph import Store

from . import graphs as g
from .metrics import (
    ROUND,
    co_membership,
    louvain_runs,
    node_sort_key,
    overlaps,
    ranked,
    top_with_ties,
)
from .queries import Table, Value, run_query

TOP = 5
TOP_PAIRS = 10
TOP_TARGETS = 10

COMPUTED_BY = {
    "nodes": "networkx number_of_nodes",
    "edges": "networkx number_of_edges",
    "density": "networkx density",
    "betweenness": "networkx betweenness_centrality (distance = 1/weight, normalised)",
    "eigenvector": "networkx eigenvector_centrality (weights; largest component)",
    "weighted_degree": "networkx degree(weight='weight')",
    "degree": "networkx degree",
    "community_size": "networkx louvain_communities (weights; best of the seeded runs)",
    "modularity": "networkx modularity of the Louvain communities",
    "partition_runs": "networkx louvain_communities, runs with seeds SEED, SEED + 1, ...",
    "co_membership": "networkx louvain_communities, share of the runs",
}


@dataclass(frozen=True)
class SummaryRow:
    section: str
    subject: str
    measure: str
    value: Value
    query: str
    column: str = ""
    key: dict[str, Value] = field(default_factory=dict)
    graph: str = ""
    metric: str = ""
    node: str = ""
    detail: str = ""

    @property
    def is_read(self) -> bool:
        return bool(self.column)

    def method(self) -> str:
        if self.is_read:
            return f"?{self.column} of {self.query}"
        return f"{COMPUTED_BY[self.metric]} on the {self.graph} graph (from {self.query})"


def read_value(table: Table, column: str, **key: Value) -> Value:
    """The value of `column` in the one row of `table` matching `key`."""
    rows = [row for row in table if all(row[k] == v for k, v in key.items())]
    if len(rows) != 1:
        raise LookupError(f"{table.query}: {len(rows)} rows match {key}, expected 1")
    value = rows[0][column]
    return round(value, ROUND) if isinstance(value, float) else value


def primary_query(graph: nx.Graph) -> str:
    """The query that gives the graph its edges (the last one it was built from)."""
    return graph.graph["queries"].split()[-1]


def label(graph: nx.Graph, node: str) -> str:
    return graph.nodes[node]["label"]


def labels(graph: nx.Graph, nodes: list[str]) -> str:
    return ", ".join(label(graph, n) for n in nodes)


def summarize(store: Store, graphs: dict[str, nx.Graph]) -> list[SummaryRow]:
    """The rows of the summary, section by section (graphs must be annotated by metrics)."""
    tables = {
        name: run_query(store, name)
        for name in (
            g.Q_OBJECTIVES,
            g.Q_GOALS,
            g.Q_OBJECTIVE_PAIRS,
            "analysis-target-reach",
            "analysis-objective-overlap",
            "analysis-density",
        )
    }
    rows: list[SummaryRow] = []
    for section in SECTIONS:
        rows += section(tables, graphs)
    return rows


def graph_rows(tables: dict[str, Table], graphs: dict[str, nx.Graph]) -> list[SummaryRow]:
    rows = []
    density = tables["analysis-density"]
    for name, graph in graphs.items():
        query = primary_query(graph)
        subject = f"{name} graph"
        rows.append(
            SummaryRow(
                "Graphs",
                subject,
                "nodes",
                graph.number_of_nodes(),
                query,
                graph=name,
                metric="nodes",
            )
        )
        rows.append(
            SummaryRow(
                "Graphs",
                subject,
                "edges",
                graph.number_of_edges(),
                query,
                graph=name,
                metric="edges",
            )
        )
        if name in (g.OBJECTIVE_TARGET, g.OBJECTIVE_GOAL):
            rows.append(
                SummaryRow(
                    "Graphs",
                    subject,
                    "bipartite density",
                    read_value(density, "density", graph=name),
                    density.query,
                    column="density",
                    key={"graph": name},
                )
            )
        elif name in (g.OBJECTIVE_PROJECTION, g.TARGET_PROJECTION):
            value = round(nx.density(graph), 6)
            rows.append(
                SummaryRow("Graphs", subject, "density", value, query, graph=name, metric="density")
            )
    return rows


def node_metric_rows(
    section: str,
    graph: nx.Graph,
    kind: str,
    metrics: tuple[str, ...],
    top: int = TOP,
    least: float = 0,
) -> list[SummaryRow]:
    """The top nodes of a kind by each metric (ties with the last included), values > least."""
    rows = []
    name = graph.graph["name"]
    for metric in metrics:
        for node in ranked(graph, metric, kind, top):
            data = graph.nodes[node]
            if data[metric] <= least:
                continue
            rows.append(
                SummaryRow(
                    section,
                    data["label"],
                    f"{metric.replace('_', ' ')} ({name})",
                    data[metric],
                    primary_query(graph),
                    graph=name,
                    metric=metric,
                    node=node,
                    detail=data["name"] if data.get("name") not in (None, data["label"]) else "",
                )
            )
    return rows


def objective_rows(tables: dict[str, Table], graphs: dict[str, nx.Graph]) -> list[SummaryRow]:
    objectives = tables[g.Q_OBJECTIVES]
    rows = [
        SummaryRow(
            "Objectives",
            f"Objective {row['number']}",
            "listed SDG targets",
            row["targets"],
            objectives.query,
            column="targets",
            key={"number": row["number"]},
            detail=row["title"] + (" (booklet: all SDGs relevant)" if row["allGoals"] else ""),
        )
        for row in objectives
    ]
    overlap = tables["analysis-objective-overlap"]
    for row in top_with_ties(list(overlap), lambda r: r["sharedWeight"], TOP):
        rows.append(
            SummaryRow(
                "Objectives",
                f"Objective {row['number']}",
                "targets shared, summed over the other objectives (weighted degree in the projection)",
                row["sharedWeight"],
                overlap.query,
                column="sharedWeight",
                key={"number": row["number"]},
            )
        )
    rows += node_metric_rows(
        "Objectives", graphs[g.OBJECTIVE_TARGET], "objective", ("betweenness", "eigenvector")
    )
    rows += node_metric_rows(
        "Objectives", graphs[g.OBJECTIVE_PROJECTION], "objective", ("betweenness", "eigenvector")
    )
    return rows


def target_rows(tables: dict[str, Table], graphs: dict[str, nx.Graph]) -> list[SummaryRow]:
    reach = tables["analysis-target-reach"]
    rows = [
        SummaryRow(
            "Targets",
            row["code"],
            "objectives listing it",
            row["objectives"],
            reach.query,
            column="objectives",
            key={"code": row["code"]},
            detail="objectives " + ", ".join(map(str, g.numbers_key(row["objectiveNumbers"]))),
        )
        for row in top_with_ties(
            sorted(reach, key=lambda r: g.code_key(r["code"])),
            lambda r: r["objectives"],
            TOP_TARGETS,
        )
    ]
    rows += node_metric_rows(
        "Targets", graphs[g.OBJECTIVE_TARGET], "target", ("betweenness", "eigenvector")
    )
    return rows


def goal_rows(tables: dict[str, Table], graphs: dict[str, nx.Graph]) -> list[SummaryRow]:
    goals = tables[g.Q_GOALS]
    rows = [
        SummaryRow(
            "Goals",
            f"SDG {row['number']}",
            "objectives with a listed target of the goal",
            row["objectives"],
            goals.query,
            column="objectives",
            key={"number": row["number"]},
            detail=row["shortName"] or "",
        )
        for row in goals
    ]
    rows += node_metric_rows("Goals", graphs[g.OBJECTIVE_GOAL], "goal", ("weighted_degree",))
    return rows


def overlap_rows(tables: dict[str, Table], graphs: dict[str, nx.Graph]) -> list[SummaryRow]:
    pairs = tables[g.Q_OBJECTIVE_PAIRS]
    projection = graphs[g.OBJECTIVE_PROJECTION]
    rows = []
    found = overlaps(projection)
    by_jaccard = top_with_ties(found, lambda o: o.jaccard, TOP)
    for measure, column, chosen in (
        ("shared SDG targets", "shared", top_with_ties(found, lambda o: o.shared, TOP_PAIRS)),
        ("Jaccard index of their listed targets", "jaccard", by_jaccard),
    ):
        for pair in chosen:
            a, b = projection.nodes[pair.a]["number"], projection.nodes[pair.b]["number"]
            rows.append(
                SummaryRow(
                    "Overlaps",
                    f"Objectives {a} & {b}",
                    measure,
                    read_value(pairs, column, numberA=a, numberB=b),
                    pairs.query,
                    column=column,
                    key={"numberA": a, "numberB": b},
                    detail="targets " + ", ".join(pair.targets),
                )
            )
    overlap = tables["analysis-objective-overlap"]
    objectives = {row["number"]: row for row in tables[g.Q_OBJECTIVES]}
    for row in overlap:
        if row["sharedTargets"] == 0:
            listed = objectives[row["number"]]
            why = "lists no target" if listed["targets"] == 0 else "no listed target is shared"
            if listed["allGoals"]:
                why += "; the booklet says all SDGs are relevant (not expanded)"
            rows.append(
                SummaryRow(
                    "Overlaps",
                    f"Objective {row['number']}",
                    "listed targets shared with another objective",
                    row["sharedTargets"],
                    overlap.query,
                    column="sharedTargets",
                    key={"number": row["number"]},
                    detail=why,
                )
            )
    return rows


CO_MEMBERSHIP = 0.9
"""Objective pairs that at least this share of the Louvain runs put together are reported."""


def partition_of(graph: nx.Graph) -> list[list[str]]:
    """The communities annotate() set on the nodes, numbered 1, 2, ..."""
    groups: dict[int, list[str]] = {}
    for node in graph:
        groups.setdefault(graph.nodes[node]["community"], []).append(node)
    return [groups[number] for number in sorted(groups)]


def community_rows(_tables: dict[str, Table], graphs: dict[str, nx.Graph]) -> list[SummaryRow]:
    rows = []
    for name in (g.OBJECTIVE_TARGET, g.OBJECTIVE_PROJECTION):
        rows += graph_community_rows(graphs[name])
    return rows


def is_stable(graph: nx.Graph) -> bool:
    """Most Louvain runs found the kept partition: no need to list its stable pairs."""
    return graph.graph["partition_runs"] * 2 > graph.graph["louvain_runs"]


def graph_community_rows(graph: nx.Graph) -> list[SummaryRow]:
    """Modularity, how many runs found the partition, the communities, and the objective pairs
    that most runs put together (the stable core of the communities)."""
    name, query = graph.graph["name"], primary_query(graph)

    def row(subject: str, measure: str, value: Value, metric: str, **extra: str) -> SummaryRow:
        return SummaryRow(
            "Communities", subject, measure, value, query, graph=name, metric=metric, **extra
        )

    runs = graph.graph["louvain_runs"]
    rows = [
        row(f"{name} graph", "modularity", graph.graph["modularity"], "modularity"),
        row(
            f"{name} graph",
            f"Louvain runs (of {runs}) that found this partition",
            graph.graph["partition_runs"],
            "partition_runs",
        ),
    ]
    for number, group in enumerate(partition_of(graph), 1):
        members = labels(graph, group)
        rows.append(
            row(
                f"{name} community {number}",
                "members",
                len(group),
                "community_size",
                node=group[0],
                detail=members,
            )
        )
    if is_stable(graph):
        return rows
    shares = co_membership(graph, louvain_runs(graph, runs=runs), "objective")
    frequent = sorted(
        ((pair, share) for pair, share in shares.items() if share >= CO_MEMBERSHIP),
        key=lambda item: (-item[1], *(node_sort_key(graph, n) for n in item[0])),
    )
    for (a, b), share in frequent:
        pair = f"Objectives {graph.nodes[a]['number']} & {graph.nodes[b]['number']}"
        measure = f"share of the Louvain runs putting them in one community ({name})"
        rows.append(row(pair, measure, share, "co_membership", node=f"{a} {b}"))
    return rows


def neighbour_rows(_tables: dict[str, Table], graphs: dict[str, nx.Graph]) -> list[SummaryRow]:
    rows = []
    for name, kind in ((g.OBJECTIVE_INSTRUMENT, "instrument"), (g.OBJECTIVE_COUNTRY, "country")):
        section = "Instruments" if kind == "instrument" else "Countries"
        # degree: objectives linked; weighted: the naming commitments/actions or practices;
        # a node linked to one objective only is not a headline (the CSV lists every node)
        rows += node_metric_rows(
            section, graphs[name], kind, ("degree", "weighted_degree"), least=1
        )
    return rows


SECTIONS: tuple[Callable[[dict[str, Table], dict[str, nx.Graph]], list[SummaryRow]], ...] = (
    graph_rows,
    objective_rows,
    target_rows,
    goal_rows,
    overlap_rows,
    community_rows,
    neighbour_rows,
)
