"""The policies shown in docs/policies.md load and fire as the page says."""

from __future__ import annotations

import re
from pathlib import Path

from policy_fixtures import evaluate

from gitwarden.policy.rego_tests import run_rego_tests
from gitwarden.policy.sources import PolicySource, load_policy_sources

DOCS = Path(__file__).resolve().parents[2] / "docs" / "policies.md"
# Code blocks whose first line names a file under policies/ are complete policy files.
_NAMED_BLOCK = re.compile(r"```(?:rego|yaml)\n# (policies/[\w./-]+)\n(.*?)```", re.DOTALL)

PROD_DEPLOYMENT = """
    apiVersion: v1
    kind: Namespace
    metadata:
      name: shop
      labels:
        environment: prod
    ---
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: web
      namespace: shop
    spec:
      replicas: 5
      template:
        spec:
          containers:
            - name: web
              image: docker.io/library/nginx:1.27
              securityContext:
                capabilities:
                  add: [NET_ADMIN]
"""


def documented_policies() -> dict[str, str]:
    return {
        name.removeprefix("policies/"): body
        for name, body in _NAMED_BLOCK.findall(DOCS.read_text(encoding="utf-8"))
    }


def test_documented_policies_fire_without_errors(tmp_path: Path) -> None:
    findings = evaluate(tmp_path, PROD_DEPLOYMENT, documented_policies())
    assert sorted({f.rule_id for f in findings}) == [
        "kyverno:require-labels/check-for-labels",
        "kyverno:require-labels/no-added-capabilities",
        "rego:main/REG-1",
        "rego:main/deny",
        "vap:max-replicas",
    ]


def test_documented_rego_tests_pass(tmp_path: Path) -> None:
    folder = tmp_path / "policies"
    folder.mkdir()
    for name, body in documented_policies().items():
        (folder / name).write_text(body)
    loaded = load_policy_sources([(PolicySource(str(folder), ("*",)), tmp_path)], None)
    outcomes, results = run_rego_tests(loaded.rego)
    assert outcomes and all(o.passed for o in outcomes)
    assert results.findings == []


_GATEKEEPER_BLOCK = re.compile(r"```yaml\n# (gatekeeper/[\w./-]+)\n(.*?)```", re.DOTALL)


def test_documented_gatekeeper_constraint_fires_with_its_severity(tmp_path: Path) -> None:
    blocks = dict(_GATEKEEPER_BLOCK.findall(DOCS.read_text(encoding="utf-8")))
    assert blocks, "docs/policies.md shows a Gatekeeper example"
    files = {name.removeprefix("gatekeeper/"): body for name, body in blocks.items()}
    [finding] = evaluate(tmp_path, PROD_DEPLOYMENT, files)
    assert finding.rule_id == "gatekeeper:K8sRequiredLabels/workloads-need-an-owner"
    assert finding.severity.value == "medium"
    assert "you must provide labels" in finding.message
