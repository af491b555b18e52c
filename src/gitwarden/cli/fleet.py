"""`gitwarden fleet scan`: scan and verify many local clones, each recorded in the audit store."""

from __future__ import annotations

import argparse
from pathlib import Path

from gitwarden.cli import output


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser("fleet", help="scan many repositories into one audit store")
    actions = parser.add_subparsers(dest="fleet_action", required=True, metavar="ACTION")
    scan = actions.add_parser(
        "scan",
        help="scan (and verify, where a trust policy exists) every clone a file lists",
        description="Scan every local clone listed in --repos (one path per line, relative "
        "to the file; # comments) and record each report as a scan-report audit entry.",
    )
    scan.add_argument(
        "--repos",
        type=Path,
        required=True,
        metavar="FILE",
        help="a file listing the local clones to scan, one path a line (# comments)",
    )
    scan.add_argument(
        "--audit", metavar="URL", help="sqlite:///PATH or postgresql://... (default as audit)"
    )
    scan.add_argument(
        "--key",
        type=Path,
        required=True,
        metavar="PRIVATE",
        help="the runner's Ed25519 signing key (SSH or PEM) for the audit entries",
    )
    scan.add_argument("--workers", type=int, default=4, help="repositories at once (1-16)")
    output.add_config_arguments(scan)
    output.add_output_arguments(scan)
    scan.set_defaults(handler=run_scan)


def run_scan(args: argparse.Namespace) -> bool:
    from gitwarden.attestation.signing_keys import load_signing_key
    from gitwarden.commands.fleet import FleetScanOptions, fleet_scan

    options = FleetScanOptions(
        audit=args.audit,
        key=load_signing_key(args.key),
        workers=args.workers,
        fail_on=args.fail_on,
    )
    result = fleet_scan(args.repos, output.config_argument(args), options)
    report = result.report
    output.emit(output.render_report(args, report), args.output)
    return report.passed
