"""The progress bar of the command line: rich, on standard error, only where a person watches.

A bar is shown only when standard error is a terminal, the report is text (never json,
sarif or another machine format, whose readers want nothing else) and ``--quiet`` is not
given; otherwise the commands get the silent default of `gitwarden.progress`.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import TYPE_CHECKING, TextIO

from gitwarden.progress import SILENT, Progress, ProgressStep

# rich costs about 20 ms of start-up: it is imported only when a bar is shown, never for a
# run in CI or with a machine format.
if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import Progress as RichBar
    from rich.progress import TaskID

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

    return RichProgress(Console(file=stream))


class RichProgress:
    """One transient bar per stage: it names the work, counts it when the total is known,
    and disappears when the stage ends."""

    def __init__(self, console: Console) -> None:
        self._console = console

    def start(self, description: str, total: int | None = None) -> ProgressStep:
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            ProgressColumn,
            SpinnerColumn,
            TextColumn,
            TimeElapsedColumn,
        )
        from rich.progress import Progress as RichBar

        columns: list[ProgressColumn] = [SpinnerColumn(), TextColumn("{task.description}")]
        if total is not None:
            columns += [BarColumn(), MofNCompleteColumn()]
        columns.append(TimeElapsedColumn())
        bar = RichBar(*columns, console=self._console, transient=True)
        task = bar.add_task(description, total=total)
        bar.start()
        return _RichStep(bar, task)


class _RichStep:
    def __init__(self, bar: RichBar, task: TaskID) -> None:
        self._bar = bar
        self._task = task

    def advance(self, amount: int = 1) -> None:
        self._bar.advance(self._task, amount)

    def finish(self) -> None:
        self._bar.stop()
