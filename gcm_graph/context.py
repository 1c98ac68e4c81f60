"""What every stage of a build shares: the sources, the IRIs, the dataset and the report."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from rdflib import Dataset

from .extract.records import Resolution
from .model.base import SourceGraph
from .report import DiscrepancyReport
from .sources import Source
from .vocab import Iris

T = TypeVar("T")


@dataclass
class BuildContext:
    iris: Iris
    sources: dict[str, Source]
    resolution: Resolution
    dataset: Dataset = field(default_factory=lambda: Dataset(default_union=False))
    report: DiscrepancyReport = field(default_factory=DiscrepancyReport)
    parsed_sources: dict[tuple[Callable, str], Any] = field(default_factory=dict)

    def source_graph(self, source_id: str) -> SourceGraph:
        return SourceGraph(self.dataset, self.iris, self.sources[source_id])

    def parsed(self, parse: Callable[[Source], T], source_id: str) -> T:
        """`parse(source)`, once per build: several models read the same document."""
        key = (parse, source_id)
        if key not in self.parsed_sources:
            self.parsed_sources[key] = parse(self.sources[source_id])
        return self.parsed_sources[key]
