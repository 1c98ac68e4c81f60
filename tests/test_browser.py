"""End to end in headless Chromium (Debian's `chromium` + `chromedriver`, installed by
scripts/install-chromium.sh): the query form on the home page runs a query and shows its table.

Skipped, with the reason, only when Chromium or its driver is missing and we are not in CI; in CI
(CI=true) a missing browser is a failure. Screenshots of the pages go to
$GCM_SCREENSHOT_DIR (default: the test's temporary directory) for a human to look at.
"""

from __future__ import annotations

import base64
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from ld_server import ld_server  # noqa: F401  (fixture)

pytestmark = pytest.mark.slow

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver") or (
    "/usr/bin/chromedriver" if Path("/usr/bin/chromedriver").exists() else None
)
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
MISSING = [
    name for name, path in (("chromium", CHROMIUM), ("chromedriver", CHROMEDRIVER)) if not path
]

if MISSING and not IN_CI:
    pytest.skip(
        f"{' and '.join(MISSING)} not installed (run scripts/install-chromium.sh); "
        "this test runs whenever CI=true",
        allow_module_level=True,
    )

from selenium import webdriver  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--window-size=1280,1000",
)


def chrome(profile: Path, prefs: dict | None = None) -> webdriver.Chrome:
    """Headless Debian Chromium with its own profile directory (and Chrome preferences)."""
    assert not MISSING, f"CI=true but {MISSING} missing: run scripts/install-chromium.sh"
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile}")
    if prefs:
        options.add_experimental_option("prefs", prefs)
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(60)
    return driver


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[webdriver.Chrome]:
    driver = chrome(tmp_path_factory.mktemp("chromium-profile"))
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    configured = os.environ.get("GCM_SCREENSHOT_DIR")
    directory = Path(configured) if configured else tmp_path_factory.mktemp("screenshots")
    directory.mkdir(parents=True, exist_ok=True)
    return directory


def full_page_screenshot(driver: webdriver.Chrome, path: Path) -> None:
    """The whole page, not only the window (Chrome DevTools' captureBeyondViewport)."""
    shot = driver.execute_cdp_cmd(
        "Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True}
    )
    path.write_bytes(base64.b64decode(shot["data"]))


def follow(driver: webdriver.Chrome, action: Callable[[], object], timeout: float = 30) -> None:
    """Do `action` (a click, a submit) and wait until the page it leads to has replaced this one.

    A click returns once the browser has dispatched it, not once the next page is loaded, so
    reading the page (or its URL) right after it can still see the old one."""
    old = driver.find_element(By.TAG_NAME, "html")
    action()
    WebDriverWait(driver, timeout).until(expected_conditions.staleness_of(old))


@pytest.fixture
def without_scripts(browser: webdriver.Chrome) -> Iterator[webdriver.Chrome]:
    """The browser with JavaScript off: the plain form, as the no-script fallback of the editor."""
    browser.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": True})
    yield browser
    browser.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": False})


def test_query_form_runs_a_query_and_shows_the_table(without_scripts, ld_server, shots):  # noqa: F811
    browser = without_scripts
    browser.get(ld_server.at("/"))
    full_page_screenshot(browser, shots / "home.png")
    textarea = browser.find_element(By.ID, "query-text")
    textarea.clear()
    textarea.send_keys(
        "PREFIX gcm: <https://w3id.org/gcm/ontology#>\n"
        "PREFIX dcterms: <http://purl.org/dc/terms/>\n"
        "SELECT ?objective ?number ?title WHERE {\n"
        "  ?objective a gcm:Objective ; gcm:number ?number ; dcterms:title ?title }\n"
        "ORDER BY ?number"
    )
    browser.find_element(By.ID, "run-query").click()
    table = WebDriverWait(browser, 30).until(
        expected_conditions.presence_of_element_located((By.ID, "results-table"))
    )
    headers = [th.text for th in table.find_elements(By.CSS_SELECTOR, "thead th")]
    assert headers == ["objective", "number", "title"]
    rows = [
        [td.text for td in tr.find_elements(By.TAG_NAME, "td")]
        for tr in table.find_elements(By.CSS_SELECTOR, "tbody tr")
    ]
    # The fixture release has objectives 1, 2 and 7 (tests/fixtures/release/gcm.trig).
    assert [row[1] for row in rows] == ["1", "2", "7"]
    assert rows[2][2] == "Address and reduce vulnerabilities in migration"
    assert browser.current_url.startswith(ld_server.at("/query?"))
    full_page_screenshot(browser, shots / "query-results.png")

    # The download links fetch the same answer from the SPARQL endpoint.
    csv_link = browser.find_element(By.LINK_TEXT, "CSV").get_attribute("href")
    assert "/sparql?" in csv_link and "format=csv" in csv_link

    # A cell links to the resource's page; following it lands on the HTML twin (303).
    browser.find_element(By.LINK_TEXT, "objective/7").click()
    WebDriverWait(browser, 30).until(expected_conditions.url_contains("/objective/7.html"))
    assert browser.find_element(By.TAG_NAME, "h1").text == (
        "Address and reduce vulnerabilities in migration"
    )
    full_page_screenshot(browser, shots / "objective-7.png")


def test_malformed_query_shows_the_parser_message(without_scripts, ld_server):  # noqa: F811
    browser = without_scripts
    browser.get(ld_server.at("/query"))
    textarea = browser.find_element(By.ID, "query-text")
    textarea.send_keys("SELECT ?x WHERE { ?x ")
    browser.find_element(By.ID, "run-query").click()
    error = WebDriverWait(browser, 30).until(
        expected_conditions.presence_of_element_located((By.ID, "query-error"))
    )
    assert "Malformed query" in error.text


def test_script_in_a_literal_is_shown_not_run(browser, ld_server, shots):  # noqa: F811
    browser.get(ld_server.at("/objective/1.html"))
    full_page_screenshot(browser, shots / "objective-1.png")
    browser.get(ld_server.at("/mechanism/escaping-fixture.html"))
    # Had the title's <script> run, alert() would have opened a dialog (selenium would raise
    # UnexpectedAlertPresentException on the next command); instead the text is on the page.
    assert (
        "<script>alert('gcm-title')</script> Mechanism"
        in browser.find_element(By.TAG_NAME, "h1").text
    )
    assert browser.title.startswith("<script>alert('gcm-title')</script> Mechanism")
