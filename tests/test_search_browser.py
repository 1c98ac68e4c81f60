"""The search box in headless Chromium (no script involved): type, submit, read, follow a result.

Screenshots go to $GCM_SCREENSHOT_DIR when set (else a temporary directory).
"""

from __future__ import annotations

import pytest
from test_browser import By, browser, follow, full_page_screenshot, shots  # noqa: F401  (fixtures)

pytestmark = pytest.mark.slow

TITLE_20 = (
    "Objective 20: Promote faster, safer and cheaper transfer of remittances "
    "and foster financial inclusion of migrants"
)


def test_search_box_finds_and_opens_objective_20(browser, built_server, shots):  # noqa: F811
    browser.get(built_server.url + "objective/7.html")
    box = browser.find_element(By.CSS_SELECTOR, "header form[role=search] input[name=q]")
    box.send_keys("remittances")
    follow(browser, box.submit)
    assert "/search?q=remittances" in browser.current_url
    facets = [a.text for a in browser.find_elements(By.CSS_SELECTOR, "nav.facets a")]
    assert "Actions (10)" in facets
    marks = browser.find_elements(By.CSS_SELECTOR, "ol.search-results mark")
    assert marks and all(m.text.lower().startswith("remittance") for m in marks)
    full_page_screenshot(browser, shots / "search-remittances.png")

    follow(browser, browser.find_element(By.LINK_TEXT, "Objectives (1)").click)
    results = browser.find_elements(By.CSS_SELECTOR, "ol.search-results > li > a")
    assert [r.text for r in results] == [TITLE_20]
    follow(browser, results[0].click)
    assert browser.current_url.endswith("/objective/20.html")


def test_filters_form_narrows_by_objective(browser, built_server, shots):  # noqa: F811
    browser.get(built_server.url + "search?q=migrant+workers")
    browser.find_element(By.CSS_SELECTOR, "#search-objective option[value='6']").click()
    submit = browser.find_element(By.CSS_SELECTOR, "form.search-page button[type=submit]")
    follow(browser, submit.click)
    assert "objective=6" in browser.current_url
    labels = [a.text for a in browser.find_elements(By.CSS_SELECTOR, "ol.search-results > li > a")]
    assert labels and any(label.startswith("Objective 6 (") for label in labels)
    assert not any(label.startswith("Objective 20") for label in labels)
    full_page_screenshot(browser, shots / "search-objective-6.png")
