"""The command line: a thin shell over the library. Exit codes: 0 ok, 1 validation, 2 bad input."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .config import BUILD_DIR, SOURCES_DIR
from .errors import GcmError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="gcm-graph", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    build = commands.add_parser("build", help="build, validate and write the release")
    _release_options(build)
    build.add_argument("--timings", type=Path, help="write the seconds of each stage (JSON) here")
    build.add_argument(
        "--no-analysis", action="store_true", help="skip the network analysis (build/analysis/)"
    )
    serve = commands.add_parser("serve", help="serve the release (SPARQL endpoint, pages, dumps)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--base", help="IRI base of the release (default $GCM_BASE_URI or w3id)")
    serve.add_argument("--deadline", type=float, default=10.0, help="seconds a query may run")
    serve.add_argument("--release", type=Path, default=BUILD_DIR, help="release directory")
    serve.add_argument("--workers", type=int, help="query worker processes")
    serve.add_argument(
        "--backend",
        metavar="URL",
        help="answer from this SPARQL endpoint (a store the release was published into)",
    )
    publish = commands.add_parser(
        "publish", help="load the release into a SPARQL 1.1 Graph Store Protocol endpoint"
    )
    publish.add_argument("--to", required=True, metavar="URL", help="Graph Store endpoint")
    publish.add_argument("--update", metavar="URL", help="SPARQL Update endpoint (if not derived)")
    publish.add_argument("--query", metavar="URL", help="SPARQL query endpoint (if not derived)")
    publish.add_argument("--user", help="user name; the password is read from $GCM_STORE_PASSWORD")
    publish.add_argument("--release", type=Path, default=BUILD_DIR, help="release directory")
    publish.add_argument("--force", action="store_true", help="publish even if already published")
    query = commands.add_parser(
        "query", help="run a catalogue query (or a .rq file) on the release"
    )
    query.add_argument("name", help="catalogue query name (sparql_queries/NAME.rq) or a .rq path")
    query.add_argument("--format", choices=("table", "csv", "json"), default="table")
    query.add_argument("--release", type=Path, default=BUILD_DIR, help="release directory")
    analyze = commands.add_parser("analyze", help="network analysis of a release")
    analyze.add_argument("--release", type=Path, default=BUILD_DIR, help="release directory")
    analyze.add_argument("--out", type=Path, help="output directory (default <release>/analysis)")
    validate = commands.add_parser(
        "validate", help="build the graph and validate it, write nothing"
    )
    validate.add_argument(
        "--base", help="IRI base (default $GCM_BASE_URI or https://w3id.org/gcm/)"
    )
    validate.add_argument("--sources", type=Path, default=SOURCES_DIR)

    args = parser.parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except GcmError as error:
        print(f"gcm-graph {args.command}: {error}", file=sys.stderr)
        report = getattr(error, "report_text", None)
        if report:
            print(report, file=sys.stderr)
        return error.exit_code


def _release_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--base", help="IRI base (default $GCM_BASE_URI or https://w3id.org/gcm/)")
    parser.add_argument("--out", type=Path, default=BUILD_DIR, help="release directory")
    parser.add_argument("--sources", type=Path, default=SOURCES_DIR, help="sources directory")


def _build(args: argparse.Namespace) -> int:
    from .pipeline import build_release, stderr_progress

    print("gcm-graph build", file=sys.stderr)
    result = build_release(
        args.out,
        args.base,
        args.sources,
        progress=stderr_progress,
        analysis=not args.no_analysis,
    )
    if args.timings:
        args.timings.write_text(json.dumps(result.timings, indent=2) + "\n", encoding="utf-8")
    print(f"Built {result.triples} triples into {result.out_dir}/ (SHACL: conforms)")
    for path in sorted(result.out_dir.iterdir()):
        print(f"  {path.name:28} {path.stat().st_size:>10,} bytes")
    return 0


def _validate(args: argparse.Namespace) -> int:
    from .pipeline import build_context
    from .release import merged_graph
    from .validate import load_shapes, validate_graph

    ctx = build_context(args.base, args.sources)
    result = validate_graph(merged_graph(ctx.dataset), load_shapes())
    print(result.text(), end="")
    return 0 if result.conforms else 1


def _analyze(args: argparse.Namespace) -> int:
    from .analysis import analyze
    from .pipeline import stderr_progress

    print("gcm-graph analyze", file=sys.stderr)
    result = analyze(args.release, args.out, progress=stderr_progress)
    print(f"Wrote {len(result.files)} files into {result.out_dir}/ (summary.md lists every number)")
    return 0


def _serve(args: argparse.Namespace) -> int:
    from .serve.cli_support import serve

    serve(
        host=args.host,
        port=args.port,
        base_uri=args.base,
        deadline=args.deadline,
        release_dir=args.release,
        workers=args.workers,
        backend=args.backend,
    )
    return 0


def _publish(args: argparse.Namespace) -> int:
    import os

    from .pipeline import stderr_progress
    from .publish import publish

    result = publish(
        args.release,
        args.to,
        update_url=args.update,
        query_url=args.query,
        user=args.user,
        password=os.environ.get("GCM_STORE_PASSWORD"),
        force=args.force,
        progress=stderr_progress,
    )
    state = "published" if result.changed else "already published, nothing changed"
    print(
        f"Release {result.sha[:12]} {state}: {len(result.graphs)} graphs in {result.seconds:.1f} s"
    )
    return 0


def _query(args: argparse.Namespace) -> int:
    from .serve.cli_support import run_catalogue_query

    print(run_catalogue_query(args.name, args.release, args.format), end="")
    return 0


COMMANDS = {
    "build": _build,
    "validate": _validate,
    "serve": _serve,
    "publish": _publish,
    "query": _query,
    "analyze": _analyze,
}


if __name__ == "__main__":
    sys.exit(main())
