"""The network analysis of a staged release in a second process, beside the validation.

The build's two longest steps need different inputs: validation needs the merged graph, the
analysis only the written dumps. A process started with the build imports the analysis
libraries (matplotlib, networkx, numpy: about a second) while the main process builds the
graph, analyses the staged dumps while the main process validates, and is stopped without a
trace when validation fails. The analysis reads only files, so it gives the same bytes as
`gcm-graph analyze` on the finished release.

The process is a fresh interpreter (`python -m gcm_graph.background`), not a multiprocessing
child: it inherits no state, threads or locks of the caller, and does not import the caller's
main module again (which multiprocessing's spawn does, and which breaks scripts that call
build_release without an `if __name__ == "__main__"` guard). It reads one job (JSON) on stdin
and answers with one pickled object on stdout: its timings or the exception it raised.
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import multiprocessing
import os
import pickle
import signal
import subprocess
import sys
import time
import traceback
from concurrent.futures import ProcessPoolExecutor
from itertools import pairwise
from pathlib import Path
from types import TracebackType

PACKAGE_PARENT = Path(__file__).resolve().parent.parent


class AnalysisProcessDied(RuntimeError):
    """The analysis process ended without an answer (killed, or crashed in native code): a
    crash, reported with a traceback, not a bad input or a validation failure."""


class AnalysisProcess:
    """One analysis in a second interpreter, started now so that its imports run early."""

    def __init__(self) -> None:
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(
            p for p in (str(PACKAGE_PARENT), env.get("PYTHONPATH")) if p
        )
        self._process = subprocess.Popen(
            [sys.executable, "-m", "gcm_graph.background"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=env,
        )

    def start(self, release_dir: Path, out_dir: Path) -> None:
        """Analyse the release in release_dir into out_dir (see analysis.analyze)."""
        job = json.dumps({"release": str(release_dir), "out": str(out_dir)}) + "\n"
        with contextlib.suppress(OSError):  # it died: result() says so
            self._process.stdin.write(job.encode())
            self._process.stdin.close()

    def result(self) -> dict[str, float]:
        """Wait for the analysis; its seconds per step, or the error it raised, raised here."""
        answer = self._process.stdout.read()
        code = self._process.wait()
        try:
            outcome = pickle.loads(answer)
        except Exception:
            raise AnalysisProcessDied(
                f"the analysis process ended without an answer (exit code {code})"
            ) from None
        if isinstance(outcome, BaseException):
            raise outcome
        return outcome

    def stop(self) -> None:
        """End the process (at once if it is still working) and wait for it."""
        with contextlib.suppress(OSError):
            self._process.stdin.close()  # an idle process reads the end and exits
        try:
            self._process.wait(timeout=0.5)
        except subprocess.TimeoutExpired:
            self._process.terminate()  # its workers die with it (see _die_with_parent)
            self._process.wait()
        self._process.stdout.close()

    def __enter__(self) -> AnalysisProcess:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.stop()


WORKERS = 2
"""Processes computing the metrics and figures (the analysis process itself mostly waits)."""


def main() -> None:
    """The process: import now, then analyse the one release named on stdin (none: exit)."""
    answer = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # whatever a library prints goes to stderr, not into the answer
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # no BLAS threads to fork or to spin
    from .analysis import analyze

    with _worker_pool() as pool:
        line = sys.stdin.readline()
        if not line:
            return
        job = json.loads(line)
        outcome = _analyze(analyze, Path(job["release"]), Path(job["out"]), pool)
    try:
        pickle.dump(outcome, answer)
    except Exception:
        pickle.dump(RuntimeError(traceback.format_exc()), answer)
    answer.close()


def _worker_pool() -> ProcessPoolExecutor | contextlib.nullcontext:
    """Workers forked from this process once it has imported the analysis (so they import
    nothing), started now, while the main process builds the graph. Without fork (not Linux),
    no pool: the analysis runs in this process alone."""
    if sys.platform != "linux":
        return contextlib.nullcontext()
    pool = ProcessPoolExecutor(
        WORKERS, mp_context=multiprocessing.get_context("fork"), initializer=_die_with_parent
    )
    for started in [pool.submit(os.getpid) for _ in range(WORKERS)]:
        started.result()
    return pool


def _die_with_parent() -> None:
    """A worker gets SIGKILL when the analysis process ends, however it ends (Linux's
    PR_SET_PDEATHSIG): stopping the analysis never leaves workers behind."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


PR_SET_PDEATHSIG = 1


def _analyze(analyze, release_dir: Path, out_dir: Path, pool) -> object:
    """The seconds of each step of the analysis, or the exception it raised."""
    marks: list[tuple[str, float]] = []
    try:
        analyze(
            release_dir,
            out_dir,
            progress=lambda s: marks.append((s, time.perf_counter())),
            executor=pool,
        )
    except BaseException as error:
        error.add_note("in the analysis process:\n" + traceback.format_exc())
        return error
    marks.append(("", time.perf_counter()))
    return {f"analyze: {a}": t - start for (a, start), (_, t) in pairwise(marks)}


if __name__ == "__main__":
    main()
