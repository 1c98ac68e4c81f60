"""The international instruments the preamble names: paragraphs 1 and 2 and their footnotes.

Paragraph 2 is one long list ("It also rests on the Universal Declaration of Human Rights;2 the
International Covenant ...") whose footnote markers the extraction kept for some names, printed
as bare numbers for others ("Organized Crime, 5 including"; blocks.py gives those back their
<sup> form) and lost for the rest. Markers that are there anchor the numbering; a name without
one takes the number after its predecessor's.
Footnotes 4 and 13 expand collective names into the treaties and ILO conventions they mean.
"""

from __future__ import annotations

import re

from ..text import SUP_MARKER
from .records import Footnote, Paragraph, PreambleInstrument

_MARK = re.compile(r"⟨(\d+)⟩")
_SPLIT = re.compile(r",?\s+(?:including|and|as well as on)\s+(?=the\s)")
_LEADING = re.compile(r"^(?:It also rests on|and|as well as on)\s+", re.IGNORECASE)
_TREATY_LIST = re.compile(r",\s+(?:and\s+)?(?=(?:International\s+)?Convention\b)")
_ILO_CONVENTION = re.compile(
    r"(?P<name>[^,]+?(?:\([^)]*\))?[^,(]*),\s+(?P<year>\d{4})\s+\(No\.\s*(?P<no>\d+)\)"
)


def preamble_instruments(
    paragraphs: list[Paragraph], footnotes: tuple[Footnote, ...]
) -> list[PreambleInstrument]:
    by_number = {p.number: p for p in paragraphs}
    notes = {f.number: f for f in footnotes}
    instruments: list[PreambleInstrument] = []
    first = by_number.get(1)
    if first and "Charter of the United Nations" in first.text:
        instruments.append(PreambleInstrument("Charter of the United Nations", 1, first.first_line))
    second = by_number.get(2)
    if second is None:
        return instruments
    for name, number in _named_with_footnotes(second.raw):
        note = notes.get(number) if number else None
        instruments.append(
            PreambleInstrument(
                name=name,
                paragraph=2,
                line=second.first_line,
                footnote=number,
                citation=note.text if note else None,
            )
        )
        if note is not None:
            instruments.extend(_expanded(name, note))
    return instruments


def _named_with_footnotes(raw: str) -> list[tuple[str, int | None]]:
    marked = SUP_MARKER.sub(lambda m: f"⟨{m.group(1)}⟩", raw)
    phrases = [p.strip() for p in marked.split(";")]
    # A marker printed after the semicolon belongs to the phrase before it.
    for i in range(1, len(phrases)):
        lead = re.match(r"^(⟨\d+⟩)\s*", phrases[i])
        if lead:
            phrases[i - 1] += lead.group(1)
            phrases[i] = phrases[i][lead.end() :]
    pieces = [piece for phrase in phrases for piece in _SPLIT.split(phrase)]
    named: list[tuple[str, int | None]] = []
    previous = 1
    for piece in pieces:
        marks = [int(m) for m in _MARK.findall(piece)]
        name = _clean_name(_MARK.sub("", piece))
        if not name:
            continue
        number = marks[-1] if marks else previous + 1
        named.append((name, number))
        previous = number
    return named


def _clean_name(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip(" ,.;")
    text = _LEADING.sub("", text)
    return re.sub(r"^the\s+", "", text).strip(" ,.;")


def _expanded(group: str, note: Footnote) -> list[PreambleInstrument]:
    """The instruments a footnote lists under a collective name of paragraph 2."""
    if "human rights treaties" in group:
        names = [n.strip(" .") for n in _TREATY_LIST.split(note.text)]
        return [PreambleInstrument(n, 2, note.line, note.number, None, group) for n in names]
    if "Labour Organization conventions" in group:
        return [
            PreambleInstrument(
                m.group("name").strip(" ,").removeprefix("and ").strip(),
                2,
                note.line,
                note.number,
                f"ILO Convention No. {m.group('no')}, {m.group('year')}",
                group,
            )
            for m in _ILO_CONVENTION.finditer(note.text)
        ]
    return []
