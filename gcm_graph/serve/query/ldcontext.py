"""Compact JSON-LD on the serving side: the release's @context and the answers compacted with it.

The context is the release's own `context.jsonld` (the build copies it there from the package),
else the package's (a release built before JSON-LD answers were compact). Answers reference it
by its published URL, `<base>context.jsonld`; the server serves it at /context.jsonld.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from pyoxigraph import RdfFormat, Triple, serialize

from ... import jsonld
from .store import PREFIX_MAP

if TYPE_CHECKING:
    from .formats import Format
    from .query.jobs import QueryJob


@lru_cache(maxsize=8)
def release_context(release_dir: str) -> dict[str, Any]:
    shipped = Path(release_dir) / jsonld.CONTEXT_FILE
    return jsonld.load_context(shipped if shipped.is_file() else jsonld.CONTEXT_PATH)


def compact_triples(triples: Iterable[Triple], release_dir: str, base: str) -> bytes:
    """Triples as compact JSON-LD whose "@context" is the published context URL of `base`."""
    ntriples = serialize(list(triples), format=RdfFormat.N_TRIPLES)
    context = release_context(release_dir)
    return jsonld.compact_ntriples(ntriples, context, jsonld.context_url(base))


def write_graph(triples: Iterable[Triple], fmt: Format, sink: IO[bytes], job: QueryJob) -> None:
    """A CONSTRUCT/DESCRIBE answer in `fmt` (JSON-LD compacted) into `sink` (a bounded buffer)."""
    if fmt.name == "jsonld":
        sink.write(compact_triples(triples, job.release_dir, job.base_iri))
    else:
        serialize(triples, sink, format=fmt.oxigraph, prefixes=PREFIX_MAP)
