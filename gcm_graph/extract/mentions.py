"""What a passage of guidance text names besides countries: organisations, years, GCM objectives.

Plain functions over strings, shared by the practice parsers. Countries are in countries.py.

- Organisations: the shared gazetteer of organisations.py plus the international bodies only the
  booklet names, matched by name or acronym (case-sensitive, whole words, longest first), then
  the names organisation_names.py recognises by their form ("... Association (AIAMP)", "Columbia
  University"). National bodies ("the Austrian Red Cross", a ministry) are not organisations
  here: they stand for their country, which countries.py finds.
- Years: four-digit numbers 1945-2030 that are used as years, not as names ("2030 Agenda"),
  amounts ("$2020", "2000 migrants") or numbers ("No. 1990").
- Objectives: "Objective 12", "GCM objective 5", "Objectives 3 and 7" (1-23 only).
"""

from __future__ import annotations

import re
from functools import lru_cache

from .organisation_names import recognise_organisations
from .organisations import Organisation
from .organisations import name_table as shared_organisations

FIRST_YEAR = 1945
LAST_YEAR = 2030


# Organisations the booklet names that the shared gazetteer (organisations.py) does not list:
# (canonical name, acronym, other printed names). Same Organisation class, same slug scheme.
BOOKLET_ORGANISATIONS: tuple[tuple[str, str | None, tuple[str, ...]], ...] = (
    (
        "Office of the United Nations High Commissioner for Human Rights",
        "OHCHR",
        ("UN Human Rights Office",),
    ),
    ("United Nations Statistics Division", "UNSD", ("UN Statistics Division",)),
    ("United Nations Network on Migration", None, ("UN Network on Migration",)),
    ("Global Migration Group", "GMG", ()),
    ("Caribbean Community", "CARICOM", ()),
    ("Southern Common Market", "MERCOSUR", ()),
    ("Gulf Cooperation Council", "GCC", ()),
    ("International Finance Corporation", "IFC", ()),
    ("World Bank Group", None, ()),
    ("International Detention Coalition", "IDC", ()),
    ("Platform for International Cooperation on Undocumented Migrants", "PICUM", ()),
    ("Argentine Forensic Anthropology Team", "EAAF", ()),
    ("Save the Children", None, ()),
    ("Terre des Hommes", None, ()),
    ("Open Society Foundations", None, ()),
    ("United Cities and Local Governments", "UCLG", ()),
    ("Mayors Migration Council", None, ()),
)


@lru_cache(maxsize=1)
def organisation_table() -> dict[str, Organisation]:
    """Printed form -> organisation: the shared gazetteer plus BOOKLET_ORGANISATIONS."""
    table = dict(shared_organisations())
    for name, acronym, aliases in BOOKLET_ORGANISATIONS:
        entry = Organisation(name, acronym)
        for form in (name, *aliases, *((acronym,) if acronym else ())):
            known = table.get(form)
            if known is not None and known != entry:
                raise ValueError(f"organisation name {form!r} names {known.name} and {name}")
            table[form] = entry
    return table


# Names of this many words or more match whatever the case of their words after the first
# ("The UN Network on migration"); shorter names and acronyms match as written.
_CASE_FREE_FROM = 3


def _form_pattern(form: str) -> str:
    first, *rest = form.split(" ")
    pattern = r"\s+".join(map(re.escape, [first, *rest]))
    if len(rest) + 1 >= _CASE_FREE_FROM:
        pattern = re.escape(first) + "(?i:" + "".join(r"\s+" + re.escape(w) for w in rest) + ")"
    return pattern


@lru_cache(maxsize=1)
def _organisation_matcher() -> re.Pattern[str]:
    forms = sorted(organisation_table(), key=lambda f: (-len(f), f))
    alternatives = "|".join(_form_pattern(f) for f in forms)
    # A name may touch a hyphen after it: "World Bank-sponsored", "European Union-funded".
    return re.compile(rf"(?<![\w-])(?:{alternatives})(?!\w)")


@lru_cache(maxsize=1)
def _casefolded_table() -> dict[str, Organisation]:
    return {form.casefold(): org for form, org in organisation_table().items()}


def _gazetteer_entry(printed: str) -> Organisation:
    form = re.sub(r"\s+", " ", printed)
    return organisation_table().get(form) or _casefolded_table()[form.casefold()]


def find_organisations(text: str) -> list[tuple[Organisation, str, int]]:
    """(organisation, text as printed, offset) for each organisation named, in order: the
    gazetteer's, then names of the forms organisation_names.py recognises where no gazetteer
    name stands (a name whose acronym the gazetteer knows is that organisation)."""
    table = organisation_table()
    known = [
        (_gazetteer_entry(m.group(0)), m.group(0), m.start())
        for m in _organisation_matcher().finditer(text)
    ]
    spans = [(start, start + len(printed)) for _, printed, start in known]
    recognised = [
        (organisation, printed, start)
        for organisation, printed, start in recognise_organisations(text)
        if organisation.acronym not in table
        and not any(a < start + len(printed) and start < b for a, b in spans)
    ]
    return sorted(known + recognised, key=lambda found: found[2])


def organisations(text: str) -> list[Organisation]:
    """The distinct organisations a text names, sorted by slug."""
    found = {org.slug: org for org, _, _ in find_organisations(text)}
    return [found[slug] for slug in sorted(found)]


_YEAR = re.compile(r"(?<![\w$€£.,])((?:19|20)\d{2})(?![\w%]|[.,]\d)")
# A year-like number that is a name, an amount or a number, not a year.
_NOT_YEAR_BEFORE = re.compile(r"(?:[$€£]\s?|\bNo\.\s?|\bnumber\s|\bAgenda\s)$")
_NOT_YEAR_AFTER = re.compile(
    r"^(?:\s+Agenda\b|\s*%|\s+per\s?cent\b|\s+(?:people|persons|migrants|children|workers|"
    r"families|households|euros|dollars|cases|beneficiaries|participants|members|staff|"
    r"students|km|kilometres|hours|days|weeks|victims|refugees|women|men)\b)"
)


def find_years(text: str) -> list[tuple[int, int, int]]:
    """(year, start, end) for each four-digit year 1945-2030 used as a year."""
    found = []
    for match in _YEAR.finditer(text):
        year = int(match.group(1))
        if not FIRST_YEAR <= year <= LAST_YEAR:
            continue
        if _NOT_YEAR_BEFORE.search(text[: match.start()]) or _NOT_YEAR_AFTER.match(
            text[match.end() :]
        ):
            continue
        found.append((year, match.start(), match.end()))
    return found


def years(text: str) -> list[int]:
    return sorted({year for year, *_ in find_years(text)})


_OBJECTIVES = re.compile(
    r"\b(?:GCM\s+)?[Oo]bjectives?\s+(\d{1,2}(?:\s*(?:,|and|&)\s*\d{1,2})*)(?![\d.])"
)


def objective_numbers(text: str) -> list[int]:
    """The GCM objectives a text names explicitly ('Objective 12', 'Objectives 3 and 7')."""
    numbers: set[int] = set()
    for match in _OBJECTIVES.finditer(text):
        for digits in re.findall(r"\d{1,2}", match.group(1)):
            if 1 <= int(digits) <= 23:
                numbers.add(int(digits))
    return sorted(numbers)
