"""Ledger: a force push the ledger saw denies."""

from __future__ import annotations

from gate_fixtures import (
    GitopsRepo,
    failed_checks,
    git,
)


def test_a_force_pushed_branch_denies_through_the_ledger(repo: GitopsRepo) -> None:
    first = git(repo.path, "rev-parse", "HEAD")
    repo.commit({"clusters/prod/b.yaml": "kind: ConfigMap\n"})
    repo.record_ledger()
    git(repo.path, "reset", "-q", "--hard", first)
    failed = failed_checks(repo)
    assert "ledger" in failed and "ledger-force-push" in failed["ledger"]
