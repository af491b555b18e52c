"""AllOf / AnyOf over small requirements; a crashing requirement is an error, never a pass."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from gitwarden.attestation.decision_predicate import CheckOutcome
from gitwarden.gate.context import GateContext
from gitwarden.gate.requirement_result import RequirementResult
from gitwarden.gate.requirements import AllOf, AnyOf, evaluated


@dataclass(frozen=True)
class Fixed:
    name: str
    outcome: CheckOutcome

    def evaluate(self, context: GateContext) -> RequirementResult:
        return RequirementResult(self.name, self.outcome, f"{self.name} said {self.outcome}")


@dataclass(frozen=True)
class Crashing:
    name: str = "crashing"

    def evaluate(self, context: GateContext) -> RequirementResult:
        raise RuntimeError("renderer exploded")


class FakeContext:
    """Only what `evaluated` reads of a context."""

    location = None

    def check_time(self) -> None:
        return None


def run(requirement: AllOf | AnyOf) -> RequirementResult:
    from gitwarden.findings import Location

    context = FakeContext()
    context.location = Location(file="gate test")  # type: ignore[assignment]
    return requirement.evaluate(context)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("outcomes", "expected"),
    [(("pass", "pass"), "pass"), (("pass", "fail"), "fail"), (("fail", "error"), "fail")],
)
def test_all_of_passes_only_when_every_part_passes(
    outcomes: tuple[CheckOutcome, ...], expected: str
) -> None:
    result = run(AllOf(tuple(Fixed(f"r{i}", o) for i, o in enumerate(outcomes))))
    assert result.outcome == expected


@pytest.mark.parametrize(
    ("outcomes", "expected"),
    [(("fail", "pass"), "pass"), (("fail", "not-configured"), "fail"), (("error",), "error")],
)
def test_any_of_passes_when_one_part_passes(
    outcomes: tuple[CheckOutcome, ...], expected: str
) -> None:
    result = run(AnyOf(tuple(Fixed(f"r{i}", o) for i, o in enumerate(outcomes))))
    assert result.outcome == expected


def test_an_empty_all_of_does_not_pass() -> None:
    assert not run(AllOf(())).passed


def test_a_crashing_requirement_is_an_error_naming_it() -> None:
    result = run(AllOf((Fixed("ok", "pass"), Crashing())))
    crashed = result.parts[1]
    assert crashed.outcome == "error"
    assert "renderer exploded" in crashed.summary
    assert [f.rule_id for f in crashed.findings] == ["gate-check-error"]


def test_the_failed_parts_are_the_combined_reason() -> None:
    result = run(AllOf((Fixed("signatures", "fail"), Fixed("review", "not-configured"))))
    assert result.summary == (
        "signatures: signatures said fail, review: review said not-configured"
    )


def test_evaluated_turns_a_timeout_into_an_error() -> None:
    from gitwarden.gate.context import GateTimeoutError

    class Late(FakeContext):
        def check_time(self) -> None:
            raise GateTimeoutError("the time budget ran out before this check")

    context = Late()
    from gitwarden.findings import Location

    context.location = Location(file="gate test")  # type: ignore[assignment]
    result = evaluated(Fixed("late", "pass"), context)  # type: ignore[arg-type]
    assert result.outcome == "error" and "time budget" in result.summary
