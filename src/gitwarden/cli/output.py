"""What every command shares: --format/--output options, colour choice, writing reports."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from gitwarden.errors import UsageError
from gitwarden.findings import Severity
from gitwarden.report import FORMATS

if TYPE_CHECKING:
    from gitwarden.config import Config


def add_output_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--format", "-f", choices=sorted(FORMATS), default="text", help="output format"
    )
    parser.add_argument("--output", "-o", type=Path, help="write the report to FILE")


def add_config_arguments(parser: argparse.ArgumentParser) -> None:
    """--config and --fail-on, for the commands that read .gitwarden.yaml."""
    parser.add_argument("--config", type=Path, help="config file (default: PATH/.gitwarden.yaml)")
    parser.add_argument(
        "--fail-on",
        type=severity_argument,
        metavar="SEVERITY",
        help="lowest severity that fails the run: one of "
        + ", ".join(s.value for s in sorted(Severity, reverse=True))
        + " (default: high, or fail_on in the config)",
    )


def config_argument(args: argparse.Namespace) -> Config | None:
    """The configuration --config names; None to read PATH/.gitwarden.yaml."""
    # Imported here: commands that never read .gitwarden.yaml should not load its reader.
    from gitwarden.config import load_config

    if args.config is None:
        return None
    if not args.config.is_file():
        raise UsageError(f"--config {args.config}: no such file")
    return load_config(args.config)


def severity_argument(text: str) -> Severity:
    try:
        return Severity.parse(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def use_color(output: Path | None) -> bool:
    """Colour only for a terminal; NO_COLOR and FORCE_COLOR are honoured."""
    if output is not None or os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return sys.stdout.isatty()


def emit(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as error:
        raise UsageError(f"--output {output}: cannot write ({error.strerror})") from None
