from __future__ import annotations

import pytest

from gitwarden.checks.argocd import settings
from k8s_fixtures import rule_ids, run

OPEN_SETTINGS = """\
apiVersion: v1
kind: ConfigMap
metadata: {name: argocd-cm, namespace: argocd}
data:
  users.anonymous.enabled: "true"
  exec.enabled: "true"
  kustomize.buildOptions: --enable-exec
  oidc.tls.insecure.skip.verify: "true"
---
apiVersion: v1
kind: ConfigMap
metadata: {name: argocd-rbac-cm, namespace: argocd}
data:
  policy.default: role:admin
  policy.csv: |
    p, role:ops, *, *, */*, allow
---
apiVersion: v1
kind: ConfigMap
metadata: {name: argocd-cmd-params-cm, namespace: argocd}
data:
  server.insecure: "true"
  reposerver.exec.timeout: 1h
"""

CLOSED_SETTINGS = """\
apiVersion: v1
kind: ConfigMap
metadata: {name: argocd-cm, namespace: argocd}
data:
  admin.enabled: "false"
---
apiVersion: v1
kind: ConfigMap
metadata: {name: argocd-rbac-cm, namespace: argocd}
data:
  policy.default: role:readonly
---
apiVersion: v1
kind: ConfigMap
metadata: {name: argocd-cmd-params-cm, namespace: argocd}
data:
  reposerver.exec.timeout: 90s
"""


def test_open_settings_break_every_settings_rule() -> None:
    assert sorted(set(rule_ids(run(settings.CHECKS, OPEN_SETTINGS)))) == sorted(
        check.rule.id for check in settings.CHECKS
    )


def test_closed_settings_are_silent() -> None:
    assert run(settings.CHECKS, CLOSED_SETTINGS) == []


@pytest.mark.parametrize("name", ["argocd-cm-copy", "my-settings"])
def test_config_maps_of_other_names_are_not_read(name: str) -> None:
    other = OPEN_SETTINGS.replace("name: argocd-rbac-cm", f"name: {name}")
    assert "argocd-rbac-default-admin" not in rule_ids(run(settings.CHECKS, other))
