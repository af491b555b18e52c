"""`gitwarden history`: secrets in every object reachable from every ref of a repository."""

from __future__ import annotations

import argparse
from pathlib import Path

from gitwarden.cli import output
from gitwarden.cli.progress import add_quiet_argument, progress_for
from gitwarden.cli.secret_options import add_secret_arguments
from gitwarden.commands.history import HistoryOptions, history
from gitwarden.secrets.blob_cache import default_cache_dir


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "history",
        help="find secrets in all of Git history (every branch, tag and note)",
        description="Scan every blob reachable from every ref (branches, tags, notes) once, "
        "and report each secret with the commit that introduced it, its author and date, and "
        "the branch tips that still hold it. A secret deleted or encrypted later is still "
        "reported: it is in history and must be rotated.",
    )
    parser.add_argument("path", nargs="?", default=".", help="repository (default: .)")
    output.add_config_arguments(parser)
    output.add_output_arguments(parser)
    add_quiet_argument(parser)
    add_secret_arguments(parser)
    parser.add_argument(
        "--since",
        metavar="REV",
        help="only commits not reachable from REV (incremental scan; tips are still checked)",
    )
    parser.add_argument(
        "--unreachable",
        action="store_true",
        help="also scan reflogs and dangling commits and blobs (`git fsck --unreachable`)",
    )
    baseline = parser.add_mutually_exclusive_group()
    baseline.add_argument(
        "--baseline", type=Path, metavar="FILE", help="accept the secrets listed in FILE"
    )
    baseline.add_argument(
        "--write-baseline",
        type=Path,
        metavar="FILE",
        help="write (or refresh, keeping its key) a baseline accepting every secret found now",
    )
    parser.add_argument(
        "--cache-dir",
        type=Path,
        default=default_cache_dir(),
        help="where clean blob ids are remembered between runs (default: %(default)s)",
    )
    parser.add_argument(
        "--no-cache",
        action="store_true",
        help="rescan every blob, trusting no cache (for gate runs whose cache others can write)",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> bool:
    options = HistoryOptions(
        progress=progress_for(args),
        since=args.since,
        unreachable=args.unreachable,
        show_secrets=args.show_secrets,
        cache_dir=None if args.no_cache else args.cache_dir,
        baseline=args.baseline,
        write_baseline=args.write_baseline,
        fail_on=args.fail_on,
    )
    report = history(args.path, output.config_argument(args), options)
    output.emit(output.render_report(args, report), args.output)
    return report.passed
