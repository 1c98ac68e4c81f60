"""The vendored reference of the instruments' official dates (sources/instrument-dates.csv).

One line per date: the instrument (a slug of the catalogue), the event, the date (YYYY-MM-DD, or
YYYY where only the year is certain), the authority that states it and its record (a depositary
chapter, a resolution, an ILO instrument code). The reader checks what a reference must be
before anything is compared with it: known instruments and events, real dates, one date per
instrument and event, and an order that can be (adopted no later than opened for signature, no
later than in force; endorsed no earlier than adopted). Any fault stops the build with the line.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from ..errors import SourceError
from ..sources import Source
from .instrument_catalogue import CATALOGUE
from .instruments import ADOPTION, ENDORSEMENT, ENTRY_INTO_FORCE

OPENING_FOR_SIGNATURE = "opening-for-signature"
EVENTS = (ADOPTION, OPENING_FOR_SIGNATURE, ENTRY_INTO_FORCE, ENDORSEMENT)
COLUMNS = ("instrument", "event", "date", "authority", "record")
# Events that cannot come before another one of the same instrument.
_NOT_BEFORE = (
    (OPENING_FOR_SIGNATURE, ADOPTION),
    (ENTRY_INTO_FORCE, ADOPTION),
    (ENTRY_INTO_FORCE, OPENING_FOR_SIGNATURE),
    (ENDORSEMENT, ADOPTION),
)
_DATE = re.compile(r"^\d{4}(?:-\d{2}-\d{2})?$")


@dataclass(frozen=True)
class ReferenceDate:
    slug: str
    event: str
    date: str
    """'1994-03-21', or '2015' where only the year is certain."""
    authority: str
    record: str
    line: int

    @property
    def year(self) -> int:
        return int(self.date[:4])

    @property
    def has_day(self) -> bool:
        return len(self.date) == 10


def read_instrument_dates(source: Source) -> dict[tuple[str, str], ReferenceDate]:
    """(slug, event) -> its reference date, every line checked."""
    known = {entry.slug for entry in CATALOGUE}
    dates: dict[tuple[str, str], ReferenceDate] = {}
    for number, row in source.csv_rows(COLUMNS):
        if not all(row.values()):
            found = ",".join(row.values())
            raise SourceError(source.path, number, f"{len(COLUMNS)} non-empty fields", found)
        slug, event, date, authority, record = (row[column] for column in COLUMNS)
        if slug not in known:
            raise SourceError(source.path, number, "an instrument of the catalogue", slug)
        if event not in EVENTS:
            raise SourceError(source.path, number, f"an event of {', '.join(EVENTS)}", event)
        if not _is_date(date):
            raise SourceError(source.path, number, "a date YYYY-MM-DD or a year YYYY", date)
        if (slug, event) in dates:
            raise SourceError(source.path, number, f"one {event} date for {slug}", date)
        dates[(slug, event)] = ReferenceDate(slug, event, date, authority, record, number)
    _check_order(source, dates)
    return dates


def _is_date(text: str) -> bool:
    if not _DATE.match(text):
        return False
    try:
        if len(text) == 10:
            datetime.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _check_order(source: Source, dates: dict[tuple[str, str], ReferenceDate]) -> None:
    for (slug, event), date in dates.items():
        for later, earlier in _NOT_BEFORE:
            other = dates.get((slug, earlier))
            if event == later and other is not None and _before(date, other):
                raise SourceError(
                    source.path,
                    date.line,
                    f"a {event} date of {slug} not before its {earlier} ({other.date}, "
                    f"line {other.line})",
                    date.date,
                )


def _before(a: ReferenceDate, b: ReferenceDate) -> bool:
    """True only if a is certainly earlier than b (year-only dates compare by year)."""
    if a.has_day and b.has_day:
        return a.date < b.date
    return a.year < b.year
