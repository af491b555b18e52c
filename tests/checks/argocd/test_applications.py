from __future__ import annotations

from gitwarden.checks.argocd import applications
from k8s_fixtures import rule_ids, run

LOOSE_APPLICATION = """\
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: web, namespace: argocd}
spec:
  project: default
  source:
    repoURL: http://git.example.com/team-a/deploy.git
    targetRevision: HEAD
    path: deploy/web
    helm:
      valuesObject: {db: {password: hunter2-prod}}
  destination: {server: https://kubernetes.default.svc, namespace: team-a-prod}
  syncPolicy:
    automated: {prune: true, selfHeal: true}
"""

PINNED_APPLICATION = """\
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: web, namespace: argocd}
spec:
  project: team-a
  source:
    repoURL: https://git.example.com/team-a/deploy.git
    targetRevision: v1.4.2
    path: deploy/web
  destination: {server: https://kubernetes.default.svc, namespace: team-a-prod}
"""

TEMPLATED_APPSET = """\
apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata: {name: tenants, namespace: argocd}
spec:
  generators: [{list: {elements: [{name: a, project: a}]}}]
  template:
    metadata: {name: "{{name}}"}
    spec:
      project: "{{project}}"
      source: {repoURL: https://git.example.com/t.git, targetRevision: v2.0.0, path: apps}
      destination: {server: https://kubernetes.default.svc, namespace: "{{name}}"}
"""


def test_loose_production_application_breaks_every_application_rule_but_the_appset_one() -> None:
    expected = sorted(
        check.rule.id
        for check in applications.CHECKS
        if check.rule.id != "argocd-appset-templated-project"
    )
    assert rule_ids(run(applications.CHECKS, LOOSE_APPLICATION)) == expected


def test_pinned_application_in_its_own_project_is_silent() -> None:
    assert run(applications.CHECKS, PINNED_APPLICATION) == []


def test_application_set_template_is_read_like_an_application() -> None:
    assert rule_ids(run(applications.CHECKS, TEMPLATED_APPSET)) == [
        "argocd-appset-templated-project"
    ]
