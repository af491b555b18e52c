"""Ancestry: REV descends from what is deployed; a rollback needs a signed approval."""

from __future__ import annotations

from pathlib import Path

from gate_fixtures import (
    GitopsRepo,
    git,
)

from gitwarden.attestation.signing_keys import load_signing_key
from gitwarden.gate.rollback_approval import RollbackApproval, sign_rollback_approval


def test_a_rollback_is_denied_then_allowed_with_a_signed_approval(
    repo: GitopsRepo, tmp_path: Path
) -> None:
    first = git(repo.path, "rev-parse", "HEAD")
    assert repo.gate(first).allowed
    second = repo.commit({"clusters/prod/b.yaml": "kind: ConfigMap\n"})
    repo.record_ledger()
    assert repo.gate(second).allowed
    denied = repo.gate(first)
    assert not denied.allowed and "rollback" in denied.summary
    assert "gate-rollback-unapproved" in {f.rule_id for f in denied.report.findings}
    approval = tmp_path / "rollback.json"
    move = RollbackApproval("prod", second, first, "bad release", "2026-12-01T09:00:00Z")
    approval.write_bytes(
        sign_rollback_approval(move, load_signing_key(repo.alice.private)).to_bytes()
    )
    assert repo.gate(first, rollback_approval=approval).allowed


def test_a_rollback_approval_signed_by_an_outsider_is_refused(
    repo: GitopsRepo, tmp_path: Path
) -> None:
    first = git(repo.path, "rev-parse", "HEAD")
    assert repo.gate(first).allowed
    second = repo.commit({"clusters/prod/b.yaml": "kind: ConfigMap\n"})
    repo.record_ledger()
    assert repo.gate(second).allowed
    approval = tmp_path / "rollback.json"
    move = RollbackApproval("prod", second, first, "trust me", "2026-12-01T09:00:00Z")
    approval.write_bytes(
        sign_rollback_approval(move, load_signing_key(repo.mallory.private)).to_bytes()
    )
    denied = repo.gate(first, rollback_approval=approval)
    assert not denied.allowed and "approval refused" in denied.summary


def test_a_revision_not_descending_from_the_deployed_one_after_a_reset_is_a_rollback(
    repo: GitopsRepo,
) -> None:
    assert repo.gate().allowed
    side = repo.commit({"clusters/prod/b.yaml": "kind: ConfigMap\n"})
    git(repo.path, "checkout", "-q", "--detach", "HEAD~1")
    other = repo.commit({"clusters/prod/c.yaml": "kind: ConfigMap\n"})
    git(repo.path, "checkout", "-q", "main")
    assert repo.gate(side).allowed
    assert "rollback" in repo.gate(other).summary
