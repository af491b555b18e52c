"""Policies in a whole scan: sources (config, command line, the repository), suppressions,
reports and the gate."""

from __future__ import annotations

from pathlib import Path

import pytest
from policy_fixtures import write_files

from gitwarden.cli.main import main
from gitwarden.commands.scan import ScanOptions, scan
from gitwarden.config import parse_config
from gitwarden.errors import ConfigError, UsageError
from gitwarden.policy.sources import PolicySource

DEPLOYMENT = """
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: web
      namespace: shop
    spec:
      replicas: 7
      template:
        spec:
          containers:
            - name: web
              image: ghcr.io/example/web:1.0
"""

OWNER_POLICY = """
    package main
    import rego.v1

    deny contains msg if {
      input.kind == "Deployment"
      not input.metadata.labels.owner
      msg := sprintf("%s has no owner label", [input.metadata.name])
    }
"""

REPLICAS_VAP = """
    apiVersion: admissionregistration.k8s.io/v1
    kind: ValidatingAdmissionPolicy
    metadata:
      name: max-replicas
    spec:
      matchConstraints:
        resourceRules:
        - apiGroups: ["apps"]
          apiVersions: ["v1"]
          operations: ["CREATE", "UPDATE"]
          resources: ["deployments"]
      validations:
        - expression: "object.spec.replicas <= 5"
          message: "at most 5 replicas"
"""


def policy_rules(report_findings: object) -> list[str]:
    return sorted(
        f.rule_id
        for f in report_findings  # type: ignore[attr-defined]
        if f.rule_id.startswith(("rego:", "vap:", "kyverno:", "policy-"))
    )


def test_config_policies_are_evaluated(tmp_path: Path) -> None:
    repo = write_files(
        tmp_path,
        {
            "apps/web.yaml": DEPLOYMENT,
            "policies/owner.rego": OWNER_POLICY,
            ".gitwarden.yaml": "policies: [policies]\n",
        },
    )
    assert policy_rules(scan(repo).findings) == ["rego:main/deny"]


def test_command_line_policies_are_evaluated(tmp_path: Path) -> None:
    repo = write_files(tmp_path / "repo", {"web.yaml": DEPLOYMENT})
    policies = write_files(tmp_path / "org-policies", {"owner.rego": OWNER_POLICY})
    options = ScanOptions(policies=(PolicySource(str(policies)),))
    report = scan(repo, options=options)
    assert policy_rules(report.findings) == ["rego:main/deny"]


def test_admission_policy_in_the_repository_is_applied_without_config(tmp_path: Path) -> None:
    repo = write_files(tmp_path, {"web.yaml": DEPLOYMENT, "admission/vap.yaml": REPLICAS_VAP})
    assert policy_rules(scan(repo).findings) == ["vap:max-replicas"]


def test_policy_folder_inside_the_repository_is_not_applied_twice(tmp_path: Path) -> None:
    repo = write_files(
        tmp_path,
        {
            "web.yaml": DEPLOYMENT,
            "policies/vap.yaml": REPLICAS_VAP,
            ".gitwarden.yaml": "policies: [policies]\n",
        },
    )
    assert policy_rules(scan(repo).findings) == ["vap:max-replicas"]


def test_policy_findings_obey_annotation_suppressions(tmp_path: Path) -> None:
    suppressed = DEPLOYMENT.replace(
        "      namespace: shop\n",
        "      namespace: shop\n"
        "      annotations:\n"
        '        gitwarden.io/ignore: "vap:max-replicas -- batch job needs 7 (OPS-1)"\n',
    )
    repo = write_files(tmp_path, {"web.yaml": suppressed, "vap.yaml": REPLICAS_VAP})
    [finding] = [f for f in scan(repo).findings if f.rule_id == "vap:max-replicas"]
    assert finding.suppression is not None
    assert finding.suppression.source == "annotation"


def test_policy_findings_obey_config_suppressions(tmp_path: Path) -> None:
    config = (
        "policies: [policies]\n"
        "suppressions:\n"
        "  - rule: 'rego:main/*'\n"
        "    reason: owner labels are added by the platform (PLAT-3)\n"
    )
    repo = write_files(
        tmp_path,
        {"web.yaml": DEPLOYMENT, "policies/owner.rego": OWNER_POLICY, ".gitwarden.yaml": config},
    )
    [finding] = [f for f in scan(repo).findings if f.rule_id == "rego:main/deny"]
    assert finding.suppressed


def test_policy_rule_ids_are_accepted_in_severity_overrides() -> None:
    config = parse_config("severity_overrides:\n  'rego:main/deny': low\n", ".gitwarden.yaml")
    assert "rego:main/deny" in config.severity_overrides


def test_broken_policy_is_reported_at_its_file(tmp_path: Path) -> None:
    repo = write_files(
        tmp_path,
        {
            "web.yaml": DEPLOYMENT.replace("replicas: 7", "replicas: 1"),
            "policies/broken.rego": "package main\ndeny contains msg if {\n",
            ".gitwarden.yaml": "policies: [policies]\n",
        },
    )
    errors = [f for f in scan(repo).active if f.rule_id == "policy-error"]
    assert [e.location.file for e in errors] == ["policies/broken.rego"]


def test_broken_policy_is_at_the_default_gate(tmp_path: Path) -> None:
    repo = write_files(
        tmp_path,
        {
            "web.yaml": DEPLOYMENT.replace("replicas: 7", "replicas: 1"),
            "policies/broken.rego": "package main\ndeny contains msg if {\n",
            ".gitwarden.yaml": "policies: [policies]\n",
        },
    )
    assert any(f.rule_id == "policy-error" for f in scan(repo).failing)


@pytest.mark.parametrize("path", ["../elsewhere", "/etc"])
def test_config_refuses_policy_paths_outside_the_repository(path: str) -> None:
    with pytest.raises(ConfigError, match="inside the repository"):
        parse_config(f"policies: ['{path}']\n", ".gitwarden.yaml")


def test_missing_policy_folder_is_a_usage_error(tmp_path: Path) -> None:
    repo = write_files(tmp_path, {"web.yaml": DEPLOYMENT, ".gitwarden.yaml": "policies: [nope]\n"})
    with pytest.raises(UsageError, match="nope"):
        scan(repo)


def test_scan_command_takes_policy_folders(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = write_files(tmp_path / "repo", {"web.yaml": DEPLOYMENT})
    policies = write_files(tmp_path / "p", {"owner.rego": OWNER_POLICY.replace("main", "org")})
    code = main(
        ["scan", str(repo), "--policy", str(policies), "--policy-namespace", "org", "-f", "json"]
    )
    assert code == 1
    assert '"rule": "rego:org/deny"' in capsys.readouterr().out


def test_policy_rules_are_described_in_the_report(tmp_path: Path) -> None:
    repo = write_files(tmp_path, {"web.yaml": DEPLOYMENT, "vap.yaml": REPLICAS_VAP})
    report = scan(repo)
    assert report.rules["vap:max-replicas"].family == "policy"


def test_config_policy_folder_linking_out_of_the_repository_is_refused(tmp_path: Path) -> None:
    outside = write_files(tmp_path / "outside", {"owner.rego": OWNER_POLICY})
    repo = write_files(tmp_path / "repo", {"web.yaml": DEPLOYMENT, ".gitwarden.yaml": ""})
    (repo / ".gitwarden.yaml").write_text("policies: [linked]\n")
    (repo / "linked").symlink_to(outside)
    with pytest.raises(UsageError, match="symbolic link"):
        scan(repo)
