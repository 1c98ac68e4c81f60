"""The discrepancy report: what the sources disagree about, machine-readable and readable."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any

SEVERITIES = ("substantive", "trivial", "info")


@dataclass(frozen=True)
class Discrepancy:
    check: str
    """A stable kind name, e.g. 'objective-title-differs', 'action-list-copied'."""
    severity: str
    """'substantive', 'trivial' or 'info'."""
    subject: str
    """What it is about, e.g. 'objective 20', 'objective 2 action (d)', 'target 10.7'."""
    message: str
    locations: dict[str, str] = field(default_factory=dict)
    """Source id -> where in it ('line 239', 'lines 16-31')."""
    details: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.severity not in SEVERITIES:
            raise ValueError(f"severity must be one of {SEVERITIES}, got {self.severity!r}")


@dataclass
class DiscrepancyReport:
    items: list[Discrepancy] = field(default_factory=list)

    def add(self, item: Discrepancy) -> None:
        self.items.append(item)

    def by_check(self, check: str) -> list[Discrepancy]:
        return [d for d in self.items if d.check == check]

    def sorted_items(self) -> list[Discrepancy]:
        return sorted(self.items, key=lambda d: (d.check, _natural(d.subject), d.message))

    def to_json(self) -> str:
        counts = Counter(d.check for d in self.items)
        data = {
            "counts": dict(sorted(counts.items())),
            "discrepancies": [asdict(d) for d in self.sorted_items()],
        }
        return json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True) + "\n"

    def to_markdown(self) -> str:
        lines = ["# Discrepancies between the sources", ""]
        lines.append(
            "The GCM text in the graph comes from resolution A/RES/73/195 only; "
            "every other document is checked against it. Machine-readable twin: discrepancies.json."
        )
        lines.append("")
        counts = Counter(d.check for d in self.items)
        lines += ["| check | count |", "|---|---|"]
        lines += [f"| {check} | {n} |" for check, n in sorted(counts.items())]
        current = None
        for d in self.sorted_items():
            if d.check != current:
                current = d.check
                lines += ["", f"## {current}", ""]
            where = "; ".join(f"{src} {loc}" for src, loc in sorted(d.locations.items()))
            lines.append(
                f"- **{d.subject}** ({d.severity}): {_md(d.message)}"
                + (f" [{where}]" if where else "")
            )
        return "\n".join(lines) + "\n"


def _natural(text: str) -> tuple:
    import re

    return tuple(int(p) if p.isdigit() else p for p in re.split(r"(\d+)", text))


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")
