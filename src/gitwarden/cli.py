"""The command line: parse arguments, call the library, render, choose the exit code.

Exit codes: 0 nothing at or above --fail-on; 1 findings at or above it; 2 usage or
configuration error (printed without a traceback); 3 internal error (with a traceback).
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path

from gitwarden.checks.registry import all_rules
from gitwarden.config import load_config
from gitwarden.errors import GitwardenError, UsageError
from gitwarden.findings import Severity
from gitwarden.report import FORMATS, get_format
from gitwarden.scan import ScanOptions, scan
from gitwarden.version import __version__

EXIT_PASS = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 3


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        result: int = args.handler(args)
        return result
    except GitwardenError as error:
        print(f"gitwarden: error: {error.diagnostics()}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except Exception:
        traceback.print_exc()
        print(
            "gitwarden: internal error (exit 3). This is a bug: please report it with the "
            "traceback above.",
            file=sys.stderr,
        )
        return EXIT_INTERNAL


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="gitwarden",
        description="A security gate for GitOps repositories: may this revision be deployed?",
        epilog="Exit codes: 0 pass, 1 findings at or above --fail-on, 2 usage/config error, "
        "3 internal error.",
    )
    parser.add_argument("--version", action="version", version=f"gitwarden {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    scan_parser = commands.add_parser(
        "scan",
        help="check the Kubernetes manifests a repository deploys",
        description="Check what a GitOps repository will deploy: plain YAML/JSON, Kustomize "
        "overlays and Helm charts (rendered offline), against Pod Security Standards, RBAC, "
        "image, hardening and network-policy rules.",
    )
    scan_parser.add_argument("path", nargs="?", default=".", help="repository or file (default: .)")
    scan_parser.add_argument(
        "--config", type=Path, help="config file (default: PATH/.gitwarden.yaml)"
    )
    _add_output_arguments(scan_parser)
    scan_parser.add_argument(
        "--fail-on",
        type=_severity,
        help="lowest severity that fails the run (default: high, or fail_on in the config)",
    )
    scan_parser.add_argument(
        "--no-render",
        action="store_true",
        help="scan files as they are, without rendering Kustomize overlays or Helm charts",
    )
    scan_parser.add_argument(
        "--allow-network",
        action="store_true",
        help="let Kustomize fetch remote bases (refused by default)",
    )
    scan_parser.set_defaults(handler=_run_scan)

    rules_parser = commands.add_parser(
        "rules", help="list every rule: id, severity, what it checks, why, how to fix"
    )
    _add_output_arguments(rules_parser)
    rules_parser.set_defaults(handler=_run_rules)
    return parser


def _add_output_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--format", "-f", choices=sorted(FORMATS), default="text", help="output format"
    )
    parser.add_argument("--output", "-o", type=Path, help="write the report to FILE")


def _severity(text: str) -> Severity:
    try:
        return Severity.parse(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _run_scan(args: argparse.Namespace) -> int:
    config = None
    if args.config is not None:
        if not args.config.is_file():
            raise UsageError(f"--config {args.config}: no such file")
        config = load_config(args.config)
    options = ScanOptions(
        render=not args.no_render, allow_network=args.allow_network, fail_on=args.fail_on
    )
    report = scan(args.path, config, options)
    output_format = get_format(args.format)
    _emit(output_format.render(report, color=_use_color(args.output)), args.output)
    return EXIT_PASS if report.passed else EXIT_FINDINGS


def _run_rules(args: argparse.Namespace) -> int:
    output_format = get_format(args.format)
    _emit(output_format.render_rules(list(all_rules()), color=_use_color(args.output)), args.output)
    return EXIT_PASS


def _use_color(output: Path | None) -> bool:
    if output is not None or os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return sys.stdout.isatty()


def _emit(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as error:
        raise UsageError(f"--output {output}: cannot write ({error.strerror})") from None
