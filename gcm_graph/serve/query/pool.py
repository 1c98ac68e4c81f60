"""The supervised pool of query worker processes (worker.py), shared by the web server's threads.

* Workers are started from a clean forkserver and take no query before they are warm (the
  release loaded). The pool keeps `workers` of them. The forkserver loads the release once
  (preload.py), so workers forked from it are warm at once. The pool starts warming when it is
  made; `warm_up` waits for it, `is_warm` says whether it has been warm once (/healthz).
* A supervisor thread waits on every worker's process sentinel
  (multiprocessing.connection.wait): any death, idle or busy (kill -9, the kernel's OOM killer, a
  crash), is noticed at once and the worker replaced. A query never goes to a dead worker.
* A query takes an idle worker (PoolBusy after `queue_timeout`), is sent on its pipe, and its
  thread waits for the first of: the answer; the worker's death (WorkerDied, saying how it died);
  the deadline (the worker is killed with SIGKILL, then replaced: DeadlineExceeded). The other
  workers, and the queries they run, are not touched.
* Recycling: a worker that has answered `max_queries` queries, or whose resident memory has grown
  more than `recycle_mb` MiB beyond its size when warm (memory the allocator keeps after a heavy
  query), keeps serving until its replacement is warm and then exits: the memory comes back.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import re
import signal
import sys
import threading
import time
from collections import deque
from contextlib import suppress
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess

from . import preload, worker
from .jobs import DeadlineExceeded, PoolBusy, QueryAnswer, QueryJob, WorkerDied

log = logging.getLogger(__name__)

MAX_QUERIES = 1000  # queries a worker answers before it is replaced
RECYCLE_MB = 256  # growth of a worker's resident memory beyond its warm size before replacement
MAX_BACKOFF_S = 10.0  # longest pause between restarts of workers that die while starting


class _NotDelivered(Exception):
    """The job could not be sent to the worker: it had died, and nothing of the query ran."""


@dataclass(eq=False)
class _Worker:
    process: BaseProcess
    conn: Connection
    stderr: Connection  # read end of the worker's standard error
    pid: int | None = None
    ready: bool = False  # warm: has said READY
    busy: bool = False  # a query thread holds it
    retiring: bool = False  # to be replaced (recycled); serves until its replacement is warm
    doomed: bool = False  # killed or found dead by a query thread; never to be used again
    gone: bool = False  # its exit has been handled (removed from the pool)
    queries: int = 0
    warm_rss: int = 0
    sandboxed: bool = False
    last_words: bytes = b""  # the end of what it wrote on standard error


ALLOCATION_FAILED = re.compile(rb"memory allocation of \d+ bytes failed")  # Rust's last words
STDERR_TAIL = 4096  # bytes of a worker's standard error kept to read its last words


def death_cause(
    exitcode: int | None, memory_mb: int | None, last_words: bytes = b""
) -> tuple[str, bool]:
    """How a worker ended, in words, and whether it was its memory limit: an allocation that
    failed under the worker's address-space cap (RLIMIT_AS) makes the Rust evaluator say so on
    standard error and abort. Any other abort (a panic) or signal is not blamed on memory."""
    if exitcode is None:
        return "the query worker stopped answering", False
    if exitcode < 0:
        number = -exitcode
        name = signal.Signals(number).name if number in signal.valid_signals() else str(number)
        if number == signal.SIGABRT and memory_mb and ALLOCATION_FAILED.search(last_words):
            return f"the query needed more than the {memory_mb} MiB a query worker may use", True
        return f"the query worker process was killed by signal {name}", False
    return f"the query worker process exited with status {exitcode}", False


class QueryPool:
    """Warm, supervised query workers; `run` answers one job on one of them."""

    def __init__(
        self,
        release_dir: str,
        workers: int,
        sandbox: bool = True,
        memory_mb: int | None = None,
        max_queries: int = MAX_QUERIES,
        recycle_mb: float | None = RECYCLE_MB,
    ):
        self._context = multiprocessing.get_context("forkserver")
        self._context.set_forkserver_preload([preload.__name__, worker.__name__])
        self.workers = workers
        self.sandboxed = False  # known once warm
        self._release_dir = release_dir
        self._args = (release_dir, sandbox, memory_mb)
        self._memory_mb = memory_mb
        self._max_queries = max(1, int(max_queries))
        self._recycle_bytes = None if recycle_mb is None else int(recycle_mb * 1024 * 1024)
        self._lock = threading.Condition()
        self._all: list[_Worker] = []
        self._idle: deque[_Worker] = deque()
        self._closed = False
        self._warm_once = threading.Event()
        self._startup_failures = 0
        self._next_start = 0.0
        self._wake_read, self._wake_write = os.pipe()
        os.set_blocking(self._wake_read, False)
        os.set_blocking(self._wake_write, False)
        self._supervisor = threading.Thread(
            target=self._supervise, name="query-pool-supervisor", daemon=True
        )
        self._supervisor.start()

    # --- for the web server's threads -------------------------------------------------------

    def warm_up(self, timeout: float = 120.0) -> None:
        """Block until `workers` workers are warm (each has loaded the release)."""
        if not self._warm_once.wait(timeout):
            raise RuntimeError(
                f"the query workers did not start within {timeout:g} s "
                f"({self._startup_failures} died while starting; see the log)"
            )

    @property
    def is_warm(self) -> bool:
        """All `workers` have been warm at once: the start is over. (Afterwards a worker being
        replaced does not make the pool cold: queries wait for a free worker as usual.)"""
        return self._warm_once.is_set()

    def run(self, job: QueryJob, deadline: float, queue_timeout: float) -> QueryAnswer:
        """Answer `job`. PoolBusy if no worker is free within `queue_timeout` seconds (nothing
        runs then); DeadlineExceeded once it has run `deadline` seconds (its worker is killed);
        WorkerDied if the worker died while answering. A worker found dead before the query
        reached it (its death not yet heard of) gives the query to another one."""
        until = time.monotonic() + queue_timeout
        while True:
            chosen = self._take(max(0.0, until - time.monotonic()))
            rss = None
            try:
                answer, rss = self._ask(chosen, job, deadline)
                return answer
            except _NotDelivered:  # it died before the pool heard: the query never ran
                log.info("query worker %s was gone before its query; retrying", chosen.pid)
            finally:
                self._give_back(chosen, rss)

    def close(self) -> None:
        with self._lock:
            if self._closed:
                return
            self._closed = True
            everyone = list(self._all)
            self._lock.notify_all()
        self._wake()
        self._supervisor.join(timeout=5)
        with self._lock:
            for w in everyone:
                w.conn.close()
                w.stderr.close()
                if self._exitcode(w) is None:
                    w.process.kill()
            for w in everyone:
                w.process.join(timeout=5)
        os.close(self._wake_read)
        os.close(self._wake_write)

    def _take(self, queue_timeout: float) -> _Worker:
        until = time.monotonic() + queue_timeout
        with self._lock:
            while True:
                if self._closed:
                    raise PoolBusy
                while self._idle:
                    candidate = self._idle.pop()  # the last one back: its caches are warm
                    if self._exitcode(candidate) is None and not candidate.doomed:
                        candidate.busy = True
                        return candidate
                    candidate.doomed = True  # died idle; the supervisor replaces it
                    self._wake()
                remaining = until - time.monotonic()
                if remaining <= 0:
                    raise PoolBusy
                self._lock.wait(remaining)

    def _ask(self, chosen: _Worker, job: QueryJob, deadline: float) -> tuple[QueryAnswer, int]:
        try:
            chosen.conn.send(job)
        except OSError as error:  # the pipe is closed at the other end
            chosen.doomed = True
            raise _NotDelivered from error
        try:
            ready = wait([chosen.conn, chosen.process.sentinel], timeout=deadline)
            if chosen.conn in ready:
                answer, rss = chosen.conn.recv()
                return answer, rss
        except (EOFError, OSError):  # the pipe broke: the worker is gone
            ready = [chosen.process.sentinel]
        except BaseException:  # e.g. an answer that cannot be unpickled: never reuse the worker
            chosen.doomed = True
            chosen.process.kill()
            raise
        chosen.doomed = True
        if not ready:  # the deadline passed first
            log.info("query worker %s stopped at the %g s deadline", chosen.pid, deadline)
            chosen.process.kill()
            raise DeadlineExceeded
        wait([chosen.process.sentinel], timeout=5)  # the forkserver reports its exit status
        with self._lock:
            self._drain_stderr(chosen)
            cause, memory = death_cause(self._exitcode(chosen), self._memory_mb, chosen.last_words)
        log.warning("query worker %s died while answering: %s", chosen.pid, cause)
        raise WorkerDied(cause, memory=memory)

    def _give_back(self, chosen: _Worker, rss: int | None) -> None:
        with self._lock:
            chosen.busy = False
            if chosen.doomed or chosen.gone:
                if chosen.gone:  # its exit was handled while this thread held it
                    chosen.conn.close()
                self._wake()
                return
            chosen.queries += 1
            grown = rss is not None and self._recycle_bytes is not None
            grown = grown and rss - chosen.warm_rss > self._recycle_bytes
            if not chosen.retiring and (chosen.queries >= self._max_queries or grown):
                chosen.retiring = True
                log.info(
                    "query worker %s recycled after %d queries (resident %.0f MiB)",
                    chosen.pid,
                    chosen.queries,
                    (rss or 0) / 2**20,
                )
                self._wake()
            if chosen.retiring:
                self._wake()  # its replacement may be warm already
            self._idle.append(chosen)
            self._lock.notify()

    # --- the supervisor thread ------------------------------------------------------------

    def _wake(self) -> None:
        with suppress(OSError):  # full (already awake) or closed (closing)
            os.write(self._wake_write, b"x")

    def _supervise(self) -> None:
        while True:
            try:
                if not self._supervise_once():
                    return
            except Exception:  # the supervisor must outlive any surprise
                log.exception("query pool supervisor")
                time.sleep(0.5)

    def _supervise_once(self) -> bool:
        with self._lock:
            if self._closed:
                return False
            watched: dict[object, tuple[_Worker, str]] = {}
            for w in self._all:
                watched[w.process.sentinel] = (w, "exit")
                if not w.stderr.closed:
                    watched[w.stderr] = (w, "stderr")
                if not w.ready and not w.conn.closed:
                    watched[w.conn] = (w, "ready")
            missing = self._missing()
            pause = max(0.0, self._next_start - time.monotonic())
            if missing and pause == 0:
                # under the lock: Process.start() polls the exit status of every child, which
                # must not race with _exitcode (milliseconds once the forkserver runs)
                self._all.extend(self._start() for _ in range(missing))
                return True  # watch the new ones too
        ready = wait([*watched, self._wake_read], timeout=pause if missing else None)
        with self._lock:
            for handle in ready:
                if handle == self._wake_read:
                    self._drain_wake()
                    continue
                w, event = watched[handle]
                if event == "ready":
                    self._on_ready(w)
                elif event == "stderr":
                    self._drain_stderr(w)
                else:
                    self._on_exit(w)
            self._stop_replaced()
            self._lock.notify_all()
        return True

    def _drain_wake(self) -> None:
        with suppress(BlockingIOError):
            while os.read(self._wake_read, 4096):
                pass

    def _exitcode(self, w: _Worker) -> int | None:
        """The worker's exit status, None while it runs. Called with the lock held: the status
        is read once from the forkserver's pipe, and a second reader would find it empty."""
        return w.process.exitcode

    def _warm_count(self) -> int:
        return sum(1 for w in self._all if w.ready and not w.retiring and not w.doomed)

    def _missing(self) -> int:
        serving = sum(1 for w in self._all if not w.retiring and not w.doomed and not w.gone)
        return 0 if self._closed else max(0, self.workers - serving)

    def _start(self) -> _Worker:
        mine, theirs = self._context.Pipe()
        stderr, their_stderr = self._context.Pipe(duplex=False)
        process = self._context.Process(
            target=worker.main,
            args=(theirs, their_stderr, *self._args),
            name="gcm-query-worker",
            daemon=True,
        )
        # the first start also starts the forkserver, which inherits this and loads the release
        os.environ[preload.PRELOAD_ENV] = self._release_dir
        try:
            process.start()
        finally:
            os.environ.pop(preload.PRELOAD_ENV, None)
        theirs.close()
        their_stderr.close()
        os.set_blocking(stderr.fileno(), False)
        return _Worker(process, mine, stderr, pid=process.pid)

    def _drain_stderr(self, w: _Worker) -> None:
        """Pass on what the worker wrote on standard error, keep its end (lock held)."""
        if w.stderr.closed:
            return
        while True:
            try:
                chunk = os.read(w.stderr.fileno(), 65536)
            except BlockingIOError:
                return
            except OSError:
                chunk = b""
            if not chunk:  # the worker is gone and everything is read
                w.stderr.close()
                return
            w.last_words = (w.last_words + chunk)[-STDERR_TAIL:]
            with suppress(OSError, ValueError):
                sys.stderr.buffer.write(chunk)
                sys.stderr.flush()

    def _on_ready(self, w: _Worker) -> None:
        try:
            _ready, pid, sandboxed, rss = w.conn.recv()
        except (EOFError, OSError):  # died while starting: its sentinel says so
            return
        w.pid, w.sandboxed, w.warm_rss, w.ready = pid, sandboxed, rss, True
        self._startup_failures = 0
        if self.sandboxed and not sandboxed:
            log.warning("replacement query worker %s runs without the network sandbox", pid)
        self._idle.append(w)
        if not self._warm_once.is_set() and self._warm_count() >= self.workers:
            self.sandboxed = all(w.sandboxed for w in self._all if w.ready)
            self._warm_once.set()

    def _on_exit(self, w: _Worker) -> None:
        if w.gone:
            return
        self._drain_stderr(w)
        w.stderr.close()  # all it wrote before it ended has been read
        w.gone = w.doomed = True
        self._all.remove(w)
        if w in self._idle:
            self._idle.remove(w)
        if not w.busy:
            w.conn.close()
        if w.retiring:
            log.info("query worker %s retired", w.pid)
        elif not w.ready:
            self._startup_failures += 1
            backoff = min(MAX_BACKOFF_S, 0.1 * 2**self._startup_failures)
            self._next_start = time.monotonic() + backoff
            log.error(
                "query worker %s died while starting (%s); next start in %.1f s",
                w.pid,
                death_cause(self._exitcode(w), self._memory_mb, w.last_words)[0],
                backoff,
            )
        else:
            cause = death_cause(self._exitcode(w), self._memory_mb, w.last_words)[0]
            log.warning("query worker %s is gone (%s); replacing it", w.pid, cause)

    def _stop_replaced(self) -> None:
        """Retiring workers leave once enough warm workers serve without them."""
        for w in [w for w in self._all if w.retiring and not w.busy and not w.doomed]:
            if self._warm_count() < self.workers:
                return
            if w in self._idle:
                self._idle.remove(w)
            w.doomed = True
            w.conn.close()  # the worker reads EOF and exits; its sentinel then removes it
