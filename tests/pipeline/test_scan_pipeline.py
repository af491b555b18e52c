"""The orchestrator: sources -> objects -> secrets, checks, policies -> de-duplicated findings."""

from __future__ import annotations

from pathlib import Path

import pytest
from pipeline_repos import make_repo

from gitwarden.commands.scan import ScanOptions
from gitwarden.config import Config
from gitwarden.pipeline.scan_pipeline import ScanResult, run_scan_pipeline
from gitwarden.sources.helm import helm_renderer_name
from secrets_values import GITHUB_TOKEN

PRIVILEGED_POD = (
    "apiVersion: v1\nkind: Pod\nmetadata: {name: web, namespace: shop}\n"
    "spec:\n  containers:\n    - name: web\n      image: nginx:1.27\n"
    "      securityContext: {privileged: true}\n"
)
REQUIRE_LABELS = """\
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata: {name: require-labels}
spec:
  rules:
    - name: check-for-labels
      match: {any: [{resources: {kinds: [Pod]}}]}
      validate:
        failureAction: Enforce
        message: "The label `app` is required."
        pattern: {metadata: {labels: {app: "?*"}}}
"""


def run(root: Path, **options: bool) -> ScanResult:
    return run_scan_pipeline(root.resolve(), Config(), ScanOptions(**options))


def rule_ids(result: ScanResult) -> set[str]:
    return {f.rule_id for f in result.findings}


@pytest.mark.parametrize("secrets", [True, False], ids=["secrets-on", "secrets-off"])
def test_secret_scanner_runs_only_when_asked(tmp_path: Path, secrets: bool) -> None:
    root = make_repo(tmp_path, {"notes.txt": f"token: {GITHUB_TOKEN}\n"})
    found = {f.location.file for f in run(root, secrets=secrets).findings}
    assert ("notes.txt" in found) is secrets


def test_checks_see_the_loaded_objects(tmp_path: Path) -> None:
    result = run(make_repo(tmp_path, {"pod.yaml": PRIVILEGED_POD}))
    assert [obj.resource for obj in result.objects] == ["Pod/shop/web"]
    assert "pss-privileged" in rule_ids(result)


def test_policy_findings_bring_their_rules(tmp_path: Path) -> None:
    files = {"pod.yaml": PRIVILEGED_POD, "policies/require-labels.yaml": REQUIRE_LABELS}
    result = run(make_repo(tmp_path, files))
    policy_ids = {i for i in rule_ids(result) if i.startswith("kyverno:")}
    assert policy_ids == {"kyverno:require-labels/check-for-labels"}
    assert policy_ids <= set(result.extra_rules)


@pytest.mark.skipif(helm_renderer_name() is None, reason="needs a Helm renderer")
def test_the_same_finding_through_two_values_variants_is_reported_once(tmp_path: Path) -> None:
    files = {
        "chart/Chart.yaml": "apiVersion: v2\nname: app\nversion: 1.0.0\n",
        "chart/values.yaml": "replicas: 1\n",
        "chart/values-prod.yaml": "replicas: 3\n",
        "chart/templates/pod.yaml": PRIVILEGED_POD,
    }
    result = run(make_repo(tmp_path, files))
    privileged = [f for f in result.findings if f.rule_id == "pss-privileged"]
    assert len(result.objects) == 2
    assert [f.location.origin for f in privileged] == ["helm chart"]


def test_single_file_is_scanned_without_repository_inputs(tmp_path: Path) -> None:
    root = make_repo(tmp_path, {"pod.yaml": PRIVILEGED_POD, "Dockerfile": "FROM ubuntu\n"})
    result = run(root / "pod.yaml")
    assert "pss-privileged" in rule_ids(result)
    assert not any(i.startswith("dockerfile-") for i in rule_ids(result))
    assert result.files_scanned == 1
