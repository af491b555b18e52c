"""Changed fields: Git's value, the live value, the file and line, and who changed it."""

from __future__ import annotations

from pathlib import Path

import pytest

from drift.drift_scenarios import drift_of, rule_ids
from gitwarden.drift.scanner import DriftSettings
from gitwarden.findings import Severity

GIT = """
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  replicas: 2
  template:
    spec:
      containers:
        - name: web
          image: ghcr.io/acme/web:1.4.2
"""


def live(replicas: int, image: str, manager: str, pull_policy: str = "IfNotPresent") -> str:
    return f"""
apiVersion: v1
kind: List
items:
- apiVersion: apps/v1
  kind: Deployment
  metadata:
    name: web
    namespace: shop
    uid: 6f1c2a9e-3d1b-4b8e-9a51-0c7f2f5d2e11
    resourceVersion: "48190"
    generation: 4
    creationTimestamp: "2026-11-30T08:12:41Z"
    managedFields:
    - apiVersion: apps/v1
      fieldsType: FieldsV1
      fieldsV1:
        f:spec:
          f:replicas: {{}}
          f:template:
            f:spec:
              f:containers:
                k:{{"name":"web"}}:
                  f:image: {{}}
                  f:imagePullPolicy: {{}}
      manager: {manager}
      operation: Update
      time: "2026-12-01T07:58:02Z"
  spec:
    replicas: {replicas}
    progressDeadlineSeconds: 600
    template:
      spec:
        containers:
        - image: {image}
          imagePullPolicy: {pull_policy}
          name: web
          terminationMessagePath: /dev/termination-log
  status:
    replicas: {replicas}
"""


def test_a_changed_replica_count_is_medium_drift(tmp_path: Path) -> None:
    [finding] = drift_of(tmp_path, GIT, live(3, "ghcr.io/acme/web:1.4.2", "kubectl-scale"))
    assert (finding.rule_id, finding.severity) == ("drift-field-changed", Severity.MEDIUM)


def test_the_finding_names_field_values_line_and_manager(tmp_path: Path) -> None:
    [finding] = drift_of(tmp_path, GIT, live(3, "ghcr.io/acme/web:1.4.2", "kubectl-scale"))
    assert (finding.location.file, finding.location.line) == ("apps/shop.yaml", 8)
    assert dict(finding.details) | {"live_source": ""} == {
        "field": "spec.replicas",
        "desired": "2",
        "live": "3",
        "field_manager": "kubectl-scale",
        "live_source": "",
    }


def test_a_changed_image_is_high_drift(tmp_path: Path) -> None:
    [finding] = drift_of(tmp_path, GIT, live(2, "ghcr.io/evil/web:1.4.2", "kubectl-set"))
    assert (finding.rule_id, finding.severity) == ("drift-security-field-changed", Severity.HIGH)


@pytest.mark.parametrize(
    ("replicas", "image", "expected"),
    [
        (2, "ghcr.io/acme/web:1.4.2", []),
        (5, "ghcr.io/acme/web:1.4.2", ["drift-field-changed"]),
    ],
)
def test_only_a_different_value_is_drift(
    tmp_path: Path, replicas: int, image: str, expected: list[str]
) -> None:
    assert rule_ids(drift_of(tmp_path, GIT, live(replicas, image, "kubectl-edit"))) == expected


def test_a_field_only_a_default_fills_in_stays_silent(tmp_path: Path) -> None:
    # kubectl-edit owns imagePullPolicy, but it holds the server default for a tagged image.
    assert drift_of(tmp_path, GIT, live(2, "ghcr.io/acme/web:1.4.2", "kubectl-edit")) == []


def test_a_hand_set_field_that_is_not_the_default_is_drift(tmp_path: Path) -> None:
    findings = drift_of(tmp_path, GIT, live(2, "ghcr.io/acme/web:1.4.2", "kubectl-edit", "Never"))
    assert [f.details["field"] for f in findings] == [
        "spec.template.spec.containers[0].imagePullPolicy"
    ]


def test_a_live_only_field_owned_by_the_gitops_controller_is_not_drift(tmp_path: Path) -> None:
    findings = drift_of(
        tmp_path, GIT, live(2, "ghcr.io/acme/web:1.4.2", "kustomize-controller", "Never")
    )
    assert findings == []


def test_fix_hint_says_how_to_keep_or_restore(tmp_path: Path) -> None:
    [finding] = drift_of(
        tmp_path,
        GIT,
        live(3, "ghcr.io/acme/web:1.4.2", "kubectl-scale"),
        DriftSettings(fix_hints=True),
    )
    assert finding.details["fix_hint"].startswith(
        "to keep it, set spec.replicas to 3 in apps/shop.yaml:8"
    )


BINDING_GIT = """
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: deployers, namespace: shop}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: deployer}
subjects:
  - {kind: Group, name: shop-team, apiGroup: rbac.authorization.k8s.io}
"""


def binding_live(subjects: str) -> str:
    return f"""
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: deployers
  namespace: shop
  managedFields:
  - {{manager: kubectl-edit, operation: Update, fieldsV1: {{f:subjects: {{}}}}}}
roleRef: {{apiGroup: rbac.authorization.k8s.io, kind: Role, name: deployer}}
subjects: {subjects}
"""


@pytest.mark.parametrize(
    ("subjects", "expected"),
    [
        ("[{kind: Group, name: shop-team, apiGroup: rbac.authorization.k8s.io}]", []),
        (
            "[{kind: Group, name: shop-team, apiGroup: rbac.authorization.k8s.io},"
            " {kind: User, name: mallory, apiGroup: rbac.authorization.k8s.io}]",
            ["drift-security-field-changed"],
        ),
    ],
)
def test_a_subject_added_to_a_binding_is_security_drift(
    tmp_path: Path, subjects: str, expected: list[str]
) -> None:
    assert rule_ids(drift_of(tmp_path, BINDING_GIT, binding_live(subjects))) == expected
