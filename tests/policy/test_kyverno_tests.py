"""Running kyverno-test.yaml files: resource lookup, autogen rule names, what is skipped."""

from __future__ import annotations

from pathlib import Path

import pytest
from policy_fixtures import write_files

from gitwarden.policy.kyverno_tests import run_kyverno_test
from gitwarden.policy.suite_cases import CaseOutcome

POLICY = """
    apiVersion: kyverno.io/v1
    kind: ClusterPolicy
    metadata: {name: no-latest}
    spec:
      rules:
        - name: tag
          match:
            any:
              - resources: {kinds: [Pod]}
          validate:
            message: "no latest"
            pattern:
              spec:
                containers:
                  - image: "!*:latest"
"""
RESOURCES = """
    apiVersion: apps/v1
    kind: Deployment
    metadata: {name: web, namespace: shop}
    spec:
      template:
        spec:
          containers: [{name: a, image: "nginx:latest"}]
"""


def _test(tmp_path: Path, results: str) -> Path:
    write_files(
        tmp_path,
        {
            "policy.yaml": POLICY,
            "t/resources.yaml": RESOURCES,
            "t/kyverno-test.yaml": f"""
                apiVersion: cli.kyverno.io/v1alpha1
                kind: Test
                metadata: {{name: t}}
                policies: [../policy.yaml]
                resources: [resources.yaml]
                results:
{results}
            """,
        },
    )
    return tmp_path / "t" / "kyverno-test.yaml"


@pytest.mark.parametrize("resource", ["web", "shop/web"])
def test_autogen_rule_result_is_the_pod_rule_on_the_controller(
    tmp_path: Path, resource: str
) -> None:
    results = f"""
                  - policy: no-latest
                    rule: autogen-tag
                    kind: Deployment
                    resources: [{resource}]
                    result: fail
"""
    [case] = run_kyverno_test(_test(tmp_path, results), tmp_path)
    assert case.outcome is CaseOutcome.PASSED


def test_missing_resource_fails_the_case(tmp_path: Path) -> None:
    results = """
                  - policy: no-latest
                    rule: tag
                    resources: [absent]
                    result: pass
"""
    [case] = run_kyverno_test(_test(tmp_path, results), tmp_path)
    assert case.outcome is CaseOutcome.FAILED
    assert "not in the test's resources" in case.reason


def test_mutating_policy_results_are_skipped_with_the_reason(tmp_path: Path) -> None:
    results = """
                  - policy: add-labels
                    isMutatingPolicy: true
                    resources: [web]
                    result: pass
"""
    [case] = run_kyverno_test(_test(tmp_path, results), tmp_path)
    assert case.outcome is CaseOutcome.SKIPPED
    assert "MutatingPolicy" in case.reason


def test_file_outside_the_folder_under_test_is_refused(tmp_path: Path) -> None:
    path = _test(tmp_path, "")
    outside = tmp_path / "t"
    [case] = run_kyverno_test(path, outside)
    assert case.outcome is CaseOutcome.FAILED
    assert "leads out of" in case.reason


UNCHANGED_NAME = """
    apiVersion: kyverno.io/v1
    kind: ClusterPolicy
    metadata: {name: keep-labels}
    spec:
      rules:
        - name: same
          match:
            any:
              - resources: {kinds: [Pod]}
          preconditions:
            all:
              - key: "{{ request.operation }}"
                operator: Equals
                value: UPDATE
          validate:
            message: "labels changed"
            deny:
              conditions:
                any:
                  - key: "{{ request.object.metadata.labels }}"
                    operator: NotEquals
                    value: "{{ request.oldObject.metadata.labels }}"
"""


def test_update_from_values_compares_the_object_with_itself(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        {
            "policy.yaml": UNCHANGED_NAME,
            "t/pod.yaml": "apiVersion: v1\nkind: Pod\nmetadata: {name: p, labels: {a: b}}\n",
            "t/values.yaml": """
                apiVersion: cli.kyverno.io/v1alpha1
                kind: Values
                globalValues: {request.operation: UPDATE}
            """,
            "t/kyverno-test.yaml": """
                apiVersion: cli.kyverno.io/v1alpha1
                kind: Test
                metadata: {name: t}
                policies: [../policy.yaml]
                resources: [pod.yaml]
                variables: values.yaml
                results:
                  - {policy: keep-labels, rule: same, resources: [p], result: pass}
            """,
        },
    )
    [case] = run_kyverno_test(tmp_path / "t" / "kyverno-test.yaml", tmp_path)
    assert case.outcome is CaseOutcome.PASSED
