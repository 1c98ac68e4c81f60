"""The front door in headless Chromium over the real release (build/): the query editor (YASGUI,
from our origin) runs a catalogue example and shows its rows; the analysis page's network view
renders and answers hover and click; no page loads anything from another origin or trips the
Content-Security-Policy; screenshots of the editor, a goal's hierarchy, a span page and the
analysis page go to $GCM_SCREENSHOT_DIR (see test_browser.py) for a person to look at.

The plain form without JavaScript (the no-script fallback) is tested with scripts disabled.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests
from conftest import LiveServer
from test_browser import chrome, full_page_screenshot, shots  # noqa: F401

pytestmark = pytest.mark.slow

from selenium import webdriver  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions as ec  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

WAIT = 60  # seconds; only catches hangs
# Recorded before any page script runs (CDP), so that a violation during load is seen too.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', function (e) {
  window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI);
});
"""


def recording_chrome(profile: Path, scripts: bool = True) -> webdriver.Chrome:
    """test_browser's Chromium that records CSP violations from the start of every page."""
    no_scripts = {"profile.managed_default_content_settings.javascript": 2}
    driver = chrome(profile, None if scripts else no_scripts)
    driver.set_page_load_timeout(WAIT)
    driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": RECORD_VIOLATIONS})
    return driver


@pytest.fixture(scope="module")
def front(tmp_path_factory: pytest.TempPathFactory) -> Iterator[webdriver.Chrome]:
    driver = recording_chrome(tmp_path_factory.mktemp("chromium-front"))
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def noscript(tmp_path_factory: pytest.TempPathFactory) -> Iterator[webdriver.Chrome]:
    driver = recording_chrome(tmp_path_factory.mktemp("chromium-noscript"), scripts=False)
    yield driver
    driver.quit()


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def assert_same_origin_only(driver: webdriver.Chrome, server: LiveServer) -> int:
    """Every resource the page loaded came from the server's origin; no CSP violation.
    Returns the number of resources checked."""
    loaded = driver.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name).concat([location.href]);"
    )
    foreign = [
        u
        for u in loaded
        if not u.startswith(("data:", "blob:")) and origin_of(u) != origin_of(server.url)
    ]
    assert foreign == [], f"loaded from another origin: {foreign}"
    violations = driver.execute_script("return window.__cspViolations || [];")
    assert violations == [], f"Content-Security-Policy violations: {violations}"
    return len(loaded)


def at(server: LiveServer, path: str) -> str:
    return server.url.rstrip("/") + path


def test_editor_loads_from_our_origin_and_runs_a_catalogue_example(
    front,
    built_server: LiveServer,
    shots: Path,  # noqa: F811
):
    front.get(at(built_server, "/sparql"))
    WebDriverWait(front, WAIT).until(
        ec.presence_of_element_located((By.CSS_SELECTOR, "#yasgui .CodeMirror"))
    )
    # With scripts, YASGUI replaces the plain form.
    assert not front.find_element(By.ID, "plain-query").is_displayed()
    scripts = front.execute_script("return Array.from(document.scripts).map(s => s.src);")
    assert at(built_server, "/assets/vendor/yasgui/yasgui.min.js") in scripts

    example = front.find_element(By.PARTIAL_LINK_TEXT, "Targets of an objective")
    example.click()
    rows = WebDriverWait(front, WAIT).until(
        lambda d: (
            d.find_elements(By.CSS_SELECTOR, ".yasr table.dataTable tbody tr td")
            and d.find_elements(By.CSS_SELECTOR, ".yasr table.dataTable tbody tr")
        )
    )
    # The same query over the protocol: as many rows as the editor shows.
    query = next(
        q
        for q in front.execute_script(
            "return JSON.parse(document.getElementById('yasgui').dataset.config).examples;"
        )
        if q["name"] == "objective-targets"
    )["query"]
    answer = requests.post(
        built_server.sparql,
        data={"query": query},
        headers={"Accept": "application/sparql-results+json"},
        timeout=WAIT,
    )
    expected = answer.json()["results"]["bindings"]
    assert len(rows) == len(expected) > 3
    table_text = front.find_element(By.CSS_SELECTOR, ".yasr table.dataTable").text
    assert "10.7" in table_text  # Objective 7 lists target 10.7 (booklet)
    assert front.execute_script("return gcmYasgui.getTab().getQuery();") == query
    full_page_screenshot(front, shots / "editor.png")

    # A shareable link per query: on our origin, and it opens the editor with that query.
    link = front.execute_script("return gcmYasgui.getTab().getShareableLink();")
    assert link.startswith(at(built_server, "/sparql")) and "query=" in link
    assert_same_origin_only(front, built_server)
    front.get(link)
    WebDriverWait(front, WAIT).until(
        ec.presence_of_element_located((By.CSS_SELECTOR, "#yasgui .CodeMirror"))
    )
    assert front.execute_script("return gcmYasgui.getTab().getQuery();") == query

    # The chart plugin (ours) draws a count query as bars.
    front.get(at(built_server, "/query?example=practices-per-region"))
    WebDriverWait(front, WAIT).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, ".yasr table.dataTable tbody tr td")
    )
    front.execute_script("gcmYasgui.getTab().getYasr().selectPlugin('chart');")
    bars = WebDriverWait(front, WAIT).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, ".yasr svg.gcm-chart rect.bar")
    )
    assert len(bars) > 1
    full_page_screenshot(front, shots / "editor-chart.png")
    assert_same_origin_only(front, built_server)


def test_network_view_renders_and_answers_hover_and_click(
    front,
    built_server: LiveServer,
    shots: Path,  # noqa: F811
):
    front.get(at(built_server, "/analysis"))
    view = WebDriverWait(front, WAIT).until(
        lambda d: (
            d.find_element(By.ID, "network-view").get_attribute("data-nodes")
            and d.find_element(By.ID, "network-view")
        )
    )
    assert view.get_attribute("data-nodes") == "23"
    assert int(view.get_attribute("data-edges")) > 50
    assert view.find_elements(By.TAG_NAME, "canvas"), "cytoscape draws on canvas"
    # Hover on the edge between objectives 6 and 7: the targets they share are listed.
    front.execute_script(
        "var e = gcmNetwork.edges().filter(x => x.data('source').endsWith('/objective/6')"
        " && x.data('target').endsWith('/objective/7'))[0]; e.emit('mouseover');"
    )
    info = front.find_element(By.ID, "network-info").text
    assert info.startswith("Objectives 6 and 7 share") and "10.7" in info
    full_page_screenshot(front, shots / "analysis.png")
    assert_same_origin_only(front, built_server)
    # A click on a node opens the objective's page.
    front.execute_script("gcmNetwork.nodes().filter(n => n.data('label') === '20')[0].emit('tap');")
    WebDriverWait(front, WAIT).until(ec.url_contains("/objective/20"))
    assert "remittances" in front.find_element(By.TAG_NAME, "h1").text


@pytest.mark.parametrize(
    ("path", "name", "expected"),
    [
        (
            "/describe.html?uri=http%3A%2F%2Fmetadata.un.org%2Fsdg%2F10",
            "goal-10-hierarchy.png",
            "10.c",
        ),
        (
            "/source/resolution/lines/289-311.html",
            "span-resolution-289-311.png",
            "Objective 7: Address",
        ),
        ("/objective/7.html", "objective-7-actions.png", "(l)"),
        ("/shapes", "shapes.png", "gcmsh:ObjectiveShape applies to targetClass gcm:Objective"),
    ],
)
def test_pages_load_nothing_from_elsewhere(
    front,
    built_server: LiveServer,
    shots: Path,  # noqa: F811
    path: str,
    name: str,
    expected: str,
):
    front.get(at(built_server, path))
    assert expected in front.find_element(By.TAG_NAME, "main").text
    full_page_screenshot(front, shots / name)
    assert_same_origin_only(front, built_server)


def test_the_origin_and_csp_checks_can_fail(front, built_server: LiveServer):
    """Negative control: an inline script and an image from another origin (a loopback address) are blocked by the
    CSP, and the checks above would have reported them."""
    front.get(at(built_server, "/objective/7.html"))
    front.execute_script(
        "var s = document.createElement('script'); s.textContent = 'window.__ran = 1';"
        "document.body.appendChild(s);"
        "var i = document.createElement('img'); i.src = 'http://127.0.0.2:9/x.png';"
        "document.body.appendChild(i);"
    )
    WebDriverWait(front, WAIT).until(  # both violations reported, the image's attempt recorded
        lambda d: (
            len(d.execute_script("return window.__cspViolations;")) >= 2
            and d.execute_script(
                "return performance.getEntriesByType('resource')"
                ".some(e => e.name.startsWith('http://127.0.0.2:9/'));"
            )
        )
    )
    assert front.execute_script("return window.__ran;") is None  # the inline script did not run
    violations = " ".join(front.execute_script("return window.__cspViolations;"))
    assert "script-src" in violations and "img-src" in violations
    with pytest.raises(AssertionError, match="loaded from another origin"):
        assert_same_origin_only(front, built_server)
    front.execute_script("performance.clearResourceTimings();")
    with pytest.raises(AssertionError, match="Content-Security-Policy violations"):
        assert_same_origin_only(front, built_server)


def test_plain_form_works_without_javascript(noscript, built_server: LiveServer, shots: Path):  # noqa: F811
    noscript.get(at(built_server, "/sparql"))
    assert noscript.find_element(By.ID, "plain-query").is_displayed()
    textarea = noscript.find_element(By.ID, "query-text")
    textarea.send_keys("SELECT ?n WHERE { ?o a gcm:Objective ; gcm:number ?n } ORDER BY ?n LIMIT 3")
    noscript.find_element(By.ID, "run-query").click()
    table = WebDriverWait(noscript, WAIT).until(
        ec.presence_of_element_located((By.ID, "results-table"))
    )
    cells = [td.text for td in table.find_elements(By.CSS_SELECTOR, "tbody td")]
    assert cells == ["1", "2", "3"]
    full_page_screenshot(noscript, shots / "editor-noscript.png")
