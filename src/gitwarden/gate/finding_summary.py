"""Findings turned into a requirement's result and its few words for the one-line summary."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping

from gitwarden.findings import Finding, Severity
from gitwarden.gate.requirement_result import RequirementResult
from gitwarden.rules import Rule

# The summary names at most this many places per rule, and rules per check: it is one line.
MAX_NAMED = 3
MAX_RULES = 3


def failing(findings: Iterable[Finding], fail_on: Severity) -> list[Finding]:
    return [f for f in findings if not f.suppressed and f.severity >= fail_on]


def describe(findings: Iterable[Finding]) -> str:
    """``2 unsigned-commit (3f2a1c9, 8e1d2b0), 1 ledger-force-push (refs/heads/main)``."""
    places: dict[str, list[str]] = defaultdict(list)
    for finding in findings:
        commit = finding.details.get("commit")
        places[finding.rule_id].append(commit[:7] if commit else finding.location.file)
    parts = []
    for rule_id, named in places.items():
        unique = list(dict.fromkeys(named))
        shown = ", ".join(unique[:MAX_NAMED]) + (", …" if len(unique) > MAX_NAMED else "")
        parts.append(f"{len(named)} {rule_id} ({shown})")
    more = len(parts) - MAX_RULES
    return ", ".join(parts[:MAX_RULES]) + (f" and {more} more rules" if more > 0 else "")


def result_from_findings(
    name: str,
    findings: Iterable[Finding],
    fail_on: Severity,
    rules: Mapping[str, Rule],
    passed_summary: str = "",
) -> RequirementResult:
    """``fail`` when a counted finding is at or above ``fail_on``, else ``pass``."""
    counted = tuple(findings)
    bad = failing(counted, fail_on)
    if bad:
        return RequirementResult(name, "fail", describe(bad), counted, rules)
    return RequirementResult(name, "pass", passed_summary, counted, rules)
