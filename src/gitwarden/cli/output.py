"""What every command shares: --format/--output and display options, colour, writing reports."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from gitwarden.errors import UsageError
from gitwarden.findings import Severity
from gitwarden.report import FORMATS, get_format
from gitwarden.report.display import DisplayOptions
from gitwarden.report.model import Report

if TYPE_CHECKING:
    from gitwarden.config import Config

# The formats people read; machine formats carry every finding for their consumers to filter.
DISPLAY_FORMATS = ("text", "markdown")


def add_output_arguments(parser: argparse.ArgumentParser, *, display: bool = True) -> None:
    """--format and --output; with ``display``, the options of commands that render a report."""
    parser.add_argument(
        "--format", "-f", choices=sorted(FORMATS), default="text", help="output format"
    )
    parser.add_argument("--output", "-o", type=Path, help="write the report to FILE")
    if not display:
        return
    parser.add_argument(
        "--min-severity",
        type=severity_argument,
        metavar="SEVERITY",
        help="show only findings at or above SEVERITY (text and markdown; the exit code "
        "still follows --fail-on)",
    )
    parser.add_argument(
        "--summary",
        action="store_true",
        help="show counts per family and rule, worst first, instead of every finding "
        "(text and markdown)",
    )
    parser.add_argument(
        "--no-group",
        action="store_true",
        help="show every finding on its own, even when one rule fires in many places",
    )


def display_options(args: argparse.Namespace) -> DisplayOptions:
    """The display choices on the command line; refused for formats that ignore them."""
    display = DisplayOptions(
        min_severity=getattr(args, "min_severity", None),
        summary_only=getattr(args, "summary", False),
        group_repeats=not getattr(args, "no_group", False),
    )
    narrowed = display.min_severity is not None or display.summary_only
    if narrowed and args.format not in DISPLAY_FORMATS:
        # Silently ignoring them would let a user believe a SARIF upload was filtered.
        raise UsageError(
            f"--min-severity and --summary apply to text and markdown, not {args.format}"
        )
    return display


def render_report(args: argparse.Namespace, report: Report) -> str:
    """``report`` in the format and with the display options the command line asks for."""
    display = display_options(args)
    color = use_color(args.output)
    # Imported here: the text format loads rich (40 ms), which no other format needs.
    if args.format == "text":
        from gitwarden.report.text import TextFormat

        return TextFormat(display=display).render(report, color=color)
    if args.format == "markdown":
        from gitwarden.report.markdown import MarkdownFormat

        return MarkdownFormat(display=display).render(report, color=color)
    return get_format(args.format).render(report, color=color)


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
