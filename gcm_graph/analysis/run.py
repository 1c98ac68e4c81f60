"""`analyze`: every graph, metric, export and figure of the analysis, written from a release."""

from __future__ import annotations

import csv
import hashlib
import json
import shutil
from collections.abc import Callable
from concurrent.futures import Executor, Future
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TypeVar

import networkx as nx

from ..config import BUILD_DIR, QUERIES_DIR
from ..errors import GcmError
from . import exports, figures, metrics, networks
from . import graphs as g
from .graphs import Q_GOALS, build_graphs
from .queries import AnswerMemo, analysis_queries, load_release, run_query
from .summary import COMPUTED_BY, SummaryRow, summarize

T = TypeVar("T")
SUMMARY_JSON = "summary.json"
GRAPHS_DIR = "graphs"
FIGURES_DIR = "figures"


class OutputNotReplaceable(GcmError, FileExistsError):
    """The output directory holds files that are not an earlier analysis: never deleted."""


@dataclass(frozen=True)
class AnalysisResult:
    out_dir: Path
    files: list[Path]
    """Every file written, summary.json last."""
    rows: list[SummaryRow]
    graphs: dict[str, nx.Graph]


def analyze(
    release_dir: Path = BUILD_DIR,
    out_dir: Path | None = None,
    progress: Callable[[str], None] | None = None,
    executor: Executor | None = None,
) -> AnalysisResult:
    """Build the analysis graphs from the release in release_dir and write, in out_dir (default
    `<release_dir>/analysis`): summary.json/.csv/.md, graphs/ (GraphML, GEXF, CSV node and edge
    lists of each graph) and figures/ (PNG and SVG). The same release gives the same bytes.

    With an executor (a process pool), the metrics of each graph and each figure are computed
    by its workers, side by side; the results are the same.

    out_dir is replaced as a whole, so it must be absent, empty or an earlier analysis (it holds
    summary.json); anything else raises OutputNotReplaceable (a FileExistsError) rather than
    deleting foreign files. Raises queries.ReleaseNotFound when release_dir holds no release.
    Both are GcmError (exit code 2 in the CLI).
    """
    release_dir = Path(release_dir)
    out_dir = Path(out_dir) if out_dir is not None else release_dir / "analysis"
    _check_replaceable(out_dir)
    step = progress or (lambda _stage: None)
    step("load release")
    store = AnswerMemo(load_release(release_dir))
    step("graphs")
    graphs = build_graphs(store)
    goal_names = {
        row["number"]: row["shortName"] or f"SDG {row['number']}"
        for row in run_query(store, Q_GOALS)
    }
    staged = out_dir.with_name(out_dir.name + ".partial")
    shutil.rmtree(staged, ignore_errors=True)
    try:
        step("metrics, figures and exports")
        graphs, written = metrics_and_figures(graphs, goal_names, staged, executor)
        step("summary")
        rows = summarize(store, graphs)
        written += write_summary(rows, staged)
        written.append(write_index(staged, written, rows, graphs, release_dir))
    except BaseException:
        shutil.rmtree(staged, ignore_errors=True)
        raise
    if out_dir.exists():
        shutil.rmtree(out_dir)
    staged.rename(out_dir)
    files = [out_dir / p.relative_to(staged) for p in written]
    return AnalysisResult(out_dir, files, rows, graphs)


def metrics_and_figures(
    graphs: dict[str, nx.Graph],
    goal_names: dict[int, str],
    out_dir: Path,
    executor: Executor | None,
) -> tuple[dict[str, nx.Graph], list[Path]]:
    """The graphs annotated with their metrics (metrics.annotate) and exported (GRAPHS_DIR),
    and the figures drawn (FIGURES_DIR); the graphs and the files written (graph files first).

    Every task is a pure function of its arguments, run at once in this process or by the
    executor's workers (which send back annotated copies): the same bytes either way. The
    longest tasks go first, so that the short ones fill the gaps at the end: the two graphs the
    network drawings need are annotated, the heatmaps (which need no metrics) drawn, each
    network drawing queued as soon as its graph is annotated, and the other graphs annotated
    last."""
    submit = executor.submit if executor else _done
    graphs_dir, figures_dir = out_dir / GRAPHS_DIR, out_dir / FIGURES_DIR
    annotated = {
        name: submit(annotated_graph, graphs[name], graphs_dir)
        for name in (g.OBJECTIVE_TARGET, g.OBJECTIVE_PROJECTION)
    }
    drawings = [
        submit(figures.goal_heatmap, graphs[g.OBJECTIVE_GOAL], goal_names, figures_dir),
        submit(figures.target_heatmap, graphs[g.OBJECTIVE_TARGET], figures_dir),
        submit(networks.target_network, annotated[g.OBJECTIVE_TARGET].result()[0], figures_dir),
        submit(
            networks.projection_network,
            annotated[g.OBJECTIVE_PROJECTION].result()[0],
            figures_dir,
        ),
    ]
    annotated |= {
        name: submit(annotated_graph, graph, graphs_dir)
        for name, graph in graphs.items()
        if name not in annotated
    }
    done = {name: annotated[name].result() for name in graphs}
    written = [p for _, files in done.values() for p in files]
    written += [p for task in drawings for p in task.result()]
    return {name: graph for name, (graph, _) in done.items()}, written


def annotated_graph(graph: nx.Graph, graphs_dir: Path) -> tuple[nx.Graph, list[Path]]:
    """The graph with its metrics, and its files (exports.export_graph)."""
    metrics.annotate(graph)
    return graph, exports.export_graph(graph, graphs_dir)


def _done(function: Callable[..., T], *args: object) -> Future[T]:
    """function(*args) run now, as a finished future (the executor-less path)."""
    future: Future[T] = Future()
    try:
        future.set_result(function(*args))
    except BaseException as error:
        future.set_exception(error)
    return future


def _check_replaceable(out_dir: Path) -> None:
    if out_dir.is_file() or (
        out_dir.is_dir() and any(out_dir.iterdir()) and not (out_dir / SUMMARY_JSON).is_file()
    ):
        raise OutputNotReplaceable(
            f"{out_dir}: exists and is not an earlier analysis; choose another --out"
        )


def write_summary(rows: list[SummaryRow], out_dir: Path) -> list[Path]:
    csv_path, md_path = out_dir / "summary.csv", out_dir / "summary.md"
    with open(csv_path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=CSV_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(row_record(row) for row in rows)
    titles = {q.name: q.title for q in analysis_queries()}
    md_path.write_text(markdown(rows, titles), encoding="utf-8")
    return [csv_path, md_path]


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def file_entry(path: Path, out_dir: Path) -> dict[str, str | int]:
    """A written file for summary.json. Figures are listed by path only: their bytes come from
    matplotlib, FreeType and zlib, and summary.json must not change when those do."""
    entry: dict[str, str | int] = {"path": path.relative_to(out_dir).as_posix()}
    if path.parent.name != FIGURES_DIR:
        entry |= {"bytes": path.stat().st_size, "sha256": sha256(path)}
    return entry


def write_index(
    out_dir: Path,
    written: list[Path],
    rows: list[SummaryRow],
    graphs: dict[str, nx.Graph],
    release_dir: Path,
) -> Path:
    """summary.json: the release it came from, the queries (with their text), the graphs, the
    rows and every file (data files with their size and hash) — what an /analysis page needs
    to serve it."""
    release_file = release_dir / "gcm.nt"
    if not release_file.is_file():
        release_file = release_dir / "gcm.nq"
    index = {
        "release": {"file": release_file.name, "sha256": sha256(release_file)},
        "queries": {
            q.name: {
                "title": q.title,
                "description": q.description,
                "parameters": q.parameters,
                "file": f"{QUERIES_DIR.name}/{q.file_name}",
                "text": q.text,
            }
            for q in analysis_queries()
        },
        "graphs": {
            name: {
                "queries": graph.graph["queries"].split(),
                "nodes": graph.number_of_nodes(),
                "edges": graph.number_of_edges(),
                "modularity": graph.graph.get("modularity"),
                "files": sorted(
                    p.relative_to(out_dir).as_posix()
                    for p in written
                    if p.parent.name == GRAPHS_DIR
                    and p.stem in (name, f"{name}-nodes", f"{name}-edges")
                ),
            }
            for name, graph in graphs.items()
        },
        "figures": {
            stem: {
                **about,
                "files": [f"{FIGURES_DIR}/{stem}.png", f"{FIGURES_DIR}/{stem}.svg"],
                "queries": graphs[about["graph"]].graph["queries"].split(),
            }
            for stem, about in figures.FIGURES.items()
        },
        "rows": [asdict(row) | {"method": row.method()} for row in rows],
        "files": [file_entry(p, out_dir) for p in sorted(written)],
    }
    path = out_dir / SUMMARY_JSON
    path.write_text(json.dumps(index, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


# --- writing ------------------------------------------------------------------------------------

CSV_COLUMNS = (
    "section",
    "subject",
    "measure",
    "value",
    "detail",
    "query",
    "column",
    "key",
    "graph",
    "metric",
    "node",
)


def row_record(row: SummaryRow) -> dict[str, str]:
    record = asdict(row)
    record["key"] = json.dumps(row.key, sort_keys=True) if row.key else ""
    return {column: "" if record[column] is None else str(record[column]) for column in CSV_COLUMNS}


def markdown(rows: list[SummaryRow], queries: dict[str, str]) -> str:
    """Sections as tables; each value with the query (and column or networkx method) behind it."""
    out = [
        "# GCM objectives and SDG targets: network analysis",
        "",
        "Every number below comes from a catalogue query in `sparql_queries/` run on the release:",
        "*read* from a result column (`?column`, in the row the subject names), or *computed* by",
        "networkx on the graph built from the query's rows.",
        "",
    ]
    for section in dict.fromkeys(row.section for row in rows):
        out += [
            f"## {section}",
            "",
            "| Subject | Measure | Value | Detail | How |",
            "|---|---|---|---|---|",
        ]
        for row in (r for r in rows if r.section == section):
            how = (
                f"`{row.query}` ?{row.column}"
                if row.is_read
                else f"{COMPUTED_BY[row.metric]} on `{row.query}`"
            )
            cells = (row.subject, row.measure, str(row.value), row.detail, how)
            out.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
        out.append("")
    out += ["## Queries", ""]
    out += [f"- `{name}`: {title}" for name, title in sorted(queries.items())]
    return "\n".join(out) + "\n"
