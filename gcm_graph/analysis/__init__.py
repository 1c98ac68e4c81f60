"""Network analysis of the GCM objectives and the SDG targets they serve, read from the release.

Every graph is built from named catalogue queries (sparql_queries/analysis-*.rq) run on the built
release with pyoxigraph — never from the parsers — so every number can be reproduced by a query.

    from gcm_graph.analysis import load_release, objective_target_graph, annotate, node_table

    store = load_release("build")              # build/gcm.nt (or gcm.nq) in memory
    graph = objective_target_graph(store)      # networkx.Graph, node ids = IRIs
    communities = annotate(graph)              # degree, weighted_degree, betweenness,
                                               # eigenvector, community on every node
    rows = node_table(graph)                   # plain dicts, one per node
    table = run_query(store, "analysis-objective-pairs")   # the rows of a catalogue query

    analyze("build", "build/analysis")         # everything: graphs/, figures/, summary.*

Graphs: objective_target_graph, objective_goal_graph, objective_projection (weight = shared
targets, jaccard), target_projection (weight = objectives listing both),
objective_instrument_graph, objective_country_graph; build_graphs(store) gives all of them.
"""

from .exports import edge_table, export_graph, node_table, write_gexf, write_graphml
from .graphs import (
    build_graphs,
    objective_country_graph,
    objective_goal_graph,
    objective_instrument_graph,
    objective_projection,
    objective_target_graph,
    target_projection,
)
from .metrics import (
    SEED,
    annotate,
    betweenness,
    bipartite_density,
    communities,
    eigenvector,
    objectives_without_shared_target,
    overlaps,
    weighted_degree,
)
from .queries import Table, analysis_queries, load_release, run_query
from .run import AnalysisResult, analyze
from .summary import SummaryRow, summarize

__all__ = [
    "SEED",
    "AnalysisResult",
    "SummaryRow",
    "Table",
    "analysis_queries",
    "analyze",
    "annotate",
    "betweenness",
    "bipartite_density",
    "build_graphs",
    "communities",
    "edge_table",
    "eigenvector",
    "export_graph",
    "load_release",
    "node_table",
    "objective_country_graph",
    "objective_goal_graph",
    "objective_instrument_graph",
    "objective_projection",
    "objective_target_graph",
    "objectives_without_shared_target",
    "overlaps",
    "run_query",
    "summarize",
    "target_projection",
    "weighted_degree",
    "write_gexf",
    "write_graphml",
]
