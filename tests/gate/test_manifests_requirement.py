"""Manifests: findings under the environment's paths at its threshold; unchecked entries deny."""

from __future__ import annotations

from gate_fixtures import (
    PRIVILEGED,
    GitopsRepo,
    failed_checks,
)


def test_a_privileged_pod_outside_the_environment_paths_does_not_deny(repo: GitopsRepo) -> None:
    repo.commit({"clusters/staging/app.yaml": PRIVILEGED})
    assert repo.gate().allowed


def test_a_crashing_renderer_denies(repo: GitopsRepo) -> None:
    repo.commit({"clusters/prod/kustomization.yaml": "resources: [missing-base]\n"})
    failed = failed_checks(repo)
    assert "render" in failed["manifests"] or "kustomize" in failed["manifests"]


def test_a_symbolic_link_in_the_revision_denies_unchecked(repo: GitopsRepo) -> None:
    (repo.path / "clusters" / "prod" / "host.yaml").symlink_to("/etc/passwd")
    repo.commit({})
    failed = failed_checks(repo)
    assert "gate-tree-entry-unchecked (clusters/prod/host.yaml)" in failed["manifests"]
