"""refs/gitwarden/approvals: records accumulate as commits; malformed ones are kept as such."""

from __future__ import annotations

import subprocess
from datetime import UTC, datetime
from pathlib import Path

from gitwarden.attestation.approval_statements import ApprovalClaim
from gitwarden.attestation.dsse import Envelope, EnvelopeSignature
from gitwarden.attestation.statement import IN_TOTO_PAYLOAD_TYPE
from gitwarden.sources.approval_store import APPROVAL, APPROVALS_REF, record, stored_records
from gitwarden.sources.git_repository import GitRepository

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
CLAIM = ApprovalClaim("refs/heads/main", "b" * 40, "h" * 40, "t" * 40, "read it all", NOW)
WRITER = {
    "GIT_AUTHOR_NAME": "mallory",
    "GIT_AUTHOR_EMAIL": "mallory@example.com",
    "GIT_COMMITTER_NAME": "mallory",
    "GIT_COMMITTER_EMAIL": "mallory@example.com",
}


def envelope(signer: str) -> Envelope:
    """An envelope as `gitwarden approve` writes it; the store keeps claims and verifies
    nothing, so the signature's bytes are the signer's name."""
    payload = CLAIM.statement().to_bytes()
    return Envelope(IN_TOTO_PAYLOAD_TYPE, payload, (EnvelopeSignature(signer, signer.encode()),))


def make_repo(path: Path) -> GitRepository:
    subprocess.run(["git", "init", "-q", str(path)], check=True)
    return GitRepository(path)


def test_each_record_adds_a_commit_to_the_ref(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    for name in ("bob", "carol"):
        record(repo, APPROVAL, envelope(name))
    assert len(stored_records(repo)) == 2
    assert repo.run("rev-list", "--count", APPROVALS_REF).strip() == "2"


def test_a_repository_without_the_ref_has_no_records(tmp_path: Path) -> None:
    assert stored_records(make_repo(tmp_path / "repo")) == ()


def test_a_malformed_record_is_kept_with_its_problem(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    record(repo, APPROVAL, envelope("bob"))
    blob = repo.write_object("blob", b"not json")
    listing = repo.run("ls-tree", APPROVALS_REF).strip()
    tree = repo.run(
        "mktree", input_bytes=f"{listing}\n100644 blob {blob}\tapproval-x.json\n".encode()
    ).strip()
    commit = repo.run("commit-tree", tree, "-m", "x", env=WRITER).strip()
    repo.run("update-ref", APPROVALS_REF, commit)
    problems = [r.problem for r in stored_records(repo) if r.envelope is None]
    assert len(problems) == 1 and "not a DSSE envelope" in str(problems[0])
