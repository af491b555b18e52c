"""The one line for people: ``DENY prod 3f2a1c9: signatures: 2 unsigned-commit (…), review: …``."""

from __future__ import annotations

from gitwarden.gate.decision import GateDecision


def summary_line(decision: GateDecision) -> str:
    head = f"{decision.verdict.upper()} {decision.environment} {decision.revision[:7]}"
    if decision.allowed:
        passed = ", ".join(result.name for result in decision.results)
        return f"{head}: {passed or 'nothing required'} passed"
    return f"{head}: {', '.join(decision.reasons)}"
