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
from collections.abc import Callable, Iterable
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, Literal, URIRef

from .sources import Source
from .vocab import PREFIXES

Node = URIRef | BNode | Literal
Triple = tuple[Node, Node, Node]


def merged_graph(dataset: Dataset) -> Graph:
    """All named graphs in one graph (the default-graph view of the release)."""
    return graph_of(triple for context in dataset.graphs() for triple in context)


def graph_of(triples: Iterable[Triple]) -> Graph:
    """An rdflib Graph of `triples` (addN: no per-triple events), with the project's prefixes."""
    graph = Graph()
    bind_prefixes(graph)
    graph.addN((s, p, o, graph) for s, p, o in triples)
    return graph


def bind_prefixes(graph: Graph) -> None:
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True)


def _ox_term(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if term.language:
        return ox.Literal(str(term), language=term.language)
    if term.datatype:
        return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
    return ox.Literal(str(term))


def named_graphs(dataset: Dataset) -> dict[str, list[Triple]]:
    """The triples of each non-empty named graph, by graph IRI (sorted): read from the dataset
    once, for the dumps and then the merged graph's JSON-LD and VoID."""
    graphs = {
        str(graph.identifier): list(graph)
        for graph in dataset.graphs()
        if isinstance(graph.identifier, URIRef) and len(graph)
    }
    return dict(sorted(graphs.items()))


def release_lines(graphs: dict[str, list[Triple]]) -> dict[str, list[str]]:
    """The N-Triples lines of each named graph (by graph IRI, sorted), each graph's lines
    sorted and unique: the one order every dump is written in.

    Sorting text lines is far cheaper than sorting pyoxigraph terms by their str(). A term is
    written once (pyoxigraph's N-Triples form of it, its str()), however many triples hold it."""
    written: dict[Node, str] = {}

    def nt(term: Node) -> str:
        text = written.get(term)
        if text is None:
            text = written[term] = str(_ox_term(term))
        return text

    return {
        name: sorted({f"{nt(s)} {nt(p)} {nt(o)} ." for s, p, o in triples})
        for name, triples in graphs.items()
    }


def _quad_line(triple_line: str, graph: str) -> str:
    """An N-Quads line: the N-Triples line (`s p o .`) with the graph name before the dot."""
    return f"{triple_line[:-2]} <{graph}> ."


def _serialize(items: Iterable[ox.Quad], fmt: ox.RdfFormat) -> str:
    """pyoxigraph's writer (fast) with the prefix lines sorted, so that the header is stable."""
    prefixes = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}
    text = ox.serialize(items, format=fmt, prefixes=prefixes).decode("utf-8")
    lines = text.splitlines()
    header = sorted(line for line in lines if line.startswith("@prefix"))
    body = [line for line in lines if not line.startswith("@prefix")]
    return "\n".join([*header, "", *body]) + "\n"


def write_dumps(
    graphs: dict[str, list[Triple]], out: Path, merged_written: Callable[[], None] | None = None
) -> int:
    """gcm.ttl and gcm.nt (merged), gcm.trig and gcm.nq (named graphs), all deterministic;
    returns the number of triples of the merged graph. merged_written is called as soon as
    gcm.nt is written (the analysis reads only that file, and starts then).

    N-Triples and N-Quads: sorted unique lines. Turtle and TriG: pyoxigraph's writer (rdflib's
    Turtle writer took 2.7 s of a 5 s build) fed the triples in that same sorted order, read
    back from the sorted lines by pyoxigraph's parser (faster than building and sorting
    pyoxigraph terms in Python).
    """
    by_graph = release_lines(graphs)
    triple_lines = sorted(set().union(*by_graph.values()))
    quad_lines = [_quad_line(line, g) for g, lines in by_graph.items() for line in lines]
    nt = "\n".join(triple_lines) + "\n"
    (out / "gcm.nt").write_text(nt, encoding="utf-8")
    if merged_written:
        merged_written()
    (out / "gcm.nq").write_text("\n".join(sorted(quad_lines)) + "\n", encoding="utf-8")
    triples = ox.parse(nt.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)  # read as written
    quads = ox.parse("\n".join(quad_lines).encode("utf-8"), format=ox.RdfFormat.N_QUADS)
    (out / "gcm.ttl").write_text(_serialize(triples, ox.RdfFormat.TURTLE), encoding="utf-8")
    (out / "gcm.trig").write_text(_serialize(quads, ox.RdfFormat.TRIG), encoding="utf-8")
    return len(triple_lines)


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def release_manifest(
    out: Path, dataset: Dataset, triples: int, sources: Iterable[Source], base: str
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
        "triples": triples,
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
