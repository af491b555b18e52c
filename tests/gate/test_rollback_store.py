"""refs/gitwarden/rollbacks: one file per approval, per environment, read back as stored."""

from __future__ import annotations

import pytest
from gate_fixtures import GitopsRepo, git

from gitwarden.attestation.signing_keys import load_signing_key
from gitwarden.errors import UsageError
from gitwarden.gate.rollback_approval import RollbackApproval, sign_rollback_approval
from gitwarden.gate.rollback_store import (
    ROLLBACKS_REF,
    record_rollback_approval,
    stored_rollback_approvals,
)
from gitwarden.sources.git_repository import GitRepository


def envelope(repo: GitopsRepo, environment: str, reason: str = "bad release") -> object:
    move = RollbackApproval(environment, "b" * 40, "a" * 40, reason, "2026-12-01T09:00:00Z")
    return sign_rollback_approval(move, load_signing_key(repo.alice.private))


def test_each_approval_is_kept_under_its_environment(repo: GitopsRepo) -> None:
    store = GitRepository(repo.path)
    kept = [
        record_rollback_approval(store, env, envelope(repo, env, reason))  # type: ignore[arg-type]
        for env, reason in (("prod", "one"), ("prod", "two"), ("staging", "three"))
    ]
    prod = stored_rollback_approvals(store, "prod")
    assert sorted(stored.name for stored in prod) == sorted(kept[:2])
    assert [s.name for s in stored_rollback_approvals(store, "staging")] == [kept[2]]


def test_a_malformed_file_in_the_ref_is_read_with_its_problem(repo: GitopsRepo) -> None:
    store = GitRepository(repo.path)
    record_rollback_approval(store, "prod", envelope(repo, "prod"))  # type: ignore[arg-type]
    # Someone with push access adds a file of their own to the environment's folder.
    blob = store.write_object("blob", b"not json")
    inner = git(repo.path, "ls-tree", f"{ROLLBACKS_REF}:prod")
    listing = f"{inner}\n100644 blob {blob}\trollback-forged.json\n"
    folder = store.run("mktree", input_bytes=listing.encode()).strip()
    top = store.run("mktree", input_bytes=f"040000 tree {folder}\tprod\n".encode()).strip()
    git(repo.path, "update-ref", ROLLBACKS_REF, git(repo.path, "commit-tree", top, "-m", "x"))
    problems = {s.name: s.problem for s in stored_rollback_approvals(store, "prod")}
    assert problems.pop("prod/rollback-forged.json") is not None
    assert list(problems.values()) == [None]


@pytest.mark.parametrize("environment", ["", "../prod", "a/b", ".hidden"])
def test_an_environment_that_cannot_name_a_folder_is_refused(
    repo: GitopsRepo, environment: str
) -> None:
    with pytest.raises(UsageError):
        record_rollback_approval(
            GitRepository(repo.path),
            environment,
            envelope(repo, "prod"),  # type: ignore[arg-type]
        )
