"""The layout of gcm_graph/serve/: three parts, each with one job, and no import cycles.

    serve/__init__.py  the app factory          serve/formats.py  the one format table (shared)
    serve/http/        routes, pages, runners   serve/query/      guard, pool, store, sandbox
    serve/remote/      the --backend store      serve/cli_support.py  behind `gcm-graph serve/query`

The import graph is read statically (ast), every import counted, also those inside functions: a
cycle hidden in a function body is still a cycle for a reader and for the next refactoring.
"""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx
import pytest

import gcm_graph.serve

SERVE = Path(gcm_graph.serve.__file__).parent
PACKAGE = "gcm_graph.serve"
PARTS = ("http", "query", "remote")
TOP_LEVEL = {PACKAGE, f"{PACKAGE}.formats", f"{PACKAGE}.cli_support"}
RUNNERS = {f"{PACKAGE}.http.wsgi", f"{PACKAGE}.http.replicas"}  # they start the app: the factory


def module_name(path: Path) -> str:
    parts = path.relative_to(SERVE).with_suffix("").parts
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join((PACKAGE, *parts))


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(SERVE.rglob("*.py"))}


def imported(name: str, path: Path, known: set[str]) -> set[str]:
    """The modules of gcm_graph.serve that `name` imports (a parent package is not counted for
    importing its submodule: Python runs its __init__ first, but that is no dependency)."""
    is_package = path.name == "__init__.py"
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split(".") if is_package else name.split(".")[:-1]
                base = base[: len(base) - (node.level - 1)]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module or ""
            # `from PACKAGE import module` imports the module; `from MODULE import name`, MODULE
            # (a package's __init__ counts only when a name is taken from it)
            targets = [
                f"{source}.{alias.name}" if f"{source}.{alias.name}" in known else source
                for alias in node.names
            ]
        else:
            continue
        for target in targets:
            if target in known:
                found.add(target)
    found.discard(name)
    return found


def import_graph() -> nx.DiGraph:
    found = modules()
    graph = nx.DiGraph()
    graph.add_nodes_from(found)
    for name, path in found.items():
        graph.add_edges_from((name, target) for target in imported(name, path, set(found)))
    return graph


def part_of(module: str) -> str | None:
    rest = module.removeprefix(PACKAGE + ".").split(".")
    return rest[0] if module != PACKAGE and rest[0] in PARTS else None


def test_the_graph_sees_the_imports_it_must() -> None:
    """The reader finds relative, absolute and function-level imports (else the rest is void)."""
    graph = import_graph()
    assert graph.has_edge(f"{PACKAGE}.http.sparql", f"{PACKAGE}.query.jobs")  # from ..query.jobs
    assert graph.has_edge(f"{PACKAGE}.http.sparql", f"{PACKAGE}.formats")  # from .. import formats
    assert graph.has_edge(PACKAGE, f"{PACKAGE}.remote.client")  # inside create_app
    assert graph.has_edge(f"{PACKAGE}.query.worker", f"{PACKAGE}.query.sandbox")  # in a function


def test_a_cycle_is_found_when_there_is_one() -> None:
    graph = nx.DiGraph([("a", "b"), ("b", "c"), ("c", "a")])
    assert list(nx.simple_cycles(graph))


def test_no_import_cycles() -> None:
    cycles = sorted(sorted(c) for c in nx.simple_cycles(import_graph()))
    assert cycles == [], "import cycles in gcm_graph.serve: " + "; ".join(
        " -> ".join(c) for c in cycles
    )


def test_every_module_belongs_to_a_part() -> None:
    """No flat module creeps back: a module is in http/, query/ or remote/, or is one of the
    few shared ones at the top."""
    stray = [m for m in modules() if part_of(m) is None and m not in TOP_LEVEL]
    assert stray == []


@pytest.mark.parametrize(
    ("part", "forbidden"),
    [
        ("query", {"http", "remote"}),  # the engine knows nothing of routes or of other stores
        ("remote", {"http"}),  # the backend speaks query.jobs' interface, not HTTP routes
        ("http", {"remote"}),  # the app factory installs the backend; routes see only the engine
    ],
)
def test_parts_import_only_downwards(part: str, forbidden: set[str]) -> None:
    graph = import_graph()
    wrong = [
        (a, b)
        for a, b in graph.edges
        if part_of(a) == part
        and (part_of(b) in forbidden or b == PACKAGE)
        and not (part == "http" and a in RUNNERS)
    ]
    assert wrong == []


def test_shared_modules_import_no_part() -> None:
    graph = import_graph()
    wrong = [(a, b) for a, b in graph.edges if a == f"{PACKAGE}.formats" and b.startswith(PACKAGE)]
    assert wrong == []


def test_the_remote_backend_enters_through_its_client() -> None:
    """Outside remote/, only the app factory imports it, and only remote.client.install_backend."""
    graph = import_graph()
    users = {(a, b) for a, b in graph.edges if part_of(b) == "remote" and part_of(a) != "remote"}
    assert users == {(PACKAGE, f"{PACKAGE}.remote.client")}
