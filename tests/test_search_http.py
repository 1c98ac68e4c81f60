"""/search over a started server (the committed release): HTML, JSON, filters, hostile input.

Golden facts (read in sources/, see tests/test_search.py): Objective 20's title is "Promote
faster, safer and cheaper transfer of remittances and foster financial inclusion of migrants";
10 actions of the resolution say "remittance(s)"; Mexico is "Mexique" in French.
"""

from __future__ import annotations

import time
from html.parser import HTMLParser
from urllib.parse import parse_qs, urljoin, urlparse

import pytest
import requests
from conftest import LiveServer

TIMEOUT = 60  # seconds: only catches a hung server (the first search builds the index)
OBJECTIVE_20 = "https://w3id.org/gcm/objective/20"


def get(server: LiveServer, params: dict | None = None, accept: str = "text/html", path="search"):
    return requests.get(
        server.url + path, params=params, headers={"Accept": accept}, timeout=TIMEOUT
    )


class Page(HTMLParser):
    """Links, forms and <mark>s of a page."""

    def __init__(self, text: str):
        super().__init__()
        self.links: list[tuple[str, str]] = []  # (href, text)
        self.forms: list[dict] = []
        self.marks: list[str] = []
        self.scripts = 0
        self._href: str | None = None
        self._text: list[str] = []
        self._in_mark = False
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and "href" in attrs:
            self._href, self._text = attrs["href"], []
        elif tag == "form":
            self.forms.append({**attrs, "inputs": []})
        elif tag in ("input", "select") and self.forms:
            self.forms[-1]["inputs"].append(attrs.get("name"))
        elif tag == "mark":
            self._in_mark = True
            self.marks.append("")
        elif tag == "script":
            self.scripts += 1

    def handle_endtag(self, tag):
        if tag == "a" and self._href is not None:
            self.links.append((self._href, "".join(self._text).strip()))
            self._href = None
        elif tag == "mark":
            self._in_mark = False

    def handle_data(self, data):
        if self._href is not None:
            self._text.append(data)
        if self._in_mark:
            self.marks[-1] += data


def test_html_results_link_to_resource_pages(built_server):
    response = get(built_server, {"q": "remittances"})
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/html")
    policy = dict(
        ([*part.strip().split(" ", 1), ""])[:2]
        for part in response.headers["Content-Security-Policy"].split(";")
        if part.strip()
    )
    assert policy.get("script-src", "'self'") == "'self'"  # scripts from our origin only
    page = Page(response.text)
    assert page.scripts == 0
    assert {m.lower() for m in page.marks} >= {"remittances"}
    title = (
        "Objective 20: Promote faster, safer and cheaper transfer of remittances "
        "and foster financial inclusion of migrants"
    )
    href = dict((text, href) for href, text in page.links)[title]
    resource = requests.get(  # 303 -> .html
        urljoin(response.url, href), headers={"Accept": "text/html"}, timeout=TIMEOUT
    )
    assert resource.status_code == 200
    assert resource.url.endswith("/objective/20.html")


def test_html_facets_are_links_with_counts(built_server):
    page = Page(get(built_server, {"q": "remittances"}).text)
    facets = {text: href for href, text in page.links if "kind=" in href}
    assert "Actions (10)" in facets
    narrowed = get(built_server, {"q": "remittances", "kind": "action"}, "application/json")
    assert narrowed.json()["total"] == 10
    query = parse_qs(urlparse(facets["Actions (10)"]).query)
    assert query == {"q": ["remittances"], "kind": ["action"]}


def test_json_by_accept_and_by_format(built_server):
    by_accept = get(built_server, {"q": "remittances", "kind": "objective"}, "application/json")
    by_format = get(built_server, {"q": "remittances", "kind": "objective", "format": "json"})
    for response in (by_accept, by_format):
        assert response.status_code == 200
        assert response.headers["Content-Type"].startswith("application/json")
        body = response.json()
        assert body["query"] == "remittances"
        assert body["total"] >= 1
        first = body["results"][0]
        assert set(first) >= {"iri", "kind", "label", "snippet", "score"}
        assert (first["iri"], first["kind"]) == (OBJECTIVE_20, "objective")
        assert "<mark>" in first["snippet"]
    assert "Accept" in by_accept.headers["Vary"]


def test_countries_by_their_french_name(built_server):
    body = get(built_server, {"q": "Mexique"}, "application/json").json()
    assert body["results"][0]["iri"] == "https://w3id.org/gcm/country/MEX"
    assert body["results"][0]["label"] == "Mexico"


def test_objective_and_source_filters(built_server):
    body = get(built_server, {"q": "remittances", "objective": "20"}, "application/json").json()
    found = [r["iri"] for r in body["results"]]
    assert OBJECTIVE_20 in found
    assert "https://w3id.org/gcm/objective/1/action/j" not in found
    body = get(built_server, {"q": "consular", "source": "idm"}, "application/json").json()
    assert body["total"] >= 1
    assert all("/practice/idm-" in r["iri"] for r in body["results"])


def test_pagination(built_server):
    first = get(built_server, {"q": "migrants"}, "application/json").json()
    second = get(built_server, {"q": "migrants", "page": "2"}, "application/json").json()
    assert first["total"] > 20 and len(first["results"]) == 20
    assert not {r["iri"] for r in first["results"]} & {r["iri"] for r in second["results"]}
    page = Page(get(built_server, {"q": "migrants"}).text)
    assert any(text == "Next →" and "page=2" in href for href, text in page.links)
    beyond = get(built_server, {"q": "migrants", "page": "500"}, "application/json").json()
    assert beyond["results"] == [] and beyond["total"] == first["total"]


@pytest.mark.parametrize(
    "text", ['"', "AND", "*", "NEAR(", "a OR b NOT c", "title:x", "^", "((", "x" * 10_000]
)
@pytest.mark.parametrize("accept", ["text/html", "application/json"])
def test_hostile_queries_never_fail_the_server(built_server, text, accept):
    response = get(built_server, {"q": text}, accept)
    assert response.status_code in (200, 400), response.text[:500]
    if response.status_code == 400:
        assert "too long" in response.text
    elif accept == "application/json":
        assert isinstance(response.json()["results"], list)


def test_markup_in_the_query_is_escaped(built_server):
    response = get(built_server, {"q": '<script>alert("x")</script>'})
    assert response.status_code == 200
    assert "<script>" not in response.text
    assert "&lt;script&gt;" in response.text


@pytest.mark.parametrize(
    "params",
    [
        {"q": "x", "kind": "spaceship"},
        {"q": "x", "page": "two"},
        {"q": "x", "page": "0"},
        {"q": "x", "objective": "-1"},
        {"q": "x", "objective": "²"},
        {"q": "x", "source": "nowhere"},
    ],
)
def test_bad_parameters_get_400_with_a_message(built_server, params):
    response = get(built_server, params, "application/json")
    assert response.status_code == 400
    assert response.json()["error"]
    assert get(built_server, params).status_code == 400


def test_empty_query_shows_the_form(built_server):
    response = get(built_server, {"q": ""})
    assert response.status_code == 200
    page = Page(response.text)
    assert any(f.get("action") == "/search" and "q" in f["inputs"] for f in page.forms)
    assert get(built_server, {"q": ""}, "application/json").json()["total"] == 0


@pytest.mark.parametrize("path", ["", "objective/20.html", "query", "shapes", "search?q=x"])
def test_every_page_has_a_search_box_that_works_without_scripts(built_server, path):
    page = Page(get(built_server, path=path).text)
    boxes = [f for f in page.forms if f.get("action") == "/search" and f.get("role") == "search"]
    assert boxes, path
    assert boxes[0].get("method", "get").lower() == "get"
    assert "q" in boxes[0]["inputs"]
    if path != "query":  # the query editor is the one page with (our own) scripts
        assert page.scripts == 0


def test_the_index_can_be_built_as_the_app_starts(fixture_release):
    """SEARCH_INDEX_AT_START: the index exists before any request (a background thread)."""
    from gcm_graph.serve import create_app
    from gcm_graph.serve.http.search import EXTENSION_KEY

    config = {"START_QUERY_POOL": False, "RELEASE_DIR": str(fixture_release)}
    lazy = create_app(config)
    eager = create_app({**config, "SEARCH_INDEX_AT_START": True})
    give_up = time.monotonic() + TIMEOUT  # only a guard against a hang
    while EXTENSION_KEY not in eager.extensions and time.monotonic() < give_up:
        time.sleep(0.05)
    fingerprint, index = eager.extensions[EXTENSION_KEY]
    assert len(fingerprint) == 64
    assert index.size > 0
    assert EXTENSION_KEY not in lazy.extensions
    body = lazy.test_client().get("/search?q=migration&format=json").get_json()
    assert EXTENSION_KEY in lazy.extensions and body["total"] >= 1


def test_results_are_gzipped_and_revalidated(built_server):
    params = {"q": "migrants", "format": "json"}
    response = requests.get(
        built_server.url + "search",
        params=params,
        headers={"Accept-Encoding": "gzip"},
        timeout=TIMEOUT,
    )
    assert response.headers["Content-Encoding"] == "gzip"
    again = requests.get(
        built_server.url + "search",
        params=params,
        headers={"If-None-Match": response.headers["ETag"]},
        timeout=TIMEOUT,
    )
    assert again.status_code == 304
