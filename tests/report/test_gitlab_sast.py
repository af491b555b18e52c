"""GitLab SAST security report: what the Security tab reads."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from typing import Any

import jsonschema
import pytest
from report_fixtures import CACHE, PRIVILEGED, make_finding, make_report

from gitlab_report_fields import SAST_SCHEMA
from gitwarden.findings import Severity
from gitwarden.report.gitlab_sast import GitlabSastFormat

FIXED = datetime(2026, 12, 1, 9, 30, 5, tzinfo=UTC)


def render(findings: Any = None) -> dict[str, Any]:
    report = make_report() if findings is None else make_report(findings)
    document: dict[str, Any] = json.loads(GitlabSastFormat(clock=lambda: FIXED).render(report))
    return document


def test_validates_against_gitlabs_documented_fields() -> None:
    jsonschema.validate(render(), SAST_SCHEMA)


def test_documented_fields_reject_a_vulnerability_without_identifiers() -> None:
    document = render()
    del document["vulnerabilities"][0]["identifiers"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(document, SAST_SCHEMA)


def test_scan_block_names_gitwarden_and_the_render_time() -> None:
    scan = render()["scan"]
    assert scan["type"] == "sast"
    assert scan["status"] == "success"
    assert scan["end_time"] == "2026-12-01T09:30:05"
    assert scan["scanner"]["version"] == "0.1.0"


def test_vulnerability_names_rule_file_and_line() -> None:
    [vulnerability] = render((make_finding(rule=PRIVILEGED, file="apps/p.yaml", line=12),))[
        "vulnerabilities"
    ]
    assert vulnerability["location"] == {"file": "apps/p.yaml", "start_line": 12, "end_line": 12}
    assert vulnerability["identifiers"][0]["value"] == "privileged-container"
    assert vulnerability["identifiers"][0]["url"] == PRIVILEGED.references[0]
    assert vulnerability["solution"] == PRIVILEGED.remediation


def test_vulnerability_id_is_stable_across_renders() -> None:
    first = render()["vulnerabilities"]
    second = render()["vulnerabilities"]
    assert [v["id"] for v in first] == [v["id"] for v in second]
    assert all(uuid.UUID(v["id"]) for v in first)


@pytest.mark.parametrize(
    ("severity", "expected"),
    [
        (Severity.CRITICAL, "Critical"),
        (Severity.HIGH, "High"),
        (Severity.MEDIUM, "Medium"),
        (Severity.LOW, "Low"),
        (Severity.INFO, "Info"),
    ],
)
def test_severity_maps_to_gitlabs_names(severity: Severity, expected: str) -> None:
    [vulnerability] = render((make_finding(severity=severity),))["vulnerabilities"]
    assert vulnerability["severity"] == expected


def test_suppressed_findings_are_left_out() -> None:
    files = [v["location"]["file"] for v in render()["vulnerabilities"]]
    names = [v["identifiers"][0]["value"] for v in render()["vulnerabilities"]]
    assert "host-path-volume" not in names
    assert CACHE in files
