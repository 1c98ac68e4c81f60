"""Bad sources stop the build with `file:line: what was expected`, and nothing is lost."""

from __future__ import annotations

import re

import pytest

from gcm_graph.cli import main
from gcm_graph.errors import SourceError
from gcm_graph.pipeline import build_release

from support import copy_sources, line_number, rewrite_source

RESOLUTION_FILE = "un-ga-resolution-A-RES-73-195-gcm.txt"


def build_error(sources_dir, tmp_path) -> SourceError:
    with pytest.raises(SourceError) as caught:
        build_release(tmp_path / "build", sources_dir=sources_dir, analysis=False)
    return caught.value


def test_hash_mismatch_names_the_file(tmp_path):
    sources = copy_sources(tmp_path)
    rewrite_source(sources, "resolution", lambda t: t.replace("Morocco", "Marocco"), rehash=False)
    error = build_error(sources, tmp_path)
    assert str(error).startswith(f"{RESOLUTION_FILE}:1: expected sha256 89fac304")
    assert not (tmp_path / "build").exists()


def test_truncated_resolution(tmp_path):
    sources = copy_sources(tmp_path)
    # Cut the text in the middle of Objective 14's actions.
    path = rewrite_source(
        sources, "resolution", lambda t: t[: t.index("(d) Strengthen consular capacities")]
    )
    error = build_error(sources, tmp_path)
    assert error.path.name == RESOLUTION_FILE
    assert "expected a heading 'implementation'" in str(error)
    assert error.line == len(path.read_text().splitlines())


def test_missing_objective(tmp_path):
    sources = copy_sources(tmp_path)
    start = "### Objective 4: Ensure that all migrants"
    path = rewrite_source(
        sources,
        "resolution",
        lambda t: t[: t.index(start)] + t[t.index("### Objective 5: Enhance availability") :],
    )
    error = build_error(sources, tmp_path)
    # The section that now stands fourth is Objective 5's: its heading is where 4 was expected.
    assert error.line == line_number(path, "### Objective 5: Enhance availability")
    assert re.search(r"expected the heading of Objective 4, found 'Objective 5:", str(error))


def test_repeated_action_letter(tmp_path):
    sources = copy_sources(tmp_path)
    path = rewrite_source(
        sources,
        "resolution",
        lambda t: t.replace(
            "- (e) Account for migrant children", "- (d) Account for migrant children"
        ),
    )
    error = build_error(sources, tmp_path)
    assert error.line == line_number(path, "- (d) Account for migrant children")
    assert "expected action (e) of Objective 7, found 'Account for migrant children" in str(error)


def test_repeated_letter_in_the_objective_list(tmp_path):
    sources = copy_sources(tmp_path)
    path = rewrite_source(
        sources,
        "objective-list",
        lambda t: t.replace("- c. Develop a global", "- b. Develop a global"),
    )
    error = build_error(sources, tmp_path)
    assert error.path.name == "gcm-objectives-and-actions-list.txt"
    assert error.line == line_number(path, "- b. Develop a global")
    assert "expected action 'c.' of Objective 1" in str(error)


def test_failed_build_leaves_the_previous_release_intact(tmp_path):
    out = tmp_path / "build"
    build_release(out, analysis=False)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    sources = copy_sources(tmp_path)
    rewrite_source(
        sources,
        "resolution",
        lambda t: t.replace("- (b) Improve international", "- (c) Improve international"),
    )
    with pytest.raises(SourceError):
        build_release(out, sources_dir=sources, analysis=False)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["build", "sources"]


def test_cli_exit_code_2_on_bad_input(tmp_path, capsys):
    sources = copy_sources(tmp_path)
    rewrite_source(sources, "resolution", lambda t: t + "x", rehash=False)
    code = main(["build", "--out", str(tmp_path / "build"), "--sources", str(sources)])
    assert code == 2
    assert f"{RESOLUTION_FILE}:1: expected sha256" in capsys.readouterr().err
