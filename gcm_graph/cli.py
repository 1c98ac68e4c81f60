"""The command line: a thin shell over the library.

Exit codes: 0 success, 1 validation failure (SHACL), 2 bad input (a source, an option, a file,
a port), 3 the triplestore failed (publish).
"""

from __future__ import annotations

import argparse
import json
import sys
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from .config import (
    BUILD_DIR,
    RELEASE_ENV,
    SHAPES_DIR,
    SOURCES_DIR,
    STORE_PASSWORD_ENV,
    STORE_USER_ENV,
)
from .errors import GcmError

DEFAULT_RELEASE_HELP = f"release directory (default: ${RELEASE_ENV}, else ./build)"


class _Help(argparse.RawDescriptionHelpFormatter):
    """Keeps the description's line breaks, and shows each option's default exactly once: the
    value argparse holds, unless the help text already says what the default is (a rule such
    as "$GCM_BASE_URI or w3id") or there is none (an option whose absence means "off")."""

    def _get_help_string(self, action: argparse.Action) -> str:
        text = action.help or ""
        if (
            not action.option_strings
            or "default" in text
            or action.default in (None, False, argparse.SUPPRESS)
        ):
            return text
        return f"{text} (default: %(default)s)"


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="gcm-graph", description=__doc__, formatter_class=_Help)
    root.add_argument("--version", action="version", version=f"gcm-graph {package_version()}")
    commands = root.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, summary: str) -> argparse.ArgumentParser:
        return commands.add_parser(name, help=summary, description=summary, formatter_class=_Help)

    build = command("build", "build, validate and write the release")
    _base_option(build)
    build.add_argument(
        "--out", type=Path, default=BUILD_DIR, metavar="DIR", help=DEFAULT_RELEASE_HELP
    )
    _packaged_dir_option(build, "sources", "sources directory, with manifest.json")
    _packaged_dir_option(build, "shapes", "SHACL shapes directory, every *.ttl")
    build.add_argument(
        "--timings", type=Path, metavar="FILE", help="write the seconds of each stage (JSON) here"
    )
    build.add_argument(
        "--no-analysis", action="store_true", help="skip the network analysis (<out>/analysis/)"
    )

    validate = command("validate", "build the graph in memory and print the SHACL report")
    _base_option(validate)
    _packaged_dir_option(validate, "sources", "sources directory, with manifest.json")
    _packaged_dir_option(validate, "shapes", "SHACL shapes directory, every *.ttl")

    serve = command("serve", "serve a release: SPARQL endpoint, pages, dumps")
    serve.add_argument("--host", default="127.0.0.1", metavar="H", help="address to listen on")
    serve.add_argument(
        "--port", type=int, default=8000, metavar="P", help="port to listen on (0: any free)"
    )
    _base_option(serve)
    serve.add_argument(
        "--deadline", type=float, default=10.0, metavar="S", help="seconds a query may run"
    )
    _release_option(serve)
    serve.add_argument(
        "--workers",
        type=int,
        metavar="N",
        help="query worker processes (default: 2 to 4, by CPU count)",
    )
    serve.add_argument(
        "--fast-lane-workers",
        type=int,
        metavar="N",
        help="query workers of their own for the cheap queries of light clients (default: 1; "
        "0: none)",
    )
    serve.add_argument(
        "--worker-max-queries",
        type=int,
        metavar="N",
        help="replace a query worker after N queries (default: 1000)",
    )
    serve.add_argument(
        "--worker-recycle-mb",
        type=float,
        metavar="MB",
        help="replace a query worker whose memory grew by MB beyond its size when warm "
        "(default: 256)",
    )
    serve.add_argument(
        "--backend",
        metavar="URL",
        help="answer from this SPARQL endpoint (a store the release was published into)",
    )
    _store_user_option(serve)
    serve.add_argument(
        "--store-dialect",
        choices=("auto", "virtuoso", "generic"),
        default="auto",
        help="what the --backend store does beyond SPARQL 1.1 (auto: asked once at start)",
    )
    serve.add_argument(
        "--trusted-proxy",
        metavar="ADDR",
        help="a reverse proxy's address: the client of its requests is the one its "
        "--trusted-proxy-header names (query-time budgets are per client) (default: none; "
        "every client is the address it connects from)",
    )
    serve.add_argument(
        "--trusted-proxy-header",
        choices=("x-forwarded-for", "forwarded"),
        default="x-forwarded-for",
        help="the header the trusted proxy names the client in",
    )

    publish = command("publish", "load the release into a SPARQL 1.1 Graph Store")
    publish.add_argument("--to", required=True, metavar="URL", help="Graph Store endpoint")
    publish.add_argument("--update", metavar="URL", help="SPARQL Update endpoint (if not derived)")
    publish.add_argument("--query", metavar="URL", help="SPARQL query endpoint (if not derived)")
    _store_user_option(publish)
    _release_option(publish)
    publish.add_argument("--force", action="store_true", help="publish even if already published")

    query = command("query", "run a catalogue query (or a .rq file) on the release")
    query.add_argument(
        "name", metavar="NAME|FILE.rq", help="catalogue query name, or the path of a .rq file"
    )
    query.add_argument(
        "--format", choices=("table", "csv", "json"), default="table", help="output format"
    )
    _release_option(query)

    analyze = command("analyze", "network analysis of a release")
    _release_option(analyze)
    analyze.add_argument(
        "--out", type=Path, metavar="DIR", help="output directory (default: <release>/analysis)"
    )
    return root


def _base_option(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--base", metavar="IRI", help="IRI base of the release (default: $GCM_BASE_URI or w3id)"
    )


def _packaged_dir_option(command: argparse.ArgumentParser, name: str, what: str) -> None:
    """--sources / --shapes: a directory that defaults to the one shipped with the package."""
    default = {"sources": SOURCES_DIR, "shapes": SHAPES_DIR}[name]
    command.add_argument(
        f"--{name}",
        type=Path,
        default=default,
        metavar="DIR",
        help=f"{what} (default: the {name} packaged with gcm-graph, %(default)s)",
    )


def _release_option(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--release", type=Path, default=BUILD_DIR, metavar="DIR", help=DEFAULT_RELEASE_HELP
    )


def _store_user_option(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--store-user",
        metavar="USER",
        help=f"user name at the store (default: ${STORE_USER_ENV}); "
        f"the password is read from ${STORE_PASSWORD_ENV}",
    )


def package_version() -> str:
    try:
        return version("gcm-graph")
    except PackageNotFoundError:  # imported from a checkout that was never installed
        from . import __version__

        return __version__


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except GcmError as error:
        print(f"gcm-graph {args.command}: {error}", file=sys.stderr)
        report = getattr(error, "report_text", None)
        if report:
            print(report, file=sys.stderr)
        return error.exit_code


def _build(args: argparse.Namespace) -> int:
    from .pipeline import build_release, stderr_progress

    print("gcm-graph build", file=sys.stderr)
    result = build_release(
        args.out,
        args.base,
        args.sources,
        args.shapes,
        progress=stderr_progress,
        analysis=not args.no_analysis,
    )
    if args.timings:
        args.timings.write_text(json.dumps(result.timings, indent=2) + "\n", encoding="utf-8")
    print(f"Built {result.triples} triples into {result.out_dir}/ (SHACL: conforms)")
    for path in sorted(result.out_dir.iterdir()):
        if path.is_file():
            print(f"  {path.name:28} {path.stat().st_size:>10,} bytes")
    return 0


def _validate(args: argparse.Namespace) -> int:
    from .pipeline import build_context
    from .validate import load_shapes, validate_graph

    ctx = build_context(args.base, args.sources)
    result = validate_graph(ctx.dataset, load_shapes(args.shapes))
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
    from .publish import StoreCredentials
    from .serve.cli_support import serve

    serve(
        host=args.host,
        port=args.port,
        base_uri=args.base,
        deadline=args.deadline,
        release_dir=args.release,
        workers=args.workers,
        fast_lane_workers=args.fast_lane_workers,
        worker_max_queries=args.worker_max_queries,
        worker_recycle_mb=args.worker_recycle_mb,
        backend=args.backend,
        credentials=StoreCredentials.given(args.store_user),
        dialect=args.store_dialect,
        trusted_proxy=args.trusted_proxy,
        trusted_proxy_header=args.trusted_proxy_header,
    )
    return 0


def _publish(args: argparse.Namespace) -> int:
    from .pipeline import stderr_progress
    from .publish import StoreCredentials, publish

    result = publish(
        args.release,
        args.to,
        update_url=args.update,
        query_url=args.query,
        credentials=StoreCredentials.given(args.store_user),
        force=args.force,
        progress=stderr_progress,
    )
    graphs = f"{len(result.graphs)} graphs"
    if not result.changed:
        print(f"Release {result.sha[:12]} already published, nothing changed: {graphs}")
        return 0
    steps = ", ".join(f"{step} {seconds:.1f} s" for step, seconds in result.seconds.items())
    print(f"Release {result.sha[:12]} published: {graphs} ({steps})")
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
