"""Gatekeeper templates and Constraints in a scan: findings, severities, errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from gatekeeper_fixtures import REQUIRED_LABELS_TEMPLATE, constraint, deployment
from policy_fixtures import evaluate, rule_ids

from gitwarden.findings import Severity


def test_violation_is_a_finding_named_after_the_constraint(tmp_path: Path) -> None:
    findings = evaluate(
        tmp_path, deployment(), {"t.yaml": REQUIRED_LABELS_TEMPLATE, "c.yaml": constraint()}
    )
    assert rule_ids(findings) == ["gatekeeper:K8sRequiredLabels/need-owner"]
    assert "you must provide labels" in findings[0].message
    assert findings[0].location.file == "manifest.yaml"
    assert findings[0].location.line == 2


def test_object_with_the_label_has_no_finding(tmp_path: Path) -> None:
    manifests = deployment(labels="{owner: shop-team}")
    findings = evaluate(
        tmp_path, manifests, {"t.yaml": REQUIRED_LABELS_TEMPLATE, "c.yaml": constraint()}
    )
    assert findings == []


@pytest.mark.parametrize(
    ("action", "severity"),
    [("deny", Severity.HIGH), ("warn", Severity.MEDIUM), ("dryrun", Severity.LOW)],
)
def test_severity_follows_enforcement_action(
    tmp_path: Path, action: str, severity: Severity
) -> None:
    policies = {"t.yaml": REQUIRED_LABELS_TEMPLATE, "c.yaml": constraint(action=action)}
    [finding] = evaluate(tmp_path, deployment(), policies)
    assert finding.severity is severity


def test_parameters_that_do_not_fit_the_schema_are_a_policy_error(tmp_path: Path) -> None:
    policies = {"t.yaml": REQUIRED_LABELS_TEMPLATE, "c.yaml": constraint(labels="owner")}
    findings = evaluate(tmp_path, deployment(), policies)
    assert rule_ids(findings) == ["policy-error"]
    assert "spec.parameters.labels" in findings[0].message


def test_constraint_without_template_is_a_policy_error(tmp_path: Path) -> None:
    findings = evaluate(tmp_path, deployment(), {"c.yaml": constraint()})
    assert rule_ids(findings) == ["policy-error"]
    assert "no ConstraintTemplate" in findings[0].message


def test_template_that_does_not_compile_is_a_policy_error(tmp_path: Path) -> None:
    broken = REQUIRED_LABELS_TEMPLATE.replace("count(missing) > 0", "count(missing) >")
    findings = evaluate(tmp_path, deployment(), {"t.yaml": broken, "c.yaml": constraint()})
    assert rule_ids(findings) == ["policy-error"]
    assert "does not compile" in findings[0].message


def test_template_calling_http_send_is_unsupported(tmp_path: Path) -> None:
    networked = REQUIRED_LABELS_TEMPLATE.replace(
        "count(missing) > 0", 'http.send({"method": "get", "url": "https://x"})'
    )
    findings = evaluate(tmp_path, deployment(), {"t.yaml": networked, "c.yaml": constraint()})
    assert rule_ids(findings) == ["policy-unsupported"]


@pytest.mark.parametrize(
    ("match", "fires"),
    [
        ("        excludedNamespaces: [shop]", False),
        ("        excludedNamespaces: [kube-*]", True),
        ("        namespaces: [sh*]", True),
        ("        namespaces: [billing]", False),
        ("        name: web", True),
        ("        name: api-*", False),
        ("        labelSelector: {matchLabels: {tier: front}}", False),
        ("        scope: Cluster", False),
    ],
)
def test_spec_match_selects_objects(tmp_path: Path, match: str, fires: bool) -> None:
    policies = {"t.yaml": REQUIRED_LABELS_TEMPLATE, "c.yaml": constraint(match=match)}
    assert bool(evaluate(tmp_path, deployment(), policies)) is fires


@pytest.mark.parametrize(("labels", "fires"), [("{env: prod}", True), ("{env: dev}", False)])
def test_namespace_selector_reads_repository_namespaces(
    tmp_path: Path, labels: str, fires: bool
) -> None:
    namespace = f"""
    apiVersion: v1
    kind: Namespace
    metadata: {{name: shop, labels: {labels}}}
    ---"""
    manifests = namespace + deployment()
    match = "        namespaceSelector: {matchLabels: {env: prod}}"
    policies = {"t.yaml": REQUIRED_LABELS_TEMPLATE, "c.yaml": constraint(match=match)}
    found = [f for f in evaluate(tmp_path, manifests, policies) if f.rule_id != "policy-error"]
    assert bool(found) is fires


UNIQUE_HOST_TEMPLATE = """
    apiVersion: templates.gatekeeper.sh/v1
    kind: ConstraintTemplate
    metadata:
      name: k8suniqueingresshost
    spec:
      crd:
        spec:
          names:
            kind: K8sUniqueIngressHost
      targets:
        - target: admission.k8s.gatekeeper.sh
          rego: |
            package k8suniqueingresshost

            identical(obj, review) {
              obj.metadata.namespace == review.object.metadata.namespace
              obj.metadata.name == review.object.metadata.name
            }

            violation[{"msg": msg}] {
              host := input.review.object.spec.rules[_].host
              other := data.inventory.namespace[_][_]["Ingress"][name]
              other.spec.rules[_].host == host
              not identical(other, input.review)
              msg := sprintf("ingress host conflicts with an existing ingress <%v>", [host])
            }
"""
UNIQUE_HOST = """
    apiVersion: constraints.gatekeeper.sh/v1beta1
    kind: K8sUniqueIngressHost
    metadata:
      name: unique-host
"""


def _ingress(name: str, host: str) -> str:
    return (
        "apiVersion: networking.k8s.io/v1\nkind: Ingress\n"
        f"metadata: {{name: {name}, namespace: shop}}\nspec: {{rules: [{{host: {host}}}]}}\n"
    )


@pytest.mark.parametrize(("second_host", "count"), [("a.example", 2), ("b.example", 0)])
def test_inventory_holds_the_repository_objects(
    tmp_path: Path, second_host: str, count: int
) -> None:
    manifests = _ingress("one", "a.example") + "---\n" + _ingress("two", second_host)
    policies = {"t.yaml": UNIQUE_HOST_TEMPLATE, "c.yaml": UNIQUE_HOST}
    assert len(evaluate(tmp_path, manifests, policies)) == count


CEL_TEMPLATE = """
    apiVersion: templates.gatekeeper.sh/v1
    kind: ConstraintTemplate
    metadata:
      name: k8smaxreplicas
    spec:
      crd:
        spec:
          names:
            kind: K8sMaxReplicas
          validation:
            openAPIV3Schema:
              type: object
              properties:
                max: {type: integer}
      targets:
        - target: admission.k8s.gatekeeper.sh
          code:
            - engine: K8sNativeValidation
              source:
                validations:
                  - expression: "object.spec.replicas <= variables.params.max"
                    message: "too many replicas"
"""


@pytest.mark.parametrize(("replicas", "fires"), [(5, True), (2, False)])
def test_cel_template_is_evaluated(tmp_path: Path, replicas: int, fires: bool) -> None:
    manifests = (
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\n"
        f"spec: {{replicas: {replicas}}}\n"
    )
    constraint_text = (
        "apiVersion: constraints.gatekeeper.sh/v1beta1\nkind: K8sMaxReplicas\n"
        "metadata: {name: at-most-three}\nspec: {parameters: {max: 3}}\n"
    )
    policies = {"t.yaml": CEL_TEMPLATE, "c.yaml": constraint_text}
    findings = evaluate(tmp_path, manifests, policies)
    assert rule_ids(findings) == (["gatekeeper:K8sMaxReplicas/at-most-three"] if fires else [])
