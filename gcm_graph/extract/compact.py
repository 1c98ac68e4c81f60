"""Where the resolution names the Compact itself, so that `<base>compact` has provenance too.

Three places name it (A/RES/73/195, as vendored):
- the resolution's title, "#### 73/195. Global Compact for Safe, Orderly and Regular Migration";
- operative paragraph 2, in which the General Assembly "*Endorses* the Global Compact ... as
  contained in the annex ..., and which will also be known as the Marrakech Compact on
  Migration" (the other name is read from it);
- the annex heading, "#### Global Compact for Safe, Orderly and Regular Migration", after
  "#### Annex".
A resolution in which one of them is missing or names another title stops the build.
"""

from __future__ import annotations

import re

from ..errors import SourceError
from ..sources import Source
from ..text import numbered
from .records import CompactMentions

COMPACT_TITLE = "Global Compact for Safe, Orderly and Regular Migration"

_TITLE = re.compile(r"^#+\s*\d+/\d+\.\s+(?P<title>\S.*?)\s*$")
_ENDORSES = re.compile(r"\*?Endorses\*?\s+the\s+(?P<title>.+?)\s+adopted\b")
_ALSO_KNOWN_AS = re.compile(r"also be known as the (?P<name>[A-Z][^.;]*?)\s*[.;]?\s*$")
_ANNEX = re.compile(r"^#+\s*Annex\s*$")
_HEADING = re.compile(r"^#+\s*(?P<title>\S.*?)\s*$")


def find_compact_mentions(source: Source, title: str = COMPACT_TITLE) -> CompactMentions:
    """The resolution's title line, its endorsing paragraph and the annex heading."""
    lines = numbered(source.lines())
    title_line = next((x for x in lines if _TITLE.match(x.text)), None)
    if title_line is None or _TITLE.match(title_line.text)["title"] != title:
        found = title_line.text if title_line else None
        number = title_line.number if title_line else 1
        raise SourceError(source.path, number, f"the resolution title '{title}'", found)
    endorsement = next(
        (x for x in lines if (m := _ENDORSES.search(x.text)) and m["title"] == title), None
    )
    if endorsement is None:
        raise SourceError(source.path, title_line.number, f"a paragraph that endorses the {title}")
    annex = next((x for x in lines if _ANNEX.match(x.text)), None)
    heading = None
    if annex is not None:
        heading = next(
            (x for x in lines[annex.number :] if x.text.strip()), None
        )  # the first line after "Annex" that is not blank
    if heading is None or (m := _HEADING.match(heading.text)) is None or m["title"] != title:
        where = annex.number if annex else endorsement.number
        raise SourceError(source.path, where, f"the annex heading '{title}'")
    other = _ALSO_KNOWN_AS.search(endorsement.text)
    return CompactMentions(
        title_line=title_line.number,
        endorsement_line=endorsement.number,
        annex_heading_line=heading.number,
        other_name=other["name"] if other else None,
    )
