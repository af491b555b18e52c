"""`gitwarden scan` answers Kyverno's validate.podSecurity with its own Pod Security checks."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from gitwarden.commands.scan import ScanOptions, scan
from gitwarden.manifests.yaml_nodes import FieldPath
from gitwarden.pipeline.pod_security_bridge import pod_security_evaluator
from k8s_fixtures import load_objects

POLICY = """\
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata: {name: psa}
spec:
  validationFailureAction: Enforce
  rules:
    - name: baseline
      match:
        any:
          - resources: {kinds: [Pod]}
      validate:
        podSecurity: {level: baseline, version: latest}
"""
POD = """\
apiVersion: v1
kind: Pod
metadata: {{name: p, namespace: apps}}
spec:
  containers:
    - name: a
      image: ghcr.io/example/agent:1
      securityContext: {{privileged: {privileged}}}
"""


@pytest.mark.parametrize(("privileged", "fires"), [("true", True), ("false", False)])
def test_scan_evaluates_pod_security_policies_in_the_repository(
    tmp_path: Path, privileged: str, fires: bool
) -> None:
    (tmp_path / "policy.yaml").write_text(POLICY)
    (tmp_path / "pod.yaml").write_text(POD.format(privileged=privileged))
    report = scan(tmp_path, options=ScanOptions(render=False, secrets=False))
    ids = {f.rule_id for f in report.findings}
    assert "policy-unsupported" not in ids
    assert ("kyverno:psa/baseline" in ids) is fires


def test_evaluator_names_the_control_and_the_image() -> None:
    (pod,) = load_objects(textwrap.dedent(POD.format(privileged="true")))
    spec: FieldPath = ("spec",)
    (violation,) = pod_security_evaluator(pod, spec, "baseline")
    assert violation.control == "Privileged Containers"
    assert violation.image == "ghcr.io/example/agent:1"
