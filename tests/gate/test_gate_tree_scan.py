"""Which findings of the tree scan belong to which requirement."""

from __future__ import annotations

import pytest

from gitwarden.findings import Finding, Location, Severity
from gitwarden.gate.tree_scan import in_paths, is_policy, is_secret


def finding(rule_id: str, file: str = "clusters/prod/app.yaml") -> Finding:
    return Finding(rule_id, Severity.HIGH, "t", "m", Location(file=file))


@pytest.mark.parametrize(
    ("rule_id", "policy"),
    [("rego:require-owner", True), ("policy-error", True), ("pss-privileged", False)],
)
def test_policy_findings_are_told_apart(rule_id: str, policy: bool) -> None:
    assert is_policy(finding(rule_id)) is policy


def test_a_check_finding_is_not_a_secret() -> None:
    assert not is_secret(finding("pss-privileged"))


@pytest.mark.parametrize(
    ("file", "inside"), [("clusters/prod/app.yaml", True), ("clusters/staging/app.yaml", False)]
)
def test_only_findings_under_the_environment_paths_count(file: str, inside: bool) -> None:
    assert in_paths(finding("x", file), ("clusters/prod/**",)) is inside
