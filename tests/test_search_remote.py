"""/search with the server answering from Virtuoso (BACKEND_URL): the index is built through the
remote store's SPARQL endpoint and must give what the embedded store gives for the same release."""

from __future__ import annotations

import pytest
import requests
from test_remote_http import remote_server
from test_virtuoso import virtuoso  # noqa: F401  (fixture)

pytestmark = pytest.mark.slow

TIMEOUT = 60  # seconds: only catches a hang (the first search builds the index)
QUERIES = ("migration", "safe orderly", "objective", "remit", "Mexique", '"')


def answers(url: str) -> list[dict]:
    found = []
    for text in QUERIES:
        response = requests.get(
            url + "search", params={"q": text, "format": "json"}, timeout=TIMEOUT
        )
        assert response.status_code == 200, response.text
        found.append(response.json())
    return found


def test_remote_and_embedded_stores_give_the_same_results(
    virtuoso,  # noqa: F811
    live_server,
    fixture_release,
):
    embedded = answers(live_server.url)
    assert sum(body["total"] for body in embedded) > 0
    with remote_server(virtuoso, fixture_release) as remote:
        assert answers(remote.url) == embedded
