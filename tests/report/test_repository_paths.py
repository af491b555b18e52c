"""A subfolder of a repository is scanned: every format names files from the repository root."""

from __future__ import annotations

import json
import subprocess
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from test_sarif import load_schema

from gitwarden.commands.scan import ScanOptions, scan
from gitwarden.findings import Finding, Location, Severity
from gitwarden.report import get_format
from gitwarden.report.model import Report
from gitwarden.report.repository_paths import relative_to_repository, repository_root

PRIVILEGED_POD = """\
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: prod}
spec:
  containers:
    - name: web
      image: nginx@sha256:0000000000000000000000000000000000000000000000000000000000000000
      securityContext:
        privileged: true
"""
NESTED = "clusters/prod/pod.yaml"
OPTIONS = ScanOptions(render=False, secrets=False)


def make_repository(root: Path, config: str = "") -> Path:
    """A real Git repository with a privileged pod under clusters/prod."""
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    (root / "clusters" / "prod").mkdir(parents=True)
    (root / NESTED).write_text(PRIVILEGED_POD, encoding="utf-8")
    if config:
        (root / ".gitwarden.yaml").write_text(config, encoding="utf-8")
    return root


def privileged(report: Report) -> Finding:
    [finding] = [f for f in report.findings if f.rule_id == "pss-privileged"]
    return finding


def test_a_nested_scan_reports_paths_from_the_repository_root(tmp_path: Path) -> None:
    root = make_repository(tmp_path / "repo")
    report = scan(root / "clusters" / "prod", options=OPTIONS)
    assert privileged(report).location.file == NESTED
    assert report.source_root == str(root.resolve())


def test_a_scanned_file_is_named_from_the_repository_root(tmp_path: Path) -> None:
    root = make_repository(tmp_path / "repo")
    assert privileged(scan(root / NESTED, options=OPTIONS)).location.file == NESTED


def test_outside_a_repository_paths_stay_relative_to_the_target(tmp_path: Path) -> None:
    folder = tmp_path / "plain" / "clusters" / "prod"
    folder.mkdir(parents=True)
    (folder / "pod.yaml").write_text(PRIVILEGED_POD, encoding="utf-8")
    report = scan(folder, options=OPTIONS)
    assert privileged(report).location.file == "pod.yaml"
    assert report.source_root == str(folder.resolve())


def test_the_repository_root_config_applies_to_a_nested_scan(tmp_path: Path) -> None:
    root = make_repository(tmp_path / "repo", "disabled_rules: [pss-privileged]\n")
    report = scan(root / "clusters" / "prod", options=OPTIONS)
    assert "pss-privileged" not in {f.rule_id for f in report.findings}


def test_inline_ignore_comments_still_apply_in_a_nested_scan(tmp_path: Path) -> None:
    root = make_repository(tmp_path / "repo")
    text = PRIVILEGED_POD.replace(
        "        privileged: true",
        "        privileged: true  # gitwarden:ignore pss-privileged -- lab node, SEC-9",
    )
    (root / NESTED).write_text(text, encoding="utf-8")
    finding = privileged(scan(root / "clusters" / "prod", options=OPTIONS))
    assert finding.suppressed and finding.location.file == NESTED


def test_repository_root_is_found_by_its_git_entry(tmp_path: Path) -> None:
    root = make_repository(tmp_path / "repo")
    assert repository_root(root / "clusters" / "prod") == root.resolve()
    assert repository_root(tmp_path) is None


@pytest.mark.parametrize(
    ("file", "expected"),
    [
        ("pod.yaml", "clusters/prod/pod.yaml"),
        ("", "clusters/prod"),
        ("../base/app.yaml", "clusters/base/app.yaml"),
        ("../../../outside.yaml", "../../../outside.yaml"),
        ("/etc/passwd", "/etc/passwd"),
    ],
)
def test_each_path_is_joined_to_the_scanned_folder(
    tmp_path: Path, file: str, expected: str
) -> None:
    root = make_repository(tmp_path / "repo")
    finding = Finding("r", Severity.LOW, "t", "m", Location(file=file))
    report = Report(command="scan", target="clusters/prod", findings=(finding,))
    [rebased] = relative_to_repository(report, root / "clusters" / "prod").findings
    assert rebased.location.file == expected
    assert rebased.location == replace(finding.location, file=expected)


# -- every format ---------------------------------------------------------------------


@pytest.fixture
def nested_report(tmp_path: Path) -> Report:
    return scan(make_repository(tmp_path / "repo") / "clusters" / "prod", options=OPTIONS)


def rendered(report: Report, name: str) -> str:
    return get_format(name).render(report)


def sarif_uris(log: dict[str, Any]) -> set[tuple[str, str]]:
    return {
        (
            loc["physicalLocation"]["artifactLocation"]["uri"],
            loc["physicalLocation"]["artifactLocation"]["uriBaseId"],
        )
        for result in log["runs"][0]["results"]
        for loc in result["locations"]
    }


def test_sarif_uris_are_repository_paths_under_srcroot(nested_report: Report) -> None:
    log = json.loads(rendered(nested_report, "sarif"))
    assert sarif_uris(log) == {(NESTED, "%SRCROOT%")}
    base = log["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"]
    assert base == Path(nested_report.source_root or "").as_uri() + "/"


def test_sarif_of_a_nested_scan_validates_against_the_sarif_schema(nested_report: Report) -> None:
    log = json.loads(rendered(nested_report, "sarif"))
    errors = list(jsonschema.Draft4Validator(load_schema()).iter_errors(log))
    assert errors == []


def test_json_names_repository_paths(nested_report: Report) -> None:
    files = {f["file"] for f in json.loads(rendered(nested_report, "json"))["findings"]}
    assert files == {NESTED}


def test_junit_names_repository_paths(nested_report: Report) -> None:
    suites = ET.fromstring(rendered(nested_report, "junit")).iter("testsuite")
    assert {suite.get("name") for suite in suites} == {NESTED}


def test_gitlab_code_quality_names_repository_paths(nested_report: Report) -> None:
    entries = json.loads(rendered(nested_report, "gitlab-codequality"))
    assert {entry["location"]["path"] for entry in entries} == {NESTED}


def test_gitlab_sast_names_repository_paths(nested_report: Report) -> None:
    report = json.loads(rendered(nested_report, "gitlab-sast"))
    assert {v["location"]["file"] for v in report["vulnerabilities"]} == {NESTED}


@pytest.mark.parametrize("name", ["text", "markdown", "html"])
def test_human_formats_name_repository_paths(nested_report: Report, name: str) -> None:
    output = rendered(nested_report, name)
    assert NESTED in output
    assert output.count("pod.yaml") == output.count(NESTED)


def test_html_excerpts_are_read_from_the_repository_root(nested_report: Report) -> None:
    assert "privileged: true" in rendered(nested_report, "html")


@pytest.mark.parametrize(
    ("origin", "expected"),
    [
        ("kustomize overlays/prod", "kustomize clusters/prod/overlays/prod"),
        ("kustomize .", "kustomize clusters/prod"),
        ("helm charts/web (values-prod.yaml)", "helm clusters/prod/charts/web (values-prod.yaml)"),
        ("context prod (https://10.0.0.1)", "context prod (https://10.0.0.1)"),
    ],
)
def test_render_origins_name_their_folder_from_the_repository_root(
    tmp_path: Path, origin: str, expected: str
) -> None:
    root = make_repository(tmp_path / "repo")
    finding = Finding("r", Severity.LOW, "t", "m", Location(file="a.yaml", origin=origin))
    report = Report(command="scan", target="clusters/prod", findings=(finding,))
    [rebased] = relative_to_repository(report, root / "clusters" / "prod").findings
    assert rebased.location.origin == expected


@pytest.mark.parametrize(
    ("pattern", "suppressed"),
    [
        ("clusters/prod/pod.yaml", True),
        ("clusters/**", True),
        ("/pod.yaml", False),
        ("pod.yaml", True),
    ],
)
def test_root_config_paths_are_matched_from_the_config_folder_in_a_nested_scan(
    tmp_path: Path, pattern: str, suppressed: bool
) -> None:
    config = (
        "suppressions:\n"
        f"  - rule: pss-privileged\n    path: {json.dumps(pattern)}\n    reason: accepted\n"
    )
    root = make_repository(tmp_path / "repo", config)
    report = scan(root / "clusters" / "prod", options=OPTIONS)
    [finding] = [f for f in report.findings if f.rule_id == "pss-privileged"]
    assert finding.location.file == NESTED
    assert finding.suppressed is suppressed
