"""Machine-readable JSON: a top-level ``findings`` list and a ``summary``."""

from __future__ import annotations

import json
from typing import Any

from gitwarden.findings import Finding
from gitwarden.report.escaping import indented_json
from gitwarden.report.model import Report
from gitwarden.rules import Rule

SCHEMA_VERSION = "1"


def finding_to_dict(finding: Finding) -> dict[str, Any]:
    loc = finding.location
    suppression = finding.suppression
    return {
        "rule": finding.rule_id,
        "severity": finding.severity.value,
        "title": finding.title,
        "message": finding.message,
        "remediation": finding.remediation,
        "file": loc.file,
        "line": loc.line,
        "column": loc.column,
        "resource": loc.resource,
        "field": loc.field_path,
        "origin": loc.origin,
        "references": list(finding.references),
        "details": dict(finding.details),
        "fingerprint": finding.fingerprint,
        "suppressed": finding.suppressed,
        "suppression": None
        if suppression is None
        else {
            "source": suppression.source,
            "reason": suppression.reason,
            "expires": suppression.expires.isoformat() if suppression.expires else None,
        },
    }


def rule_to_dict(rule: Rule) -> dict[str, Any]:
    return {
        "id": rule.id,
        "family": rule.family,
        "severity": rule.severity.value,
        "title": rule.title,
        "rationale": rule.rationale,
        "remediation": rule.remediation,
        "references": list(rule.references),
    }


class JsonFormat:
    name = "json"

    def render(self, report: Report, *, color: bool = False) -> str:
        document = {
            "schema_version": SCHEMA_VERSION,
            "tool": {"name": "gitwarden", "version": report.tool_version},
            "command": report.command,
            "target": report.target,
            "summary": report.summary(),
            "findings": [finding_to_dict(f) for f in report.sorted_findings()],
        }
        # Strict JSON readers (Go, serde) refuse lone surrogates, which non-UTF-8 file names
        # become; JSON escapes control characters itself.
        return indented_json(document) + "\n"

    def render_rules(self, rules: list[Rule], *, color: bool = False) -> str:
        return json.dumps({"rules": [rule_to_dict(r) for r in rules]}, indent=2) + "\n"
