"""The rich progress bar itself: one transient bar per stage, on the console it is given.

Kept apart from `gitwarden.cli.progress`, which decides whether a bar is shown at all, so
that rich (about 20 ms of start-up) is imported only when one is.
"""

from __future__ import annotations

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    ProgressColumn,
    SpinnerColumn,
    Task,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.progress import Progress as RichBar
from rich.text import Text

from gitwarden.progress import ProgressStep


class RichProgress:
    """One transient bar per stage: it names the work, counts it (against the total when
    that is known), and disappears when the stage ends."""

    def __init__(self, console: Console) -> None:
        self._console = console

    def start(self, description: str, total: int | None = None) -> ProgressStep:
        columns: list[ProgressColumn] = [SpinnerColumn(), TextColumn("{task.description}")]
        if total is not None:
            columns += [BarColumn(), MofNCompleteColumn()]
        else:
            columns.append(_DoneSoFar())
        columns.append(TimeElapsedColumn())
        bar = RichBar(*columns, console=self._console, transient=True)
        task = bar.add_task(description, total=total)
        bar.start()
        return _RichStep(bar, task)


class _DoneSoFar(ProgressColumn):
    """How much of a stage without a total is done ("12 done"); nothing before the first."""

    def render(self, task: Task) -> Text:
        done = int(task.completed)
        return Text(f"{done} done" if done else "", style="progress.download")


class _RichStep:
    def __init__(self, bar: RichBar, task: TaskID) -> None:
        self._bar = bar
        self._task = task

    def advance(self, amount: int = 1) -> None:
        self._bar.advance(self._task, amount)

    def finish(self) -> None:
        self._bar.stop()
