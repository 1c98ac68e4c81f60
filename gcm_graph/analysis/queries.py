"""The release as a pyoxigraph Store, and the analysis catalogue queries run on it.

Every graph and every number of the analysis comes from a named query in sparql_queries/
(`analysis-*.rq`), run on the built release — never from the parsers — so that a researcher can
read the query and run it on the SPARQL endpoint to get the same rows.

The release's merged graph (gcm.nt, the RDF merge of all source graphs) is loaded as the default
graph: the same dataset the server's default graph exposes, so the queries give the same answers
there. A release without gcm.nt is read from gcm.nq, its named graphs merged into the default graph.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from pyoxigraph import BlankNode, DefaultGraph, Literal, NamedNode, Quad, RdfFormat, Store

from ..config import QUERIES_DIR
from ..errors import GcmError

QUERY_PREFIX = "analysis-"
_XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGER_TYPES = {
    _XSD + name
    for name in (
        "integer",
        "int",
        "long",
        "short",
        "byte",
        "nonNegativeInteger",
        "positiveInteger",
        "unsignedInt",
        "unsignedLong",
    )
}
_DECIMAL_TYPES = {_XSD + "decimal", _XSD + "double", _XSD + "float"}

Value = str | int | float | bool | None


class ReleaseNotFound(GcmError, FileNotFoundError):
    """The release directory holds neither gcm.nt nor gcm.nq: the build has not run there."""


def load_release(release_dir: Path) -> Store:
    """An in-memory Store holding the release's merged graph as its default graph."""
    release_dir = Path(release_dir)
    triples, quads = release_dir / "gcm.nt", release_dir / "gcm.nq"
    store = Store()
    if triples.is_file():
        store.bulk_load(path=str(triples), format=RdfFormat.N_TRIPLES)
    elif quads.is_file():
        store.bulk_load(path=str(quads), format=RdfFormat.N_QUADS)
        default = DefaultGraph()
        store.extend(
            [
                Quad(q.subject, q.predicate, q.object, default)
                for q in store.quads_for_pattern(None, None, None, None)
                if q.graph_name != default
            ]
        )
    else:
        raise ReleaseNotFound(f"{release_dir}: no gcm.nt or gcm.nq; run `gcm-graph build` first")
    return store


class AnswerMemo:
    """A release store that answers each query text once, from then on from memory: the
    analysis runs several catalogue queries for more than one graph or table (the
    objective–target links, the slowest, for two graphs). The release does not change while
    it is analysed, so a kept answer is the store's answer."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._answers: dict[str, _Answer] = {}

    def query(self, text: str) -> _Answer:
        if text not in self._answers:
            solutions = self._store.query(text)
            self._answers[text] = _Answer(solutions.variables, list(solutions))
        return self._answers[text]


@dataclass(frozen=True)
class _Answer:
    variables: list
    solutions: list

    def __iter__(self):
        return iter(self.solutions)


@dataclass(frozen=True)
class Query:
    """A catalogue query with the fields of its comment header."""

    name: str
    title: str
    description: str
    parameters: str
    text: str

    @property
    def file_name(self) -> str:
        return f"{self.name}.rq"


def read_query(path: Path) -> Query:
    """Parse `# title:`, `# description:` and `# parameters:` from the leading comment block."""
    text = path.read_text(encoding="utf-8")
    fields: dict[str, str] = {}
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        match = re.match(r"#\s*(title|description|parameters)\s*:\s*(.*)$", line)
        if match:
            fields[match.group(1)] = match.group(2).strip()
    missing = [key for key in ("title", "description", "parameters") if key not in fields]
    if missing:
        raise ValueError(f"{path}: the comment header lacks {', '.join(missing)}")
    return Query(path.stem, fields["title"], fields["description"], fields["parameters"], text)


def load_query(name: str, queries_dir: Path = QUERIES_DIR) -> Query:
    return read_query(Path(queries_dir) / f"{name}.rq")


def analysis_queries(queries_dir: Path = QUERIES_DIR) -> list[Query]:
    """Every `analysis-*.rq` query of the catalogue, by name."""
    return [read_query(p) for p in sorted(Path(queries_dir).glob(f"{QUERY_PREFIX}*.rq"))]


@dataclass(frozen=True)
class Table:
    """The rows a named query returned, values converted to Python (IRIs as strings)."""

    query: str
    columns: tuple[str, ...]
    rows: tuple[dict[str, Value], ...]

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self):
        return iter(self.rows)


def run_query(store: Store, name: str, queries_dir: Path = QUERIES_DIR) -> Table:
    """Run the catalogue query `name` (e.g. "analysis-objective-pairs") on the release."""
    solutions = store.query(load_query(name, queries_dir).text)
    columns = tuple(variable.value for variable in solutions.variables)
    rows = tuple(
        {column: python_value(solution[column]) for column in columns} for solution in solutions
    )
    return Table(name, columns, rows)


def python_value(term: NamedNode | BlankNode | Literal | None) -> Value:
    """An RDF term as a plain value: IRIs and strings as str, numbers as int/float, booleans."""
    if term is None:
        return None
    if not isinstance(term, Literal):
        return term.value
    datatype = term.datatype.value
    if datatype in _INTEGER_TYPES:
        return int(term.value)
    if datatype in _DECIMAL_TYPES:
        return float(Decimal(term.value))
    if datatype == _XSD + "boolean":
        return term.value in ("true", "1")
    return term.value
