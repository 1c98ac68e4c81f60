"""Cleaning of the SDG KOS labels: the file's known flaws, repaired or dropped, each recorded.

Known flaws of the file are cleaned here, never in the file, and each cleaning is returned as a
`LabelCleaning` so the model can record it in provenance:
- whitespace runs and trailing spaces (several fr/es labels, 8.7 en);
- a stray footnote digit glued to the last word ("...negotiation3" in 14.6, all three languages);
- a missing space after a comma ("By 2030,halve" in 12.3 en);
- a second label in one language that is another concept's label ("Tableau de bord
  macroéconomique" in 12.3 is indicator 17.13.1's) or a fragment ("By 2030,d" in 12.3 en);
- a label whose ending is spliced in from another concept's label in another language (17.13 fr
  ends with "and domestic material consumption per GDP", from indicator 12.2.2): dropped, since
  the lost words cannot be recovered from the file.
The rules are generic; tests pin which concepts they touch.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from rdflib import Literal


@dataclass(frozen=True)
class StatementSpan:
    """Where one predicate of a concept is stated in the file (one Turtle statement)."""

    predicate: str
    first_line: int
    last_line: int


@dataclass(frozen=True)
class LabelCleaning:
    """One repair of the KOS labels: what was wrong, what the build did."""

    language: str
    action: str
    """'repaired' (text changed) or 'dropped' (label left out)."""
    original: str
    result: str | None
    reason: str
    first_line: int
    last_line: int

    @property
    def is_whitespace_only(self) -> bool:
        return self.result is not None and " ".join(self.original.split()) == self.result


_STRAY_FOOTNOTE = re.compile(r"(?<=[^\W\d_])\d$")
_COMMA_WITHOUT_SPACE = re.compile(r",(?=[^\W\d_])")
SPLICE_MIN_WORDS = 4


class LabelIndex:
    """The labels of all concepts, to tell a borrowed or spliced label from a concept's own."""

    def __init__(self, labels: Iterable[tuple[str, Literal]]):
        self._texts: dict[str, set[str]] = {}
        self._tails: dict[tuple[str, ...], list[tuple[str, str, list[str]]]] = {}
        for subject, label in labels:
            text = normalize_label(str(label))
            self._texts.setdefault(text, set()).add(subject)
            words = text.casefold().split()
            if len(words) >= SPLICE_MIN_WORDS:
                tail = tuple(words[-SPLICE_MIN_WORDS:])
                self._tails.setdefault(tail, []).append((subject, label.language or "", words))

    def is_other_label(self, text: str, subject: str) -> bool:
        """Whether `text` is the label of a concept other than `subject`."""
        return bool(self._texts.get(text, set()) - {subject})

    def spliced_tail(self, text: str, language: str, subject: str) -> str | None:
        """The tail of `text` that ends another concept's label in another language, if any.

        A label ending in >= SPLICE_MIN_WORDS words of a label in another language is a splice of
        two labels (17.13 fr), not a translation: translations do not share runs of words.
        """
        words = text.casefold().split()
        for other, other_language, other_words in self._tails.get(
            tuple(words[-SPLICE_MIN_WORDS:]), []
        ):
            if other == subject or other_language == language:
                continue
            shared = 0
            while shared < min(len(words), len(other_words)) and (
                words[-1 - shared] == other_words[-1 - shared]
            ):
                shared += 1
            return " ".join(text.split()[-shared:])
        return None


@dataclass(frozen=True)
class _Candidate:
    original: str
    text: str
    repairs: tuple[str, ...]
    span: StatementSpan


def clean_labels(
    labels: Iterable[tuple[Literal, StatementSpan]], index: LabelIndex, subject: str
) -> tuple[tuple[tuple[str, str], ...], list[LabelCleaning]]:
    """One clean label per language, and the list of what was changed or dropped and why."""
    by_language: dict[str, list[_Candidate]] = {}
    cleanings: list[LabelCleaning] = []
    for literal, span in labels:
        language = literal.language or ""
        text, repairs = repair_label(str(literal))
        splice = index.spliced_tail(text, language, subject)
        if splice is not None:
            reason = f"its ending '{splice}' is another concept's label in another language"
            cleanings.append(_cleaning(language, "dropped", str(literal), None, reason, span))
            continue
        candidate = _Candidate(str(literal), text, tuple(repairs), span)
        by_language.setdefault(language, []).append(candidate)
    chosen: list[tuple[str, str]] = []
    for language, candidates in sorted(by_language.items()):
        keep, dropped = _choose(candidates, index, subject)
        chosen.append((language, keep.text))
        if keep.repairs:
            reason = "; ".join(keep.repairs)
            cleanings.append(
                _cleaning(language, "repaired", keep.original, keep.text, reason, keep.span)
            )
        cleanings += [
            _cleaning(language, "dropped", c.original, None, r, c.span) for c, r in dropped
        ]
    return tuple(chosen), sorted(cleanings, key=lambda c: (c.language, c.action, c.original))


def normalize_label(text: str) -> str:
    """Whitespace collapsed and trimmed."""
    return " ".join(text.split())


def repair_label(text: str) -> tuple[str, list[str]]:
    """The label with whitespace, a stray footnote digit and comma spacing repaired."""
    reasons = []
    cleaned = normalize_label(text)
    if cleaned != text:
        reasons.append("whitespace normalised")
    if _STRAY_FOOTNOTE.search(cleaned):
        reasons.append(f"stray footnote marker '{cleaned[-1]}' removed from the end")
        cleaned = cleaned[:-1]
    if _COMMA_WITHOUT_SPACE.search(cleaned):
        reasons.append("missing space after a comma inserted")
        cleaned = _COMMA_WITHOUT_SPACE.sub(", ", cleaned)
    return cleaned, reasons


def _choose(
    candidates: list[_Candidate], index: LabelIndex, subject: str
) -> tuple[_Candidate, list[tuple[_Candidate, str]]]:
    """Of several labels in one language, keep the genuine one; say why each other one went."""
    borrowed = [c for c in candidates if index.is_other_label(c.text, subject)]
    own = sorted((c for c in candidates if c not in borrowed), key=lambda c: -len(c.text))
    if not own:
        own, borrowed = borrowed, []
    dropped = [
        (c, "a second label in this language that is another concept's label") for c in borrowed
    ]
    dropped += [(c, "a second, shorter label in this language (a fragment)") for c in own[1:]]
    return own[0], dropped


def _cleaning(
    language: str, action: str, original: str, result: str | None, reason: str, span: StatementSpan
) -> LabelCleaning:
    return LabelCleaning(
        language, action, original, result, reason, span.first_line, span.last_line
    )
