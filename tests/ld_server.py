"""A real server for the linked-data tests: the fixture release plus tests/fixtures/pages/extra.trig.

The release is assembled in a temporary directory (the shared fixture in tests/fixtures/release is
never changed): its quads plus the extra ones, with a manifest of its own (so its fingerprint, and
so its ETags, differ from the plain fixture's). The server is conftest's `start_server` (`python -m
gcm_graph.serve.http.wsgi` on a free port), started once per test session and stopped at the end.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import start_server
from pyoxigraph import DefaultGraph, RdfFormat, parse, serialize

from support import write_void

TESTS = Path(__file__).parent
FIXTURE_RELEASE = TESTS / "fixtures" / "release"
PAGES_FIXTURES = TESTS / "fixtures" / "pages"
BASE = "https://w3id.org/gcm/"


@dataclass(frozen=True)
class LDServer:
    url: str  # http://127.0.0.1:PORT (no trailing slash)
    release: Path

    def at(self, path: str) -> str:
        return self.url + path


def assemble_release(target: Path) -> Path:
    """The fixture release with the extra quads merged in; returns the directory."""
    target.mkdir(parents=True, exist_ok=True)
    base = list(parse(path=FIXTURE_RELEASE / "gcm.nq", format=RdfFormat.N_QUADS))
    extra = list(parse(path=PAGES_FIXTURES / "extra.trig", format=RdfFormat.TRIG))
    quads = sorted(set(base) | set(extra), key=str)
    (target / "gcm.nq").write_bytes(serialize(quads, format=RdfFormat.N_QUADS))
    triples = sorted({q.triple for q in quads}, key=str)
    (target / "gcm.nt").write_bytes(serialize(triples, format=RdfFormat.N_TRIPLES))
    (target / "gcm.ttl").write_bytes(serialize(triples, format=RdfFormat.TURTLE))
    (target / "gcm.trig").write_bytes(serialize(quads, format=RdfFormat.TRIG))
    graphs: dict[str, int] = {}
    for q in quads:
        key = "" if q.graph_name == DefaultGraph() else q.graph_name.value
        graphs[key] = graphs.get(key, 0) + 1
    outputs = {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(target.glob("gcm.*"))
    }
    manifest = {
        "about": "fixture release for the linked-data page tests",
        "built": "2024-01-01T00:00:00Z",
        "outputs": outputs,
        "triples": len(triples),
        "quads": len(quads),
        "graphs": dict(sorted(graphs.items())),
    }
    (target / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    write_void(target, quads)
    # Other release files, as the build writes them (served by /dumps/ with their media types).
    (target / "discrepancies.json").write_text('{"discrepancies": []}\n')
    (target / "discrepancies.md").write_text("# Discrepancies\n\nNone in this fixture.\n")
    return target


@pytest.fixture(scope="session")
def ld_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LDServer]:
    """The assembled release served by conftest.start_server (a real waitress server)."""
    release = assemble_release(tmp_path_factory.mktemp("ld-release"))
    with start_server(
        release,
        deadline=5.0,
        workers=1,
        threads=8,
        QUERIES_DIR=str(PAGES_FIXTURES / "queries"),
        DUMPS_CACHE_DIR=str(tmp_path_factory.mktemp("gz")),
    ) as server:
        yield LDServer(server.url.rstrip("/"), release)
