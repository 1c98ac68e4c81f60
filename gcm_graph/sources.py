"""The vendored sources: their manifest, hash check and line-numbered text."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .config import SOURCES_DIR
from .errors import GcmError, SourceError

MANIFEST_NAME = "manifest.json"


@dataclass(frozen=True)
class Source:
    """One vendored document, as the manifest describes it."""

    id: str
    path: Path
    title: str
    publisher: str | None
    year: int | None
    symbol: str | None
    licence: str
    sha256: str
    metadata: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def read_text(self) -> str:
        return read_utf8(self.path)

    def lines(self) -> list[str]:
        """The document's lines, as an editor numbers them; index i holds line i + 1."""
        return text_lines(self.read_text())

    def csv_rows(self, columns: tuple[str, ...]) -> Iterator[tuple[int, dict[str, str]]]:
        """(line number, row by column name, values stripped) of a CSV table with one header
        line, `columns`; SourceError at the header or at a row with another number of fields."""
        reader = csv.reader(io.StringIO(self.read_text(), newline=""))
        header = next(reader, None)
        if header != list(columns):
            found = ",".join(header or [])
            raise SourceError(self.path, 1, f"the header {','.join(columns)}", found)
        for row in reader:
            line = reader.line_num
            if len(row) != len(columns):
                raise SourceError(self.path, line, f"{len(columns)} fields", ",".join(row))
            yield line, {name: value.strip() for name, value in zip(columns, row, strict=True)}


def text_lines(text: str) -> list[str]:
    """Lines split at line feeds only (a CR before one is dropped).

    Not str.splitlines(): it also splits at form feeds, vertical tabs, U+0085, U+2028 and
    U+2029, which PDF extractions contain and editors, grep and diff do not count as line ends,
    so every line number after one of them would point past the line it names.
    """
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return [line.removesuffix("\r") for line in lines]


def read_utf8(path: Path) -> str:
    """The file's text; SourceError at the line and column of the first byte that is not UTF-8."""
    data = path.read_bytes()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        bad = data[error.start : error.end].hex(" ")
        raise SourceError(
            path, line, "UTF-8 text", f"byte(s) {bad} at column {column} ({error.reason})"
        ) from None


def sha256_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class SourcesNotFound(GcmError):
    """The sources directory does not exist (exit code 2)."""


def load_manifest(sources_dir: Path = SOURCES_DIR) -> dict[str, Source]:
    """Read sources/manifest.json; every listed file must exist."""
    if not sources_dir.is_dir():
        raise SourcesNotFound(f"{sources_dir}: no such sources directory")
    manifest_path = sources_dir / MANIFEST_NAME
    try:
        data = json.loads(read_utf8(manifest_path))
    except FileNotFoundError:
        raise SourceError(manifest_path, 1, f"a sources manifest in {sources_dir}") from None
    except json.JSONDecodeError as exc:
        raise SourceError(manifest_path, exc.lineno, f"valid JSON ({exc.msg})") from None
    sources: dict[str, Source] = {}
    for entry in data.get("sources", []):
        path = sources_dir / entry["file"]
        if not path.is_file():
            raise SourceError(manifest_path, 1, f"the listed file {entry['file']} to exist")
        known = {"id", "file", "title", "publisher", "year", "symbol", "licence", "sha256"}
        sources[entry["id"]] = Source(
            id=entry["id"],
            path=path,
            title=entry["title"],
            publisher=entry.get("publisher"),
            year=entry.get("year"),
            symbol=entry.get("symbol"),
            licence=entry["licence"],
            sha256=entry["sha256"],
            metadata={k: v for k, v in entry.items() if k not in known},
        )
    return sources


def verify(source: Source) -> None:
    """Stop with a clear error if the file is not the one the manifest names."""
    actual = sha256_file(source.path)
    if actual != source.sha256:
        raise SourceError(
            source.path,
            1,
            f"sha256 {source.sha256} (from {MANIFEST_NAME})",
            found=actual,
        )


def load_verified(sources_dir: Path = SOURCES_DIR) -> dict[str, Source]:
    sources = load_manifest(sources_dir)
    for source in sources.values():
        verify(source)
    return sources
