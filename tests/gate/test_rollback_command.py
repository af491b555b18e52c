"""`gitwarden.rollback_approve` end to end: a rollback denied, approved, then allowed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from gate_fixtures import NOW, GitopsRepo, SshKey, git

from gitwarden.attestation.signing_keys import load_signing_key
from gitwarden.commands.rollback import RollbackApproveOptions, rollback_approve
from gitwarden.errors import UsageError
from gitwarden.gate.rollback_approval import new_approval, sign_rollback_approval
from gitwarden.gate.rollback_store import ROLLBACKS_REF, record_rollback_approval
from gitwarden.sources.git_repository import GitRepository


@pytest.fixture
def deployed(repo: GitopsRepo) -> tuple[str, str]:
    """Two deployments to prod: the first revision, then the second (running now)."""
    first = git(repo.path, "rev-parse", "HEAD")
    assert repo.gate(first).allowed
    second = repo.commit({"clusters/prod/b.yaml": "kind: ConfigMap\n"})
    repo.record_ledger()
    assert repo.gate(second).allowed
    return first, second


def approve(repo: GitopsRepo, revision: str, key: SshKey, **options: object) -> object:
    settings: dict[str, object] = {
        "environment": "prod",
        "revision": revision,
        "reason": "bad release: roll back",
        "signing_key": key.private,
        "audit": repo.audit,
        "now": NOW - timedelta(minutes=5),
    }
    settings.update(options)
    return rollback_approve(repo.path, None, RollbackApproveOptions(**settings))  # type: ignore[arg-type]


def test_a_denied_rollback_is_allowed_once_a_principal_approves_it(
    repo: GitopsRepo, deployed: tuple[str, str]
) -> None:
    first, _ = deployed
    assert "no signed rollback approval" in repo.gate(first).summary
    approve(repo, first, repo.alice)
    allowed = repo.gate(first)
    assert allowed.allowed
    assert "rollback approved by alice" in {r.summary for r in allowed.decision.results}


@pytest.mark.parametrize(
    ("signer", "options", "words"),
    [
        ("mallory", {}, "no signature verifies under a trusted key"),
        ("alice", {"until": NOW - timedelta(minutes=1)}, "expired at"),
    ],
    ids=["untrusted-key", "expired"],
)
def test_a_rollback_approval_that_does_not_hold_still_denies(
    repo: GitopsRepo,
    deployed: tuple[str, str],
    signer: str,
    options: dict[str, object],
    words: str,
) -> None:
    first, second = deployed
    key = repo.alice if signer == "alice" else repo.mallory
    approve(repo, first, key, from_revision=second, **options)
    denied = repo.gate(first)
    assert not denied.allowed
    assert words in denied.summary


def test_the_move_starts_at_the_revision_the_audit_store_says_runs(
    repo: GitopsRepo, deployed: tuple[str, str]
) -> None:
    first, second = deployed
    result = approve(repo, first, repo.alice)
    assert result.approval.from_revision == second  # type: ignore[attr-defined]
    assert result.approval.to_revision == first  # type: ignore[attr-defined]


def test_the_approval_is_stored_where_the_gate_reads_it(
    repo: GitopsRepo, deployed: tuple[str, str]
) -> None:
    first, _ = deployed
    result = approve(repo, first, repo.alice)
    listed = git(repo.path, "ls-tree", "-r", "--name-only", ROLLBACKS_REF)
    assert listed.splitlines() == [result.record]  # type: ignore[attr-defined]
    assert result.record.startswith("prod/rollback-")  # type: ignore[attr-defined]


def test_the_default_approval_expires_a_day_after_it_is_made(
    repo: GitopsRepo, deployed: tuple[str, str]
) -> None:
    first, _ = deployed
    approve(repo, first, repo.alice, now=NOW - timedelta(hours=25))
    assert "expired at" in repo.gate(first).summary


def test_without_a_recorded_deployment_the_running_revision_must_be_named(
    repo: GitopsRepo,
) -> None:
    head = git(repo.path, "rev-parse", "HEAD")
    repo.commit({"clusters/prod/x.yaml": "kind: ConfigMap\n"}, signed=False)
    assert not repo.gate().allowed  # the store holds a deny, no deployment
    with pytest.raises(UsageError, match="records no deployment") as raised:
        approve(repo, head, repo.alice)
    assert "--from" in (raised.value.hint or "")


def test_an_expiry_before_the_approval_is_refused(
    repo: GitopsRepo, deployed: tuple[str, str]
) -> None:
    first, _ = deployed
    with pytest.raises(UsageError, match="before it is made"):
        approve(repo, first, repo.alice, until=NOW - timedelta(hours=1))


def test_a_reason_is_required(repo: GitopsRepo, deployed: tuple[str, str]) -> None:
    first, _ = deployed
    with pytest.raises(UsageError, match="why"):
        approve(repo, first, repo.alice, reason="  ")


def test_an_approval_stored_for_another_environment_does_not_count(
    repo: GitopsRepo, deployed: tuple[str, str]
) -> None:
    first, second = deployed
    move = new_approval("staging", second, first, "bad release", now=NOW - timedelta(minutes=5))
    envelope = sign_rollback_approval(move, load_signing_key(repo.alice.private))
    record_rollback_approval(GitRepository(repo.path), "staging", envelope)
    assert "no signed rollback approval" in repo.gate(first).summary
