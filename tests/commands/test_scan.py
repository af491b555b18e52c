"""`gitwarden.scan`: the library call, its equality with main's scanner, and run isolation."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path
from typing import Any

import pytest

import gitwarden
from gitwarden.commands.scan import ScanOptions, scan
from gitwarden.config import Config
from gitwarden.report import get_format
from gitwarden.sources.helm import helm_renderer_name
from gitwarden.sources.kustomize import find_kustomize

REPO = Path(__file__).resolve().parents[2]
MAIN_REPORTS = REPO / "tests" / "pipeline" / "main_reports"
CORPORA = Path("/work/shared/corpora")
# The day main's reports were produced: suppression expiry depends on it.
MAIN_REPORT_DAY = date(2026, 12, 1)
RENDERERS_PRESENT = find_kustomize() is not None and helm_renderer_name() is not None


def make_repo(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def json_report(target: Path) -> dict[str, Any]:
    report = scan(target, options=ScanOptions(today=MAIN_REPORT_DAY))
    parsed: dict[str, Any] = json.loads(get_format("json").render(report))
    return parsed


@pytest.mark.skipif(not RENDERERS_PRESENT, reason="main's reports were rendered with both")
@pytest.mark.parametrize(
    ("target", "fixture"),
    [
        (REPO / "examples" / "insecure-gitops", "insecure-gitops.json"),
        (CORPORA / "argocd-example-apps", "argocd-example-apps.json"),
    ],
)
def test_scan_reports_exactly_the_findings_of_mains_scanner(target: Path, fixture: str) -> None:
    if not target.is_dir():
        pytest.skip(f"{target} not present")
    expected = json.loads((MAIN_REPORTS / fixture).read_text())
    actual = json_report(target)
    assert actual["findings"] == expected["findings"]
    assert actual["summary"] == expected["summary"]


def test_package_scan_is_the_command() -> None:
    assert gitwarden.scan is scan
    assert gitwarden.ScanOptions is ScanOptions
    assert "scan" in gitwarden.__all__ and "ScanOptions" in gitwarden.__all__


def test_old_scanner_module_still_offers_the_command() -> None:
    from gitwarden import scanner

    assert (scanner.scan, scanner.ScanOptions) == (scan, ScanOptions)


PRIVILEGED_POD = """\
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop}
spec:
  containers:
    - name: web
      image: nginx:1.27
      securityContext: {privileged: true}
"""


@pytest.mark.parametrize(
    ("config", "reported"),
    [(None, True), (Config(disabled_rules=("pss-privileged",)), False)],
    ids=["repository-config", "disabled-by-the-given-config"],
)
def test_scan_obeys_the_config_it_is_given(
    tmp_path: Path, config: Config | None, reported: bool
) -> None:
    repo = make_repo(tmp_path, {"pod.yaml": PRIVILEGED_POD})
    ids = {f.rule_id for f in scan(repo, config).findings}
    assert ("pss-privileged" in ids) is reported


def test_scan_reads_the_targets_gitwarden_yaml_by_default(tmp_path: Path) -> None:
    repo = make_repo(
        tmp_path,
        {"pod.yaml": PRIVILEGED_POD, ".gitwarden.yaml": "disabled_rules: [pss-privileged]\n"},
    )
    assert "pss-privileged" not in {f.rule_id for f in scan(repo).findings}


# -- two scans in one process ------------------------------------------------------------

SOPS_REPO = {
    ".sops.yaml": "creation_rules:\n  - path_regex: secrets/.*\\.yaml$\n    age: age1xyz\n",
    "secrets/db.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: db}\ndata: {a: b}\n",
}
RBAC_REPO = {
    "rbac.yaml": """\
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: everything}
rules:
  - apiGroups: ["*"]
    resources: ["*"]
    verbs: ["*"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: everything}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: everything}
subjects:
  - {kind: ServiceAccount, name: deployer, namespace: ci}
""",
    "Dockerfile": 'FROM ubuntu:latest\nUSER 1000\nCMD ["sleep", "1"]\n',
}


def finding_keys(target: Path) -> set[tuple[str, str, int]]:
    report = scan(target, options=ScanOptions(secrets=False))
    return {(f.rule_id, f.location.file, f.location.line) for f in report.findings}


def test_concurrent_scans_each_see_only_their_own_repository(tmp_path: Path) -> None:
    sops_repo = make_repo(tmp_path / "sops", SOPS_REPO)
    rbac_repo = make_repo(tmp_path / "rbac", RBAC_REPO)
    alone = {repo: finding_keys(repo) for repo in (sops_repo, rbac_repo)}
    assert any(key[0] == "sops-file-not-encrypted" for key in alone[sops_repo])
    assert any(key[0] == "rbac-wildcard-verbs" for key in alone[rbac_repo])
    targets = [sops_repo, rbac_repo] * 4
    with ThreadPoolExecutor(max_workers=2) as pool:
        together = list(pool.map(finding_keys, targets))
    assert together == [alone[target] for target in targets]
