"""Graph files for Gephi, Cytoscape and spreadsheets: GraphML, GEXF and CSV node/edge lists.

All writers are deterministic: nodes and edges in the graph's insertion order (which graphs.py
keeps stable), attributes in a fixed order, no dates. networkx's GEXF writer stamps the file with
today's date (meta/@lastmodifieddate); it is removed here.
"""

from __future__ import annotations

import csv
from pathlib import Path

import networkx as nx
from networkx.readwrite.gexf import GEXFWriter

NODE_COLUMNS = (
    "kind",
    "label",
    "number",
    "code",
    "goal",
    "name",
    "colour",
    "bipartite",
    "all_goals",
    "degree",
    "weighted_degree",
    "betweenness",
    "eigenvector",
    "community",
)
EDGE_COLUMNS = ("weight", "jaccard", "shared_targets", "objectives")
GRAPH_ATTRIBUTES = ("name", "queries", "modularity", "louvain_runs", "partition_runs")


def _ordered(keys: set[str], preferred: tuple[str, ...]) -> list[str]:
    return [k for k in preferred if k in keys] + sorted(keys - set(preferred))


def node_columns(graph: nx.Graph) -> list[str]:
    keys = {k for _, data in graph.nodes(data=True) for k in data}
    return _ordered(keys, NODE_COLUMNS)


def edge_columns(graph: nx.Graph) -> list[str]:
    keys = {k for _, _, data in graph.edges(data=True) for k in data}
    return _ordered(keys, EDGE_COLUMNS)


def clean_copy(graph: nx.Graph) -> nx.Graph:
    """The graph with attributes in a fixed order, None values dropped, graph attributes kept
    to plain values (GraphML and GEXF accept only str, int, float and bool)."""
    copy = nx.Graph()
    copy.graph.update({k: graph.graph[k] for k in GRAPH_ATTRIBUTES if k in graph.graph})
    nodes = node_columns(graph)
    for node, data in graph.nodes(data=True):
        copy.add_node(node, **{k: data[k] for k in nodes if data.get(k) is not None})
    edges = edge_columns(graph)
    for u, v, data in graph.edges(data=True):
        copy.add_edge(u, v, **{k: data[k] for k in edges if data.get(k) is not None})
    return copy


def write_graphml(graph: nx.Graph, path: Path) -> Path:
    nx.write_graphml_xml(clean_copy(graph), path, encoding="utf-8", prettyprint=True)
    return path


def hex_to_viz(colour: str) -> dict[str, dict[str, float]]:
    value = colour.lstrip("#")
    red, green, blue = (int(value[i : i + 2], 16) for i in (0, 2, 4))
    return {"color": {"r": red, "g": green, "b": blue, "a": 1.0}}


def write_gexf(graph: nx.Graph, path: Path) -> Path:
    """GEXF 1.2 with the node colour also as viz:color (what Gephi shows)."""
    copy = clean_copy(graph)
    for _, data in copy.nodes(data=True):
        if "colour" in data:
            data["viz"] = hex_to_viz(data["colour"])
    writer = GEXFWriter(encoding="utf-8", prettyprint=True, version="1.2draft")
    writer.add_graph(copy)
    meta = writer.xml.find("meta")
    if meta is not None:
        meta.attrib.pop("lastmodifieddate", None)
    with open(path, "wb") as handle:
        writer.write(handle)
    return path


def _cell(value: object) -> object:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else value


def node_table(graph: nx.Graph) -> list[dict[str, object]]:
    """One plain dict per node: `id` (the IRI) and every attribute (None where a node lacks it)."""
    columns = node_columns(graph)
    return [
        {"id": node, **{c: data.get(c) for c in columns}} for node, data in graph.nodes(data=True)
    ]


def edge_table(graph: nx.Graph) -> list[dict[str, object]]:
    """One plain dict per edge: source, target, their labels and every edge attribute."""
    columns = edge_columns(graph)
    labels = dict(graph.nodes(data="label"))
    return [
        {
            "source": u,
            "target": v,
            "source_label": labels.get(u, ""),
            "target_label": labels.get(v, ""),
            **{c: data.get(c) for c in columns},
        }
        for u, v, data in graph.edges(data=True)
    ]


def write_table(table: list[dict[str, object]], header: list[str], path: Path) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows([_cell(row[c]) for c in header] for row in table)
    return path


def write_node_csv(graph: nx.Graph, path: Path) -> Path:
    return write_table(node_table(graph), ["id", *node_columns(graph)], path)


def write_edge_csv(graph: nx.Graph, path: Path) -> Path:
    header = ["source", "target", "source_label", "target_label", *edge_columns(graph)]
    return write_table(edge_table(graph), header, path)


def export_graph(graph: nx.Graph, out_dir: Path) -> list[Path]:
    """`<name>.graphml`, `<name>.gexf`, `<name>-nodes.csv` and `<name>-edges.csv` in out_dir."""
    name = graph.graph["name"]
    out_dir.mkdir(parents=True, exist_ok=True)
    return [
        write_graphml(graph, out_dir / f"{name}.graphml"),
        write_gexf(graph, out_dir / f"{name}.gexf"),
        write_node_csv(graph, out_dir / f"{name}-nodes.csv"),
        write_edge_csv(graph, out_dir / f"{name}-edges.csv"),
    ]
