"""The package works when installed from its wheel, outside the checkout.

The wheel is built from a copy of what pyproject.toml packages (no network: this venv's
setuptools, no build isolation), installed into a fresh venv that borrows the dependencies from
this one (a .pth line; nothing is downloaded), and the installed `gcm-graph` runs in an empty
directory: build, query (with the default ./build and with --release), serve. Ontology, shapes,
query catalogue and sources must come from the wheel (importlib.resources), not the checkout.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest
import requests
from cli_support import GUARD_S, run, serving
from conftest import COMMITTED_RELEASE, REPOSITORY

pytestmark = pytest.mark.slow

PACKAGED = ("pyproject.toml", "README.md", "gcm_graph", "ontology", "shapes", "sources")
PACKAGED += ("sparql_queries",)
DATA = (
    "resources/ontology/gcm.ttl",
    "resources/shapes/core.ttl",
    "resources/sources/manifest.json",
)
DATA += ("resources/sparql_queries/objective-targets.rq",)
DATA += (  # the vendored editor and network view, with their licences
    "serve/http/static/vendor/yasgui/yasgui.min.js",
    "serve/http/static/vendor/yasgui/LICENSE",
    "serve/http/static/vendor/cytoscape/cytoscape.min.js",
    "serve/http/static/vendor/VENDORED.md",
    "serve/http/static/editor.js",
)


def checked(command: list[str], **options) -> str:
    done = subprocess.run(command, capture_output=True, text=True, timeout=GUARD_S, **options)
    assert done.returncode == 0, (command, done.stdout[-2000:], done.stderr[-3000:])
    return done.stdout


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel, built from a copy of what pyproject.toml packages."""
    root = tmp_path_factory.mktemp("wheel")
    project = root / "project"
    for name in PACKAGED:
        source = REPOSITORY / name
        if source.is_dir():
            shutil.copytree(source, project / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            project.mkdir(exist_ok=True)
            shutil.copy(source, project / name)
    dist = root / "dist"
    pip = [sys.executable, "-m", "pip"]
    checked([*pip, "wheel", "--no-deps", "--no-build-isolation", "--no-index", "-w", dist, project])
    (wheel,) = dist.glob("gcm_graph-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    assert {f"gcm_graph/{path}" for path in DATA} <= names
    assert not any(name.startswith(("tests/", "testing/", "build/")) for name in names)
    return wheel


@pytest.fixture(scope="module")
def installed(wheel: Path) -> Path:
    """The bin/ directory of a fresh venv with the wheel installed."""
    venv = wheel.parent.parent / "venv"
    pip = [sys.executable, "-m", "pip"]
    checked([sys.executable, "-m", "venv", "--without-pip", venv])
    python = venv / "bin" / "python"
    site = checked([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"])
    # The dependencies, borrowed from this environment (a plain path: its .pth files, among them
    # the editable install of the checkout, are not run).
    (Path(site.strip()) / "borrowed-dependencies.pth").write_text(
        sysconfig.get_paths()["purelib"] + "\n"
    )
    checked([*pip, "--python", python, "install", "--no-deps", "--no-index", "--quiet", wheel])
    return venv / "bin"


def test_the_wheel_builds_queries_and_serves_outside_the_checkout(
    installed: Path, tmp_path: Path
) -> None:
    program = str(installed / "gcm-graph")
    where = checked(
        [
            installed / "python",
            "-c",
            "import gcm_graph.config as c; print(c.__file__, c.SHAPES_DIR)",
        ],
        cwd=tmp_path,
    )
    assert str(REPOSITORY) not in where and str(installed.parent) in where, where

    out = tmp_path / "build"
    built = run("build", "--out", str(out), "--no-analysis", cwd=tmp_path, program=program)
    assert built.returncode == 0, built.stderr
    for name in ("gcm.nq", "gcm.nt", "void.ttl", "ontology.ttl", "manifest.json"):
        assert (out / name).read_bytes() == (COMMITTED_RELEASE / name).read_bytes(), name

    by_default = run("query", "objective-targets", cwd=tmp_path, program=program)  # ./build
    explicit = run("query", "objective-targets", "--release", str(out), program=program)
    assert by_default.returncode == explicit.returncode == 0, by_default.stderr
    assert by_default.stdout == explicit.stdout and "10.7" in explicit.stdout

    with serving("--release", str(out), cwd=tmp_path, program=program) as server:
        response = requests.get(
            server.url + "sparql",
            params={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "format": "json"},
            timeout=60,
        )
        assert response.status_code == 200, response.text
        assert int(response.json()["results"]["bindings"][0]["n"]["value"]) > 20_000
        assert requests.get(server.url + "ontology", timeout=60).status_code == 200
        for shipped in ("openapi.yaml", "context.jsonld"):  # package data, served from the wheel
            assert requests.get(server.url + shipped, timeout=60).status_code == 200, shipped


def test_every_data_file_is_in_the_wheel(wheel: Path) -> None:
    """Every file of the data directories (sources/, ontology/, shapes/, sparql_queries/, at any
    depth: sources/countries/countries.csv too) is in the wheel, where the package finds it: a
    new file that pyproject's package-data does not match fails here, not in a user's build."""
    import tomllib

    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    setuptools = tomllib.loads((REPOSITORY / "pyproject.toml").read_text())["tool"]["setuptools"]
    missing, checked = [], 0
    for package, directory in setuptools["package-dir"].items():
        prefix = package.replace(".", "/")
        for path in sorted((REPOSITORY / directory).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                checked += 1
                name = f"{prefix}/{path.relative_to(REPOSITORY / directory).as_posix()}"
                if name not in names:
                    missing.append(name)
    assert checked > 50 and not missing, missing
    assert not any(name.endswith(".pyc") for name in names)


def test_every_package_is_in_the_wheel_list() -> None:
    """pyproject.toml lists the packages (the data directories are mapped into the package): a
    new subpackage missing from the list would be missing from the wheel."""
    import tomllib

    setuptools = tomllib.loads((REPOSITORY / "pyproject.toml").read_text())["tool"]["setuptools"]
    listed = set(setuptools["packages"])
    found = {
        ".".join(init.parent.relative_to(REPOSITORY).parts)
        for init in (REPOSITORY / "gcm_graph").rglob("__init__.py")
    }
    mapped = set(setuptools["package-dir"])
    assert found <= listed and listed - found == mapped
    for package, directory in setuptools["package-dir"].items():
        assert (REPOSITORY / directory / "__init__.py").is_file(), package
