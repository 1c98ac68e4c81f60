"""Shared test helpers: copies of the sources that a test may damage, and one built release."""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from gcm_graph.config import DEFAULT_BASE_URI, SHAPES_DIR, SOURCES_DIR
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
    triples = len({quad.triple for quad in quads})
    sources = list(load_manifest(SOURCES_DIR).values())
    void = void_graph(Iris(DEFAULT_BASE_URI), sources, triples, sizes)
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
