"""`scan --baseline FILE` / `--write-baseline FILE`: the command-line side of the scan baseline."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gitwarden.report.model import Report


def add_baseline_arguments(parser: argparse.ArgumentParser) -> None:
    baseline = parser.add_mutually_exclusive_group()
    baseline.add_argument(
        "--baseline",
        type=Path,
        metavar="FILE",
        help="accept the findings listed in FILE (fail only on new ones)",
    )
    baseline.add_argument(
        "--write-baseline",
        type=Path,
        metavar="FILE",
        help="write (or refresh, keeping its key) a baseline accepting every finding found now",
    )


def baselined(args: argparse.Namespace, report: Report) -> Report:
    """``report`` with the baseline the command line names applied (or written)."""
    if args.write_baseline is None and args.baseline is None:
        return report
    # Imported only for a run that names a baseline: its HMAC and file code is start-up time
    # every other scan would pay.
    from gitwarden.commands.scan_baseline import read_scan_baseline, write_scan_baseline

    if args.write_baseline is not None:
        return write_scan_baseline(report, args.write_baseline)
    return read_scan_baseline(report, args.baseline)
