"""Whether the command line shows a progress bar: on standard error, only where a person watches.

A bar is shown only when standard error is a terminal, the report is text (never json,
sarif or another machine format, whose readers want nothing else) and ``--quiet`` is not
given; otherwise the commands get the silent default of `gitwarden.progress`. The bar itself
(`gitwarden.cli.progress_bar`) and rich are imported only when one is shown: a run in CI or
with a machine format does not pay for them.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import TextIO

from gitwarden.progress import SILENT, Progress

HUMAN_FORMATS = frozenset({"text"})


def add_quiet_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--quiet",
        "-q",
        action="store_true",
        help="show no progress bar (it is shown only on a terminal, for text output)",
    )


def progress_for(args: argparse.Namespace, stream: TextIO | None = None) -> Progress:
    """A rich bar on ``stream`` (standard error) when someone is watching, else silence."""
    stream = stream or sys.stderr
    if getattr(args, "quiet", False) or getattr(args, "format", "text") not in HUMAN_FORMATS:
        return SILENT
    if not stream.isatty() or os.environ.get("TERM") == "dumb":
        return SILENT
    from rich.console import Console

    from gitwarden.cli.progress_bar import RichProgress

    return RichProgress(Console(file=stream))
