"""A started server against hostile page requests: open redirects, HTML without CSP, symlinks
inside the release folder (issue 11, the smaller items)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urljoin, urlparse

import pytest
import requests
from conftest import LiveServer, start_server

from gcm_graph.serve.http.security import CSP

TIMEOUT = 120  # only catches a hung server

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def linked_server(
    tmp_path_factory: pytest.TempPathFactory, fixture_release: Path
) -> Iterator[LiveServer]:
    """The fixture release with symbolic links inside its folder: to a file and a folder
    outside it, and to a file of the release itself."""
    release = tmp_path_factory.mktemp("linked-release")
    for path in fixture_release.iterdir():
        if path.is_file():
            shutil.copy(path, release / path.name)
    os.symlink("/etc/passwd", release / "passwd")
    os.symlink("/etc", release / "etc")
    os.symlink(release / "gcm.ttl", release / "alias.ttl")
    (release / "sub").mkdir()
    (release / "sub" / "notes.txt").write_text("a real file in a folder\n")
    with start_server(release, workers=1) as server:
        yield server


@pytest.mark.parametrize(
    "iri",
    [
        "https://w3id.org/gcm//evil.example/phish",
        "https://w3id.org/gcm///evil.example/phish",
        "https://w3id.org/gcm/\\evil.example/phish",
    ],
)
def test_describe_never_redirects_to_another_host(linked_server: LiveServer, iri: str) -> None:
    response = requests.get(
        linked_server.url + "describe",
        params={"uri": iri},
        allow_redirects=False,
        timeout=TIMEOUT,
    )
    assert response.status_code == 303
    location = response.headers["Location"]
    assert location.startswith("/") and not location.startswith(("//", "/\\"))
    target = urlparse(urljoin(linked_server.url, location))
    assert target.netloc == urlparse(linked_server.url).netloc


def test_describe_redirect_of_a_plain_iri_is_unchanged(linked_server: LiveServer) -> None:
    response = requests.get(
        linked_server.url + "describe",
        params={"uri": "https://w3id.org/gcm/objective/7"},
        allow_redirects=False,
        timeout=TIMEOUT,
    )
    assert response.status_code == 303
    assert response.headers["Location"] == "/objective/7"


@pytest.mark.parametrize(
    ("method", "path", "data", "status"),
    [
        ("GET", "no/such/thing", None, 404),  # the HTML error page
        ("POST", "query", {"query": "ASK {}"}, 200),  # a POST /query answer
        ("POST", "query", {"query": "ASK {"}, 400),  # its error page
        ("PUT", "query", None, 405),  # Flask's own error page
        ("GET", "", None, 200),
    ],
)
def test_every_html_answer_has_a_csp(
    linked_server: LiveServer, method: str, path: str, data: dict | None, status: int
) -> None:
    response = requests.request(
        method,
        linked_server.url + path,
        data=data,
        headers={"Accept": "text/html"},
        timeout=TIMEOUT,
    )
    assert response.status_code == status
    assert response.headers["Content-Type"].startswith("text/html")
    assert response.headers["Content-Security-Policy"] == CSP


@pytest.mark.parametrize("name", ["passwd", "etc/passwd", "alias.ttl", "etc/hostname"])
def test_symlinks_are_never_served(linked_server: LiveServer, name: str) -> None:
    response = requests.get(linked_server.url + "dumps/" + name, timeout=TIMEOUT)
    assert response.status_code == 404
    assert "root:" not in response.text


def test_listing_names_no_symlink(linked_server: LiveServer) -> None:
    listing = requests.get(linked_server.url + "dumps/", timeout=TIMEOUT)
    assert listing.status_code == 200
    assert "gcm.ttl" in listing.text and "sub/notes.txt" in listing.text
    for name in ("passwd", "alias.ttl", "etc/"):
        assert name not in listing.text
    real = requests.get(linked_server.url + "dumps/sub/notes.txt", timeout=TIMEOUT)
    assert real.status_code == 200 and real.text == "a real file in a folder\n"
