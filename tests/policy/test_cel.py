"""ValidatingAdmissionPolicies from the Kubernetes documentation, evaluated offline.

The policies are the examples of https://kubernetes.io/docs/reference/access-authn-authz/
validating-admission-policy/ (demo-policy, replicalimit-policy with params, the variables
example), each firing and silent.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from policy_fixtures import evaluate, rule_ids

from gitwarden.findings import Severity

DEMO_POLICY = """
    apiVersion: admissionregistration.k8s.io/v1
    kind: ValidatingAdmissionPolicy
    metadata:
      name: "demo-policy.example.com"
    spec:
      failurePolicy: Fail
      matchConstraints:
        resourceRules:
        - apiGroups:   ["apps"]
          apiVersions: ["v1"]
          operations:  ["CREATE", "UPDATE"]
          resources:   ["deployments"]
      validations:
        - expression: "object.spec.replicas <= 5"
"""

DEMO_BINDING = """
    apiVersion: admissionregistration.k8s.io/v1
    kind: ValidatingAdmissionPolicyBinding
    metadata:
      name: "demo-binding-test.example.com"
    spec:
      policyName: "demo-policy.example.com"
      validationActions: [Deny]
      matchResources:
        namespaceSelector:
          matchLabels:
            environment: test
"""

REPLICA_LIMIT_POLICY = """
    apiVersion: admissionregistration.k8s.io/v1
    kind: ValidatingAdmissionPolicy
    metadata:
      name: "replicalimit-policy.example.com"
    spec:
      failurePolicy: Fail
      paramKind:
        apiVersion: rules.example.com/v1
        kind: ReplicaLimit
      matchConstraints:
        resourceRules:
        - apiGroups:   ["apps"]
          apiVersions: ["v1"]
          operations:  ["CREATE", "UPDATE"]
          resources:   ["deployments"]
      validations:
        - expression: "object.spec.replicas <= params.maxReplicas"
          messageExpression: "'object.spec.replicas must be no greater than ' + string(params.maxReplicas)"
          reason: Invalid
"""  # noqa: E501 (verbatim from the Kubernetes documentation)

REPLICA_LIMIT_BINDING = """
    apiVersion: admissionregistration.k8s.io/v1
    kind: ValidatingAdmissionPolicyBinding
    metadata:
      name: "replicalimit-binding-test.example.com"
    spec:
      policyName: "replicalimit-policy.example.com"
      validationActions: [Deny]
      paramRef:
        name: "replica-limit-test.example.com"
        namespace: "default"
        parameterNotFoundAction: Deny
      matchResources:
        namespaceSelector:
          matchLabels:
            environment: test
"""

REPLICA_LIMIT_PARAMS = """
    apiVersion: rules.example.com/v1
    kind: ReplicaLimit
    metadata:
      name: "replica-limit-test.example.com"
      namespace: "default"
    maxReplicas: 3
"""

VARIABLES_POLICY = """
    apiVersion: admissionregistration.k8s.io/v1
    kind: ValidatingAdmissionPolicy
    metadata:
      name: "image-matches-namespace-environment.policy.example.com"
    spec:
      failurePolicy: Fail
      matchConstraints:
        resourceRules:
        - apiGroups:   ["apps"]
          apiVersions: ["v1"]
          operations:  ["CREATE", "UPDATE"]
          resources:   ["deployments"]
      variables:
      - name: environment
        expression: "'environment' in namespaceObject.metadata.labels ? namespaceObject.metadata.labels['environment'] : 'prod'"
      - name: exempt
        expression: "'exempt' in object.metadata.labels && object.metadata.labels['exempt'] == 'true'"
      - name: containers
        expression: "object.spec.template.spec.containers"
      - name: containersToCheck
        expression: "variables.containers.filter(c, c.image.contains('example.com/'))"
      validations:
      - expression: "variables.exempt || variables.containersToCheck.all(c, c.image.startsWith(variables.environment + '.'))"
        messageExpression: "'only ' + variables.environment + ' images are allowed in namespace ' + namespaceObject.metadata.name"
"""  # noqa: E501 (verbatim from the Kubernetes documentation)


def deployment(replicas: int, namespace: str = "shop", image: str = "nginx:1.27") -> str:
    return f"""
    apiVersion: v1
    kind: Namespace
    metadata:
      name: {namespace}
      labels:
        environment: test
    ---
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: web
      namespace: {namespace}
      labels:
        app: web
    spec:
      replicas: {replicas}
      template:
        spec:
          containers:
            - name: web
              image: {image}
    """


@pytest.mark.parametrize(("replicas", "expected"), [(7, ["vap:demo-policy.example.com"]), (3, [])])
def test_demo_policy_with_its_binding(tmp_path: Path, replicas: int, expected: list[str]) -> None:
    policies = {"policy.yaml": DEMO_POLICY, "binding.yaml": DEMO_BINDING}
    assert rule_ids(evaluate(tmp_path, deployment(replicas), policies)) == expected


def test_binding_namespace_selector_leaves_other_namespaces_alone(tmp_path: Path) -> None:
    manifests = deployment(7).replace("environment: test", "environment: prod")
    policies = {"policy.yaml": DEMO_POLICY, "binding.yaml": DEMO_BINDING}
    assert evaluate(tmp_path, manifests, policies) == []


def test_unbound_policy_is_applied_as_deny(tmp_path: Path) -> None:
    [finding] = evaluate(tmp_path, deployment(7), {"policy.yaml": DEMO_POLICY})
    assert finding.severity is Severity.HIGH
    assert finding.message == "failed expression: object.spec.replicas <= 5"
    assert finding.location.resource == "Deployment/shop/web"


@pytest.mark.parametrize(
    ("action", "severity"), [("Warn", Severity.MEDIUM), ("Audit", Severity.LOW)]
)
def test_validation_actions_set_the_severity(
    tmp_path: Path, action: str, severity: Severity
) -> None:
    binding = DEMO_BINDING.replace("[Deny]", f"[{action}]")
    policies = {"policy.yaml": DEMO_POLICY, "binding.yaml": binding}
    [finding] = evaluate(tmp_path, deployment(7), policies)
    assert finding.severity is severity


@pytest.mark.parametrize(
    ("replicas", "expected"), [(5, ["vap:replicalimit-policy.example.com"]), (3, [])]
)
def test_replica_limit_policy_reads_its_params(
    tmp_path: Path, replicas: int, expected: list[str]
) -> None:
    policies = {
        "policy.yaml": REPLICA_LIMIT_POLICY,
        "binding.yaml": REPLICA_LIMIT_BINDING,
        "params.yaml": REPLICA_LIMIT_PARAMS,
    }
    assert rule_ids(evaluate(tmp_path, deployment(replicas), policies)) == expected


def test_message_expression_builds_the_message(tmp_path: Path) -> None:
    policies = {
        "policy.yaml": REPLICA_LIMIT_POLICY,
        "binding.yaml": REPLICA_LIMIT_BINDING,
        "params.yaml": REPLICA_LIMIT_PARAMS,
    }
    [finding] = evaluate(tmp_path, deployment(5), policies)
    assert finding.message == "object.spec.replicas must be no greater than 3"


def test_missing_params_are_reported_not_passed(tmp_path: Path) -> None:
    policies = {"policy.yaml": REPLICA_LIMIT_POLICY, "binding.yaml": REPLICA_LIMIT_BINDING}
    [finding] = evaluate(tmp_path, deployment(5), policies)
    assert finding.rule_id == "policy-params-missing"
    assert finding.severity is Severity.HIGH


@pytest.mark.parametrize(
    ("image", "expected"),
    [
        ("prod.example.com/web:1", ["vap:image-matches-namespace-environment.policy.example.com"]),
        ("test.example.com/web:1", []),
    ],
)
def test_variables_policy(tmp_path: Path, image: str, expected: list[str]) -> None:
    findings = evaluate(tmp_path, deployment(1, image=image), {"policy.yaml": VARIABLES_POLICY})
    assert rule_ids(findings) == expected


def test_variables_policy_message(tmp_path: Path) -> None:
    manifests = deployment(1, image="prod.example.com/web:1")
    [finding] = evaluate(tmp_path, manifests, {"policy.yaml": VARIABLES_POLICY})
    assert finding.message == "only test images are allowed in namespace shop"


def test_policy_only_applies_to_matched_resources(tmp_path: Path) -> None:
    manifests = """
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: settings
        data:
          replicas: "9"
    """
    assert evaluate(tmp_path, manifests, {"policy.yaml": DEMO_POLICY}) == []


MATCH_CONDITION = """
    apiVersion: admissionregistration.k8s.io/v1
    kind: ValidatingAdmissionPolicy
    metadata:
      name: "demo-policy.example.com"
    spec:
      matchConstraints:
        resourceRules:
        - apiGroups:   ["apps"]
          apiVersions: ["v1"]
          operations:  ["CREATE", "UPDATE"]
          resources:   ["deployments"]
      matchConditions:
        - name: 'only-checked'
          expression: "'checked' in object.metadata.labels"
      validations:
        - expression: "object.spec.replicas <= 5"
"""


def test_match_conditions_skip_objects(tmp_path: Path) -> None:
    policy = MATCH_CONDITION
    assert evaluate(tmp_path, deployment(7), {"policy.yaml": policy}) == []


def test_kubernetes_string_functions_are_available(tmp_path: Path) -> None:
    policy = DEMO_POLICY.replace(
        '"object.spec.replicas <= 5"', "\"object.metadata.name.upperAscii() != 'WEB'\""
    )
    assert rule_ids(evaluate(tmp_path, deployment(1), {"p.yaml": policy})) == [
        "vap:demo-policy.example.com"
    ]


def test_expression_that_does_not_compile_is_a_policy_error(tmp_path: Path) -> None:
    policy = DEMO_POLICY.replace('"object.spec.replicas <= 5"', '"object.spec.replicas <="')
    [error] = evaluate(tmp_path, deployment(7), {"broken.yaml": policy})
    assert error.rule_id == "policy-error"
    assert error.location.file.endswith("policies/broken.yaml")
    assert error.location.line == 15
    assert error.location.field_path == "spec.validations[0].expression"


def test_expression_failing_at_runtime_is_a_policy_error(tmp_path: Path) -> None:
    policy = DEMO_POLICY.replace('"object.spec.replicas <= 5"', '"object.spec.paused == false"')
    [error] = evaluate(tmp_path, deployment(7), {"runtime.yaml": policy})
    assert error.rule_id == "policy-error"
    assert "Deployment/shop/web" in error.message


def test_authorizer_checks_are_reported_unsupported(tmp_path: Path) -> None:
    policy = DEMO_POLICY.replace(
        '"object.spec.replicas <= 5"',
        "\"authorizer.requestResource.check('update').allowed()\"",
    )
    [finding] = evaluate(tmp_path, deployment(7), {"p.yaml": policy})
    assert finding.rule_id == "policy-unsupported"


def test_match_conditions_let_matching_objects_through(tmp_path: Path) -> None:
    manifests = deployment(7).replace("app: web", "app: web\n        checked: 'yes'")
    findings = evaluate(tmp_path, manifests, {"policy.yaml": MATCH_CONDITION})
    assert rule_ids(findings) == ["vap:demo-policy.example.com"]
