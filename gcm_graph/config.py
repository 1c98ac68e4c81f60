"""Paths and the IRI base, with defaults that a CLI option or the environment can override."""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
SOURCES_DIR = REPO_ROOT / "sources"
BUILD_DIR = REPO_ROOT / "build"
ONTOLOGY_FILE = REPO_ROOT / "ontology" / "gcm.ttl"
SHAPES_DIR = REPO_ROOT / "shapes"
QUERIES_DIR = REPO_ROOT / "sparql_queries"

DEFAULT_BASE_URI = "https://w3id.org/gcm/"
# The vocabulary is a public contract: it does not move with the instance base.
ONTOLOGY_NS = "https://w3id.org/gcm/ontology#"
BASE_URI_ENV = "GCM_BASE_URI"


def base_uri(override: str | None = None) -> str:
    """The IRI base for instance data: the override, else $GCM_BASE_URI, else the default.

    Always ends with '/', so that `base + "objective/1"` is a well-formed IRI.
    """
    value = override or os.environ.get(BASE_URI_ENV) or DEFAULT_BASE_URI
    if not value.startswith(("http://", "https://")):
        raise ValueError(f"base IRI must start with http:// or https://, got {value!r}")
    return value if value.endswith("/") else value + "/"
