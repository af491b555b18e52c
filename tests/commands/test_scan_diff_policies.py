"""`scan --diff` with user policies: Rego, a CEL ValidatingAdmissionPolicy, a Kyverno
ClusterPolicy and a referential Gatekeeper template. The narrowed report holds exactly the
full scan's policy findings of the changed file's objects, each as the full scan reports
it, and nothing about the untouched objects the policies also fire on."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

from gitwarden.commands.scan import ScanOptions, scan
from gitwarden.report import get_format

POLICY_PREFIXES = ("rego:", "vap:", "kyverno:", "gatekeeper:")
POLICY_PROBLEMS = ("policy-error", "policy-unsupported", "policy-params-missing")

TEAM_REGO = """\
package main
import rego.v1

deny contains msg if {
  input.kind == "Deployment"
  not input.metadata.labels.team
  msg := sprintf("Deployment %s has no team label", [input.metadata.name])
}

# Reads the other objects: a Service must select the pods of some Deployment.
deny contains msg if {
  input.kind == "Service"
  not selects_a_deployment(input)
  msg := sprintf("Service %s selects no Deployment's pods", [input.metadata.name])
}

selects_a_deployment(service) if {
  some obj in data.gitwarden.objects
  obj.kind == "Deployment"
  obj.metadata.namespace == service.metadata.namespace
  labels := obj.spec.template.metadata.labels
  every key, value in service.spec.selector { labels[key] == value }
}
"""
NO_LATEST_VAP = """\
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {name: no-latest}
spec:
  failurePolicy: Fail
  matchConstraints:
    resourceRules:
      - apiGroups: [apps]
        apiVersions: [v1]
        operations: [CREATE, UPDATE]
        resources: [deployments]
  validations:
    - expression: "object.spec.template.spec.containers.all(c, !c.image.endsWith(':latest'))"
      message: "images must not use the latest tag"
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata: {name: no-latest}
spec:
  policyName: no-latest
  validationActions: [Deny]
"""
MEMORY_LIMITS_KYVERNO = """\
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata: {name: require-memory-limits}
spec:
  validationFailureAction: Enforce
  rules:
    - name: memory-limit
      match:
        any:
          - resources: {kinds: [Deployment]}
      validate:
        message: "every container needs a memory limit"
        pattern:
          spec:
            template:
              spec:
                containers:
                  - resources: {limits: {memory: "?*"}}
"""
UNIQUE_HOST_GATEKEEPER = """\
apiVersion: templates.gatekeeper.sh/v1
kind: ConstraintTemplate
metadata: {name: k8suniqueingresshost}
spec:
  crd:
    spec:
      names: {kind: K8sUniqueIngressHost}
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
          msg := sprintf("ingress host %v is taken by another Ingress", [host])
        }
---
apiVersion: constraints.gatekeeper.sh/v1beta1
kind: K8sUniqueIngressHost
metadata: {name: unique-host}
"""


def app(name: str, *, team: bool = True, image: str = "1.0", limits: bool = True) -> str:
    labels = "{app: %s%s}" % (name, ", team: shop" if team else "")  # noqa: UP031
    resources = "\n          resources: {limits: {memory: 128Mi}}" if limits else ""
    return f"""\
apiVersion: apps/v1
kind: Deployment
metadata: {{name: {name}, namespace: shop, labels: {labels}}}
spec:
  selector: {{matchLabels: {{app: {name}}}}}
  template:
    metadata: {{labels: {{app: {name}}}}}
    spec:
      containers:
        - name: app
          image: registry.example.com/{name}:{image}{resources}
---
apiVersion: v1
kind: Service
metadata: {{name: {name}, namespace: shop}}
spec:
  selector: {{app: {name}}}
  ports: [{{port: 80}}]
"""


def ingress(name: str, host: str) -> str:
    return (
        "apiVersion: networking.k8s.io/v1\nkind: Ingress\n"
        f"metadata: {{name: {name}, namespace: shop}}\nspec: {{rules: [{{host: {host}}}]}}\n"
    )


def repository(
    root: Path, changed: Mapping[str, str] | None = None, extra: Mapping[str, str] | None = None
) -> Path:
    """The policies and apps (and ``extra`` files) committed, then ``changed`` written over
    them, uncommitted."""
    files = {
        ".gitwarden.yaml": "policies: [policy]\n",
        "policy/team.rego": TEAM_REGO,
        "cluster/no-latest.yaml": NO_LATEST_VAP,
        "cluster/memory-limits.yaml": MEMORY_LIMITS_KYVERNO,
        "cluster/unique-host.yaml": UNIQUE_HOST_GATEKEEPER,
        # Fires every policy, and is never changed.
        "apps/legacy.yaml": app("legacy", team=False, image="latest", limits=False),
        "apps/web.yaml": app("web"),
        "apps/ingress-a.yaml": ingress("a", "a.example"),
        "apps/ingress-b.yaml": ingress("b", "b.example"),
        **(extra or {}),
    }
    write(root, files)
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "first"]):
        git(root, *args)
    write(root, changed or {})
    return root


def write(root: Path, files: Mapping[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
        check=True,
        capture_output=True,
    )


def policy_findings(repo: Path, options: ScanOptions) -> list[dict[str, Any]]:
    report = scan(repo, options=options)
    findings = json.loads(get_format("json").render(report, color=False))["findings"]
    return [f for f in findings if f["rule"].startswith(POLICY_PREFIXES + POLICY_PROBLEMS)]


def full_and_diff(repo: Path) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    full = policy_findings(repo, ScanOptions(secrets=False))
    narrowed = policy_findings(repo, ScanOptions(secrets=False, diff_base="HEAD"))
    return full, narrowed


def rules_at(findings: list[dict[str, Any]], file: str) -> list[str]:
    return sorted(f["rule"] for f in findings if f["file"] == file)


BROKEN_WEB = app("web", team=False, image="latest", limits=False).replace(
    "selector: {app: web}", "selector: {app: nothing}"
)
EVERY_POLICY = [
    "kyverno:require-memory-limits/memory-limit",
    "rego:main/deny",
    "rego:main/deny",
    "vap:no-latest",
]


def test_the_full_scan_fires_every_policy_on_the_changed_and_the_untouched_file(
    tmp_path: Path,
) -> None:
    full, _ = full_and_diff(repository(tmp_path / "repo", {"apps/web.yaml": BROKEN_WEB}))

    assert rules_at(full, "apps/web.yaml") == EVERY_POLICY
    assert rules_at(full, "apps/legacy.yaml") == [
        "kyverno:require-memory-limits/memory-limit",
        "rego:main/deny",
        "vap:no-latest",
    ]


def test_diff_reports_exactly_the_full_scans_policy_findings_of_the_changed_file(
    tmp_path: Path,
) -> None:
    full, narrowed = full_and_diff(repository(tmp_path / "repo", {"apps/web.yaml": BROKEN_WEB}))

    assert narrowed == [f for f in full if f["file"] == "apps/web.yaml"]
    assert rules_at(narrowed, "apps/web.yaml") == EVERY_POLICY


@pytest.mark.parametrize(
    "changed",
    [
        {"apps/web.yaml": app("web", image="1.1")},
        {"apps/ingress-b.yaml": ingress("b", "c.example")},
    ],
    ids=["clean-deployment", "clean-ingress"],
)
def test_diff_of_a_clean_change_reports_no_policy_finding(
    tmp_path: Path, changed: dict[str, str]
) -> None:
    full, narrowed = full_and_diff(repository(tmp_path / "repo", changed))

    assert full and narrowed == []


def test_diff_sees_the_untouched_objects_a_referential_policy_reads(tmp_path: Path) -> None:
    # b now takes a's host: the finding at b needs a, which the change did not touch.
    repo = repository(tmp_path / "repo", {"apps/ingress-b.yaml": ingress("b", "a.example")})

    full, narrowed = full_and_diff(repo)

    at_b = [f for f in full if f["file"] == "apps/ingress-b.yaml"]
    assert [f["rule"] for f in at_b] == ["gatekeeper:K8sUniqueIngressHost/unique-host"]
    assert [f for f in narrowed if f["file"] == "apps/ingress-b.yaml"] == at_b


FRONT = """\
apiVersion: v1
kind: Service
metadata: {name: front, namespace: shop}
spec:
  selector: {app: web}
  ports: [{port: 80}]
"""
WEB_RELABELLED = app("web").replace("labels: {app: web}}", "labels: {app: web2}}")


# The pipeline does not yet pass its policy run to
# `change_set.policy_findings_the_change_brings` (scan_pipeline.py is another branch's):
# until it does, a narrowed scan loses these. Strict: the day it is wired, this fails.
@pytest.mark.xfail(
    strict=True,
    reason="scan_pipeline does not yet call change_set.policy_findings_the_change_brings",
)
@pytest.mark.parametrize(
    ("changed", "untouched", "rule"),
    [
        (
            {"apps/ingress-b.yaml": ingress("b", "a.example")},
            "apps/ingress-a.yaml",
            "gatekeeper:K8sUniqueIngressHost/unique-host",
        ),
        ({"apps/web.yaml": WEB_RELABELLED}, "apps/front.yaml", "rego:main/deny"),
    ],
    ids=["gatekeeper-inventory", "rego-objects"],
)
def test_diff_reports_what_a_referential_policy_now_finds_at_an_untouched_object(
    tmp_path: Path, changed: dict[str, str], untouched: str, rule: str
) -> None:
    repo = repository(tmp_path / "repo", changed, extra={"apps/front.yaml": FRONT})

    full, narrowed = full_and_diff(repo)

    at_untouched = [f for f in full if f["file"] == untouched]
    assert [f["rule"] for f in at_untouched] == [rule]
    assert [f for f in narrowed if f["file"] == untouched] == at_untouched


@pytest.mark.parametrize(
    ("policy", "rule"),
    [
        ("package main\ndeny contains msg if {\n", "policy-error"),
        (
            "package main\nimport rego.v1\ndeny contains msg if {\n  msg := 1 / 0\n}\n",
            "policy-error",
        ),
    ],
    ids=["does-not-load", "fails-while-evaluating"],
)
def test_a_policy_that_could_not_judge_the_change_fails_the_diff_too(
    tmp_path: Path, policy: str, rule: str
) -> None:
    repo = repository(
        tmp_path / "repo",
        {"apps/web.yaml": app("web", image="1.1")},
        extra={"policy/broken.rego": policy},
    )

    full, narrowed = full_and_diff(repo)

    problems = [f for f in full if f["rule"] == rule]
    assert [f["file"] for f in problems] == ["policy/broken.rego"]
    assert [f for f in narrowed if f["rule"] == rule] == problems
