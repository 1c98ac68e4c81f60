"""Parse IOM International Dialogue on Migration No. 33 (source `idm`).

The report has topic sections ("1.1. Saving lives and protecting migrants in vulnerable
situations") grouped in parts. A section opens with prose and a box of the GCM objectives it
concerns ("Objective 8 of the Global Compact for Safe, Orderly and Regular Migration" and the
quoted title on the next line), then lists innovative approaches (practices), each headed
"1.1.3 MISSING PERSONS PROJECT" and laid out in labelled fields: ORGANIZATION, PERIOD,
GEOGRAPHICAL SCOPE, DESCRIPTION, IMPACTS, LESSONS LEARNED, RESOURCES, CONTACT.

Read from each practice: its lead organisations and countries (ORGANIZATION: "Government of X"
is the country X, not an organisation), the countries, organisations, years and GCM objectives
its scope, description, impacts and lessons name. Contacts (names, e-mail addresses) are not
read: they are personal data and no part of the graph.

Artefacts handled: the "Innovative approaches" heading is missing before some lists (2.3); a
field label can carry a note ("IMPACTS (intended)"); field values wrap over several lines and
page breaks; "(BRIEFLY REFERRED TO)" ends some headings (kept as a flag, not in the title).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..sources import Source
from ..text import Line, join_wrapped, strip_markdown
from ..vocab import slugify
from .countries import find_countries, lookup
from .guidance import (
    GuidanceParser,
    LinedText,
    Mention,
    PracticeRecord,
    country_mentions,
    objective_mentions,
    organisation_mentions,
    short_hash,
    title_case,
    year_mentions,
)
from .mentions import find_organisations
from .organisations import Organisation

_PART = re.compile(r"^Part ([IVX]+)\.\s+(\S.*)$")
_SECTION = re.compile(r"^(\d)\.(\d)\.\s+(\S.*)$")
_PRACTICE = re.compile(r"^(\d)\.(\d)\.(\d{1,2})\s+(\S.*)$")
_BOX = re.compile(
    r"^Objective (\d+) of the Global Compact for Safe, Orderly and Regular Migration$"
)
_FIELD = re.compile(
    r"^(ORGANIZATION|PERIOD|GEOGRAPHICAL SCOPE|DESCRIPTION|IMPACTS|LESSONS LEARNED|RESOURCES"
    r"|CONTACT)(?:\s*\([^)]*\))?$"
)
_BLOCK_END = ("Contributors and their interventions", "Looking forward", "Annex ")
_BRIEF = re.compile(r"\s*\(BRIEFLY REFERRED TO\)\s*$")
REQUIRED_FIELDS = ("ORGANIZATION", "PERIOD", "GEOGRAPHICAL SCOPE", "DESCRIPTION")
FIELD_ORDER = (*REQUIRED_FIELDS, "IMPACTS", "LESSONS LEARNED", "RESOURCES", "CONTACT")
_NOT_AVAILABLE = re.compile(r"^Not available(?: yet)?\.?$")
_GOVERNMENT = re.compile(r"^(?:The\s+)?Government of (?:the\s+)?(.+)$")
_LICENCE = re.compile(r"Creative Commons Attribution-NonCommercial-NoDerivs 3\.0 IGO")
ID_SLUG_LENGTH = 48


@dataclass(frozen=True)
class Field:
    name: str
    text: str
    """The value, wrapped lines joined; '' if the report says "Not available"."""
    lines: tuple[Line, ...]


@dataclass(frozen=True)
class ObjectiveBox:
    """An entry of a section's objective box: the number and the title it quotes."""

    number: int
    title: str
    line: int
    title_line: int


@dataclass(frozen=True)
class IdmSection:
    number: str
    """'1.1'."""
    part: str
    title: str
    line: int
    last_line: int
    boxes: tuple[ObjectiveBox, ...]
    mentioned_objectives: tuple[Mention, ...]
    """Objectives the section's own prose (outside boxes and practices) names."""


@dataclass(frozen=True)
class IdmPractice:
    record: PracticeRecord
    """Its title is the heading in title case (the report prints headings in capitals)."""
    code: str
    """The report's number for it, '1.1.3'."""
    heading: str
    """The heading as printed, without "(BRIEFLY REFERRED TO)"."""
    section: str
    briefly_referred: bool
    fields: dict[str, Field]
    lead_organisations: tuple[Mention, ...]
    lead_countries: tuple[Mention, ...]

    def field_text(self, name: str) -> str:
        found = self.fields.get(name)
        return found.text if found else ""


@dataclass(frozen=True)
class Idm:
    sections: tuple[IdmSection, ...]
    practices: tuple[IdmPractice, ...]
    licence: Line | None
    """The line stating the licence, if the text has one."""


def parse_idm(source: Source) -> Idm:
    return IdmParser(source).parse()


class IdmParser(GuidanceParser):
    def parse(self) -> Idm:
        sections: list[IdmSection] = []
        practices: list[IdmPractice] = []
        starts = self.section_starts()
        for index, (number, part, title, line) in enumerate(starts):
            end = starts[index + 1][3] - 1 if index + 1 < len(starts) else self.end_of_sections()
            blocks = self.practice_blocks(number, line + 1, end)
            found = [self.practice(number, block) for block in blocks]
            in_practice = {n.number for block in blocks for n in block}
            sections.append(self.section(number, part, title, line, end, in_practice))
            practices += found
        self.check_unique(practices)
        licence = next((n for n in self.lines if _LICENCE.search(n.text)), None)
        return Idm(tuple(sections), tuple(practices), licence)

    def section_starts(self) -> list[tuple[str, str, str, int]]:
        starts: list[tuple[str, str, str, int]] = []
        part = ""
        for line in self.lines:
            text = line.text.strip()
            if match := _PART.match(text):
                part = match.group(1)
            elif (match := _SECTION.match(text)) and part:
                starts.append(
                    (f"{match.group(1)}.{match.group(2)}", part, match.group(3), line.number)
                )
        if not starts:
            raise self.fail(1, "topic sections numbered '1.1.' under 'Part I.'")
        return starts

    def end_of_sections(self) -> int:
        for line in reversed(self.lines):
            if line.text.strip() == "Looking forward":
                return line.number - 1
        return self.lines[-1].number

    def practice_blocks(self, section: str, first: int, last: int) -> list[list[Line]]:
        """The lines of each practice of a section, from its heading to its last field."""
        blocks: list[list[Line]] = []
        current: list[Line] | None = None
        for line in self.lines[first - 1 : last]:
            text = line.text.strip()
            match = _PRACTICE.match(text)
            if match:
                code = f"{match.group(1)}.{match.group(2)}"
                if code != section:
                    raise self.fail(line.number, f"a practice numbered {section}.n", text)
                current = [line]
                blocks.append(current)
            elif current is not None and text.startswith(_BLOCK_END):
                current = None
            elif current is not None:
                current.append(line)
        return blocks

    def section(
        self, number: str, part: str, title: str, first: int, last: int, in_practice: set[int]
    ) -> IdmSection:
        boxes: list[ObjectiveBox] = []
        box_lines: set[int] = set()
        body = [n for n in self.lines[first:last] if n.number not in in_practice]
        for index, line in enumerate(body):
            match = _BOX.match(line.text.strip())
            if not match:
                continue
            title_line = next((n for n in body[index + 1 :] if n.text.strip()), None)
            if title_line is None or not title_line.text.strip().startswith(("“", '"')):
                raise self.fail(line.number, "the quoted objective title after an objective box")
            quoted = title_line.text.strip().strip('“”"')
            boxes.append(ObjectiveBox(int(match.group(1)), quoted, line.number, title_line.number))
            box_lines.update({line.number, title_line.number})
        prose = LinedText([n for n in body if n.number not in box_lines])
        return IdmSection(number, part, title, first, last, tuple(boxes), objective_mentions(prose))

    def practice(self, section: str, block: list[Line]) -> IdmPractice:
        heading = block[0]
        match = _PRACTICE.match(heading.text.strip())
        code = f"{match.group(1)}.{match.group(2)}.{match.group(3)}"
        heading_text = _BRIEF.sub("", match.group(4))
        fields = self.fields(heading, block[1:])
        organisations, lead_countries = organisation_field(fields["ORGANIZATION"])
        read = [
            fields[name]
            for name in (*REQUIRED_FIELDS, "IMPACTS", "LESSONS LEARNED")
            if name in fields
        ]
        mentioned = LinedText([line for f in read for line in f.lines])
        about = LinedText([line for f in read if f.name != "ORGANIZATION" for line in f.lines])
        description = fields["DESCRIPTION"].text
        context = " ".join(f.text for f in read)
        record = PracticeRecord(
            id=practice_id(heading_text),
            title=title_case(heading_text, context),
            description=description,
            first_line=heading.number,
            last_line=block[-1].number if block[-1].text.strip() else _last_text(block),
            countries=_merge(lead_countries, country_mentions(mentioned)),
            organisations=_merge(organisations, organisation_mentions(about)),
            years=year_mentions(LinedText([*fields["PERIOD"].lines, *about.lines])),
            objectives=objective_mentions(about),
        )
        return IdmPractice(
            record,
            code,
            heading_text,
            section,
            bool(_BRIEF.search(match.group(4))),
            fields,
            organisations,
            lead_countries,
        )

    def fields(self, heading: Line, lines: list[Line]) -> dict[str, Field]:
        found: dict[str, list[Line]] = {}
        current: list[Line] | None = None
        order: list[str] = []
        for line in lines:
            match = _FIELD.match(line.text.strip())
            if match:
                name = match.group(1)
                if name in found:
                    raise self.fail(line.number, f"one {name} field per practice", name)
                current = found[name] = []
                order.append(name)
            elif current is not None and line.text.strip():
                current.append(line)
        missing = [name for name in REQUIRED_FIELDS if not found.get(name)]
        if missing:
            raise self.fail(heading.number, f"the field(s) {', '.join(missing)}", heading.text)
        if order != [name for name in FIELD_ORDER if name in order]:
            raise self.fail(
                heading.number, f"fields in the order {', '.join(FIELD_ORDER)}", str(order)
            )
        return {name: _field(name, value) for name, value in found.items()}

    def check_unique(self, practices: list[IdmPractice]) -> None:
        seen: dict[str, IdmPractice] = {}
        for practice in practices:
            other = seen.setdefault(practice.record.id, practice)
            if other is not practice:
                raise self.fail(
                    practice.record.first_line,
                    f"a practice title not already used by {other.code}",
                    practice.record.title,
                )


def _field(name: str, lines: list[Line]) -> Field:
    parts = [strip_markdown(re.sub(r"^[-•>]\s+", "", line.text.strip())) for line in lines]
    text = join_wrapped(parts)
    if _NOT_AVAILABLE.match(text):
        text = ""
    return Field(name, text, tuple(lines))


def _last_text(block: list[Line]) -> int:
    return next(line.number for line in reversed(block) if line.text.strip())


def practice_id(title: str) -> str:
    """'idm-' and the slug of the title, cut at a word and made unique by a hash if long.

    The report's own numbers (1.1.3) are positions that change when a practice is added, so
    they are not used.
    """
    slug = slugify(title)
    if len(slug) <= ID_SLUG_LENGTH:
        return f"idm-{slug}"
    cut = slug[:ID_SLUG_LENGTH].rsplit("-", 1)[0]
    return f"idm-{cut}-{short_hash(title, 6)}"


def organisation_field(field: Field) -> tuple[tuple[Mention, ...], tuple[Mention, ...]]:
    """The lead organisations and countries of an ORGANIZATION field.

    Parts separated by '/' are read one by one. "Government of X" or a country name alone is
    the country; organisations of the gazetteer are taken by name (with any country also named,
    "SOS Children's Villages Colombia"); any other part is one organisation named as printed,
    such as a ministry ("Division of Migration, Government of Sweden"), with the country in it.
    """
    text = LinedText(list(field.lines))
    organisations: list[Mention] = []
    countries: list[Mention] = []
    for start, part in _parts(text.text):
        name = re.sub(r"\s+", " ", part).strip(" ,")
        line = text.line_at(start)
        government = _GOVERNMENT.match(name)
        alpha3 = lookup(government.group(1) if government else name)
        if alpha3:
            countries.append(Mention(alpha3, line, name))
            continue
        known = find_organisations(part)
        if known:
            organisations += [Mention(o.slug, line, printed, o.name) for o, printed, _ in known]
        else:
            organisations.append(Mention(Organisation(name).slug, line, name, name))
        countries += [Mention(m.alpha3, line, m.text) for m in find_countries(part)]
    return _merge(tuple(organisations)), _merge(tuple(countries))


def _parts(text: str) -> list[tuple[int, str]]:
    """Split at '/' outside parentheses: (offset, part)."""
    parts, depth, start = [], 0, 0
    for index, char in enumerate(text):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char == "/" and depth == 0:
            parts.append((start, text[start:index]))
            start = index + 1
    parts.append((start, text[start:]))
    return [(offset, part) for offset, part in parts if part.strip()]


def _merge(*groups: tuple[Mention, ...]) -> tuple[Mention, ...]:
    seen: set[str | int] = set()
    merged: list[Mention] = []
    for mention in (m for group in groups for m in group):
        if mention.value not in seen:
            seen.add(mention.value)
            merged.append(mention)
    return tuple(merged)
