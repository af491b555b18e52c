"""Signatures: every commit since the last deployment signed under the base's trust policy."""

from __future__ import annotations

from gate_fixtures import GitopsRepo, failed_checks


def test_an_unsigned_commit_since_the_deployment_denies(repo: GitopsRepo) -> None:
    assert repo.gate().allowed
    repo.commit({"clusters/prod/x.yaml": "kind: ConfigMap\n"}, signed=False)
    assert "unsigned-commit" in failed_checks(repo)["signatures"]


def test_signed_commits_since_the_deployment_pass(repo: GitopsRepo) -> None:
    assert repo.gate().allowed
    repo.commit({"clusters/prod/x.yaml": "kind: ConfigMap\n"})
    repo.record_ledger()
    result = repo.gate()
    assert result.allowed
    assert {r.name: r.summary for r in result.decision.results}["signatures"] == (
        "1 commits verified"
    )
