"""The decision's attested form: its verdict and each check, counting unsuppressed findings."""

from __future__ import annotations

from datetime import UTC, datetime

from gitwarden.findings import Finding, Location, Severity, Suppression
from gitwarden.gate.decision import GateDecision
from gitwarden.gate.requirement_result import RequirementResult


def test_the_predicate_counts_only_findings_that_count() -> None:
    counted = Finding("a", Severity.HIGH, "t", "m", Location(file="f"))
    suppressed = Finding(
        "b", Severity.HIGH, "t", "m", Location(file="f"), suppression=Suppression("config", "ok")
    )
    result = RequirementResult("manifests", "fail", "1 a (f)", (counted, suppressed))
    decision = GateDecision(
        "repo",
        "prod",
        "c" * 40,
        False,
        False,
        ("manifests: 1 a (f)",),
        (result,),
        datetime(2026, 12, 1, tzinfo=UTC),
    )
    predicate = decision.predicate()
    assert predicate.decision == "deny"
    assert [(c.name, c.result, c.findings) for c in predicate.checks] == [("manifests", "fail", 1)]
