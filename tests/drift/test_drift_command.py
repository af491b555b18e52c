"""`gitwarden.drift(target, config, options)`: the library command over dumps and the API."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from pytest_httpserver import HTTPServer

import gitwarden
from drift.gitops_repo import SECRET, gitops_repo, with_config
from drift.kube_api_server import RESPONSES, serve_recorded_cluster
from gitwarden.commands.drift import DriftOptions, drift
from gitwarden.errors import UsageError
from gitwarden.findings import Severity
from gitwarden.sources.live_state import LiveStateError

KUBECTL_YAML = RESPONSES / "kubectl_get_shop.yaml"


def scaled_dump(tmp_path: Path, replicas: int) -> Path:
    dump = yaml.safe_load(KUBECTL_YAML.read_text())
    dump["items"][0]["spec"]["replicas"] = replicas
    path = tmp_path / "live.yaml"
    path.write_text(yaml.safe_dump(dump))
    return path


def test_a_cluster_as_git_declares_it_has_no_drift(tmp_path: Path) -> None:
    repo = gitops_repo(tmp_path / "repo")
    report = drift(repo, options=DriftOptions(live=KUBECTL_YAML, fail_on=Severity.INFO))
    assert [f.rule_id for f in report.findings] == []


@pytest.mark.parametrize(("replicas", "passed"), [(2, True), (4, False)])
def test_drift_fails_the_report_at_or_above_fail_on(
    tmp_path: Path, replicas: int, passed: bool
) -> None:
    repo = gitops_repo(tmp_path / "repo")
    options = DriftOptions(live=scaled_dump(tmp_path, replicas), fail_on=Severity.MEDIUM)
    assert drift(repo, options=options).passed is passed


def test_the_config_disabled_rules_are_obeyed(tmp_path: Path) -> None:
    repo = with_config(gitops_repo(tmp_path / "repo"), "disabled_rules: [drift-field-changed]\n")
    report = drift(repo, options=DriftOptions(live=scaled_dump(tmp_path, 4)))
    assert [f.rule_id for f in report.findings if not f.suppressed] == []


def test_the_library_exports_drift() -> None:
    assert gitwarden.drift is drift
    assert gitwarden.DriftOptions is DriftOptions


def test_an_unreadable_dump_is_an_error_not_no_drift(tmp_path: Path) -> None:
    repo = gitops_repo(tmp_path / "repo")
    broken = tmp_path / "live.yaml"
    broken.write_text("items: [")
    with pytest.raises(LiveStateError):
        drift(repo, options=DriftOptions(live=broken))


def test_an_environment_that_is_not_configured_is_a_usage_error(tmp_path: Path) -> None:
    repo = gitops_repo(tmp_path / "repo")
    with pytest.raises(UsageError, match="staging"):
        drift(repo, options=DriftOptions(live=KUBECTL_YAML, environment="staging"))


def api_report(repo: Path, kubeconfig: Path) -> gitwarden.Report:
    return drift(repo, options=DriftOptions(kubeconfig=kubeconfig, context="prod"))


@pytest.fixture
def api_findings(tmp_path: Path, kube_api: HTTPServer, kubeconfig: Path) -> list[tuple[str, str]]:
    serve_recorded_cluster(kube_api)
    repo = gitops_repo(tmp_path / "repo", {"apps/secret.yaml": SECRET})
    # The Service is declared but no list of Services was asked for in the recording.
    report = api_report(repo, kubeconfig)
    return sorted((f.rule_id, f.location.resource or "") for f in report.findings)


def test_over_the_api_a_hand_set_privileged_flag_is_security_drift(
    api_findings: list[tuple[str, str]],
) -> None:
    assert ("drift-security-field-changed", "Deployment/shop/web") in api_findings


def test_over_the_api_a_hand_made_deployment_is_unmanaged(
    api_findings: list[tuple[str, str]],
) -> None:
    assert ("drift-unmanaged", "Deployment/shop/debug-shell") in api_findings


def test_over_the_api_a_forbidden_kind_is_reported_not_silent(
    api_findings: list[tuple[str, str]],
) -> None:
    assert ("drift-not-compared", "ClusterRoleBinding") in api_findings


def test_over_the_api_every_finding_is_accounted_for(
    api_findings: list[tuple[str, str]],
) -> None:
    # The secret compares silently (metadata only); the defaulted imagePullPolicy that
    # kubectl-edit owns stays silent; Services were not served by the recording.
    assert api_findings == [
        ("drift-not-compared", "ClusterRoleBinding"),
        ("drift-not-compared", "Service"),
        ("drift-security-field-changed", "Deployment/shop/web"),
        ("drift-unmanaged", "Deployment/shop/debug-shell"),
    ]


def test_a_declared_object_outside_the_environment_is_listed_not_called_missing(
    tmp_path: Path, kube_api: HTTPServer, kubeconfig: Path
) -> None:
    serve_recorded_cluster(kube_api)
    repo = gitops_repo(tmp_path / "repo", {"apps/secret.yaml": SECRET})
    options = DriftOptions(kubeconfig=kubeconfig, context="prod", namespaces=("payments",))
    for plural in ("pods", "secrets", "serviceaccounts"):
        kube_api.expect_request(f"/api/v1/namespaces/payments/{plural}").respond_with_json(
            {"kind": "List", "metadata": {}, "items": []}
        )
    for path in (
        "/apis/apps/v1/namespaces/payments/deployments",
        "/apis/rbac.authorization.k8s.io/v1/namespaces/payments/rolebindings",
    ):
        kube_api.expect_request(path).respond_with_json(
            {"kind": "List", "metadata": {}, "items": []}
        )
    report = drift(repo, options=options)
    assert "drift-missing" not in {f.rule_id for f in report.findings}
