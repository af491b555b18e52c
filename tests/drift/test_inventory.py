"""Objects on one side only: unmanaged, missing, and kinds the live state does not hold."""

from __future__ import annotations

from pathlib import Path

import pytest

from drift.drift_scenarios import declared, drift_of, rule_ids
from gitwarden.drift.inventory import unread_kinds
from gitwarden.drift.scanner import DriftSettings, find_drift
from gitwarden.findings import Severity
from gitwarden.sources.live_state import LiveState, UnreadKind

GIT = """
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec:
  ports: [{port: 80}]
"""
LIVE_SERVICE = """
- apiVersion: v1
  kind: Service
  metadata: {name: web, namespace: shop}
  spec:
    clusterIP: 10.96.12.7
    ports: [{port: 80, protocol: TCP, targetPort: 80}]
"""


def live_list(*items: str) -> str:
    return "apiVersion: v1\nkind: List\nitems:" + "".join(items)


def binding(metadata: str) -> str:
    return f"""
- apiVersion: rbac.authorization.k8s.io/v1
  kind: ClusterRoleBinding
  metadata: {metadata}
  roleRef: {{apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}}
  subjects: [{{kind: User, name: mallory, apiGroup: rbac.authorization.k8s.io}}]
"""


HAND_MADE = "{name: mallory-admin, managedFields: [{manager: kubectl-create, operation: Update}]}"
OWNED = (
    "{name: operator-admin, ownerReferences: [{apiVersion: v1, kind: Namespace, name: x, uid: u}]}"
)
BOOTSTRAP = "{name: 'system:controller:job-controller'}"


@pytest.mark.parametrize(
    ("metadata", "expected"),
    [(HAND_MADE, ["drift-unmanaged"]), (OWNED, []), (BOOTSTRAP, [])],
)
def test_a_cluster_role_binding_nobody_declared_is_unmanaged(
    tmp_path: Path, metadata: str, expected: list[str]
) -> None:
    findings = drift_of(tmp_path, GIT, live_list(LIVE_SERVICE, binding(metadata)))
    assert rule_ids(findings) == expected


def test_an_unmanaged_binding_is_high_and_says_what_it_grants(tmp_path: Path) -> None:
    [finding] = drift_of(tmp_path, GIT, live_list(LIVE_SERVICE, binding(HAND_MADE)))
    assert finding.severity == Severity.HIGH
    assert "grants ClusterRole cluster-admin" in finding.message
    assert "created by kubectl-create" in finding.message


def test_an_unmanaged_object_outside_the_environment_is_ignored(tmp_path: Path) -> None:
    elsewhere = """
- apiVersion: v1
  kind: ConfigMap
  metadata: {name: notes, namespace: kube-system}
"""
    state_yaml = live_list(LIVE_SERVICE, elsewhere)
    findings = drift_of(tmp_path, GIT, state_yaml, DriftSettings(namespaces=frozenset({"shop"})))
    assert findings == []


@pytest.mark.parametrize(
    ("items", "expected"),
    [((LIVE_SERVICE,), []), ((LIVE_SERVICE.replace("name: web", "name: api"),), ["drift-missing"])],
)
def test_a_declared_object_absent_from_a_listed_kind_is_missing(
    tmp_path: Path, items: tuple[str, ...], expected: list[str]
) -> None:
    findings = drift_of(
        tmp_path, GIT, live_list(*items), DriftSettings(namespaces=frozenset({"shop"}))
    )
    assert [f.rule_id for f in findings if f.rule_id != "drift-unmanaged"] == expected


def test_a_kind_the_dump_does_not_hold_is_not_compared_rather_than_missing(tmp_path: Path) -> None:
    only_config = """
- apiVersion: v1
  kind: ConfigMap
  metadata: {name: settings, namespace: shop, ownerReferences: [{kind: X, name: y}]}
"""
    assert rule_ids(drift_of(tmp_path, GIT, live_list(only_config))) == ["drift-not-compared"]


def test_a_forbidden_kind_is_a_finding_naming_the_permission() -> None:
    [finding] = unread_kinds(
        [
            UnreadKind(
                "rbac.authorization.k8s.io",
                "ClusterRoleBinding",
                None,
                "forbidden",
                resource="clusterrolebindings",
            )
        ],
        "context prod",
    )
    assert "Grant `list` on `clusterrolebindings` in API group 'rbac.authorization.k8s.io'" in (
        finding.message
    )


def test_a_forbidden_declared_kind_is_not_reported_missing() -> None:
    state = LiveState(
        objects=(),
        listed=frozenset(),
        unread=(UnreadKind("", "Service", "shop", "forbidden", resource="services"),),
    )
    result = find_drift(declared(GIT), state, DriftSettings())
    assert rule_ids(list(result.findings)) == ["drift-not-compared"]


def test_fix_hint_for_unmanaged_says_how_to_adopt_or_delete(tmp_path: Path) -> None:
    [finding] = drift_of(
        tmp_path, GIT, live_list(LIVE_SERVICE, binding(HAND_MADE)), DriftSettings(fix_hints=True)
    )
    assert (
        "`kubectl delete clusterrolebinding.rbac.authorization.k8s.io mallory-admin`"
        in (finding.details["fix_hint"])
    )
