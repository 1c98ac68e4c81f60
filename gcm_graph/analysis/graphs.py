"""networkx graphs built from the analysis catalogue queries (sparql_queries/analysis-*.rq).

Node ids are the resources' IRIs (objectives `<base>objective/7`, targets
`http://metadata.un.org/sdg/10.7`, goals `http://metadata.un.org/sdg/10`, ...), so that a node can
be looked up in the knowledge graph. Every node has `kind` ('objective', 'target', 'goal',
'instrument' or 'country'), `label` (short: "Objective 7", "10.7", "SDG 10"), `name` (the title or
official text) and `colour` (hex; targets and goals in their SDG's official colour); objectives
have `number` and `all_goals` (the booklet says all SDGs are relevant — not expanded into links);
targets `code` and `goal`; goals `number` and `goal`. Bipartite graphs mark objectives
`bipartite=0` and the other side `bipartite=1` (networkx's convention). Every edge has a numeric
`weight`. Nodes and edges are inserted in a stable order (objectives by number, targets in the
UN's order), so that layouts, communities and exports do not depend on the order of query rows.

`graph.graph["queries"]` names the queries (space-separated) the graph was built from.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import networkx as nx
from pyoxigraph import Store

from .queries import Table, run_query

OBJECTIVE_COLOUR = "#009EDB"  # UN blue
INSTRUMENT_COLOUR = "#7F7F7F"
COUNTRY_COLOUR = "#8C564B"
# The official colours of the 17 goals (UN Department of Global Communications, "Guidelines for
# the use of the SDG logo", colour definitions).
SDG_COLOURS = {
    1: "#E5243B",
    2: "#DDA63A",
    3: "#4C9F38",
    4: "#C5192D",
    5: "#FF3A21",
    6: "#26BDE2",
    7: "#FCC30B",
    8: "#A21942",
    9: "#FD6925",
    10: "#DD1367",
    11: "#FD9D24",
    12: "#BF8B2E",
    13: "#3F7E44",
    14: "#0A97D9",
    15: "#56C02B",
    16: "#00689D",
    17: "#19486A",
}

OBJECTIVE_TARGET = "objective-target"
OBJECTIVE_GOAL = "objective-goal"
OBJECTIVE_PROJECTION = "objective-projection"
TARGET_PROJECTION = "target-projection"
OBJECTIVE_INSTRUMENT = "objective-instrument"
OBJECTIVE_COUNTRY = "objective-country"

Q_OBJECTIVES = "analysis-objectives"
Q_OBJECTIVE_TARGETS = "analysis-objective-targets"
Q_GOALS = "analysis-goals"
Q_OBJECTIVE_GOALS = "analysis-objective-goals"
Q_OBJECTIVE_PAIRS = "analysis-objective-pairs"
Q_TARGET_PAIRS = "analysis-target-pairs"
Q_OBJECTIVE_INSTRUMENTS = "analysis-objective-instruments"
Q_OBJECTIVE_COUNTRIES = "analysis-objective-countries"


def code_key(code: str) -> tuple[int, int, int | str]:
    """Sort key for target codes in the UN's order: 10.2 < 10.10 < 10.a."""
    goal, _, target = code.partition(".")
    return (int(goal), 0, int(target)) if target.isdigit() else (int(goal), 1, target)


def numbers_key(text: str) -> list[int]:
    return sorted(int(n) for n in text.split())


# --- nodes ------------------------------------------------------------------------------------


def add_objectives(graph: nx.Graph, objectives: Table) -> None:
    for row in sorted(objectives, key=lambda r: r["number"]):
        graph.add_node(
            row["objective"],
            kind="objective",
            bipartite=0,
            label=f"Objective {row['number']}",
            name=row["title"] or "",
            number=row["number"],
            all_goals=bool(row["allGoals"]),
            colour=OBJECTIVE_COLOUR,
        )


def add_targets(graph: nx.Graph, links: Table) -> None:
    targets = {row["target"]: row for row in links}
    for iri, row in sorted(targets.items(), key=lambda item: code_key(item[1]["code"])):
        graph.add_node(
            iri,
            kind="target",
            bipartite=1,
            label=row["code"],
            name=row["label"] or "",
            code=row["code"],
            goal=row["goalNumber"],
            colour=SDG_COLOURS.get(row["goalNumber"], "#000000"),
        )


def add_goal(graph: nx.Graph, row: dict) -> None:
    graph.add_node(
        row["goal"],
        kind="goal",
        bipartite=1,
        label=f"SDG {row['number']}",
        name=row["shortName"] or row["title"] or "",
        number=row["number"],
        goal=row["number"],
        colour=SDG_COLOURS.get(row["number"], "#000000"),
    )


def new_graph(name: str, *queries: str) -> nx.Graph:
    return nx.Graph(name=name, queries=" ".join(queries))


# --- the graphs --------------------------------------------------------------------------------


def objective_target_graph(store: Store) -> nx.Graph:
    """Objectives (all 23) and the SDG targets the booklet lists for them; one edge per listing."""
    return objective_target_from(
        run_query(store, Q_OBJECTIVES), run_query(store, Q_OBJECTIVE_TARGETS)
    )


def objective_target_from(objectives: Table, links: Table) -> nx.Graph:
    graph = new_graph(OBJECTIVE_TARGET, objectives.query, links.query)
    add_objectives(graph, objectives)
    add_targets(graph, links)
    for row in sorted(links, key=lambda r: (r["number"], code_key(r["code"]))):
        graph.add_edge(row["objective"], row["target"], weight=1)
    return graph


def objective_goal_graph(store: Store) -> nx.Graph:
    """Objectives and the goals of their listed targets; weight = listed targets in the goal."""
    objectives = run_query(store, Q_OBJECTIVES)
    goals = run_query(store, Q_GOALS)
    links = run_query(store, Q_OBJECTIVE_GOALS)
    graph = new_graph(OBJECTIVE_GOAL, objectives.query, goals.query, links.query)
    add_objectives(graph, objectives)
    linked = {row["goal"] for row in links}
    for row in goals:
        if row["goal"] in linked:
            add_goal(graph, row)
    for row in sorted(links, key=lambda r: (r["number"], r["goalNumber"])):
        graph.add_edge(row["objective"], row["goal"], weight=row["targets"])
    return graph


def objective_projection(store: Store) -> nx.Graph:
    """Objectives linked when they list a target in common: weight = shared targets, jaccard."""
    return objective_projection_from(
        run_query(store, Q_OBJECTIVES), run_query(store, Q_OBJECTIVE_PAIRS)
    )


def objective_projection_from(objectives: Table, pairs: Table) -> nx.Graph:
    graph = new_graph(OBJECTIVE_PROJECTION, objectives.query, pairs.query)
    add_objectives(graph, objectives)
    for row in sorted(pairs, key=lambda r: (r["numberA"], r["numberB"])):
        graph.add_edge(
            row["objectiveA"],
            row["objectiveB"],
            weight=row["shared"],
            jaccard=round(row["jaccard"], 6),
            shared_targets=" ".join(sorted(row["sharedCodes"].split(), key=code_key)),
        )
    return graph


def target_projection(store: Store) -> nx.Graph:
    """Targets linked when one objective lists both: weight = objectives listing both."""
    links = run_query(store, Q_OBJECTIVE_TARGETS)
    pairs = run_query(store, Q_TARGET_PAIRS)
    graph = new_graph(TARGET_PROJECTION, links.query, pairs.query)
    add_targets(graph, links)
    for row in sorted(pairs, key=lambda r: (code_key(r["codeA"]), code_key(r["codeB"]))):
        numbers = numbers_key(row["objectiveNumbers"])
        graph.add_edge(
            row["targetA"],
            row["targetB"],
            weight=row["objectives"],
            objectives=" ".join(map(str, numbers)),
        )
    return graph


def objective_instrument_graph(store: Store) -> nx.Graph:
    """Objectives and the instruments their commitment or actions name; weight = naming
    resources (the commitment and each action)."""
    objectives = run_query(store, Q_OBJECTIVES)
    links = run_query(store, Q_OBJECTIVE_INSTRUMENTS)
    graph = new_graph(OBJECTIVE_INSTRUMENT, objectives.query, links.query)
    add_objectives(graph, objectives)
    instruments = {row["instrument"]: row for row in links}
    for iri, row in sorted(instruments.items(), key=lambda item: item[0]):
        name = row["name"] or _last_segment(iri)
        attributes = {"acronym": row["acronym"]} if row["acronym"] else {}
        graph.add_node(
            iri,
            kind="instrument",
            bipartite=1,
            label=min((n for n in (row["shortName"], name) if n), key=len),
            name=name,
            colour=INSTRUMENT_COLOUR,
            **attributes,
        )
    for row in sorted(links, key=lambda r: (r["number"], r["instrument"])):
        graph.add_edge(row["objective"], row["instrument"], weight=row["namedBy"])
    return graph


def objective_country_graph(store: Store) -> nx.Graph:
    """Objectives and the countries of the practices illustrating them; weight = practices."""
    objectives = run_query(store, Q_OBJECTIVES)
    links = run_query(store, Q_OBJECTIVE_COUNTRIES)
    graph = new_graph(OBJECTIVE_COUNTRY, objectives.query, links.query)
    add_objectives(graph, objectives)
    countries = {row["country"]: row for row in links}
    for iri, row in sorted(countries.items()):
        code = row["code"] or _last_segment(iri)
        graph.add_node(
            iri,
            kind="country",
            bipartite=1,
            label=code,
            name=row["label"] or code,
            code=code,
            colour=COUNTRY_COLOUR,
        )
    for row in sorted(links, key=lambda r: (r["number"], r["country"])):
        graph.add_edge(row["objective"], row["country"], weight=row["practices"])
    return graph


def _last_segment(iri: str) -> str:
    return re.split(r"[/#]", iri.rstrip("/"))[-1]


GRAPH_BUILDERS: dict[str, Callable[[Store], nx.Graph]] = {
    OBJECTIVE_TARGET: objective_target_graph,
    OBJECTIVE_GOAL: objective_goal_graph,
    OBJECTIVE_PROJECTION: objective_projection,
    TARGET_PROJECTION: target_projection,
    OBJECTIVE_INSTRUMENT: objective_instrument_graph,
    OBJECTIVE_COUNTRY: objective_country_graph,
}


def build_graphs(store: Store) -> dict[str, nx.Graph]:
    """Every analysis graph, by name, in a fixed order."""
    return {name: build(store) for name, build in GRAPH_BUILDERS.items()}


def objective_nodes(graph: nx.Graph) -> list[str]:
    return [n for n, kind in graph.nodes(data="kind") if kind == "objective"]


def other_nodes(graph: nx.Graph) -> list[str]:
    return [n for n, kind in graph.nodes(data="kind") if kind != "objective"]
