"""The analysis beside the validation: the same bytes as alone, stopped cleanly on failure."""

from __future__ import annotations

import multiprocessing
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

from gcm_graph.analysis import analyze
from gcm_graph.analysis.queries import ReleaseNotFound
from gcm_graph.background import WORKERS, AnalysisProcess
from gcm_graph.errors import ValidationFailure
from gcm_graph.pipeline import build_release
from testing.processes import wait_until_gone

from support import (  # noqa: F401  (fresh_release: a fixture)
    children,
    differing_files,
    fresh_release,
    release_files,
    stricter_shapes,
)


def test_the_analysis_with_a_pool_writes_what_it_writes_alone(fresh_release, tmp_path) -> None:  # noqa: F811
    alone = analyze(fresh_release.out_dir, tmp_path / "alone")
    with ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("spawn")) as pool:
        pooled = analyze(fresh_release.out_dir, tmp_path / "pooled", executor=pool)
    assert not differing_files(release_files(alone.out_dir), release_files(pooled.out_dir))
    assert [p.name for p in alone.files] == [p.name for p in pooled.files]
    # the build's own analysis (in the analysis process, with its forked workers) is the same
    assert not differing_files(
        release_files(alone.out_dir), release_files(fresh_release.out_dir / "analysis")
    )


def test_an_analysis_error_is_raised_in_the_build_process(tmp_path) -> None:
    with AnalysisProcess() as worker:
        worker.start(tmp_path / "no-release", tmp_path / "out")
        with pytest.raises(ReleaseNotFound) as caught:
            worker.result()
    assert "in the analysis process" in "".join(getattr(caught.value, "__notes__", []))
    assert worker._process.returncode == 0


@pytest.mark.skipif(sys.platform != "linux", reason="the worker pool exists on Linux only")
def test_a_busy_analysis_process_stops_with_its_workers(fresh_release, tmp_path) -> None:  # noqa: F811
    worker = AnalysisProcess()
    pid = worker._process.pid
    deadline = time.monotonic() + 120
    while len(children(pid)) < WORKERS and time.monotonic() < deadline:
        time.sleep(0.1)
    workers = children(pid)
    assert len(workers) == WORKERS
    worker.start(fresh_release.out_dir, tmp_path / "analysis")
    time.sleep(1)
    worker.stop()  # waits for the process itself
    assert worker._process.returncode is not None
    for w in workers:  # its workers die with it (a SIGKILL, delivered when the kernel gets to it)
        wait_until_gone(w)


def test_an_idle_analysis_process_stops_at_once() -> None:
    worker = AnalysisProcess()
    worker.stop()
    assert worker._process.returncode is not None


def test_a_failed_validation_stops_the_analysis_and_keeps_the_release(tmp_path) -> None:
    out = tmp_path / "build"
    out.mkdir()
    (out / "gcm.nt").write_text("the previous release\n")
    with pytest.raises(ValidationFailure):
        build_release(out, shapes_dir=stricter_shapes(tmp_path), analysis=True)
    assert (out / "gcm.nt").read_text() == "the previous release\n"
    failed = Path(f"{out}.failed")
    assert (failed / "validation-report.txt").is_file()
    assert not list(failed.glob("analysis*"))
