"""Writing a release: dumps in every format, VoID/DCAT, reports and a manifest, swapped in atomically.

A release is written to a fresh sibling directory and replaces the previous one only when every
file is written; the previous release is never touched before that. Outputs are deterministic:
sorted N-Triples and N-Quads, serialisers fed in a stable order, no timestamps.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path

from rdflib import Dataset, Graph

from .sources import Source
from .vocab import PREFIXES

DUMP_FORMATS = {
    "gcm.ttl": "turtle",
    "gcm.nt": "nt",
    "gcm.trig": "trig",
    "gcm.nq": "nquads",
}


def merged_graph(dataset: Dataset) -> Graph:
    """All named graphs in one graph (the default-graph view of the release)."""
    merged = Graph()
    bind_prefixes(merged)
    for context in dataset.graphs():
        for triple in context:
            merged.add(triple)
    return merged


def bind_prefixes(graph: Graph) -> None:
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True)


def sorted_lines(text: str) -> str:
    lines = sorted({line for line in text.splitlines() if line.strip()})
    return "\n".join(lines) + "\n"


def write_dumps(dataset: Dataset, merged: Graph, out: Path) -> None:
    (out / "gcm.ttl").write_text(merged.serialize(format="turtle"), encoding="utf-8")
    (out / "gcm.nt").write_text(sorted_lines(merged.serialize(format="nt")), encoding="utf-8")
    (out / "gcm.nq").write_text(sorted_lines(dataset.serialize(format="nquads")), encoding="utf-8")
    (out / "gcm.trig").write_text(_trig(dataset), encoding="utf-8")


def _trig(dataset: Dataset) -> str:
    """TriG with the named graphs in IRI order, each written as rdflib's (sorted) Turtle.

    rdflib's own TriG writer visits graphs in set order, which differs between runs.
    """
    header: list[str] = []
    bodies: list[str] = []
    for context in sorted(dataset.graphs(), key=lambda c: str(c.identifier)):
        if len(context) == 0:
            continue
        graph = Graph()
        bind_prefixes(graph)
        for triple in context:
            graph.add(triple)
        lines = graph.serialize(format="turtle").splitlines()
        header += [line for line in lines if line.startswith("@prefix")]
        body = [f"    {line}" if line else "" for line in lines if not line.startswith("@prefix")]
        bodies.append(f"<{context.identifier}> {{\n" + "\n".join(body).strip("\n") + "\n}\n")
    return "\n".join(sorted(set(header))) + "\n\n" + "\n".join(bodies)


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def release_manifest(
    out: Path, dataset: Dataset, merged: Graph, sources: Iterable[Source], base: str
) -> dict:
    outputs = {
        path.name: sha256_bytes(path.read_bytes())
        for path in sorted(out.iterdir())
        if path.is_file() and path.name != "manifest.json"
    }
    graphs = {
        str(c.identifier): len(c)
        for c in sorted(dataset.graphs(), key=lambda c: str(c.identifier))
        if len(c)
    }
    return {
        "dataset": "gcm-graph",
        "base_iri": base,
        "triples": len(merged),
        "quads": sum(graphs.values()),
        "named_graphs": graphs,
        "outputs": outputs,
        "sources": {s.id: {"file": s.path.name, "sha256": s.sha256} for s in sources},
    }


def write_json(path: Path, data: object) -> None:
    path.write_text(json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n", "utf-8")


def staging_dir(target: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=f"{target.name}.tmp-", dir=target.parent))


def swap_in(staged: Path, target: Path) -> None:
    """Replace target by staged: two renames, the old release removed only after the swap."""
    old = None
    if target.exists():
        old = Path(tempfile.mkdtemp(prefix=f"{target.name}.old-", dir=target.parent))
        os.rename(target, old / target.name)
    os.rename(staged, target)
    if old is not None:
        shutil.rmtree(old)


def keep_failed(staged: Path, target: Path) -> Path:
    """Move a failed release beside the real one (build.failed/), for the reader to inspect."""
    failed = target.parent / f"{target.name}.failed"
    if failed.exists():
        shutil.rmtree(failed)
    os.rename(staged, failed)
    return failed
