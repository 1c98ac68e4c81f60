"""The linked-data pages and dumps test suites again, with the server answering from Virtuoso.

The tests of tests/test_pages.py and tests/test_dumps.py that use the `ld_server` fixture (303s,
content negotiation, descriptions with blank nodes, reifications and provenance, escaping, the
home page, the query form, ETags, gzip, CORS, the site crawl, dumps and VoID) run here against a
server whose store is Virtuoso: tests/ld_server.py's release is published into it and the server
is started with BACKEND_URL (the release directory still serves /dumps/). The tests that build
their own embedded server are left to their modules.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import test_dumps
import test_pages
from conftest import start_server
from ld_server import PAGES_FIXTURES, LDServer, assemble_release
from test_dumps import *  # noqa: F403  (the suite, collected here with our ld_server)
from test_pages import *  # noqa: F403
from test_remote_http import require_backend_hook
from test_virtuoso import virtuoso  # noqa: F401  (fixture)

from gcm_graph.config import DEFAULT_BASE_URI
from gcm_graph.publish import publish
from testing.virtuoso import Virtuoso

pytestmark = pytest.mark.slow

# Embedded-only tests (they start their own server or app): not re-run here.
for _name in (
    "test_paths_follow_the_configured_base",
    "test_built_release_pages_and_catalogue_queries",
    "test_a_void_file_in_the_release_is_served_as_is",
    "test_a_release_without_void_has_no_description",
):
    globals().pop(_name, None)
assert test_pages and test_dumps  # the modules whose tests these are


@pytest.fixture(scope="module")
def ld_server(
    virtuoso: Virtuoso,  # noqa: F811
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[LDServer]:
    require_backend_hook()
    release = assemble_release(tmp_path_factory.mktemp("remote-ld-release"))
    publish(release, virtuoso.gsp, base_uri=DEFAULT_BASE_URI, **virtuoso.client_options)
    with start_server(
        release,
        deadline=5.0,
        threads=8,
        BACKEND_URL=virtuoso.sparql,
        QUERIES_DIR=str(PAGES_FIXTURES / "queries"),
        DUMPS_CACHE_DIR=str(tmp_path_factory.mktemp("remote-gz")),
    ) as server:
        yield LDServer(server.url.rstrip("/"), release)
