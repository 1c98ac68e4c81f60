"""PDF-extraction artefacts shared by the parsers: page headers, footnotes, markers, whitespace."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Line:
    """A line of a source document with its 1-based line number."""

    number: int
    text: str


def numbered(lines: list[str]) -> list[Line]:
    return [Line(i, text) for i, text in enumerate(lines, start=1)]


# "18-22354 **29/36**", "**18**-22354 **19/36**", "18-22354 11/**36**", "15/36 15/36", "5/36"
_JOB_NUMBER = r"\d{2}-\d{5}"
_PAGE = r"\d{1,3}/\d{1,3}"
_PAGE_HEADER = re.compile(
    rf"^(?:{_JOB_NUMBER}\s+{_PAGE}|{_PAGE}\s+{_JOB_NUMBER}|{_PAGE}(?:\s+{_PAGE})?|{_JOB_NUMBER})$"
)


def is_page_header(text: str) -> bool:
    """A running header or footer of a UN document page (job number and page x/y)."""
    return bool(_PAGE_HEADER.match(text.replace("*", "").strip()))


# Resolution footnotes: "<sup>&</sup>lt;sup>4</sup> International ..." or "<sup>10</sup> Ibid."
_SUP_FOOTNOTE = re.compile(r"^<sup>(?:&</sup>lt;sup>)?(\d+)</sup>\s*(.*)$")
SUPERSCRIPT_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_UNICODE_FOOTNOTE = re.compile(rf"^([{SUPERSCRIPT_DIGITS}]+)\s*(.*)$")


def footnote_definition(text: str) -> tuple[int, str] | None:
    """(number, text) if the line defines a footnote, else None."""
    stripped = text.strip()
    match = _SUP_FOOTNOTE.match(stripped)
    if match:
        return int(match.group(1)), match.group(2).strip()
    match = _UNICODE_FOOTNOTE.match(stripped)
    if match:
        digits = match.group(1).translate(str.maketrans(SUPERSCRIPT_DIGITS, "0123456789"))
        return int(digits), match.group(2).strip()
    return None


SUP_MARKER = re.compile(r"\s*<sup>(?:&</sup>lt;sup>)?(\d+)</sup>")
_UNICODE_MARKER = re.compile(rf"[{SUPERSCRIPT_DIGITS}]+")


def strip_footnote_markers(text: str) -> str:
    """Remove footnote reference markers (<sup>n</sup>, superscript digits) from running text."""
    text = SUP_MARKER.sub("", text)
    return _UNICODE_MARKER.sub("", text)


_SPACES = re.compile(r"\s+")
_SPACE_BEFORE_PUNCT = re.compile(r"\s+([,;:.!?)])")


def normalize_space(text: str) -> str:
    """Collapse runs of whitespace and drop spaces before closing punctuation."""
    text = _SPACES.sub(" ", text).strip()
    return _SPACE_BEFORE_PUNCT.sub(r"\1", text)


# "[title](#)", "[title](https://...)": the conversion's links; the words stay, the target goes
# (the documents' link targets are lost: "#").
_MD_LINK = re.compile(r"\[((?:[^\]\\]|\\.)*)\]\([^)\s]*\)")
# "\$4 million", "\(2021-2025\)": characters the conversion escaped for Markdown.
_MD_ESCAPE = re.compile(r"\\([$*_#\[\]()])")


def strip_markdown(text: str) -> str:
    """Remove the Markdown the PDF-to-text conversion left: heading marks, emphasis, links
    (the link text is kept) and backslash escapes."""
    text = re.sub(r"^#+\s*", "", text.strip())
    text = _MD_LINK.sub(r"\1", text)
    text = text.replace("**", "").replace("__", "")
    text = re.sub(r"(?<![\w*])\*(?!\s)([^*]+?)(?<!\s)\*(?![\w*])", r"\1", text)
    return _MD_ESCAPE.sub(r"\1", text)


def join_wrapped(parts: list[str]) -> str:
    """Join pieces of one paragraph split across lines or pages into one normalised text."""
    return normalize_space(" ".join(p.strip() for p in parts if p.strip()))
