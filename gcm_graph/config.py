"""Paths and the IRI base, with defaults that a CLI option or the environment can override."""

from __future__ import annotations

import os
from pathlib import Path

from .resources import ONTOLOGY, QUERIES, SHAPES, SOURCES, resource_dir

# Shipped with the package (gcm_graph/resources): the same in a checkout and in a wheel.
SOURCES_DIR = resource_dir(SOURCES)
ONTOLOGY_FILE = resource_dir(ONTOLOGY) / "gcm.ttl"
SHAPES_DIR = resource_dir(SHAPES)
QUERIES_DIR = resource_dir(QUERIES)

# Where releases are written and read by default: $GCM_RELEASE, else ./build in the working
# directory (in a checkout, run from its root: the committed build/).
RELEASE_ENV = "GCM_RELEASE"
BUILD_DIR = Path(os.environ.get(RELEASE_ENV) or "build")

DEFAULT_BASE_URI = "https://w3id.org/gcm/"
# The vocabulary is a public contract: it does not move with the instance base.
ONTOLOGY_NS = "https://w3id.org/gcm/ontology#"
BASE_URI_ENV = "GCM_BASE_URI"

# Credentials at a SPARQL store, the same for `publish` and `serve --backend`: the user from
# --store-user or this variable, the password only from the environment (never an option).
STORE_USER_ENV = "GCM_STORE_USER"
STORE_PASSWORD_ENV = "GCM_STORE_PASSWORD"


def base_uri(override: str | None = None) -> str:
    """The IRI base for instance data: the override, else $GCM_BASE_URI, else the default.

    Always ends with '/', so that `base + "objective/1"` is a well-formed IRI.
    """
    value = override or os.environ.get(BASE_URI_ENV) or DEFAULT_BASE_URI
    if not value.startswith(("http://", "https://")):
        raise ValueError(f"base IRI must start with http:// or https://, got {value!r}")
    return value if value.endswith("/") else value + "/"
