"""The words a failing requirement contributes to the one-line summary."""

from __future__ import annotations

from gitwarden.findings import Finding, Location, Severity
from gitwarden.gate.finding_summary import describe, result_from_findings


def finding(rule_id: str, commit: str | None = None, file: str = "a.yaml") -> Finding:
    details = {"commit": commit} if commit else {}
    return Finding(rule_id, Severity.HIGH, "t", "m", Location(file=file), details=details)


def test_commits_are_named_by_their_short_id() -> None:
    text = describe(
        [
            finding("unsigned-commit", "3f2a1c9" + "0" * 33),
            finding("unsigned-commit", "8e1d2b0" + "0" * 33),
        ]
    )
    assert text == "2 unsigned-commit (3f2a1c9, 8e1d2b0)"


def test_the_summary_stays_one_short_line() -> None:
    text = describe([finding(f"rule-{n}") for n in range(6)])
    assert text.endswith("and 3 more rules") and text.count("rule-") == 3


def test_findings_below_the_threshold_pass() -> None:
    low = Finding("x", Severity.LOW, "t", "m", Location(file="a"))
    assert result_from_findings("manifests", [low], Severity.HIGH, {}).passed
