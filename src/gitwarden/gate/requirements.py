"""Requirements as small composable policies (the shape of sigstore-python's verify/policy.py).

A `Requirement` judges one gate context and returns a `RequirementResult`. `AllOf` passes
when every part passes, `AnyOf` when one does; both evaluate each part through `evaluated`,
which turns any exception into an ``error`` outcome, so a crashing check denies instead of
escaping or, worse, being skipped.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from gitwarden import decision_rules as rules
from gitwarden.attestation.decision_predicate import CheckOutcome
from gitwarden.errors import GitwardenError
from gitwarden.gate.context import GateContext
from gitwarden.gate.requirement_result import RequirementResult


class Requirement(Protocol):
    @property
    def name(self) -> str: ...

    def evaluate(self, context: GateContext) -> RequirementResult: ...


def evaluated(requirement: Requirement, context: GateContext) -> RequirementResult:
    """``requirement``'s result; any error (ours or a bug) is an ``error`` result: a deny."""
    try:
        context.check_time()
        return requirement.evaluate(context)
    except GitwardenError as error:
        reason = error.message
    except Exception as error:
        reason = f"internal error {type(error).__name__}: {error}"
    finding = rules.CHECK_ERROR.finding(
        f"{requirement.name}: {reason}", context.location, details={"check": requirement.name}
    )
    return RequirementResult(
        requirement.name,
        "error",
        reason,
        (finding,),
        {rules.CHECK_ERROR.id: rules.CHECK_ERROR},
    )


@dataclass(frozen=True)
class AllOf:
    """Passes when every requirement passes (and there is at least one)."""

    requirements: tuple[Requirement, ...]
    name: str = "all-of"

    def evaluate(self, context: GateContext) -> RequirementResult:
        parts = tuple(evaluated(requirement, context) for requirement in self.requirements)
        failed = [part for part in parts if not part.passed]
        if not parts:
            return RequirementResult(self.name, "fail", "no requirement to meet")
        outcome: CheckOutcome = "pass" if not failed else ("error" if _errored(failed) else "fail")
        summary = ", ".join(part.reason() for part in failed)
        return RequirementResult(self.name, outcome, summary, parts=parts)


@dataclass(frozen=True)
class AnyOf:
    """Passes when at least one requirement passes."""

    requirements: tuple[Requirement, ...]
    name: str = "any-of"

    def evaluate(self, context: GateContext) -> RequirementResult:
        parts = tuple(evaluated(requirement, context) for requirement in self.requirements)
        if any(part.passed for part in parts):
            return RequirementResult(self.name, "pass", parts=parts)
        summary = "none of: " + "; ".join(part.reason() for part in parts)
        outcome: CheckOutcome = "error" if parts and _errored(parts) else "fail"
        return RequirementResult(self.name, outcome, summary, parts=parts)


def _errored(results: tuple[RequirementResult, ...] | list[RequirementResult]) -> bool:
    return all(result.outcome == "error" for result in results)
