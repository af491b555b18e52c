"""What running a policy test suite yields: one case per assertion or expected result."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class CaseOutcome(Enum):
    PASSED = "passed"
    FAILED = "failed"
    # Not evaluated by gitwarden (a mutate rule, an unsupported construct): never a pass.
    SKIPPED = "skipped"


@dataclass(frozen=True)
class SuiteCase:
    """One test case: the suite file it is written in, its name, what happened and why."""

    suite: str
    name: str
    outcome: CaseOutcome
    reason: str = ""
    line: int = 1

    @property
    def passed(self) -> bool:
        return self.outcome is CaseOutcome.PASSED
