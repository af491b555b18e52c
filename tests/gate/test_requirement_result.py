"""A requirement's result: only ``pass`` passes; combined results list their leaves."""

from __future__ import annotations

import pytest

from gitwarden.attestation.decision_predicate import CheckOutcome
from gitwarden.gate.requirement_result import RequirementResult


@pytest.mark.parametrize(
    ("outcome", "passed"),
    [("pass", True), ("fail", False), ("error", False), ("not-configured", False)],
)
def test_only_pass_passes(outcome: CheckOutcome, passed: bool) -> None:
    assert RequirementResult("x", outcome).passed is passed


def test_leaves_are_the_single_requirements_depth_first() -> None:
    inner = RequirementResult("any", "pass", parts=(RequirementResult("a", "pass"),))
    outer = RequirementResult("all", "fail", parts=(inner, RequirementResult("b", "fail")))
    assert [leaf.name for leaf in outer.leaves()] == ["a", "b"]


def test_the_reason_names_the_requirement() -> None:
    assert RequirementResult("review", "fail", "needs product owner").reason() == (
        "review: needs product owner"
    )
