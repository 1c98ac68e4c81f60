"""A throw-away local Virtuoso for tests and benchmarks: Python around scripts/virtuoso.sh.

    with running_virtuoso() as virtuoso:
        publish("build", virtuoso.gsp, **virtuoso.client_options)
        ... virtuoso.sparql ...

The tests start one per test module (tests/test_virtuoso.py, the `virtuoso` fixture). The script
installs Debian's package when it is missing; it exits with status 3 when that is impossible here
(no root/sudo or no apt-get), raised as VirtuosoUnavailable.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from gcm_graph.publish import StoreCredentials

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "virtuoso.sh"
UNAVAILABLE_STATUS = 3
HANG_S = 120.0


class VirtuosoUnavailable(RuntimeError):
    """Virtuoso is not installed and cannot be installed on this machine."""


@dataclass(frozen=True)
class Virtuoso:
    directory: Path
    pid: int
    sparql: str  # public, read-only query endpoint
    sparql_auth: str  # query + update, digest auth
    gsp: str  # Graph Store Protocol, digest auth
    user: str
    password: str

    @property
    def client_options(self) -> dict:
        """Keyword arguments for publish() and StoreClient(): the credentials, and a timeout that
        only ends a wait on a store that hangs (a test fails then, instead of waiting 300 s)."""
        return {"credentials": StoreCredentials(self.user, self.password), "timeout": HANG_S}


def start_virtuoso(timeout: float = 240.0) -> Virtuoso:
    """Install if needed, start on free loopback ports, return once SPARQL answers."""
    done = subprocess.run(
        ["sh", str(SCRIPT), "start"], capture_output=True, text=True, timeout=timeout
    )
    if done.returncode == UNAVAILABLE_STATUS:
        raise VirtuosoUnavailable(done.stderr.strip())
    if done.returncode != 0:
        raise RuntimeError(f"scripts/virtuoso.sh start failed: {done.stderr.strip()}")
    values = dict(line.split("=", 1) for line in done.stdout.splitlines() if "=" in line)
    return Virtuoso(
        directory=Path(values["VIRTUOSO_DIR"]),
        pid=int(values["VIRTUOSO_PID"]),
        sparql=values["VIRTUOSO_SPARQL"],
        sparql_auth=values["VIRTUOSO_SPARQL_AUTH"],
        gsp=values["VIRTUOSO_GSP"],
        user=values["VIRTUOSO_USER"],
        password=values["VIRTUOSO_PASSWORD"],
    )


def stop_virtuoso(virtuoso: Virtuoso) -> None:
    subprocess.run(["sh", str(SCRIPT), "stop", str(virtuoso.directory)], check=False, timeout=60)


@contextmanager
def running_virtuoso() -> Iterator[Virtuoso]:
    virtuoso = start_virtuoso()
    try:
        yield virtuoso
    finally:
        stop_virtuoso(virtuoso)
