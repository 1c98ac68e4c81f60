"""The /analysis page over a real started server: figures, numbers with their queries, downloads."""

from __future__ import annotations

import json
import re
from html import unescape

import requests

from gcm_graph.catalogue import catalogue


def test_analysis_page_shows_figures_numbers_and_queries(built_server):
    page = requests.get(built_server.url + "analysis", timeout=30)
    assert page.status_code == 200
    assert page.headers["Content-Type"].startswith("text/html")
    text = unescape(page.text)
    # Target 10.7 is listed by 17 objectives (booklet lines 171 ... 1342, see test_catalogue).
    assert re.search(r"<td>10\.7</td><td>objectives listing it</td><td>17</td>", text)
    images = re.findall(r'<img src="([^"]+\.png)"', text)
    assert len(images) == 4
    for src in images:
        image = requests.get(built_server.url.rstrip("/") + src, timeout=30)
        assert image.status_code == 200 and image.headers["Content-Type"] == "image/png"
        assert image.content.startswith(b"\x89PNG")
    known = {q.name for q in catalogue()}
    linked = set(re.findall(r"/query\?example=([a-z0-9-]+)", text))
    assert linked and linked <= known


def test_every_download_link_of_the_page_resolves(built_server):
    text = requests.get(built_server.url + "analysis", timeout=30).text
    links = sorted(set(re.findall(r'href="(/dumps/analysis/[^"]+)"', text)))
    assert any(link.endswith(".graphml") for link in links)
    assert any(link.endswith(".gexf") for link in links)
    for link in links:
        response = requests.head(built_server.url.rstrip("/") + link, timeout=30)
        assert response.status_code == 200, link


def test_analysis_json_is_the_summary_of_the_release(built_server):
    response = requests.get(built_server.url + "analysis.json", timeout=30)
    assert response.status_code == 200
    summary_file = built_server.release_dir / "analysis" / "summary.json"
    assert response.json() == json.loads(summary_file.read_text())
    again = requests.get(
        built_server.url + "analysis.json",
        headers={"If-None-Match": response.headers["ETag"]},
        timeout=30,
    )
    assert again.status_code == 304


def test_a_release_without_analysis_answers_404(live_server):
    response = requests.get(
        live_server.url + "analysis", headers={"Accept": "text/html"}, timeout=30
    )
    assert response.status_code == 404
    assert "gcm-graph analyze" in response.text


def test_pages_link_to_the_analysis_only_when_there_is_one(built_server, live_server):
    assert 'href="/analysis"' in requests.get(built_server.url, timeout=30).text
    assert 'href="/analysis"' not in requests.get(live_server.url, timeout=30).text
