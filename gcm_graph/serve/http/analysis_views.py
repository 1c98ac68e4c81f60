"""What the /analysis page shows, read from the release's analysis files (summary.json and the
graph CSVs that `gcm-graph analyze` wrote): no computation here, only presentation.

* wide tables: each section of the summary as subjects × measures (not one row per number), the
  subjects named and linked ("Objective 7" -> its title and page, "10.7" -> the target's page);
* the objectives × SDG goals matrix (listed targets per cell) from objective-goal-edges.csv;
* the network view's data (network.json): the objective projection, its nodes with titles,
  pages and communities, its edges with the SDG targets the two objectives share.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

from .views import Linker

GRAPHS = Path("analysis") / "graphs"
SDG = "http://metadata.un.org/sdg/"
GCM_OBJECTIVE = "objective/"


@dataclass
class Named:
    text: str
    href: str | None = None
    title: str = ""


@dataclass
class Cell:
    value: object
    query: str
    how: str


@dataclass
class WideTable:
    section: str
    measures: list[tuple[str, str]]  # (measure, query)
    rows: list[tuple[list[Named], list[Cell | None]]] = field(default_factory=list)


def _read_csv(path: Path) -> list[dict[str, str]]:
    if not path.is_file():
        return []
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def objective_names(release_dir: Path) -> dict[int, tuple[str, str]]:
    """Objective number -> (IRI, title), from the projection's node table."""
    found = {}
    for row in _read_csv(release_dir / GRAPHS / "objective-projection-nodes.csv"):
        if row.get("kind") == "objective" and row.get("number", "").isdigit():
            found[int(row["number"])] = (row["id"], row.get("name", ""))
    return found


def sdg_names(release_dir: Path) -> dict[str, str]:
    """'10.7' and 'SDG 10' -> their names, from the graphs' node tables."""
    names = {
        row["code"]: row["name"]
        for row in _read_csv(release_dir / GRAPHS / "objective-target-nodes.csv")
        if row.get("kind") == "target"
    }
    for row in _read_csv(release_dir / GRAPHS / "objective-goal-nodes.csv"):
        if row.get("kind") == "goal":
            names[f"SDG {row.get('goal') or row.get('number')}"] = row.get("name", "")
    return names


def _named_subject(
    subject: str, objectives: dict, linker: Linker, names: dict[str, str] | None = None
) -> list[Named]:
    """'Objective 7', 'Objectives 6 & 7', '10.7', 'SDG 10' as named links; others as text."""
    name = (names or {}).get(subject, "")
    numbers = re.fullmatch(r"Objectives? (\d+)(?: & (\d+))?", subject)
    if numbers:
        named = []
        for n in (g for g in numbers.groups() if g):
            iri, title = objectives.get(int(n), ("", ""))
            named.append(
                Named(
                    f"{n}. {title}" if title else f"Objective {n}",
                    linker.href(iri) if iri else None,
                    title,
                )
            )
        return named
    text = f"{subject} {name}" if name else subject
    if re.fullmatch(r"\d+\.[0-9a-z]+", subject):
        return [Named(text, linker.href(SDG + subject), name)]
    goal = re.fullmatch(r"SDG (\d+)", subject)
    if goal:
        return [Named(text, linker.href(SDG + goal.group(1)), name)]
    return [Named(subject)]


def wide_tables(summary: dict, release_dir: Path, linker: Linker) -> list[WideTable]:
    objectives = objective_names(release_dir)
    names = sdg_names(release_dir)
    tables: dict[str, WideTable] = {}
    cells: dict[tuple[str, str], dict[str, Cell]] = {}
    order: dict[str, list[str]] = {}
    for row in summary["rows"]:
        section = row["section"]
        table = tables.setdefault(section, WideTable(section, []))
        measure = row["measure"]
        if all(m != measure for m, _q in table.measures):
            table.measures.append((measure, row["query"]))
        subjects = order.setdefault(section, [])
        if row["subject"] not in subjects:
            subjects.append(row["subject"])
        cells.setdefault((section, row["subject"]), {})[measure] = Cell(
            row["value"], row["query"], row.get("method") or row.get("detail") or ""
        )
    for section, table in tables.items():
        for subject in order[section]:
            by_measure = cells[(section, subject)]
            table.rows.append(
                (
                    _named_subject(subject, objectives, linker, names),
                    [by_measure.get(m) for m, _q in table.measures],
                )
            )
        if section in ("Objectives",):
            table.rows.sort(key=lambda r: _number(r[0][0].text))
    return list(tables.values())


def _number(text: str) -> tuple[int, str]:
    match = re.match(r"(\d+)", text)
    return (int(match.group(1)) if match else 10**6, text)


@dataclass
class GoalMatrix:
    goals: list[Named]
    rows: list[tuple[Named, list[int]]]
    maximum: int


def goal_matrix(release_dir: Path, linker: Linker) -> GoalMatrix | None:
    """Objectives × SDG goals: the number of the goal's targets listed for the objective."""
    nodes = _read_csv(release_dir / GRAPHS / "objective-goal-nodes.csv")
    edges = _read_csv(release_dir / GRAPHS / "objective-goal-edges.csv")
    if not nodes:
        return None
    goals = sorted(
        ((int(n["goal"] or n["number"]), n) for n in nodes if n["kind"] == "goal"),
        key=lambda p: p[0],
    )
    objectives = sorted(
        ((int(n["number"]), n) for n in nodes if n["kind"] == "objective"), key=lambda p: p[0]
    )
    weight = {(e["source"], e["target"]): int(e["weight"]) for e in edges}
    rows = []
    for number, node in objectives:
        counts = [weight.get((node["id"], goal["id"]), 0) for _g, goal in goals]
        rows.append(
            (Named(f"{number}. {node['name']}", linker.href(node["id"]), node["name"]), counts)
        )
    return GoalMatrix(
        [Named(str(g), linker.href(goal["id"]), goal.get("name", "")) for g, goal in goals],
        rows,
        max((c for _n, counts in rows for c in counts), default=0),
    )


def network_json(release_dir: Path, linker: Linker) -> dict | None:
    """The objective projection for cytoscape.js: nodes and edges in its `elements` form."""
    nodes = _read_csv(release_dir / GRAPHS / "objective-projection-nodes.csv")
    if not nodes:
        return None
    edges = _read_csv(release_dir / GRAPHS / "objective-projection-edges.csv")
    target_names = {
        row["code"]: row["name"]
        for row in _read_csv(release_dir / GRAPHS / "objective-target-nodes.csv")
        if row.get("kind") == "target"
    }
    elements: list[dict] = []
    for node in sorted(nodes, key=lambda n: int(n["number"] or 0)):
        elements.append(
            {
                "group": "nodes",
                "data": {
                    "id": node["id"],
                    "label": node["number"],
                    "name": node["name"],
                    "href": linker.href(node["id"]),
                    "community": int(node["community"] or 0),
                    "degree": int(node["degree"] or 0),
                    "weighted_degree": int(node["weighted_degree"] or 0),
                    "all_goals": node.get("all_goals") == "true",
                },
            }
        )
    for edge in edges:
        shared = edge["shared_targets"].split()
        elements.append(
            {
                "group": "edges",
                "data": {
                    "id": f"{edge['source']}|{edge['target']}",
                    "source": edge["source"],
                    "target": edge["target"],
                    "weight": int(edge["weight"]),
                    "jaccard": float(edge["jaccard"]),
                    "shared": shared,
                    "shared_labels": [f"{c} {target_names.get(c, '')}".strip() for c in shared],
                    "label": f"{edge['source_label']} – {edge['target_label']}: "
                    f"{len(shared)} shared target(s): {', '.join(shared)}",
                },
            }
        )
    return {"graph": "objective-projection", "elements": elements}
