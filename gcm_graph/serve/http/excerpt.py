"""The quoted lines of a source span: what a fact was read from, as the vendored document has it.

A span (`/source/resolution/lines/289-311`, a gcm:SourceSpan) names its document (gcm:inSource,
whose gcm:fileName is a file under sources/, packaged with gcm_graph) and its first and last
line. Its page quotes those lines, highlighted, with CONTEXT_LINES lines of context either side,
so that a reader can check the fact without opening the document.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from pyoxigraph import DefaultGraph, Literal, NamedNode, Store

from ... import config

GCM = config.ONTOLOGY_NS
IN_SOURCE = NamedNode(GCM + "inSource")
FIRST_LINE = NamedNode(GCM + "firstLine")
LAST_LINE = NamedNode(GCM + "lastLine")
FILE_NAME = NamedNode(GCM + "fileName")
CONTEXT_LINES = 3
MAX_QUOTED_LINES = 400  # a span longer than this is quoted up to here (with a note)


@dataclass
class QuotedLine:
    number: int
    text: str
    fact: bool  # inside the span (highlighted), else context


@dataclass
class Excerpt:
    file_name: str
    first: int
    last: int
    lines: list[QuotedLine] = field(default_factory=list)
    cut: bool = False  # the span was longer than MAX_QUOTED_LINES


def _value(store: Store, subject: NamedNode, predicate: NamedNode) -> object | None:
    for quad in store.quads_for_pattern(subject, predicate, None, DefaultGraph()):
        return quad.object
    return None


@lru_cache(maxsize=32)
def _document_lines(path: Path) -> tuple[str, ...]:
    return tuple(path.read_text(encoding="utf-8", errors="replace").splitlines())


def source_file(file_name: str, sources_dir: Path | None = None) -> Path | None:
    """The vendored file of that name (a bare name inside sources/, nothing else), if present."""
    directory = Path(sources_dir or config.SOURCES_DIR).resolve()
    if not file_name or "/" in file_name or "\\" in file_name or file_name.startswith("."):
        return None
    path = directory / file_name
    return path if path.is_file() else None


def span_excerpt(store: Store, span: NamedNode, sources_dir: Path | None = None) -> Excerpt | None:
    """The quoted lines of a span, or None if it is not a span of a vendored document."""
    document = _value(store, span, IN_SOURCE)
    first, last = _value(store, span, FIRST_LINE), _value(store, span, LAST_LINE)
    if not isinstance(document, NamedNode) or not isinstance(first, Literal):
        return None
    name = _value(store, document, FILE_NAME)
    if not isinstance(name, Literal):
        return None
    path = source_file(name.value, sources_dir)
    try:
        start = int(first.value)
        end = int(last.value) if isinstance(last, Literal) else start
    except ValueError:
        return None
    if path is None or start < 1 or end < start:
        return None
    lines = _document_lines(path)
    cut = end - start + 1 > MAX_QUOTED_LINES
    shown_end = min(end, start + MAX_QUOTED_LINES - 1)
    excerpt = Excerpt(name.value, start, end, cut=cut)
    low, high = max(1, start - CONTEXT_LINES), min(len(lines), shown_end + CONTEXT_LINES)
    for number in range(low, high + 1):
        fact = start <= number <= shown_end
        excerpt.lines.append(QuotedLine(number, lines[number - 1], fact))
    return excerpt
