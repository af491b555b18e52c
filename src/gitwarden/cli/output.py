"""What every command shares: --format/--output options, colour choice, writing reports."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from gitwarden.errors import UsageError
from gitwarden.findings import Severity
from gitwarden.report import FORMATS


def add_output_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--format", "-f", choices=sorted(FORMATS), default="text", help="output format"
    )
    parser.add_argument("--output", "-o", type=Path, help="write the report to FILE")


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
