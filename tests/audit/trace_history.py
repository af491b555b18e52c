"""A real repository deployed three times to prod, recorded as the gate will record it."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

from gitwarden.attestation.decision_predicate import (
    Approval,
    CheckResult,
    CommitRecord,
    DecisionPredicate,
    ImageRecord,
)
from gitwarden.attestation.signing_keys import SigningKey
from gitwarden.audit.decision_entries import gate_decision_entry
from gitwarden.audit.entries import EntryDraft, EntryKind
from gitwarden.audit.store import AuditStore

IMAGES = ["sha256:" + digit * 64 for digit in "abc"]


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(repo), *args], check=True, capture_output=True, text=True
    )
    return done.stdout.strip()


def make_commit(repo: Path, author: str, subject: str) -> CommitRecord:
    (repo / "deploy.yaml").write_text(f"# {subject}\n")
    git(repo, "add", "deploy.yaml")
    git(
        repo,
        "-c",
        f"user.name={author}",
        "-c",
        f"user.email={author}@example.com",
        "commit",
        "-q",
        "-m",
        subject,
    )
    sha = git(repo, "rev-parse", "HEAD")
    return CommitRecord(sha=sha, author=author, signer=f"{author}@example.com", subject=subject)


@dataclass(frozen=True)
class History:
    deployments: tuple[DecisionPredicate, ...]
    denied: DecisionPredicate


def three_deployments(repo: Path, store: AuditStore, key: SigningKey) -> History:
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    batches = [
        [make_commit(repo, "alice", "first app"), make_commit(repo, "bob", "add service")],
        [make_commit(repo, "carol", "bump image"), make_commit(repo, "alice", "tune limits")],
        [make_commit(repo, "bob", "new ingress")],
    ]
    predicates = []
    base = None
    for number, commits in enumerate(batches):
        revision = commits[-1].sha
        predicate = DecisionPredicate(
            repository=str(repo),
            revision=revision,
            environment="prod",
            decision="allow",
            decided_at=f"2026-11-0{number + 1}T12:00:00Z",
            gitwarden_version="0.1.0",
            checks=(CheckResult("signatures", "pass"),),
            base_revision=base,
            commits=tuple(commits),
            approvals=(Approval("dave", "product-owner", f"ship batch {number + 1}"),),
            images=(ImageRecord(IMAGES[number], f"registry.example/app:{number + 1}"),),
        )
        store.append(
            EntryDraft(
                EntryKind.REVIEW_VERDICT,
                str(repo),
                {"verdict": "approved", "approvals": [{"approver": "dave"}]},
                "prod",
                revision,
            ),
            key,
        )
        store.append(gate_decision_entry(predicate, None), key)
        predicates.append(predicate)
        base = revision
    denied = DecisionPredicate(
        repository=str(repo),
        revision=batches[1][0].sha,
        environment="staging",
        decision="deny",
        decided_at="2026-11-04T12:00:00Z",
        gitwarden_version="0.1.0",
        reasons=("1 unsigned commit",),
    )
    store.append(gate_decision_entry(denied, None), key)
    return History(tuple(predicates), denied)
