"""GitLab's SAST security report (schema 15.x): findings for the Security tab and MR widget.

Fields follow GitLab's published ``sast-report-format.json``: ``version``, ``scan`` (analyzer,
scanner, type, times, status) and ``vulnerabilities`` whose ``identifiers`` name the rule
and whose ``location`` names the file and line. Suppressed findings are left out: the report
has no accepted-risk state, and GitLab's own dismissals live in GitLab.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from gitwarden.findings import Finding, Severity
from gitwarden.report.escaping import indented_json, printable
from gitwarden.report.model import Report
from gitwarden.rules import Rule

SCHEMA_VERSION = "15.0.7"
SCHEMA_URI = (
    "https://gitlab.com/gitlab-org/security-products/security-report-schemas/-/raw/"
    f"v{SCHEMA_VERSION}/dist/sast-report-format.json"
)
SEVERITIES: dict[Severity, str] = {
    Severity.CRITICAL: "Critical",
    Severity.HIGH: "High",
    Severity.MEDIUM: "Medium",
    Severity.LOW: "Low",
    Severity.INFO: "Info",
}
# Stable ids: the same finding gets the same vulnerability id in every pipeline.
ID_NAMESPACE = uuid.UUID("4f1b7a64-5d0e-4a4e-9f51-6b0c1a2f9e10")
TIME_FORMAT = "%Y-%m-%dT%H:%M:%S"
SCANNER_ID = "gitwarden"


def _now() -> datetime:
    return datetime.now(UTC)


def vendor_block(version: str) -> dict[str, Any]:
    return {
        "id": SCANNER_ID,
        "name": "gitwarden",
        "url": "https://pypi.org/project/gitwarden/",
        "vendor": {"name": "gitwarden"},
        "version": version or "0",
    }


def vulnerability(finding: Finding) -> dict[str, Any]:
    location = finding.location
    identifier: dict[str, Any] = {
        "type": "gitwarden_rule_id",
        "name": f"gitwarden {finding.rule_id}",
        "value": finding.rule_id,
    }
    if finding.references:
        identifier["url"] = finding.references[0]
    line = max(location.line, 1)
    entry: dict[str, Any] = {
        "id": str(uuid.uuid5(ID_NAMESPACE, finding.fingerprint)),
        "name": printable(finding.title),
        "description": printable(finding.message or finding.title),
        "severity": SEVERITIES[finding.severity],
        "location": {
            "file": location.file.removeprefix("./"),
            "start_line": line,
            "end_line": line,
        },
        "identifiers": [identifier],
    }
    if finding.remediation:
        entry["solution"] = printable(finding.remediation)
    links = [{"url": url} for url in finding.references]
    if links:
        entry["links"] = links
    return entry


class GitlabSastFormat:
    name = "gitlab-sast"

    def __init__(self, clock: Callable[[], datetime] = _now) -> None:
        self._clock = clock

    def render(self, report: Report, *, color: bool = False) -> str:
        # The report carries no times; the scan is done when it is rendered.
        finished = self._clock().strftime(TIME_FORMAT)
        tool = vendor_block(report.tool_version)
        document = {
            "$schema": SCHEMA_URI,
            "version": SCHEMA_VERSION,
            "scan": {
                "analyzer": tool,
                "scanner": tool,
                "type": "sast",
                "start_time": finished,
                "end_time": finished,
                "status": "success",
            },
            "vulnerabilities": [
                vulnerability(f) for f in report.sorted_findings() if not f.suppressed
            ],
        }
        return indented_json(document) + "\n"

    def render_rules(self, rules: list[Rule], *, color: bool = False) -> str:
        # A security report lists found vulnerabilities; the catalogue is not one.
        return self.render(Report(command="rules", target=".", findings=()))
