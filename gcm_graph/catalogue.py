"""The catalogue of named example queries (sparql_queries/*.rq) that researchers start from.

Each file opens with a comment header:

    # title: Targets of an objective
    # description: The SDG targets the booklet lists under an objective's "RELEVANT SDGs".
    # parameters: ?objective (default objective 7), set in the VALUES clause

The name of a query is its file stem. Parameters are bound in a VALUES clause with a default, so
that every query runs as it is and a researcher edits one line to ask about something else.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .config import QUERIES_DIR
from .errors import GcmError

_HEADER = re.compile(r"^#\s*(title|description|parameters)\s*:\s*(.*)$", re.IGNORECASE)


@dataclass(frozen=True)
class CatalogueQuery:
    name: str
    title: str
    description: str
    parameters: str
    text: str
    path: Path


class UnknownQuery(GcmError):
    exit_code = 2


def read_query(path: Path) -> CatalogueQuery:
    text = path.read_text(encoding="utf-8")
    fields: dict[str, list[str]] = {}
    key = None
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        match = _HEADER.match(line)
        if match:
            key = match.group(1).lower()
            fields[key] = [match.group(2).strip()]
        elif key is not None:
            fields[key].append(line.lstrip("# ").strip())
    joined = {k: " ".join(v).strip() for k, v in fields.items()}
    return CatalogueQuery(
        name=path.stem,
        title=joined.get("title", path.stem.replace("-", " ")),
        description=joined.get("description", ""),
        parameters=joined.get("parameters", ""),
        text=text,
        path=path,
    )


def catalogue(queries_dir: Path = QUERIES_DIR) -> list[CatalogueQuery]:
    """All catalogue queries, by name."""
    return [read_query(p) for p in sorted(queries_dir.glob("*.rq"))]


def find_query(name_or_path: str, queries_dir: Path = QUERIES_DIR) -> CatalogueQuery:
    """A catalogue query by name, or any .rq file by path (anything with a `/` or ending in
    `.rq` is a path)."""
    path = Path(name_or_path)
    if path.suffix == ".rq" or "/" in name_or_path:
        if not path.is_file():
            raise UnknownQuery(f"{name_or_path}: file not found")
        try:
            return read_query(path)
        except UnicodeDecodeError as error:
            raise UnknownQuery(f"{name_or_path}: not UTF-8 text ({error.reason})") from None
    candidate = queries_dir / f"{name_or_path}.rq"
    if candidate.is_file():
        return read_query(candidate)
    names = ", ".join(q.name for q in catalogue(queries_dir))
    raise UnknownQuery(f"no catalogue query {name_or_path!r}; known: {names}")
