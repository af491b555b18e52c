"""GitLab Code Quality JSON: the findings a merge request widget shows inline.

GitLab reads an array of issues, each with ``description``, ``check_name``, a unique
``fingerprint``, a ``severity`` (info, minor, major, critical, blocker) and a
``location`` whose ``path`` is relative to the repository root. Suppressed findings are
left out: Code Quality has no way to show a dismissal, and they do not fail the gate.
"""

from __future__ import annotations

from typing import Any

from gitwarden.findings import Finding, Severity
from gitwarden.report.escaping import indented_json, printable
from gitwarden.report.model import Report
from gitwarden.rules import Rule

SEVERITIES: dict[Severity, str] = {
    Severity.CRITICAL: "blocker",
    Severity.HIGH: "critical",
    Severity.MEDIUM: "major",
    Severity.LOW: "minor",
    Severity.INFO: "info",
}


def codequality_issue(finding: Finding) -> dict[str, Any]:
    location = finding.location
    description = printable(finding.message or finding.title)
    if location.resource:
        description += f" ({printable(location.resource)})"
    return {
        "type": "issue",
        "description": description,
        "check_name": finding.rule_id,
        "categories": ["Security"],
        "severity": SEVERITIES[finding.severity],
        # GitLab matches issues across pipelines by fingerprint: the finding's own one
        # survives line moves, so a moved issue is not shown as fixed-and-new.
        "fingerprint": finding.fingerprint,
        "location": {
            "path": location.file.removeprefix("./"),
            "lines": {"begin": max(location.line, 1)},
        },
    }


class GitlabCodeQualityFormat:
    name = "gitlab-codequality"

    def render(self, report: Report, *, color: bool = False) -> str:
        issues = [codequality_issue(f) for f in report.sorted_findings() if not f.suppressed]
        return indented_json(issues) + "\n"

    def render_rules(self, rules: list[Rule], *, color: bool = False) -> str:
        # Code Quality describes issues, not checks: the catalogue has no place in it.
        return "[]\n"
