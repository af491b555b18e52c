from __future__ import annotations

import pytest

from gitwarden.checks.argocd import credentials
from k8s_fixtures import rule_ids, run

REPOSITORY_SECRET = """\
apiVersion: v1
kind: Secret
metadata:
  name: private-repo
  namespace: argocd
  labels: {argocd.argoproj.io/secret-type: %s}
stringData:
  url: https://git.example.com/team-a/deploy.git
  password: s3cr3t-token
  insecure: "true"
"""


def test_repository_secret_in_clear_breaks_both_credential_rules() -> None:
    assert rule_ids(run(credentials.CHECKS, REPOSITORY_SECRET % "repository")) == [
        "argocd-plaintext-credentials",
        "argocd-repository-insecure",
    ]


def test_cluster_secret_is_a_credential_but_has_no_repository_flags() -> None:
    assert rule_ids(run(credentials.CHECKS, REPOSITORY_SECRET % "cluster")) == [
        "argocd-plaintext-credentials"
    ]


@pytest.mark.parametrize("label", ["other", "''"])
def test_secrets_argo_cd_does_not_read_are_silent(label: str) -> None:
    assert run(credentials.CHECKS, REPOSITORY_SECRET % label) == []
