"""How long work tells its caller how far it has come: a protocol, silent by default.

Commands take a `Progress` in their options and report stages through it ("rendering 12
overlays and charts", 3 of 12 done); a library caller gets no output unless it passes one.
The CLI passes a rich progress bar on a terminal (`gitwarden.cli.progress`). State lives in
the object passed in: two runs in one process never share a bar.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Protocol, TypeVar

T = TypeVar("T")


class ProgressStep(Protocol):
    """One stage of work under way."""

    def advance(self, amount: int = 1) -> None: ...

    def finish(self) -> None: ...


class Progress(Protocol):
    """Starts stages; ``total`` is None when the amount of work is not known in advance."""

    def start(self, description: str, total: int | None = None) -> ProgressStep: ...


class _SilentStep:
    def advance(self, amount: int = 1) -> None:
        return None

    def finish(self) -> None:
        return None


class SilentProgress:
    """Reports nothing: the default of every command."""

    def start(self, description: str, total: int | None = None) -> ProgressStep:
        return _SilentStep()


SILENT: Progress = SilentProgress()
SILENT_STEP: ProgressStep = _SilentStep()


@contextmanager
def stage(progress: Progress, description: str, total: int | None = None) -> Iterator[ProgressStep]:
    """A stage that finishes however the work ends."""
    step = progress.start(description, total)
    try:
        yield step
    finally:
        step.finish()


def advancing(items: Iterable[T], step: ProgressStep) -> Iterator[T]:
    """``items`` unchanged, advancing ``step`` as each one is ready."""
    for item in items:
        step.advance()
        yield item
