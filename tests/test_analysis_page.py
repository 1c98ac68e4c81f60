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
    # Target 10.7 is listed by 17 objectives (booklet lines 171 ... 1342, see test_catalogue):
    # in the wide Targets table, row 10.7 (linked to the target), column "objectives listing it".
    headers, rows = wide_table(text, "section-targets")
    column = headers.index("objectives listing it")
    row = next(cells for name, cells in rows if ">10.7 Facilitate orderly" in name)  # named
    assert 'href="/describe?uri=http%3A%2F%2Fmetadata.un.org%2Fsdg%2F10.7"' in row[0]
    assert row[column] == "17"
    images = re.findall(r'<img src="([^"]+\.png)"', text)
    assert len(images) == 4
    for src in images:
        image = requests.get(built_server.url.rstrip("/") + src, timeout=30)
        assert image.status_code == 200 and image.headers["Content-Type"] == "image/png"
        assert image.content.startswith(b"\x89PNG")
    known = {q.name for q in catalogue()}
    linked = set(re.findall(r"/query\?example=([a-z0-9-]+)", text))
    assert linked and linked <= known


def wide_table(text: str, anchor: str) -> tuple[list[str], list[tuple[str, list[str]]]]:
    """(column headings, [(row heading HTML, cell texts with the heading first)]) of a table."""
    table = text.split(f'id="{anchor}"', 1)[1].split("</table>", 1)[0]
    head, body = table.split("</thead>", 1)
    headers = [
        re.sub(r"<br>.*", "", h, flags=re.DOTALL).strip()
        for h in re.findall(r"<th[^>]*>(.*?)</th>", head, re.DOTALL)
    ]
    rows = []
    for tr in re.findall(r"<tr>(.*?)</tr>", body, re.DOTALL):
        name = re.search(r"<th[^>]*>(.*?)</th>", tr, re.DOTALL).group(1)
        cells = [name] + [
            re.sub(r"<[^>]+>", "", c).strip()
            for c in re.findall(r"<td[^>]*>(.*?)</td>", tr, re.DOTALL)
        ]
        rows.append((name, cells))
    return headers, rows


def test_objectives_are_named_and_linked_and_sorted_numerically(built_server):
    text = unescape(requests.get(built_server.url + "analysis", timeout=30).text)
    _headers, rows = wide_table(text, "section-objectives")
    names = [name for name, _cells in rows]
    numbers = [int(re.search(r">(\d+)\. ", n).group(1)) for n in names]
    assert numbers == sorted(numbers) and numbers[:3] == [1, 2, 3] and len(numbers) == 23
    # Objective 20's title (resolution, line 513) and its page.
    twenty = names[19]
    assert 'href="/objective/20"' in twenty
    assert "20. Promote faster, safer and cheaper transfer of remittances" in twenty
    assert "Objective 22</td>" not in text  # no bare "Objective N" subjects left


def test_goal_matrix_is_wide(built_server):
    text = unescape(requests.get(built_server.url + "analysis", timeout=30).text)
    headers, rows = wide_table(text, "goal-matrix")
    goals = [re.sub(r"<[^>]+>", "", h) for h in headers[1:]]
    numbers = [int(g) for g in goals]  # the goals with a listed target, in numeric order
    assert numbers == sorted(numbers) and {1, 10, 16, 17} <= set(numbers)
    assert len(rows) == 23
    # The booklet lists 10.2 and 10.7 for Objective 7, 10.c for Objective 20 (see heatmap).
    ten = goals.index("10") + 1
    assert rows[6][1][ten] == "2"
    assert rows[19][1][ten] == "1"


def test_network_json_is_the_projection_with_shared_targets(built_server):
    response = requests.get(built_server.url + "analysis/network.json", timeout=30)
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/json")
    elements = response.json()["elements"]
    nodes = [e["data"] for e in elements if e["group"] == "nodes"]
    edges = [e["data"] for e in elements if e["group"] == "edges"]
    assert len(nodes) == 23
    assert {n["href"] for n in nodes} == {f"/objective/{k}" for k in range(1, 24)}
    by_pair = {(e["source"].rsplit("/", 1)[1], e["target"].rsplit("/", 1)[1]): e for e in edges}
    six_seven = by_pair[("6", "7")]
    assert "10.7" in six_seven["shared"] and six_seven["weight"] == len(six_seven["shared"])
    assert all(e["weight"] == len(e["shared"]) for e in edges)
    # Objectives 2 and 19: the booklet says "all SDGs", so no listed targets and no edges.
    lonely = {n["label"] for n in nodes if n["degree"] == 0}
    assert lonely == {"2", "19"}


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
