"""Comparing two wordings of the same text: identical, trivially different, or substantively.

Trivial differences are the ones a PDF extraction or a copy-edit makes without changing meaning:
whitespace, punctuation and hyphenation, letter case, the articles a/an/the, and footnote
numbers glued to words ("Paris Agreement4"). Anything else is substantive.
"""

from __future__ import annotations

import difflib
import re

SAME = "same"
TRIVIAL = "trivial"
SUBSTANTIVE = "substantive"
ARTEFACT = "artefact"
VARIANT = "variant"

_ARTICLES = frozenset({"a", "an", "the"})
_GLUED_FOOTNOTE = re.compile(r"(?<=[a-z])\d{1,2}\b")
_HYPHENS = re.compile(r"[-‐‑–—]")
_NON_WORD = re.compile(r"[^\w\s]")


def words(text: str) -> list[str]:
    """Lower-case words, with punctuation dropped, hyphenated words joined, footnote digits cut."""
    text = _GLUED_FOOTNOTE.sub("", text)
    text = _HYPHENS.sub("", text.lower())
    return _NON_WORD.sub(" ", text).split()


def wording_key(text: str) -> tuple[str, ...]:
    """What is left of a text once every trivial difference is taken out."""
    return tuple(w for w in words(text) if w not in _ARTICLES)


def classify_wording(reference: str, other: str) -> str:
    if reference == other:
        return SAME
    return TRIVIAL if wording_key(reference) == wording_key(other) else SUBSTANTIVE


def similarity(first: str, second: str) -> float:
    """Share of words in common, 0..1, on the trivial-free keys."""
    return difflib.SequenceMatcher(a=wording_key(first), b=wording_key(second)).ratio()


def heading_variant(title: str, heading: str) -> str:
    """Compare an objective's body heading with its listed title.

    'artefact' when they differ only by spacing, hyphens or case as a PDF extraction makes them
    ("evidencebased" for "evidence-based"); 'variant' when the words differ.
    """
    if title == heading:
        return SAME
    squash = re.compile(r"[^a-z0-9]")
    if squash.sub("", title.lower()) == squash.sub("", heading.lower()):
        return ARTEFACT
    return VARIANT


def word_changes(reference: str, other: str) -> list[dict[str, str]]:
    """The substantive word-level edits from reference to other, for a report."""
    a, b = list(wording_key(reference)), list(wording_key(other))
    changes = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op != "equal":
            changes.append({"resolution": " ".join(a[i1:i2]), "other": " ".join(b[j1:j2])})
    return changes
