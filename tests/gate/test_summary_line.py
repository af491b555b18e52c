"""The one line for people names the verdict, environment, short revision and reasons."""

from __future__ import annotations

from datetime import UTC, datetime

from gitwarden.gate.decision import GateDecision
from gitwarden.gate.requirement_result import RequirementResult
from gitwarden.gate.summary_line import summary_line

NOW = datetime(2026, 12, 1, tzinfo=UTC)


def decision(allowed: bool, reasons: tuple[str, ...] = ()) -> GateDecision:
    results = (RequirementResult("ancestry", "pass"), RequirementResult("signatures", "pass"))
    return GateDecision("repo", "prod", "3f2a1c9" + "0" * 33, allowed, False, reasons, results, NOW)


def test_a_deny_lists_its_reasons() -> None:
    line = summary_line(decision(False, ("signatures: 2 unsigned-commit (a, b)", "review: x")))
    assert line == "DENY prod 3f2a1c9: signatures: 2 unsigned-commit (a, b), review: x"


def test_an_allow_lists_what_passed() -> None:
    assert summary_line(decision(True)) == "ALLOW prod 3f2a1c9: ancestry, signatures passed"
