"""`analyze` on the hand-made release: exports read back, determinism, every number has a query."""

from __future__ import annotations

import csv
import functools
import json
from collections.abc import Callable
from pathlib import Path

import networkx as nx
import pytest
from test_analysis import write_hand_release

from gcm_graph.analysis import analyze, annotate, communities, load_release, run_query
from gcm_graph.analysis.graphs import GRAPH_BUILDERS
from gcm_graph.analysis.metrics import louvain_runs
from gcm_graph.analysis.summary import SummaryRow
from gcm_graph.config import QUERIES_DIR


@pytest.fixture(scope="module")
def hand_release(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_hand_release(tmp_path_factory.mktemp("hand") / "release")


@pytest.fixture(scope="module")
def analysis(hand_release: Path, tmp_path_factory: pytest.TempPathFactory):
    return analyze(hand_release, tmp_path_factory.mktemp("out") / "analysis")


def test_analyze_writes_summaries_graph_files_and_figures(analysis) -> None:
    names = {p.relative_to(analysis.out_dir).as_posix() for p in analysis.files}
    for graph in GRAPH_BUILDERS:
        for suffix in (".graphml", ".gexf", "-nodes.csv", "-edges.csv"):
            assert f"graphs/{graph}{suffix}" in names
    for figure in (
        "heatmap-objectives-goals",
        "heatmap-objectives-targets",
        "network-objectives-targets",
        "network-objective-projection",
    ):
        assert {f"figures/{figure}.png", f"figures/{figure}.svg"} <= names
    assert {"summary.csv", "summary.md", "summary.json"} <= names
    assert sorted(
        p.relative_to(analysis.out_dir).as_posix()
        for p in analysis.out_dir.rglob("*")
        if p.is_file()
    ) == sorted(names)


def test_exports_read_back_with_the_same_nodes_edges_and_attributes(analysis) -> None:
    for name, graph in analysis.graphs.items():
        base = analysis.out_dir / "graphs" / name
        graphml = nx.read_graphml(base.with_suffix(".graphml"))
        assert list(graphml.nodes(data=True)) == list(graph.nodes(data=True)), name
        assert {frozenset(e) for e in graphml.edges} == {frozenset(e) for e in graph.edges}
        for u, v, data in graph.edges(data=True):
            assert graphml.edges[u, v] == data
        gexf = nx.read_gexf(base.with_suffix(".gexf"))
        assert list(gexf.nodes) == list(graph.nodes)
        for node, data in graph.nodes(data=True):
            read = dict(gexf.nodes[node])
            viz = read.pop("viz")
            assert read == data
            assert "#{r:02X}{g:02X}{b:02X}".format(**viz["color"]) == data["colour"]
        for u, v, data in graph.edges(data=True):
            read = {k: val for k, val in gexf.edges[u, v].items() if k != "id"}  # GEXF's edge id
            assert read.keys() == data.keys()
            for key, value in data.items():  # GEXF reads the weight back as a float
                assert read[key] == (pytest.approx(value) if key == "weight" else value)


def test_csv_lists_hold_every_node_and_edge(analysis) -> None:
    for name, graph in analysis.graphs.items():
        base = analysis.out_dir / "graphs"
        with open(base / f"{name}-nodes.csv", encoding="utf-8") as handle:
            nodes = list(csv.DictReader(handle))
        with open(base / f"{name}-edges.csv", encoding="utf-8") as handle:
            edges = list(csv.DictReader(handle))
        assert [row["id"] for row in nodes] == list(graph.nodes)
        assert [row["label"] for row in nodes] == [d["label"] for _, d in graph.nodes(data=True)]
        assert [(row["source"], row["target"]) for row in edges] == list(graph.edges)
        assert [float(row["weight"]) for row in edges] == [
            d["weight"] for *_, d in graph.edges(data=True)
        ]


def test_same_release_gives_byte_identical_files(
    hand_release: Path, analysis, tmp_path: Path
) -> None:
    again = analyze(hand_release, tmp_path / "again")
    first = {p.relative_to(analysis.out_dir): p.read_bytes() for p in analysis.files}
    second = {p.relative_to(again.out_dir): p.read_bytes() for p in again.files}
    assert first.keys() == second.keys()
    different = [str(path) for path in first if first[path] != second[path]]
    assert different == []


def test_figures_carry_no_timestamp(analysis) -> None:
    for path in analysis.files:
        if path.suffix == ".png":
            assert b"Software" not in path.read_bytes()
            assert b"tIME" not in path.read_bytes()
        elif path.suffix == ".svg":
            assert b"<dc:date>" not in path.read_bytes()
        elif path.suffix == ".gexf":
            assert b"lastmodifieddate" not in path.read_bytes()


@functools.cache
def annotated(builder: Callable, store) -> nx.Graph:
    graph = builder(store)
    annotate(graph)
    return graph


@functools.cache
def partitions(builder: Callable, store) -> list:
    return louvain_runs(annotated(builder, store))


def recompute(row: SummaryRow, store) -> object:
    """A computed row's value again, from the graph its query builds."""
    graph = annotated(GRAPH_BUILDERS[row.graph], store)
    assert row.query in graph.graph["queries"].split()
    if row.metric == "nodes":
        return graph.number_of_nodes()
    if row.metric == "edges":
        return graph.number_of_edges()
    if row.metric == "density":
        return round(nx.density(graph), 6)
    if row.metric in ("modularity", "partition_runs"):
        return graph.graph[row.metric]
    if row.metric == "community_size":
        return len(next(group for group in communities(graph) if row.node in group))
    if row.metric == "co_membership":
        a, b = row.node.split()
        runs = partitions(GRAPH_BUILDERS[row.graph], store)
        return sum(any(a in g and b in g for g in run) for run in runs) / len(runs)
    return graph.nodes[row.node][row.metric]


def check_every_row_has_its_query(rows: list[SummaryRow], store) -> int:
    """Each row names a catalogue query; running it (and, for computed rows, networkx on the
    graph it builds) gives the row's value. Returns how many rows were read from a query."""
    read = 0
    for row in rows:
        assert (QUERIES_DIR / f"{row.query}.rq").is_file(), row
        if row.is_read:
            table = run_query(store, row.query)
            matches = [r for r in table if all(r[k] == v for k, v in row.key.items())]
            assert len(matches) == 1, row
            assert matches[0][row.column] == pytest.approx(row.value, abs=1e-6), row
            read += 1
        else:
            assert recompute(row, store) == pytest.approx(row.value, abs=1e-6), row
    return read


def test_every_number_has_a_query(analysis, hand_release: Path) -> None:
    assert check_every_row_has_its_query(analysis.rows, load_release(hand_release)) > 10


def test_summary_files_name_the_query_of_each_row(analysis) -> None:
    index = json.loads((analysis.out_dir / "summary.json").read_text())
    assert len(index["rows"]) == len(analysis.rows)
    for row in index["rows"]:
        assert row["query"] in index["queries"]
        assert (QUERIES_DIR.parent / index["queries"][row["query"]]["file"]).is_file()
    with open(analysis.out_dir / "summary.csv", encoding="utf-8") as handle:
        table = list(csv.DictReader(handle))
    assert [r["query"] for r in table] == [r.query for r in analysis.rows]
    markdown = (analysis.out_dir / "summary.md").read_text()
    assert all(f"`{row.query}`" in markdown for row in analysis.rows)
    listed = {f["path"] for f in index["files"]}
    assert "summary.csv" in listed and "graphs/objective-target.graphml" in listed
    for name, about in index["graphs"].items():
        assert len(about["files"]) == 4 and set(about["files"]) <= listed, name
    for stem, figure in index["figures"].items():
        assert set(figure["files"]) <= listed, stem
        assert set(figure["queries"]) <= set(index["queries"])


def test_summary_reads_the_hand_counted_overlaps(analysis) -> None:
    shared = {
        r.subject: (r.value, r.detail) for r in analysis.rows if r.measure == "shared SDG targets"
    }
    # objectives 1 and 2 share 10.7 and 17.18; 2 and 3 share 16.9 (see test_analysis)
    assert shared == {
        "Objectives 1 & 2": (2, "targets 10.7, 17.18"),
        "Objectives 2 & 3": (1, "targets 16.9"),
    }
    lonely = [r.subject for r in analysis.rows if r.column == "sharedTargets"]
    assert lonely == ["Objective 4", "Objective 5"]


def test_a_foreign_out_dir_is_not_replaced(hand_release: Path, tmp_path: Path) -> None:
    foreign = tmp_path / "mine"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("keep me")
    with pytest.raises(FileExistsError):
        analyze(hand_release, foreign)
    assert (foreign / "notes.txt").read_text() == "keep me"


def test_an_earlier_analysis_is_replaced(hand_release: Path, tmp_path: Path) -> None:
    out = tmp_path / "analysis"
    analyze(hand_release, out)
    (out / "stale.txt").write_text("from an older run")
    analyze(hand_release, out)
    assert not (out / "stale.txt").exists()
