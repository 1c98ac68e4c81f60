"""Shared test helpers: copies of the sources that a test may damage, and one built release."""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from pyoxigraph import RdfFormat, serialize
from rdflib import Graph

from gcm_graph.config import DEFAULT_BASE_URI, RELEASE_DATE, SHAPES_DIR, SOURCES_DIR
from gcm_graph.pipeline import BuildResult, build_release
from gcm_graph.sources import load_manifest
from gcm_graph.vocab import Iris
from gcm_graph.void import void_graph
from testing.processes import alive, children  # noqa: F401  (re-exported for tests)


def copy_sources(target: Path) -> Path:
    destination = target / "sources"
    shutil.copytree(SOURCES_DIR, destination)
    return destination


def rewrite_source(
    sources_dir: Path, source_id: str, transform: Callable[[str], str], rehash: bool = True
) -> Path:
    """Change a source's text; with rehash, also its manifest hash (so that the parser sees it)."""
    manifest_path = sources_dir / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    entry = next(e for e in manifest["sources"] if e["id"] == source_id)
    path = sources_dir / entry["file"]
    path.write_text(transform(path.read_text(encoding="utf-8")), encoding="utf-8")
    if rehash:
        entry["sha256"] = hashlib.sha256(path.read_bytes()).hexdigest()
        manifest_path.write_text(json.dumps(manifest, indent=2))
    return path


def line_number(path: Path, needle: str) -> int:
    """The 1-based number of the first line containing needle (tests find lines by content)."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in {path}")


@pytest.fixture(scope="session")
def fresh_release(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    """One release built from the repository's sources, shared by the tests that only read it."""
    return build_release(tmp_path_factory.mktemp("release") / "build")


def damaged(graph, remove=(), add=()):
    """A copy of graph with some triples removed and others added (for negative shape tests)."""
    copy = graph.__class__()
    for triple in graph:
        copy.add(triple)
    for triple in remove:
        copy.remove(triple)
    for triple in add:
        copy.add(triple)
    return copy


def write_void(directory: Path, quads: list) -> Path:
    """The release's void.ttl, as the build writes it (gcm_graph/void.py, the one generator), for
    a fixture release made of `quads` (pyoxigraph Quads)."""
    sizes: dict[str, int] = {}
    for quad in quads:
        if hasattr(quad.graph_name, "value"):
            sizes[quad.graph_name.value] = sizes.get(quad.graph_name.value, 0) + 1
    triples = sorted({quad.triple for quad in quads}, key=str)
    merged = Graph().parse(data=serialize(triples, format=RdfFormat.N_TRIPLES), format="nt")
    sources = list(load_manifest(SOURCES_DIR).values())
    void = void_graph(Iris(DEFAULT_BASE_URI), sources, merged, sizes, directory, RELEASE_DATE)
    path = directory / "void.ttl"
    path.write_text(void.serialize(format="turtle"), encoding="utf-8")
    return path


def release_files(root: Path) -> dict[str, bytes]:
    """Every file of a release, analysis included, by its path relative to the release."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def differing_files(expected: dict[str, bytes], actual: dict[str, bytes]) -> list[str]:
    """The paths whose bytes differ, or that only one side has."""
    return sorted(
        name for name in expected.keys() | actual.keys() if expected.get(name) != actual.get(name)
    )


def stricter_shapes(directory: Path) -> Path:
    """A copy of the shapes with one rule the real data breaks: every objective must have at
    least 13 actions (for tests of a failed validation)."""
    shapes = directory / "shapes"
    shutil.copytree(SHAPES_DIR, shapes)
    core = shapes / "core.ttl"
    core.write_text(
        core.read_text().replace(
            "sh:path gcm:hasAction ; sh:minCount 1 ;", "sh:path gcm:hasAction ; sh:minCount 13 ;"
        )
    )
    return shapes


SDG_SCHEME_TURTLE = """<http://metadata.un.org/sdg> a skos:ConceptScheme ;
    skos:prefLabel "SDG Taxonomy"@en ;
    skos:hasTopConcept sdg:1, sdg:2, sdg:3, sdg:4, sdg:5, sdg:6, sdg:7, sdg:8, sdg:9, sdg:10,
        sdg:11, sdg:12, sdg:13, sdg:14, sdg:15, sdg:16, sdg:17 ;
    prov:wasDerivedFrom <{span}> .
"""


def sdg_goals_turtle(span: str, targets: dict[int, list[str]], skip: tuple[int, ...] = ()) -> str:
    """Turtle of SDG goals (all 17 but `skip`) as the SKOS vocabulary states them, for shape
    tests: each goal a top concept of the SDG scheme, narrower its targets (`targets[n]`, default
    n.1), each target broader its goal. Prefixes sdg, sdgo, skos and prov are the caller's."""
    scheme = "<http://metadata.un.org/sdg>"
    parts = []
    for n in (g for g in range(1, 18) if g not in skip):
        codes = targets.get(n, [f"{n}.1"])
        narrower = ", ".join(f"sdg:{c}" for c in codes)
        parts.append(
            f"""sdg:{n} a sdgo:Goal, skos:Concept ; skos:notation "{n}"^^sdgo:SDGCodeCompact ;
    skos:prefLabel "Goal {n}"@en ; skos:narrower {narrower} ;
    skos:inScheme {scheme} ; skos:topConceptOf {scheme} ; prov:wasDerivedFrom <{span}> .
"""
        )
        parts += [
            f"""sdg:{c} a sdgo:Target, skos:Concept ; skos:notation "{c}"^^sdgo:SDGCodeCompact ;
    skos:broader sdg:{n} ; skos:inScheme {scheme} ; skos:prefLabel "Target {c}"@en ;
    prov:wasDerivedFrom <{span}> .
"""
            for c in codes
        ]
    return "".join(parts)


def models_context(sources, *builders):
    """A build context with the given model builders run (a part of the build, for model tests)."""
    from gcm_graph.context import BuildContext
    from gcm_graph.extract.resolution import parse_resolution
    from gcm_graph.pipeline import build_models
    from gcm_graph.vocab import Iris

    ctx = BuildContext(
        Iris("https://w3id.org/gcm/"), sources, parse_resolution(sources["resolution"])
    )
    build_models(ctx, builders)
    return ctx


def spans_of(graph, node) -> set[tuple[str, int, int]]:
    """(file, first line, last line) of each span `node` is prov:wasDerivedFrom."""
    from rdflib.namespace import PROV

    from gcm_graph.vocab import GCM

    return {
        (
            str(graph.value(graph.value(span, GCM.inSource), GCM.fileName)),
            int(graph.value(span, GCM.firstLine)),
            int(graph.value(span, GCM.lastLine)),
        )
        for span in graph.objects(node, PROV.wasDerivedFrom)
    }
