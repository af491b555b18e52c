from __future__ import annotations

from typing import Any

import pytest

from gitwarden.checks.network_policy import CHECKS, label_selector_matches
from gitwarden.findings import Finding, Severity
from k8s_fixtures import CORPORA, run

ARGO_CD_INSTALL = CORPORA / "argo-cd-manifests" / "install.yaml"


def deployment(name: str, namespace: str | None = "shop", app: str | None = None) -> str:
    metadata = f"name: {name}" + (f", namespace: {namespace}" if namespace else "")
    return f"""\
apiVersion: apps/v1
kind: Deployment
metadata: {{{metadata}}}
spec:
  selector: {{matchLabels: {{app: {app or name}}}}}
  template:
    metadata:
      labels: {{app: {app or name}, tier: web}}
    spec:
      containers: [{{name: app, image: nginx:1.27}}]
"""


def policy(pod_selector: str, namespace: str | None = "shop") -> str:
    metadata = "name: p" + (f", namespace: {namespace}" if namespace else "")
    return f"""\
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {{{metadata}}}
spec:
  podSelector: {pod_selector}
  policyTypes: [Ingress, Egress]
"""


NAMESPACE_SHOP = "apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n"


def documents(*parts: str) -> str:
    return "---\n".join(parts)


def only(findings: list[Finding]) -> Finding:
    assert len(findings) == 1, [f.message for f in findings]
    return findings[0]


FIRING = [
    pytest.param(documents(deployment("cart")), id="no-policy"),
    pytest.param(
        documents(deployment("cart"), policy("{matchLabels: {app: checkout}}")),
        id="match-labels-of-another-app",
    ),
    pytest.param(
        documents(deployment("cart"), policy("{}", namespace="other")),
        id="policy-in-another-namespace",
    ),
    pytest.param(
        documents(
            deployment("cart"),
            policy("{matchExpressions: [{key: app, operator: NotIn, values: [cart]}]}"),
        ),
        id="match-expressions-exclude",
    ),
    pytest.param(
        documents(
            deployment("cart"), policy("{matchLabels: {app: cart, tier: db}}", namespace="shop")
        ),
        id="match-labels-partly",
    ),
    pytest.param(
        documents(
            """\
apiVersion: batch/v1
kind: CronJob
metadata: {name: report, namespace: shop}
spec:
  schedule: "@daily"
  jobTemplate:
    spec:
      template:
        metadata: {labels: {app: report}}
        spec:
          containers: [{name: report, image: busybox:1.36}]
""",
            policy("{matchLabels: {app: cart}}"),
        ),
        id="cronjob-pod-template",
    ),
]

SILENT = [
    pytest.param(documents(deployment("cart"), policy("{}")), id="empty-pod-selector"),
    pytest.param(
        documents(deployment("cart"), policy("{matchLabels: {app: cart}}")), id="match-labels"
    ),
    pytest.param(
        documents(
            deployment("cart"),
            policy("{matchExpressions: [{key: app, operator: In, values: [cart, web]}]}"),
        ),
        id="match-expressions-in",
    ),
    pytest.param(
        documents(
            deployment("cart"),
            policy("{matchExpressions: [{key: tier, operator: Exists}]}"),
        ),
        id="match-expressions-exists",
    ),
    pytest.param(
        documents(deployment("cart", namespace=None), policy("{}", namespace=None)),
        id="both-without-namespace",
    ),
    pytest.param(
        documents(deployment("cart", namespace=None), policy("{}", namespace="default")),
        id="no-namespace-is-default",
    ),
    pytest.param(
        documents(
            """\
apiVersion: v1
kind: Pod
metadata: {name: node-agent, namespace: shop}
spec:
  hostNetwork: true
  containers: [{name: agent, image: busybox:1.36}]
"""
        ),
        id="host-network-pod",
    ),
    pytest.param(
        documents(NAMESPACE_SHOP, "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n"),
        id="no-workloads",
    ),
]


@pytest.mark.parametrize("manifest", FIRING)
def test_unselected_workloads_fire(manifest: str) -> None:
    finding = only(run(CHECKS, manifest))
    assert finding.rule_id == "netpol-workloads-not-isolated"
    assert finding.severity == Severity.MEDIUM


@pytest.mark.parametrize("manifest", SILENT)
def test_selected_or_absent_workloads_are_silent(manifest: str) -> None:
    assert run(CHECKS, manifest) == []


def test_rule_metadata_is_complete() -> None:
    (check,) = CHECKS
    assert check.rule.id.startswith("netpol-")
    assert check.rule.family == "network-policy"
    assert check.rule.title and check.rule.rationale and check.rule.remediation
    assert check.rule.references


def test_one_finding_per_namespace_at_the_namespace_object() -> None:
    manifest = documents(
        deployment("cart"),
        NAMESPACE_SHOP,
        deployment("checkout"),
        deployment("search", app="cart"),
        policy("{matchLabels: {app: checkout}}"),
    )
    finding = only(run(CHECKS, manifest))
    assert finding.location.resource == "Namespace/shop"
    assert finding.location.line == 12
    assert finding.details["workloads"] == "Deployment/shop/cart, Deployment/shop/search"
    assert "Deployment/shop/checkout" not in finding.message
    assert "podSelector: {}" in finding.message


def test_without_namespace_object_the_first_unselected_workload_carries_it() -> None:
    manifest = documents(deployment("cart"), deployment("checkout"))
    location = only(run(CHECKS, manifest)).location
    assert (location.resource, location.line) == ("Deployment/shop/cart", 1)


def test_each_namespace_gets_its_own_finding() -> None:
    manifest = documents(deployment("cart"), deployment("api", namespace="backend"))
    findings = run(CHECKS, manifest)
    assert sorted(f.details["namespace"] for f in findings) == ["backend", "shop"]


def test_workloads_without_namespace_are_reported_under_default() -> None:
    finding = only(run(CHECKS, deployment("cart", namespace=None)))
    assert finding.details["namespace"] == "default"


@pytest.mark.parametrize(
    ("selector", "labels", "selected"),
    [
        ({}, {}, True),
        (None, {"app": "a"}, True),
        ({"matchLabels": {"app": "a"}}, {"app": "a", "x": "y"}, True),
        ({"matchLabels": {"app": "a"}}, {"app": "b"}, False),
        ({"matchExpressions": [{"key": "app", "operator": "In", "values": ["a"]}]}, {}, False),
        ({"matchExpressions": [{"key": "app", "operator": "NotIn", "values": ["a"]}]}, {}, True),
        ({"matchExpressions": [{"key": "app", "operator": "DoesNotExist"}]}, {"app": "a"}, False),
        ({"matchExpressions": [{"key": "app", "operator": "Like", "values": ["a"]}]}, {}, False),
        ("not-a-selector", {}, False),
    ],
)
def test_label_selector_semantics(selector: Any, labels: dict[str, str], selected: bool) -> None:
    assert label_selector_matches(selector, labels) is selected


@pytest.mark.skipif(not ARGO_CD_INSTALL.is_file(), reason="corpora not available")
def test_argo_cd_install_selects_every_workload() -> None:
    # Argo CD ships one NetworkPolicy per component, selecting it by app.kubernetes.io/name.
    assert run(CHECKS, ARGO_CD_INSTALL.read_text(), file=str(ARGO_CD_INSTALL)) == []
