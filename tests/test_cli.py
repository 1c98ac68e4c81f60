"""Contract of every `gcm-graph` command, run as users run it: the installed console script in a
subprocess, its exit code (0 ok, 1 SHACL violation, 2 bad input, 3 the store failed), stdout and
stderr, mistakes included (one clear line, never a traceback). `publish` and `serve --backend`
need the test Virtuoso (tests/test_virtuoso.py): skipped without it, except in CI."""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import json
import re
import shutil
import signal
import socket
import tomllib
from pathlib import Path

import pytest
import requests
from cli_support import error_line, one_line_error, run, serving
from conftest import COMMITTED_RELEASE, FIXTURE_RELEASE, REPOSITORY
from test_virtuoso import virtuoso  # noqa: F401  (fixture)

from gcm_graph.cli import parser
from gcm_graph.config import DEFAULT_BASE_URI, SHAPES_DIR, SOURCES_DIR
from testing.virtuoso import Virtuoso

from support import copy_sources, line_number, rewrite_source

pytestmark = pytest.mark.slow

RESOLUTION_FILE = "un-ga-resolution-A-RES-73-195-gcm.txt"
ASK_OBJECTIVE_7 = f"ASK {{ <{DEFAULT_BASE_URI}objective/7> ?p ?o }}"


# --- the parser itself: version, help, README ----------------------------------------------------


def test_version_is_the_installed_distribution() -> None:
    result = run("--version")
    project = tomllib.loads((REPOSITORY / "pyproject.toml").read_text(encoding="utf-8"))
    assert result.returncode == 0 and result.stderr == ""
    assert result.stdout == f"gcm-graph {project['project']['version']}\n"


# Options whose absence means "off" or "not given": they have no default to show.
WITHOUT_DEFAULT = {
    "--timings",
    "--no-analysis",
    "--backend",
    "--to",
    "--update",
    "--query",
    "--force",
}


def option_helps(help_text: str) -> dict[str, str]:
    """Each option's entry in a command's --help, its lines joined, by option name."""
    entries = re.split(r"\n  (?=-)", help_text.split("options:\n", 1)[1])
    return {entry.split()[0].rstrip(","): " ".join(entry.split()) for entry in entries}


def test_help_lists_every_command_and_serve_help_shows_defaults() -> None:
    top = run("--help")
    assert top.returncode == 0
    for command in ("build", "validate", "serve", "query", "analyze", "publish"):
        assert re.search(rf"^\s+{command}\s+\w", top.stdout, re.MULTILINE), command
    serve = run("serve", "--help")
    assert serve.returncode == 0
    text = " ".join(serve.stdout.split())
    for default in (
        "address to listen on (default: 127.0.0.1)",
        "(0: any free) (default: 8000)",
        "seconds a query may run (default: 10.0)",
        "release directory (default: $GCM_RELEASE, else ./build)",
        "(default: auto)",
        "query worker processes (default: 2 to 4, by CPU count)",
        "IRI base of the release (default: $GCM_BASE_URI or w3id)",
        "user name at the store (default: $GCM_STORE_USER)",
    ):
        assert default in text, default


@pytest.mark.parametrize("command", ["build", "validate", "serve", "publish", "query", "analyze"])
def test_every_option_shows_its_default_exactly_once(command: str) -> None:
    result = run(command, "--help")
    assert result.returncode == 0 and result.stderr == ""
    assert "(default: None)" not in result.stdout and "(default: False)" not in result.stdout
    entries = option_helps(result.stdout)
    assert "--release" in entries or "--out" in entries or command == "validate"
    for option, entry in entries.items():
        if option == "-h":
            continue
        expected = 0 if option in WITHOUT_DEFAULT else 1
        assert entry.count("default") == expected, f"{command} {option}: {entry}"


def readme_commands() -> dict[str, list[tuple[str, str]]]:
    """The rows of the README's command table, (command cell, exit codes cell), by command
    name (`serve` has two rows: the embedded store and --backend; `--version` has its own)."""
    readme = (REPOSITORY / "README.md").read_text(encoding="utf-8")
    table = readme.split("## Commands", 1)[1].split("\n\n", 2)[1]
    rows: dict[str, list[tuple[str, str]]] = {}
    for line in table.splitlines():
        found = re.match(r"\| (`gcm-graph ([\w-]+).*?) \| .* \| (.*) \|$", line)
        if found:
            rows.setdefault(found.group(2), []).append((found.group(1), found.group(3)))
    return rows


def test_readme_command_table_lists_every_command_and_option() -> None:
    subcommands = next(
        action for action in parser()._actions if isinstance(action, argparse._SubParsersAction)
    )
    rows = readme_commands()
    assert set(rows) == {*subcommands.choices, "--version"}
    assert [cell for cell, _ in rows["serve"]][1].startswith("`gcm-graph serve --backend URL")
    for name, command in subcommands.choices.items():
        cells = " ".join(cell for cell, _ in rows[name])
        for action in command._actions:
            for option in action.option_strings:
                if option not in ("-h", "--help"):
                    assert re.search(rf"{option}\b", cells), f"README: {name} {option}"
    for name_rows in rows.values():
        for cell, codes in name_rows:
            assert re.match(r"0\b", codes), f"README: no exit codes for {cell}"
    readme = (REPOSITORY / "README.md").read_text(encoding="utf-8")
    codes = " ".join(readme.split("## Commands", 1)[1].split("Exit codes:", 1)[1].split()[:40])
    for code in ("0 success", "1 the graph breaks a SHACL shape", "2 bad input", "3 the store"):
        assert code in codes


def test_store_credentials_are_given_one_way_to_publish_and_serve_backend() -> None:
    """The README's one way (--store-user or $GCM_STORE_USER, the password only from
    $GCM_STORE_PASSWORD) is what both commands accept: the same option, and no password option."""
    readme = " ".join((REPOSITORY / "README.md").read_text(encoding="utf-8").split())
    assert (
        "Store credentials are given the same way to `publish` and `serve --backend`: the user "
        "with `--store-user` or `$GCM_STORE_USER`, the password only in `$GCM_STORE_PASSWORD`"
    ) in readme
    for name in ("publish", "serve"):
        helps = option_helps(run(name, "--help").stdout)
        assert helps["--store-user"].endswith(
            "user name at the store (default: $GCM_STORE_USER); the password is read from "
            "$GCM_STORE_PASSWORD"
        )
        assert not [option for option in helps if "password" in option], name


# --- build and validate --------------------------------------------------------------------------


def test_build_writes_a_release_and_says_so(tmp_path: Path) -> None:
    out = tmp_path / "release"
    result = run("build", "--out", str(out), "--no-analysis", "--timings", str(tmp_path / "t"))
    assert result.returncode == 0, result.stderr
    assert re.match(
        rf"Built \d+ triples into {re.escape(str(out))}/ \(SHACL: conforms\)\n", result.stdout
    )
    assert "gcm.nq" in result.stdout and "validate ..." in result.stderr
    assert (out / "gcm.nq").read_bytes() == (COMMITTED_RELEASE / "gcm.nq").read_bytes()
    assert "validate" in json.loads((tmp_path / "t").read_text())


def test_build_from_a_missing_sources_directory(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-dir"
    result = run("build", "--out", str(tmp_path / "out"), "--sources", str(missing))
    line = error_line(result)
    assert line == f"gcm-graph build: {missing}: no such sources directory"
    assert not (tmp_path / "out").exists()


def test_invalid_utf8_in_a_source_is_file_line_and_exit_2(tmp_path: Path) -> None:
    sources = copy_sources(tmp_path)
    needle = "- (e) Account for migrant children"
    path = rewrite_source(sources, "resolution", lambda t: t)
    data = path.read_bytes()
    at = data.index(needle.encode()) + len("- (e) Acc")
    expected_line = data.count(b"\n", 0, at) + 1
    path.write_bytes(data[:at] + b"\xff" + data[at:])
    manifest = json.loads((sources / "manifest.json").read_text())
    for entry in manifest["sources"]:  # the hash agrees: the decoding is what fails
        if entry["file"] == path.name:
            entry["sha256"] = hashlib.sha256(path.read_bytes()).hexdigest()
    (sources / "manifest.json").write_text(json.dumps(manifest, indent=2))
    result = run("build", "--out", str(tmp_path / "out"), "--sources", str(sources))
    line = error_line(result)
    assert expected_line == line_number(SOURCES_DIR / RESOLUTION_FILE, needle)  # as grep -n
    assert line.startswith(
        f"gcm-graph build: {RESOLUTION_FILE}:{expected_line}: expected UTF-8 text, found "
    )
    assert "ff at column 10" in line


def test_a_damaged_guiding_principle_is_reported_at_its_own_line(tmp_path: Path) -> None:
    """Regression: the error named the heading after the list of principles, six lines on."""
    sources = copy_sources(tmp_path)
    path = rewrite_source(
        sources,
        "resolution",
        lambda t: t.replace("- (j) Whole-of-society approach.", "Whole-of-society approach."),
    )
    result = run("validate", "--sources", str(sources))
    line = one_line_error(result)
    edited = line_number(path, "Whole-of-society approach. The Global Compact promotes")
    assert line.startswith(
        f"gcm-graph validate: {RESOLUTION_FILE}:{edited}: expected guiding principle (j)"
    )


def test_validate_prints_the_shacl_report() -> None:
    result = run("validate")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "SHACL validation: the graph conforms to every shape.\n"


# --- query ---------------------------------------------------------------------------------------


def test_query_runs_a_catalogue_query_in_each_format() -> None:
    table = run("query", "objective-targets", "--release", str(FIXTURE_RELEASE))
    assert table.returncode == 0, table.stderr
    assert table.stdout.splitlines()[-1].startswith("(") and table.stderr == ""
    as_csv = run("query", "objective-targets", "--release", str(FIXTURE_RELEASE), "--format", "csv")
    header = next(csv.reader(io.StringIO(as_csv.stdout)))
    assert as_csv.returncode == 0 and header == ["code", "target", "text"]
    as_json = run(
        "query", "objective-targets", "--release", str(FIXTURE_RELEASE), "--format", "json"
    )
    assert as_json.returncode == 0 and "results" in json.loads(as_json.stdout)


def test_query_of_a_missing_file_says_file_not_found(tmp_path: Path) -> None:
    missing = tmp_path / "nothing.rq"
    line = one_line_error(run("query", str(missing), "--release", str(FIXTURE_RELEASE)))
    assert line == f"gcm-graph query: {missing}: file not found"
    line = one_line_error(run("query", "no-such-query", "--release", str(FIXTURE_RELEASE)))
    assert line.startswith("gcm-graph query: no catalogue query 'no-such-query'; known: ")


def test_query_without_a_release(tmp_path: Path) -> None:
    line = one_line_error(run("query", "objective-targets", "--release", str(tmp_path)))
    assert line == (
        f"gcm-graph query: {tmp_path}/gcm.nq: no release found; run `gcm-graph build` first"
    )


# --- analyze -------------------------------------------------------------------------------------


def test_analyze_writes_the_analysis(tmp_path: Path) -> None:
    result = run("analyze", "--release", str(COMMITTED_RELEASE), "--out", str(tmp_path / "a"))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Wrote ") and (tmp_path / "a" / "summary.json").is_file()


def test_analyze_without_a_release(tmp_path: Path) -> None:
    line = error_line(run("analyze", "--release", str(tmp_path), "--out", str(tmp_path / "a")))
    assert line.startswith("gcm-graph analyze: ") and str(tmp_path) in line


# --- serve ---------------------------------------------------------------------------------------


def test_serve_answers_queries_and_stops_on_ctrl_c() -> None:
    with serving("--release", str(FIXTURE_RELEASE)) as server:
        response = requests.get(
            server.url + "sparql", params={"query": ASK_OBJECTIVE_7, "format": "json"}, timeout=60
        )
        assert response.status_code == 200 and response.json()["boolean"] is True
    assert any("SPARQL endpoint" in line for line in server.stderr)


def test_serve_stops_on_sigterm_like_on_ctrl_c() -> None:
    """`kill PID` (what a service manager sends) stops it cleanly too: exit code 0."""
    with serving("--release", str(FIXTURE_RELEASE), stop=signal.SIGTERM) as server:
        response = requests.get(
            server.url + "sparql", params={"query": ASK_OBJECTIVE_7}, timeout=60
        )
        assert response.status_code == 200


def test_serve_on_a_port_in_use_is_one_line_and_exit_2() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run("serve", "--release", str(FIXTURE_RELEASE), "--port", str(port))
    line = one_line_error(result)
    assert line == (
        f"gcm-graph serve: cannot listen on 127.0.0.1:{port}: "
        "the port is already in use (choose another --port)"
    )


def test_serve_without_a_release(tmp_path: Path) -> None:
    line = one_line_error(run("serve", "--release", str(tmp_path), "--port", "0"))
    assert line.endswith("gcm.nq: no release found; run `gcm-graph build` first")


# --- publish and serve --backend (Virtuoso) -----------------------------------------------------


def store_env(virtuoso: Virtuoso) -> dict[str, str]:  # noqa: F811
    return {"GCM_STORE_USER": virtuoso.user, "GCM_STORE_PASSWORD": virtuoso.password}


def test_publish_then_publish_again(virtuoso: Virtuoso, tmp_path: Path) -> None:  # noqa: F811
    """Regression: publish crashed on its last line (a dict formatted as a number), exit 1."""
    release = tmp_path / "release"
    release.mkdir()
    for name in ("gcm.nq", "gcm.nt", "manifest.json"):
        (release / name).write_bytes((FIXTURE_RELEASE / name).read_bytes())
    first = run("publish", "--to", virtuoso.gsp, "--release", str(release), env=store_env(virtuoso))
    assert first.returncode == 0, first.stderr
    assert re.fullmatch(
        r"Release [0-9a-f]{12} published: \d+ graphs \(stage \d+\.\d s, swap \d+\.\d s\)\n",
        first.stdout,
    ), first.stdout
    assert "Traceback" not in first.stderr
    again = run(
        "publish",
        "--to",
        virtuoso.gsp,
        "--release",
        str(release),
        "--store-user",
        virtuoso.user,
        env={"GCM_STORE_PASSWORD": virtuoso.password},
    )
    assert again.returncode == 0, again.stderr
    assert "already published, nothing changed" in again.stdout


def test_publish_mistakes(virtuoso: Virtuoso, tmp_path: Path) -> None:  # noqa: F811
    env = store_env(virtuoso)
    no_release = one_line_error(run("publish", "--to", virtuoso.gsp, "--release", str(tmp_path)))
    assert no_release.endswith("no release; run `gcm-graph build` first")
    unknown = one_line_error(run("publish", "--to", "http://127.0.0.1:9/gsp", env=env))
    assert "unknown Graph Store layout" in unknown
    refused = run(
        "publish",
        "--to",
        virtuoso.gsp,
        "--release",
        str(FIXTURE_RELEASE),
        env={**env, "GCM_STORE_PASSWORD": "wrong"},
    )
    assert "HTTP 401" in one_line_error(refused, code=3)
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]  # nobody listens there
    down = run(
        "publish",
        "--to",
        f"http://127.0.0.1:{port}/sparql-graph-crud-auth",
        "--release",
        str(FIXTURE_RELEASE),
        env=env,
    )
    assert "the store did not answer" in one_line_error(down, code=3)


def test_serve_backend_answers_from_the_store_with_credentials(
    virtuoso: Virtuoso,  # noqa: F811
) -> None:
    """The same credentials as publish (GCM_STORE_USER / GCM_STORE_PASSWORD), here for the
    store's authenticated endpoint (Virtuoso asks for Digest)."""
    env = store_env(virtuoso)
    publish = run("publish", "--to", virtuoso.gsp, "--release", str(FIXTURE_RELEASE), env=env)
    assert publish.returncode == 0, publish.stderr
    args = ("--release", str(FIXTURE_RELEASE), "--backend", virtuoso.sparql_auth)
    with serving(*args, "--store-dialect", "virtuoso", env=env) as server:
        response = requests.get(
            server.url + "sparql", params={"query": ASK_OBJECTIVE_7, "format": "json"}, timeout=60
        )
        assert response.status_code == 200, response.text
        assert response.json()["boolean"] is True


def test_validate_and_build_with_malformed_shapes_say_which_file_and_exit_2(
    tmp_path: Path,
) -> None:
    shapes = tmp_path / "shapes"
    shutil.copytree(SHAPES_DIR, shapes)
    core = shapes / "core.ttl"
    has_action = "sh:path gcm:hasAction ; sh:minCount 1 ;"
    text = core.read_text(encoding="utf-8")
    assert has_action in text  # a SPARQL constraint pyshacl cannot run: once an AttributeError
    broken = has_action + ' sh:sparql [ sh:select "SELECT $this WHERE { VALUES $this { 1 } }" ] ;'
    core.write_text(text.replace(has_action, broken, 1), encoding="utf-8")
    validate = run("validate", "--shapes", str(shapes))
    assert error_line(validate).startswith(f"gcm-graph validate: {core}: malformed SHACL shapes: ")
    out = tmp_path / "out"
    build = run("build", "--out", str(out), "--no-analysis", "--shapes", str(shapes))
    assert error_line(build).startswith(f"gcm-graph build: {core}: malformed SHACL shapes: ")
    assert not out.exists() and not (tmp_path / "out.failed").exists()
