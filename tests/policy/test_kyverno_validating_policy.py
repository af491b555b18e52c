"""Kyverno ValidatingPolicy (policies.kyverno.io): CEL validations, autogen, what is unsupported."""

from __future__ import annotations

from pathlib import Path

import pytest
from policy_fixtures import evaluate, rule_ids

from gitwarden.findings import Severity

REQUIRE_LABEL = """
    apiVersion: policies.kyverno.io/v1alpha1
    kind: ValidatingPolicy
    metadata: {name: require-name-label}
    spec:
      validationActions: [{action}]
      matchConstraints:
        resourceRules:
          - apiGroups: [""]
            apiVersions: [v1]
            operations: [CREATE, UPDATE]
            resources: [pods]
{autogen}
      validations:
        - expression: "has(object.metadata.labels) && 'app' in object.metadata.labels"
          messageExpression: "'pod needs an app label'"
"""


def _policy(action: str = "Deny", autogen: str = "") -> dict[str, str]:
    return {"p.yaml": REQUIRE_LABEL.replace("{action}", action).replace("{autogen}", autogen)}


POD = """
    apiVersion: v1
    kind: Pod
    metadata: {name: p, labels: {LABELS}}
    spec: {containers: [{name: a, image: nginx}]}
"""
DEPLOYMENT = """
    apiVersion: apps/v1
    kind: Deployment
    metadata: {name: d}
    spec:
      template:
        metadata: {labels: {LABELS}}
        spec: {containers: [{name: a, image: nginx}]}
"""


@pytest.mark.parametrize(("labels", "fires"), [("{app: web}", False), ("{team: a}", True)])
def test_validation_fires_on_pods(tmp_path: Path, labels: str, fires: bool) -> None:
    findings = evaluate(tmp_path, POD.replace("{LABELS}", labels), _policy())
    assert rule_ids(findings) == (["kyverno:require-name-label"] if fires else [])
    if fires:
        assert findings[0].message == "pod needs an app label"
        assert findings[0].severity is Severity.HIGH


def test_audit_policy_takes_medium_severity(tmp_path: Path) -> None:
    [finding] = evaluate(tmp_path, POD.replace("{LABELS}", "{}"), _policy("Audit"))
    assert finding.severity is Severity.MEDIUM


@pytest.mark.parametrize(
    ("autogen", "fires"),
    [("", True), ("      autogen: {podControllers: {controllers: []}}", False)],
)
def test_pod_policy_checks_controller_templates_unless_autogen_is_off(
    tmp_path: Path, autogen: str, fires: bool
) -> None:
    findings = evaluate(tmp_path, DEPLOYMENT.replace("{LABELS}", "{}"), _policy(autogen=autogen))
    assert bool(findings) is fires


def test_cluster_lookups_are_unsupported(tmp_path: Path) -> None:
    policy = _policy()["p.yaml"].replace(
        "has(object.metadata.labels)", "resource.Get('v1', 'configmaps', 'ns', 'x') != null"
    )
    findings = evaluate(tmp_path, POD.replace("{LABELS}", "{}"), {"p.yaml": policy})
    assert rule_ids(findings) == ["policy-unsupported"]


def test_image_validating_policy_is_unsupported(tmp_path: Path) -> None:
    policy = """
    apiVersion: policies.kyverno.io/v1alpha1
    kind: ImageValidatingPolicy
    metadata: {name: signed}
    spec: {}
    """
    findings = evaluate(tmp_path, POD.replace("{LABELS}", "{}"), {"p.yaml": policy})
    assert rule_ids(findings) == ["policy-unsupported"]
