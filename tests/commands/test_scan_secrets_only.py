"""A secrets-only scan (`ScanOptions(manifests=False)`, `scan --only secrets`): secret
detection alone, for the `gitwarden-secrets` pre-commit hook."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gitwarden.cli import EXIT_USAGE, main
from gitwarden.commands.scan import ScanOptions, scan
from gitwarden.errors import UsageError
from repo_files import make_repo
from secrets_values import GITHUB_TOKEN

PRIVILEGED_POD = """\
apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
    - name: web
      image: nginx:1.27
      securityContext:
        privileged: true
"""
SECRET_RULE = "github-personal-access-token"


@pytest.mark.parametrize(
    ("manifests", "reports_pod"),
    [(True, True), (False, False)],
    ids=["full-scan-reports-the-pod", "secrets-only-leaves-it"],
)
def test_secrets_only_scan_judges_no_manifest(
    tmp_path: Path, manifests: bool, reports_pod: bool
) -> None:
    root = make_repo(tmp_path, {"apps/pod.yaml": PRIVILEGED_POD})

    report = scan(root, None, ScanOptions(manifests=manifests))

    assert any(f.rule_id == "pss-privileged" for f in report.findings) is reports_pod


def test_secrets_only_scan_still_finds_a_secret(tmp_path: Path) -> None:
    root = make_repo(
        tmp_path, {"apps/pod.yaml": PRIVILEGED_POD, "deploy.env": f"TOKEN={GITHUB_TOKEN}\n"}
    )

    report = scan(root, None, ScanOptions(manifests=False, render=False))

    assert {f.rule_id for f in report.findings} == {SECRET_RULE}
    assert not report.passed


def test_turning_off_both_scanners_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="nothing to scan"):
        scan(tmp_path, None, ScanOptions(manifests=False, secrets=False))


@pytest.mark.parametrize(
    ("only", "rule", "absent"),
    [("secrets", SECRET_RULE, "pss-privileged"), ("manifests", "pss-privileged", SECRET_RULE)],
    ids=["only-secrets", "only-manifests"],
)
def test_only_runs_the_named_scanner(tmp_path: Path, only: str, rule: str, absent: str) -> None:
    root = make_repo(
        tmp_path / "repo", {"apps/pod.yaml": PRIVILEGED_POD, "deploy.env": f"T={GITHUB_TOKEN}\n"}
    )
    out = tmp_path / "report.json"

    main(["scan", str(root), "--only", only, "--format", "json", "--output", str(out)])

    found = {f["rule"] for f in json.loads(out.read_text())["findings"]}
    assert rule in found
    assert absent not in found


def test_only_secrets_with_no_secrets_is_a_usage_error(tmp_path: Path) -> None:
    assert main(["scan", str(tmp_path), "--only", "secrets", "--no-secrets"]) == EXIT_USAGE


def test_a_secrets_only_scan_counts_the_files_it_read(tmp_path: Path) -> None:
    root = make_repo(tmp_path, {"deploy.env": "GREETING=hello\n", "notes.txt": "hello\n"})

    report = scan(root, None, ScanOptions(manifests=False, render=False))

    assert report.files_scanned == 2
