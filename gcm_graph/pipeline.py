"""The build: sources -> extract -> graph -> validate -> release, with timings per stage."""

from __future__ import annotations

import gc
import shutil
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from .background import AnalysisProcess
from .config import BUILD_DIR, ONTOLOGY_FILE, SHAPES_DIR, SOURCES_DIR, base_uri, release_date
from .context import BuildContext
from .crosscheck import check_objective_list
from .errors import ValidationFailure
from .extract.objective_list import parse_objective_list
from .extract.resolution import parse_resolution
from .jsonld import write_release_files as write_jsonld_files
from .merged import MergedTriples
from .model import booklet as booklet_model
from .model import gfmd as gfmd_model
from .model import idm as idm_model
from .model import instruments as instruments_model
from .model import resolution as resolution_model
from .model import sdg as sdg_model
from .model import world as world_model
from .model.base import describe_source
from .release import (
    bind_prefixes,
    graph_of,
    keep_failed,
    named_graphs,
    release_manifest,
    staging_dir,
    swap_in,
    write_dumps,
    write_json,
)
from .sources import load_verified
from .validate import ValidationResult, load_shapes, validate_graph
from .vocab import Iris
from .void import void_graph

ModelBuilder = Callable[[BuildContext], None]
ANALYSIS_DIR = "analysis"

# One builder per source model, in the order they run: later ones may link to earlier ones.
MODEL_BUILDERS: tuple[ModelBuilder, ...] = (
    resolution_model.build,
    sdg_model.build,
    booklet_model.build,
    gfmd_model.build,
    idm_model.build,
    instruments_model.build,
    world_model.build,
)


@dataclass
class StageTimer:
    progress: Callable[[str], None] | None = None
    timings: dict[str, float] = field(default_factory=dict)

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        if self.progress:
            self.progress(name)
        start = time.perf_counter()
        try:
            yield
        finally:
            self.timings[name] = self.timings.get(name, 0.0) + time.perf_counter() - start


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off while the build runs. The dataset is ~10^6
    long-lived objects and the build makes them in bulk, so the collector ran again and again
    over all of them, finding almost nothing (about a fifth of the build's CPU time). The few
    cycles made meanwhile are collected when it is back on."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def stderr_progress(stage: str) -> None:
    print(f"  {stage} ...", file=sys.stderr, flush=True)


def build_models(ctx: BuildContext, builders: tuple[ModelBuilder, ...] = MODEL_BUILDERS) -> None:
    """Describe every source in its named graph, then run the model builders in order."""
    for source in ctx.sources.values():
        describe_source(ctx.source_graph(source.id).graph, ctx.iris, source)
    for builder in builders:
        builder(ctx)


def build_context(
    base: str | None = None,
    sources_dir: Path = SOURCES_DIR,
    timer: StageTimer | None = None,
) -> BuildContext:
    """Read and check the sources, and build every source's named graph and the report."""
    timer = timer or StageTimer()
    with timer.stage("check sources"):
        sources = load_verified(sources_dir)
    with timer.stage("extract"):
        resolution = parse_resolution(sources["resolution"])
        listed = parse_objective_list(sources["objective-list"])
    ctx = BuildContext(iris=Iris(base_uri(base)), sources=sources, resolution=resolution)
    bind_prefixes(ctx.dataset)
    with timer.stage("model"):
        build_models(ctx)
    with timer.stage("cross-check"):
        for finding in check_objective_list(resolution, listed):
            ctx.report.add(finding)
    return ctx


@dataclass(frozen=True)
class BuildResult:
    out_dir: Path
    triples: int
    validation: ValidationResult
    timings: dict[str, float]


@collector_paused()
def build_release(
    out_dir: Path = BUILD_DIR,
    base: str | None = None,
    sources_dir: Path = SOURCES_DIR,
    shapes_dir: Path = SHAPES_DIR,
    progress: Callable[[str], None] | None = None,
    analysis: bool = True,
) -> BuildResult:
    """Build, validate and write a release to out_dir, replacing it only if all succeeded.

    With analysis, the network analysis of the staged release is written to its analysis/
    folder before the swap, so that a release and its analysis always agree. It runs in a
    second process (background.py) from the written dumps while this one validates.

    Raises SourceError (bad input) or ValidationFailure (the graph breaks a shape); in both
    cases out_dir is left as it was. A release that fails validation is kept in
    `<out_dir>.failed/` with its validation report (without an analysis).
    """
    timer = StageTimer(progress)
    worker = AnalysisProcess() if analysis else None  # its imports overlap the model building
    staged: Path | None = None
    try:
        ctx = build_context(base, sources_dir, timer)
        staged = staging_dir(out_dir)

        def start_analysis() -> None:
            if worker:
                if progress:
                    progress("analyze (in a second process, beside the validation)")
                worker.start(staged, staged / ANALYSIS_DIR)

        with timer.stage("write dumps"):
            graphs = named_graphs(ctx.dataset)
            triples = write_dumps(graphs, staged, merged_written=start_analysis)
            union = MergedTriples.of(graphs)
        with timer.stage("merge"):  # pyshacl reads a plain Graph faster than a Dataset's union
            merged = graph_of(union)
        with timer.stage("validate"):
            validation = validate_graph(merged, load_shapes(shapes_dir))
        with timer.stage("write"):
            write_release(staged, ctx, union, validation)
        if worker and validation.conforms:
            with timer.stage("analyze (wait)"):
                timer.timings.update(worker.result())
    except BaseException:
        if worker:
            worker.stop()
        if staged is not None:
            shutil.rmtree(staged, ignore_errors=True)
        raise
    if worker:
        worker.stop()
    if not validation.conforms:
        for partial in staged.glob(f"{ANALYSIS_DIR}*"):
            shutil.rmtree(partial)
        failed = keep_failed(staged, out_dir)
        raise ValidationFailure(
            validation.text() + f"\nThe failed release and its report are in {failed}/\n",
            len(validation.violations),
        )
    swap_in(staged, out_dir)
    return BuildResult(out_dir, triples, validation, dict(timer.timings))


def write_release(
    out: Path, ctx: BuildContext, merged: MergedTriples, validation: ValidationResult
) -> None:
    """Everything but the dumps (written first, for the analysis) and the analysis; `merged`:
    the union of the named graphs (the JSON-LD dump and the VoID partitions describe it)."""
    shutil.copyfile(ONTOLOGY_FILE, out / "ontology.ttl")
    (out / "discrepancies.json").write_text(ctx.report.to_json(), encoding="utf-8")
    (out / "discrepancies.md").write_text(ctx.report.to_markdown(), encoding="utf-8")
    (out / "validation-report.txt").write_text(validation.text(), encoding="utf-8")
    write_jsonld_files(merged, out)
    graph_sizes = {str(c.identifier): len(c) for c in ctx.dataset.graphs() if len(c)}
    sources = list(ctx.sources.values())
    void = void_graph(ctx.iris, sources, merged, graph_sizes, out, release_date())
    (out / "void.ttl").write_text(void.serialize(format="turtle"), encoding="utf-8")
    manifest = release_manifest(out, ctx.dataset, len(merged), ctx.sources.values(), ctx.iris.base)
    write_json(out / "manifest.json", manifest)
