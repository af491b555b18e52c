"""GitLab Code Quality JSON: what the merge request widget reads."""

from __future__ import annotations

import json
from typing import Any

import jsonschema
import pytest
from report_fixtures import CACHE, WEB, make_finding, make_report

from gitlab_report_fields import CODEQUALITY_SCHEMA
from gitwarden.findings import Severity
from gitwarden.report.gitlab_codequality import GitlabCodeQualityFormat


def render(findings: Any = None) -> list[dict[str, Any]]:
    report = make_report() if findings is None else make_report(findings)
    issues: list[dict[str, Any]] = json.loads(GitlabCodeQualityFormat().render(report))
    return issues


def test_validates_against_gitlabs_documented_fields() -> None:
    jsonschema.validate(render(), CODEQUALITY_SCHEMA)


def test_documented_fields_reject_an_issue_without_a_path() -> None:
    [issue, *_] = render()
    del issue["location"]["path"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate([issue], CODEQUALITY_SCHEMA)


def test_suppressed_findings_are_left_out() -> None:
    paths = [(issue["check_name"], issue["location"]["path"]) for issue in render()]
    assert ("host-path-volume", CACHE) not in paths
    assert ("privileged-container", WEB) in paths


@pytest.mark.parametrize(
    ("severity", "expected"),
    [
        (Severity.CRITICAL, "blocker"),
        (Severity.HIGH, "critical"),
        (Severity.MEDIUM, "major"),
        (Severity.LOW, "minor"),
        (Severity.INFO, "info"),
    ],
)
def test_severity_maps_to_gitlabs_scale(severity: Severity, expected: str) -> None:
    [issue] = render((make_finding(severity=severity),))
    assert issue["severity"] == expected


def test_location_is_the_repository_relative_path_and_line() -> None:
    [issue] = render((make_finding(file="./apps/a.yaml", line=7),))
    assert issue["location"] == {"path": "apps/a.yaml", "lines": {"begin": 7}}


def test_fingerprint_is_the_findings_own_and_unique() -> None:
    issues = render()
    fingerprints = [issue["fingerprint"] for issue in issues]
    assert len(set(fingerprints)) == len(issues)


def test_description_names_the_resource() -> None:
    [issue] = render((make_finding("tag is mutable", resource="Deployment/prod/web"),))
    assert issue["description"] == "tag is mutable (Deployment/prod/web)"


def test_empty_report_is_an_empty_array() -> None:
    assert render(()) == []
