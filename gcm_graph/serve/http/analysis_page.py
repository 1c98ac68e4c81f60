"""The /analysis page: the network analysis of the release (figures, tables, the query behind
every number, downloads), read from `<release>/analysis/summary.json` as `gcm-graph build` or
`gcm-graph analyze` wrote it. `/analysis.json` serves that summary as it is."""

from __future__ import annotations

import json
from itertools import groupby
from pathlib import Path

from flask import Blueprint, Response, current_app, request

bp = Blueprint("analysis", __name__)

SUMMARY = Path("analysis") / "summary.json"


def _summary_path() -> Path:
    return Path(current_app.config["RELEASE_DIR"]) / SUMMARY


def load_summary() -> dict | None:
    path = _summary_path()
    if not path.is_file():
        return None
    return json.loads(path.read_text(encoding="utf-8"))


def _dump_url(relative: str) -> str:
    return f"{request.script_root}/dumps/analysis/{relative}"


def page_context(summary: dict) -> dict:
    """What the template shows: figures, row tables by section, queries, graph downloads."""
    figures = [
        {
            "name": name,
            "title": figure["title"],
            "png": next((_dump_url(f) for f in figure["files"] if f.endswith(".png")), None),
            "downloads": [(Path(f).suffix[1:].upper(), _dump_url(f)) for f in figure["files"]],
            "queries": figure["queries"],
        }
        for name, figure in sorted(summary["figures"].items())
    ]
    sections = [
        (section, list(rows))
        for section, rows in groupby(summary["rows"], key=lambda r: r["section"])
    ]
    graphs = [
        {
            "name": name,
            "downloads": [(Path(f).name, _dump_url(f)) for f in sorted(graph.get("files", []))],
        }
        for name, graph in sorted(summary["graphs"].items())
    ]
    return {
        "figures": figures,
        "sections": sections,
        "queries": sorted(summary["queries"].items()),
        "graphs": graphs,
        "summary_files": [(n, _dump_url(n)) for n in ("summary.md", "summary.csv", "summary.json")],
    }


@bp.app_context_processor
def navigation() -> dict:
    """Pages link to /analysis only when the release has an analysis."""
    return {"has_analysis": _summary_path().is_file()}


@bp.get("/analysis")
def analysis() -> Response:
    from .responses import finish, html, not_found

    summary = load_summary()
    if summary is None:
        return not_found("This release has no analysis: run `gcm-graph analyze`.")
    return finish(html("analysis.html", **page_context(summary)), "analysis")


@bp.get("/analysis.json")
def analysis_json() -> Response:
    from .responses import finish, not_found

    path = _summary_path()
    if not path.is_file():
        return not_found("This release has no analysis: run `gcm-graph analyze`.")
    response = Response(path.read_bytes(), content_type="application/json")
    return finish(response, "analysis.json")
