"""Kyverno CLI Values files: values per policy, rule and resource; namespace labels."""

from __future__ import annotations

from gitwarden.policy.kyverno_values_file import KyvernoValues, read_values
from k8s_fixtures import load_objects

VALUES = """
    apiVersion: cli.kyverno.io/v1alpha1
    kind: Values
    globalValues:
      request.operation: UPDATE
    policies:
      - name: p
        rules:
          - name: r
            values: {saMap.data.busybox: '["docker.io/busybox"]', level: rule}
        resources:
          - name: pod-a
            values: {level: resource}
    namespaceSelector:
      - name: prod
        labels: {env: production}
"""


def _values() -> KyvernoValues:
    [document] = load_objects(VALUES)
    return read_values(document)


def test_narrower_values_win() -> None:
    values = _values()
    assert values.for_rule("p", "r", "pod-a")["level"] == "resource"
    assert values.for_rule("p", "r", "pod-b")["level"] == "rule"
    assert values.for_rule("p", "r", "pod-b")["request.operation"] == "UPDATE"


def test_values_of_another_policy_do_not_apply() -> None:
    assert "level" not in _values().for_rule("q", "r", "pod-a")


def test_names_for_lists_every_variable_given_to_a_policy() -> None:
    assert _values().names_for("p") == {"request.operation", "saMap.data.busybox", "level"}


def test_namespace_selector_entries_become_namespaces() -> None:
    [namespace] = _values().namespaces().values()
    assert namespace["metadata"]["labels"] == {"env": "production"}
