"""A suite case passes only when it passed: skipped is not passed."""

from __future__ import annotations

import pytest

from gitwarden.policy.suite_cases import CaseOutcome, SuiteCase


@pytest.mark.parametrize(
    ("outcome", "passed"),
    [(CaseOutcome.PASSED, True), (CaseOutcome.FAILED, False), (CaseOutcome.SKIPPED, False)],
)
def test_only_a_passed_case_counts_as_passed(outcome: CaseOutcome, passed: bool) -> None:
    assert SuiteCase("suite.yaml", "case", outcome).passed is passed
