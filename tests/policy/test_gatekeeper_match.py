"""spec.match of Gatekeeper Constraints against real objects."""

from __future__ import annotations

from typing import Any

import pytest

from gitwarden.policy.gatekeeper_match import constraint_matches, glob_matches
from k8s_fixtures import load_objects

POD = """
    apiVersion: v1
    kind: Pod
    metadata: {name: web-1, namespace: kube-system, labels: {app: web}}
"""
NAMESPACE = """
    apiVersion: v1
    kind: Namespace
    metadata: {name: payments, labels: {env: prod}}
"""
CLUSTER_ROLE = """
    apiVersion: rbac.authorization.k8s.io/v1
    kind: ClusterRole
    metadata: {name: reader}
"""


@pytest.mark.parametrize(
    ("match", "selected"),
    [
        (None, True),
        ({"kinds": [{"apiGroups": [""], "kinds": ["Pod"]}]}, True),
        ({"kinds": [{"apiGroups": ["apps"], "kinds": ["Pod"]}]}, False),
        ({"kinds": [{"apiGroups": ["*"], "kinds": ["*"]}]}, True),
        ({"namespaces": ["kube-*"]}, True),
        ({"excludedNamespaces": ["*-system"]}, False),
        ({"name": "web-*"}, True),
        ({"labelSelector": {"matchLabels": {"app": "api"}}}, False),
        ({"scope": "Namespaced"}, True),
        ({"scope": "Cluster"}, False),
        ({"source": "Generated"}, False),
    ],
)
def test_match_criteria_on_a_pod(match: dict[str, Any] | None, selected: bool) -> None:
    [pod] = load_objects(POD)
    assert constraint_matches(match, pod, None) is selected


def test_namespace_is_matched_by_its_own_name() -> None:
    [namespace] = load_objects(NAMESPACE)
    assert constraint_matches({"namespaces": ["payments"]}, namespace, None)
    assert not constraint_matches({"excludedNamespaces": ["payments"]}, namespace, None)


def test_cluster_scoped_objects_ignore_namespace_criteria() -> None:
    [role] = load_objects(CLUSTER_ROLE)
    assert constraint_matches({"namespaces": ["payments"]}, role, None)


@pytest.mark.parametrize(("labels", "selected"), [({"env": "prod"}, True), ({"env": "dev"}, False)])
def test_namespace_selector_reads_the_namespace_labels(
    labels: dict[str, str], selected: bool
) -> None:
    [pod] = load_objects(POD)
    namespace = {"metadata": {"name": "kube-system", "labels": labels}}
    match = {"namespaceSelector": {"matchLabels": {"env": "prod"}}}
    assert constraint_matches(match, pod, namespace) is selected


@pytest.mark.parametrize(
    ("pattern", "value", "matches"),
    [("kube-*", "kube-system", True), ("*-system", "kube-system", True), ("kube", "kube-x", False)],
)
def test_globs_allow_one_leading_or_trailing_star(pattern: str, value: str, matches: bool) -> None:
    assert glob_matches(pattern, value) is matches
