"""Server fixtures: a real gcm-graph server (waitress + query workers) in a subprocess.

`live_server` serves the hand-made fixture release (tests/fixtures/release) on a free loopback port
with a 2 s query deadline; `built_server` serves build/ when the build has written gcm.nq (else the
tests using it are skipped). Both are started once per session and stopped at the end. Use
`start_server(release_dir, **options)` for a server with other settings.
"""

from __future__ import annotations

import json
import os
import queue
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

import pytest

from gcm_graph.config import BUILD_DIR, REPO_ROOT

FIXTURE_RELEASE = Path(__file__).parent / "fixtures" / "release"
TEST_DEADLINE_S = 2.0
STARTUP_TIMEOUT_S = 120.0


@dataclass(frozen=True)
class LiveServer:
    url: str  # http://127.0.0.1:PORT/
    pid: int
    release_dir: Path
    deadline: float

    @property
    def sparql(self) -> str:
        return self.url + "sparql"


@contextmanager
def start_server(
    release_dir: Path,
    deadline: float = TEST_DEADLINE_S,
    workers: int = 2,
    threads: int = 24,
    **config: object,
) -> Iterator[LiveServer]:
    """Run `python -m gcm_graph.serve.wsgi` on a free loopback port until the block ends."""
    command = [
        sys.executable,
        "-m",
        "gcm_graph.serve.wsgi",
        "--host=127.0.0.1",
        "--port=0",
        f"--release-dir={release_dir}",
        f"--deadline={deadline}",
        f"--workers={workers}",
        f"--threads={threads}",
        f"--config-json={json.dumps(config)}",
    ]
    process = subprocess.Popen(
        command,
        cwd=REPO_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group: the workers go with it
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    lines: queue.Queue[str] = queue.Queue()
    stderr: list[str] = []
    threading.Thread(target=_pump, args=(process.stdout, lines.put), daemon=True).start()
    threading.Thread(target=_pump, args=(process.stderr, stderr.append), daemon=True).start()
    try:
        url = _wait_for_url(lines, process, stderr)
        yield LiveServer(url, process.pid, Path(release_dir), deadline)
    finally:
        _stop(process)


def _pump(stream, sink) -> None:
    for line in stream:
        sink(line)


def _wait_for_url(lines: queue.Queue[str], process: subprocess.Popen, stderr: list[str]) -> str:
    while True:
        try:
            line = lines.get(timeout=STARTUP_TIMEOUT_S)
        except queue.Empty:
            raise RuntimeError("server did not start:\n" + "".join(stderr)) from None
        if line.startswith("listening on "):
            return line.split()[-1]
        if process.poll() is not None:
            raise RuntimeError("server exited:\n" + "".join(stderr))


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGINT)  # waitress stops, the app closes its pool
        with suppress(subprocess.TimeoutExpired):
            process.wait(timeout=15)
    with suppress(ProcessLookupError):  # whatever is left of the group (workers, forkserver)
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=15)


@pytest.fixture(scope="session")
def fixture_release() -> Path:
    return FIXTURE_RELEASE


@pytest.fixture(scope="session")
def live_server(fixture_release: Path) -> Iterator[LiveServer]:
    with start_server(fixture_release) as server:
        yield server


@pytest.fixture(scope="session")
def built_release() -> Path:
    if not (BUILD_DIR / "gcm.nq").is_file():
        pytest.skip("build/gcm.nq not built yet (run `gcm-graph build`)")
    return BUILD_DIR


@pytest.fixture(scope="session")
def built_server(built_release: Path) -> Iterator[LiveServer]:
    with start_server(built_release) as server:
        yield server
