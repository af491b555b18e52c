"""Secrets: none in REV's tree, none in the history since the last deployment."""

from __future__ import annotations

from gate_fixtures import GITHUB_TOKEN, GitopsRepo, failed_checks


def test_a_secret_committed_then_removed_since_the_deployment_denies(repo: GitopsRepo) -> None:
    assert repo.gate().allowed
    repo.commit({"apps/config.txt": f"token = {GITHUB_TOKEN}\n"})
    repo.commit({"apps/config.txt": None})
    repo.record_ledger()
    assert "github" in failed_checks(repo)["secrets"]


def test_a_tree_and_history_without_secrets_pass(repo: GitopsRepo) -> None:
    repo.commit({"apps/config.txt": "token = read-from-vault\n"})
    repo.record_ledger()
    assert repo.gate().allowed
