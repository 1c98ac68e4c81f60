"""Shared fixtures: the verified sources, and a real gcm-graph server (waitress + query workers)
in a subprocess.

`live_server` serves the hand-made fixture release (tests/fixtures/release) on a free loopback
port with a 2 s query deadline; `built_server` serves the repository's build/ when the build has
written gcm.nq (else the tests using it are skipped), with a 20 s deadline. Both are started once
per session and stopped at the end. Use
`start_server(release_dir, **options)` for a server with other settings.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from gcm_graph.sources import Source, load_verified
from testing.servers import launched

REPOSITORY = Path(__file__).resolve().parent.parent
COMMITTED_RELEASE = REPOSITORY / "build"  # the release committed with the code
FIXTURE_RELEASE = Path(__file__).parent / "fixtures" / "release"
TEST_DEADLINE_S = 2.0
BUILT_DEADLINE_S = 20.0  # below the clients' 30 s timeouts


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
    """Run `python -m gcm_graph.serve.http.wsgi` on a free loopback port until the block ends."""
    with launched(
        release_dir, deadline=deadline, workers=workers, threads=threads, config=config
    ) as server:
        yield LiveServer(server.url, server.pid, Path(release_dir), deadline)


@pytest.fixture(scope="session")
def sources() -> dict[str, Source]:
    """The vendored sources, checked against their manifest; read only (a test that damages a
    source works on a copy: support.copy_sources)."""
    return load_verified()


@pytest.fixture(scope="session")
def fixture_release() -> Path:
    return FIXTURE_RELEASE


@pytest.fixture(scope="session")
def live_server(fixture_release: Path) -> Iterator[LiveServer]:
    with start_server(fixture_release) as server:
        yield server


@pytest.fixture(scope="session")
def built_release() -> Path:
    if not (COMMITTED_RELEASE / "gcm.nq").is_file():
        pytest.skip("build/gcm.nq not built yet (run `gcm-graph build`)")
    return COMMITTED_RELEASE


@pytest.fixture(scope="session")
def built_server(built_release: Path) -> Iterator[LiveServer]:
    """The committed release with a generous deadline: its tests run real catalogue queries,
    which a loaded machine may slow tenfold; none of them tests the deadline (live_server's
    do)."""
    with start_server(built_release, deadline=BUILT_DEADLINE_S) as server:
        yield server
