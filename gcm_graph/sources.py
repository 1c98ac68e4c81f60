"""The vendored sources: their manifest, hash check and line-numbered text."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .config import SOURCES_DIR
from .errors import SourceError

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
        return self.path.read_text(encoding="utf-8")

    def lines(self) -> list[str]:
        """The document's lines; index i holds line i + 1."""
        return self.read_text().splitlines()


def sha256_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def load_manifest(sources_dir: Path = SOURCES_DIR) -> dict[str, Source]:
    """Read sources/manifest.json; every listed file must exist."""
    manifest_path = sources_dir / MANIFEST_NAME
    try:
        data = json.loads(manifest_path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SourceError(manifest_path, 1, "a sources manifest") from None
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
