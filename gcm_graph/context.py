"""What every stage of a build shares: the sources, the IRIs, the dataset and the report."""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import Dataset

from .extract.records import Resolution
from .model.base import SourceGraph
from .report import DiscrepancyReport
from .sources import Source
from .vocab import Iris


@dataclass
class BuildContext:
    iris: Iris
    sources: dict[str, Source]
    resolution: Resolution
    dataset: Dataset = field(default_factory=lambda: Dataset(default_union=False))
    report: DiscrepancyReport = field(default_factory=DiscrepancyReport)

    def source_graph(self, source_id: str) -> SourceGraph:
        return SourceGraph(self.dataset, self.iris, self.sources[source_id])
