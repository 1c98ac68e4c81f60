"""The network analysis of a staged release in a second process, beside the validation.

The build's two longest steps need different inputs: validation needs the merged graph, the
analysis only the written dumps. A process started with the build imports the analysis
libraries (matplotlib, networkx, numpy: about a second) while the main process builds the
graph, analyses the staged dumps while the main process validates, and is stopped without a
trace when validation fails. The analysis reads only files, so it gives the same bytes as
`gcm-graph analyze` on the finished release.
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import os
import signal
import sys
import time
import traceback
from concurrent.futures import ProcessPoolExecutor
from itertools import pairwise
from multiprocessing.connection import Connection
from pathlib import Path
from types import TracebackType

from .errors import GcmError


class AnalysisProcessDied(GcmError, RuntimeError):
    """The analysis process ended without an answer (killed, or crashed in native code)."""

    exit_code = 1


class AnalysisProcess:
    """One analysis in a spawned process (spawned, not forked: nothing of the parent's state,
    threads or locks is inherited, on every platform)."""

    def __init__(self) -> None:
        context = multiprocessing.get_context("spawn")
        self._conn, child = context.Pipe()
        self._process = context.Process(
            target=_serve, args=(child,), name="gcm-graph analysis"
        )  # not a daemon: it starts workers of its own; stop() or the end of the pipe ends it
        self._process.start()
        child.close()

    def start(self, release_dir: Path, out_dir: Path) -> None:
        """Analyse the release in release_dir into out_dir (see analysis.analyze)."""
        with contextlib.suppress(OSError):  # it died: result() says so
            self._conn.send((str(release_dir), str(out_dir)))

    def result(self) -> dict[str, float]:
        """Wait for the analysis; its seconds per step, or the error it raised, raised here."""
        try:
            outcome = self._conn.recv()
        except EOFError:
            self._process.join()
            raise AnalysisProcessDied(
                f"the analysis process ended without an answer (exit code {self._process.exitcode})"
            ) from None
        self._process.join()
        if isinstance(outcome, BaseException):
            raise outcome
        return outcome

    def stop(self) -> None:
        """End the process (at once if it is still working) and wait for it."""
        if self._process.is_alive():
            with contextlib.suppress(OSError):
                self._conn.send(None)
            self._process.join(timeout=0.5)
        if self._process.is_alive():
            self._process.terminate()
            self._process.join()
        self._conn.close()

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


def _serve(conn: Connection) -> None:
    """The process: import now, then analyse the one release it is sent (None: nothing)."""
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # no BLAS threads to fork or to spin
    from .analysis import analyze

    with _worker_pool() as pool:
        try:
            job = conn.recv()
        except EOFError:
            return
        if job is None:
            return
        _analyze(conn, analyze, Path(job[0]), Path(job[1]), pool)


def _worker_pool() -> ProcessPoolExecutor | contextlib.nullcontext:
    """Workers forked from this process once it has imported the analysis (so they import
    nothing) and started now, while the main process builds the graph. Without fork (not
    Linux), no pool: the analysis runs in this process alone."""
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


def _analyze(conn: Connection, analyze, release_dir: Path, out_dir: Path, pool) -> None:
    marks: list[tuple[str, float]] = []
    try:
        analyze(
            release_dir,
            out_dir,
            progress=lambda s: marks.append((s, time.perf_counter())),
            executor=pool,
        )
        marks.append(("", time.perf_counter()))
        conn.send({f"analyze: {a}": t - start for (a, start), (_, t) in pairwise(marks)})
    except BaseException as error:
        error.add_note("in the analysis process:\n" + traceback.format_exc())
        try:
            conn.send(error)
        except Exception:
            conn.send(RuntimeError(traceback.format_exc()))
