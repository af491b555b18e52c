"""Kyverno validate.podSecurity, evaluated with gitwarden's Pod Security checks."""

from __future__ import annotations

from pathlib import Path

import pytest
from policy_fixtures import evaluate, rule_ids

from gitwarden.checks.pod_security import CONTROLS
from gitwarden.pipeline.pod_security_bridge import (
    POD_SECURITY_CONTROL_NAMES,
    pod_security_evaluator,
)
from gitwarden.policy.kyverno import evaluate_kyverno_policies
from gitwarden.policy.object_view import ObjectBodies
from k8s_fixtures import load_objects

POLICY = """
    apiVersion: kyverno.io/v1
    kind: ClusterPolicy
    metadata: {name: psa}
    spec:
      rules:
        - name: baseline
          match:
            any:
              - resources: {kinds: [Pod]}
          validate:
            podSecurity:
              level: baseline
              version: latest
{exclude}
"""
PRIVILEGED_POD = """
    apiVersion: v1
    kind: Pod
    metadata: {name: p}
    spec:
      containers:
        - name: a
          image: ghcr.io/example/agent:1
          securityContext: {privileged: true}
"""
PLAIN_DEPLOYMENT = """
    apiVersion: apps/v1
    kind: Deployment
    metadata: {name: d}
    spec:
      template:
        spec:
          containers: [{name: a, image: nginx:1.27}]
"""
EXCLUDE = """
              exclude:
                - controlName: Privileged Containers
                  images: [{images}]
"""


def _findings(manifests: str, exclude: str = "") -> list[str]:
    objects = load_objects(manifests)
    policies = load_objects(POLICY.replace("{exclude}", exclude), "policy.yaml")
    results = evaluate_kyverno_policies(
        [*policies, *objects], objects, ObjectBodies(objects), pod_security=pod_security_evaluator
    )
    return rule_ids(results.findings)


@pytest.mark.parametrize(
    ("manifests", "fires"), [(PRIVILEGED_POD, True), (PLAIN_DEPLOYMENT, False)]
)
def test_baseline_level_fires_on_privileged_pods(manifests: str, fires: bool) -> None:
    assert _findings(manifests) == (["kyverno:psa/baseline"] if fires else [])


@pytest.mark.parametrize(("images", "fires"), [("ghcr.io/example/*", False), ("nginx*", True)])
def test_exclude_by_control_and_image(images: str, fires: bool) -> None:
    exclude = EXCLUDE.replace("{images}", images)
    assert bool(_findings(PRIVILEGED_POD, exclude)) is fires


def test_without_an_evaluator_pod_security_is_unsupported(tmp_path: Path) -> None:
    findings = evaluate(tmp_path, PRIVILEGED_POD, {"p.yaml": POLICY.replace("{exclude}", "")})
    assert rule_ids(findings) == ["policy-unsupported"]


def test_every_pod_security_control_has_a_kyverno_name() -> None:
    assert {c.rule.id for c in CONTROLS} <= set(POD_SECURITY_CONTROL_NAMES)
