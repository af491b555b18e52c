"""A `gitwarden.progress.Progress` that remembers every stage it was given, for the tests."""

from __future__ import annotations

from dataclasses import dataclass, field

from gitwarden.progress import ProgressStep


@dataclass
class Recorded:
    """One stage as the command reported it; ``steps`` lists each advance, in order."""

    description: str
    total: int | None
    advanced: int = 0
    finished: bool = False
    steps: list[int] = field(default_factory=list, compare=False)

    def advance(self, amount: int = 1) -> None:
        self.advanced += amount
        self.steps.append(amount)

    def finish(self) -> None:
        self.finished = True


@dataclass
class Recorder:
    stages: list[Recorded] = field(default_factory=list)

    def start(self, description: str, total: int | None = None) -> ProgressStep:
        self.stages.append(Recorded(description, total))
        return self.stages[-1]
