"""The data the package ships: the ontology, the SHACL shapes, the query catalogue and the sources.

In the repository they stay where the layout puts them (ontology/, shapes/, sparql_queries/,
sources/ at the top level). pyproject.toml maps each of those directories into this package
(setuptools `package-dir`), so that

* a wheel carries them as gcm_graph/resources/<name>/ (package data), and
* an editable install (`pip install -e .`) finds the repository's own directories,

and the code finds them in both cases through importlib.resources, never through the location of
a checkout. Each directory holds an `__init__.py` only so that setuptools' editable finder can map
it; the data files are what matters.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

ONTOLOGY = "ontology"
SHAPES = "shapes"
QUERIES = "sparql_queries"
SOURCES = "sources"


def resource_dir(name: str) -> Path:
    """The directory of one kind of shipped data (ONTOLOGY, SHAPES, QUERIES or SOURCES).

    A real directory: pip unpacks wheels, and the editable finder maps to the checkout.
    """
    location = files(f"{__name__}.{name}")
    if not isinstance(location, Path):  # e.g. a zip import, which pip never produces
        raise RuntimeError(f"gcm_graph resources {name!r} are not on the file system: {location}")
    return location
