"""Reading the approvals of commits: DSSE statements in refs/gitwarden/approvals and the
legacy notes, each found by the commit it names and verified later, by verification."""

from __future__ import annotations

from pathlib import Path

from integrity_fixtures import SshKey, commit, git, make_repo
from legacy_approval_notes import approve as legacy_approve

from gitwarden.attestation.dsse import Envelope, EnvelopeSignature
from gitwarden.commands.trust import TrustApproveOptions, trust_approve
from gitwarden.integrity.approvals import (
    NOTES_REF,
    commit_approvals,
    legacy_note_approvals,
)
from gitwarden.sources.approval_store import APPROVAL, APPROVALS_REF, record
from gitwarden.sources.git_repository import GitRepository


def repo_with_commit(tmp_path: Path, keys: dict[str, SshKey]) -> tuple[GitRepository, str]:
    repo = make_repo(tmp_path / "repo")
    return GitRepository(repo), commit(repo, {"a.txt": "a"}, "change", keys["alice"])


def test_a_trust_approve_statement_names_the_commit_and_its_tree(
    tmp_path: Path, keys: dict[str, SshKey]
) -> None:
    repo, oid = repo_with_commit(tmp_path, keys)
    trust_approve(repo.path, None, TrustApproveOptions(oid, keys["bob"].private))
    (found,) = commit_approvals(repo).of(oid)
    tree = git(repo.path, "rev-parse", f"{oid}^{{tree}}")
    assert (found.tree, found.legacy, found.source.startswith(APPROVALS_REF)) == (
        tree,
        False,
        True,
    )


def test_a_legacy_note_is_read_and_marked_legacy(tmp_path: Path, keys: dict[str, SshKey]) -> None:
    repo, oid = repo_with_commit(tmp_path, keys)
    signature = legacy_approve(repo, oid, keys["bob"].private)
    (found,) = commit_approvals(repo).of(oid)
    assert (found.signature, found.legacy, found.source, found.tree) == (
        signature,
        True,
        NOTES_REF,
        None,
    )


def test_both_stores_are_read_together(tmp_path: Path, keys: dict[str, SshKey]) -> None:
    repo, oid = repo_with_commit(tmp_path, keys)
    legacy_approve(repo, oid, keys["bob"].private)
    trust_approve(repo.path, None, TrustApproveOptions(oid, keys["carol"].private))
    assert sorted(a.legacy for a in commit_approvals(repo).of(oid)) == [False, True]
    assert [a.legacy for a in legacy_note_approvals(repo).of(oid)] == [True]


def test_a_record_that_is_no_approval_statement_is_skipped(
    tmp_path: Path, keys: dict[str, SshKey]
) -> None:
    repo, oid = repo_with_commit(tmp_path, keys)
    junk = Envelope("application/vnd.in-toto+json", b"{}", (EnvelopeSignature("k", b"sig"),))
    record(repo, APPROVAL, junk)
    assert commit_approvals(repo).of(oid) == ()


def test_the_digest_changes_with_each_approval(tmp_path: Path, keys: dict[str, SshKey]) -> None:
    repo, oid = repo_with_commit(tmp_path, keys)
    before = commit_approvals(repo).digest(oid)
    trust_approve(repo.path, None, TrustApproveOptions(oid, keys["bob"].private))
    once = commit_approvals(repo).digest(oid)
    legacy_approve(repo, oid, keys["carol"].private)
    assert len({before, once, commit_approvals(repo).digest(oid)}) == 3
    assert before == "-"
