"""Kyverno's auto-generation targets: a policy for Pods judges the controllers' pod templates."""

from __future__ import annotations

from pathlib import Path

import pytest
from policy_fixtures import evaluate, rule_ids

from gitwarden.policy.kyverno_autogen import CEL_POD_TEMPLATES, POD_TEMPLATES, template_as_pod

CLUSTER_POLICY = """
    apiVersion: kyverno.io/v1
    kind: ClusterPolicy
    metadata: {name: require-app}
    spec:
      rules:
        - name: app-label
          match: {any: [{resources: {kinds: [Pod]}}]}
          validate:
            failureAction: Enforce
            message: "pods need an app label"
            pattern: {metadata: {labels: {app: "?*"}}}
"""
VALIDATING_POLICY = """
    apiVersion: policies.kyverno.io/v1alpha1
    kind: ValidatingPolicy
    metadata: {name: require-app}
    spec:
      matchConstraints:
        resourceRules:
          - {apiGroups: [""], apiVersions: [v1], operations: [CREATE], resources: [pods]}
      validations:
        - expression: "has(object.metadata.labels) && 'app' in object.metadata.labels"
"""
CONTROLLER = """
    apiVersion: {api_version}
    kind: {kind}
    metadata: {{name: c}}
    spec:
      template:
        metadata: {{labels: {{team: a}}}}
        spec: {{containers: [{{name: a, image: nginx}}]}}
"""


@pytest.mark.parametrize(
    ("policy", "kind", "api_version", "fires"),
    [
        (CLUSTER_POLICY, "Deployment", "apps/v1", True),
        (CLUSTER_POLICY, "ReplicationController", "v1", True),
        (VALIDATING_POLICY, "Deployment", "apps/v1", True),
        (VALIDATING_POLICY, "ReplicationController", "v1", False),
    ],
    ids=["policy-deployment", "policy-rc", "cel-deployment", "cel-rc"],
)
def test_pod_policy_judges_the_controllers_each_kind_generates_for(
    tmp_path: Path, policy: str, kind: str, api_version: str, fires: bool
) -> None:
    manifest = CONTROLLER.format(kind=kind, api_version=api_version)
    findings = evaluate(tmp_path, manifest, {"p.yaml": policy})
    assert bool([r for r in rule_ids(findings) if r.startswith("kyverno:require-app")]) is fires


def test_cel_policies_generate_for_every_controller_but_replication_controllers() -> None:
    assert set(POD_TEMPLATES) - set(CEL_POD_TEMPLATES) == {"ReplicationController"}


@pytest.mark.parametrize(
    ("template", "metadata"),
    [({"metadata": {"labels": {"app": "a"}}, "spec": {}}, {"labels": {"app": "a"}}), ({}, {})],
    ids=["labelled", "empty"],
)
def test_template_becomes_the_pod_it_creates(template: dict[str, object], metadata: object) -> None:
    pod = template_as_pod(template)
    assert (pod["apiVersion"], pod["kind"], pod["metadata"], pod["spec"]) == (
        "v1",
        "Pod",
        metadata,
        {},
    )
