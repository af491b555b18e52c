from __future__ import annotations

import pytest

from gitwarden.checks.argocd import projects
from k8s_fixtures import rule_ids, run

OPEN_PROJECT = """\
apiVersion: argoproj.io/v1alpha1
kind: AppProject
metadata: {name: team-a, namespace: argocd}
spec:
  sourceRepos: ['*']
  destinations: [{server: '*', namespace: '*'}]
  clusterResourceWhitelist: [{group: '*', kind: '*'}]
"""

FENCED_PROJECT = """\
apiVersion: argoproj.io/v1alpha1
kind: AppProject
metadata: {name: team-a, namespace: argocd}
spec:
  sourceRepos: [https://git.example.com/team-a/deploy.git]
  destinations: [{server: https://kubernetes.default.svc, namespace: team-a}]
  clusterResourceWhitelist: []
  namespaceResourceWhitelist: [{group: apps, kind: Deployment}]
  signatureKeys: [{keyID: 4AEE18F83AFDEB23}]
  orphanedResources: {warn: true}
"""


def test_open_project_breaks_every_project_rule() -> None:
    assert rule_ids(run(projects.CHECKS, OPEN_PROJECT)) == sorted(
        check.rule.id for check in projects.CHECKS
    )


def test_fenced_project_is_silent() -> None:
    assert run(projects.CHECKS, FENCED_PROJECT) == []


@pytest.mark.parametrize("api_version", ["v1", "example.com/v1"])
def test_only_argo_cd_app_projects_are_read(api_version: str) -> None:
    other = OPEN_PROJECT.replace("argoproj.io/v1alpha1", api_version)
    assert run(projects.CHECKS, other) == []
