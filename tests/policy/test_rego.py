"""Rego policies, conftest style: real policies, each firing and silent; broken ones reported."""

from __future__ import annotations

from pathlib import Path

import pytest
from policy_fixtures import evaluate, rule_ids

from gitwarden.findings import Severity

DEPLOYMENT_WITHOUT_OWNER = """
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: web
      namespace: shop
    spec:
      template:
        spec:
          containers:
            - name: web
              image: nginx:1.27
"""

DEPLOYMENT_WITH_OWNER = """
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: web
      namespace: shop
      labels:
        owner: team-shop
    spec:
      template:
        spec:
          containers:
            - name: web
              image: ghcr.io/example/web:1.0
"""

# The shape of conftest's own examples (Rego v0, as most conftest policies still are).
CONFTEST_V0 = """
    package main

    deny[msg] {
      input.kind == "Deployment"
      not input.metadata.labels.owner
      msg := sprintf("Deployment %s must have an owner label", [input.metadata.name])
    }
"""

# Rego v1 with conftest's structured messages.
STRUCTURED_V1 = """
    package main

    import rego.v1

    violation contains {"msg": msg, "severity": "critical", "id": "IMG-1", "ticket": "SEC-9"} if {
      some container in input.spec.template.spec.containers
      not startswith(container.image, "ghcr.io/example/")
      msg := sprintf("image %s is not from ghcr.io/example", [container.image])
    }
"""

WARN_RULE = """
    package main
    import rego.v1

    warn contains msg if {
      input.kind == "Deployment"
      not input.spec.replicas
      msg := "replicas not set"
    }
"""


@pytest.mark.parametrize(
    ("policy", "rule"),
    [(CONFTEST_V0, "rego:main/deny"), (STRUCTURED_V1, "rego:main/IMG-1")],
)
def test_rego_deny_fires_on_a_breaking_object(tmp_path: Path, policy: str, rule: str) -> None:
    findings = evaluate(tmp_path, DEPLOYMENT_WITHOUT_OWNER, {"policy.rego": policy})
    assert rule_ids(findings) == [rule]


@pytest.mark.parametrize("policy", [CONFTEST_V0, STRUCTURED_V1])
def test_rego_deny_is_silent_on_a_compliant_object(tmp_path: Path, policy: str) -> None:
    assert evaluate(tmp_path, DEPLOYMENT_WITH_OWNER, {"policy.rego": policy}) == []


def test_rego_finding_is_located_at_the_object(tmp_path: Path) -> None:
    [finding] = evaluate(tmp_path, DEPLOYMENT_WITHOUT_OWNER, {"policy.rego": CONFTEST_V0})
    assert finding.message == "Deployment web must have an owner label"
    # The text starts with a blank line: the object starts on line 2.
    assert (finding.location.file, finding.location.line) == ("manifest.yaml", 2)
    assert finding.location.resource == "Deployment/shop/web"
    assert finding.severity is Severity.HIGH


def test_rego_message_metadata_sets_severity_and_details(tmp_path: Path) -> None:
    [finding] = evaluate(tmp_path, DEPLOYMENT_WITHOUT_OWNER, {"policy.rego": STRUCTURED_V1})
    assert finding.severity is Severity.CRITICAL
    assert finding.details["ticket"] == "SEC-9"
    assert finding.message == "image nginx:1.27 is not from ghcr.io/example"


def test_rego_warn_is_medium(tmp_path: Path) -> None:
    [finding] = evaluate(tmp_path, DEPLOYMENT_WITHOUT_OWNER, {"warn.rego": WARN_RULE})
    assert (finding.rule_id, finding.severity) == ("rego:main/warn", Severity.MEDIUM)


def test_rego_prefixed_deny_rules_are_queried(tmp_path: Path) -> None:
    policy = CONFTEST_V0.replace("deny[msg]", "deny_owner[msg]")
    findings = evaluate(tmp_path, DEPLOYMENT_WITHOUT_OWNER, {"p.rego": policy})
    assert rule_ids(findings) == ["rego:main/deny_owner"]


def test_rego_exception_suppresses_the_named_rule(tmp_path: Path) -> None:
    policy = CONFTEST_V0.replace("deny[msg]", "deny_owner[msg]") + (
        '\nexception[rules] {\n  input.metadata.name == "web"\n  rules := ["owner"]\n}\n'
    )
    [finding] = evaluate(tmp_path, DEPLOYMENT_WITHOUT_OWNER, {"p.rego": policy})
    assert finding.suppressed


def test_rego_other_packages_are_not_queried_by_default(tmp_path: Path) -> None:
    policy = CONFTEST_V0.replace("package main", "package kubernetes.owner")
    assert evaluate(tmp_path, DEPLOYMENT_WITHOUT_OWNER, {"p.rego": policy}) == []


def test_rego_chosen_namespace_is_queried(tmp_path: Path) -> None:
    policy = CONFTEST_V0.replace("package main", "package kubernetes.owner")
    findings = evaluate(
        tmp_path, DEPLOYMENT_WITHOUT_OWNER, {"p.rego": policy}, namespaces=("kubernetes.owner",)
    )
    assert rule_ids(findings) == ["rego:kubernetes.owner/deny"]


CROSS_OBJECT = """
    package main
    import rego.v1

    # Every namespace has a NetworkPolicy.
    deny contains msg if {
      input.kind == "Namespace"
      not has_network_policy(input.metadata.name)
      file := data.gitwarden.current.file
      msg := sprintf("namespace %s has no NetworkPolicy (%s)", [input.metadata.name, file])
    }

    has_network_policy(ns) if {
      some obj in data.gitwarden.objects
      obj.kind == "NetworkPolicy"
      obj.metadata.namespace == ns
    }
"""

NAMESPACES = """
    apiVersion: v1
    kind: Namespace
    metadata:
      name: shop
    ---
    apiVersion: v1
    kind: Namespace
    metadata:
      name: billing
    ---
    apiVersion: networking.k8s.io/v1
    kind: NetworkPolicy
    metadata:
      name: default-deny
      namespace: billing
    spec:
      podSelector: {}
"""


def test_rego_cross_object_rule_sees_every_object(tmp_path: Path) -> None:
    [finding] = evaluate(tmp_path, NAMESPACES, {"netpol.rego": CROSS_OBJECT})
    assert finding.location.resource == "Namespace/shop"
    assert finding.message == "namespace shop has no NetworkPolicy (manifest.yaml)"


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("package main\n\ndeny contains msg if {\n  input.kind ==\n}\n", 5),
        ("package main\ndeny[msg] { true; msg := 1 }\nwarn contains x if { x := 2 }\n", 2),
    ],
    ids=["syntax-error", "mixed-v0-v1"],
)
def test_broken_rego_is_a_policy_error_at_its_line(tmp_path: Path, text: str, line: int) -> None:
    findings = evaluate(tmp_path, DEPLOYMENT_WITHOUT_OWNER, {"broken.rego": text})
    [error] = findings
    assert error.rule_id == "policy-error"
    assert error.severity is Severity.HIGH
    assert error.location.file.endswith("policies/broken.rego")
    assert error.location.line == line


def test_broken_rego_does_not_hide_other_policies(tmp_path: Path) -> None:
    findings = evaluate(
        tmp_path,
        DEPLOYMENT_WITHOUT_OWNER,
        {"a.rego": CONFTEST_V0, "broken.rego": "package main\ndeny contains x if {\n"},
    )
    assert rule_ids(findings) == ["policy-error", "rego:main/deny"]


def test_rego_runtime_error_is_a_policy_error(tmp_path: Path) -> None:
    policy = """
        package main
        import rego.v1

        deny contains msg if {
          replicas := to_number(input.metadata.name)
          replicas > 3
          msg := "too many"
        }
    """
    [error] = evaluate(tmp_path, DEPLOYMENT_WITHOUT_OWNER, {"runtime.rego": policy})
    assert error.rule_id == "policy-error"
    assert error.location.file.endswith("policies/runtime.rego")
    assert error.location.line == 6
    assert "Deployment/shop/web" in error.message


def test_network_calls_are_reported_unsupported(tmp_path: Path) -> None:
    policy = """
        package main
        import rego.v1

        deny contains "not approved" if {
          response := http.send({"method": "get", "url": "https://approvals.example.com"})
          response.status_code != 200
        }
    """
    [finding] = evaluate(tmp_path, DEPLOYMENT_WITHOUT_OWNER, {"net.rego": policy})
    assert finding.rule_id == "policy-unsupported"
    assert finding.location.line == 6
