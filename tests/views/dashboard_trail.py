"""A real audit trail for the dashboard: git repositories, gate decisions and fleet scans.

Decisions are recorded the way the gate records them (`record_gate_decision` with a real
`DecisionPredicate`); scan reports the way `fleet scan` records them.
"""

from __future__ import annotations

import os
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
from gitwarden.attestation.signing_keys import SigningKey, load_signing_key
from gitwarden.commands.audit import record_gate_decision

GIT_ENV = {
    **os.environ,
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_AUTHOR_NAME": "Alice Example",
    "GIT_AUTHOR_EMAIL": "alice@example.org",
    "GIT_COMMITTER_NAME": "Alice Example",
    "GIT_COMMITTER_EMAIL": "alice@example.org",
}
HOSTILE_TEXT = '"><img src=x onerror=alert(1)><script>alert(2)</script>'
IMAGE = "sha256:" + "ab" * 32
PRIVILEGED_POD = """\
apiVersion: v1
kind: Pod
metadata:
  name: root-shell
  namespace: tools
spec:
  containers:
    - name: shell
      image: registry.example.com/shell:1.0@sha256:{digest}
      securityContext:
        privileged: true
""".replace("{digest}", "0123456789abcdef" * 4)


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(repo), *args], env=GIT_ENV, capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


def make_repo(path: Path, files: dict[str, str]) -> Path:
    path.mkdir(parents=True)
    git(path, "init", "-q", "-b", "main")
    for name, text in files.items():
        (path / name).parent.mkdir(parents=True, exist_ok=True)
        (path / name).write_text(text)
    git(path, "add", "-A")
    git(path, "commit", "-q", "--allow-empty", "-m", "initial manifests")
    return path


def commit(repo: Path, subject: str) -> CommitRecord:
    (repo / "CHANGELOG").write_text(subject + "\n")
    git(repo, "add", "CHANGELOG")
    git(repo, "commit", "-q", "-m", subject)
    return CommitRecord(git(repo, "rev-parse", "HEAD"), "alice", "alice@example.org", subject)


def signing_key(folder: Path) -> SigningKey:
    folder.mkdir(parents=True, exist_ok=True)
    private = folder / "writer"
    subprocess.run(
        ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "writer", "-f", str(private)],
        check=True,
        capture_output=True,
    )
    return load_signing_key(private)


@dataclass(frozen=True)
class Trail:
    store_url: str
    key: SigningKey
    repo: Path
    released: CommitRecord  # allowed to staging, then prod
    rejected: CommitRecord  # denied in prod
    unrelated: CommitRecord  # allowed in another repository


def predicate(
    repo: Path,
    revision: CommitRecord,
    environment: str,
    decision: str,
    day: int,
    *,
    reasons: tuple[str, ...] = (),
    checks: tuple[CheckResult, ...] = (CheckResult("signatures", "pass", "all signed"),),
) -> DecisionPredicate:
    return DecisionPredicate(
        repository=str(repo),
        revision=revision.sha,
        environment=environment,
        decision="allow" if decision == "allow" else "deny",
        decided_at=f"2026-11-{day:02d}T12:00:00Z",
        gitwarden_version="0.1.0",
        reasons=reasons,
        checks=checks,
        commits=(revision,),
        approvals=(Approval("dave", "release-manager", "ship it"),),
        images=(ImageRecord(IMAGE, "registry.example.com/app:1"),) if decision == "allow" else (),
    )


def gate_trail(tmp_path: Path) -> Trail:
    """Two repositories; one revision goes staging → prod, a later one is denied in prod."""
    store_url = f"sqlite:///{tmp_path / 'audit.db'}"
    key = signing_key(tmp_path / "keys")
    repo = make_repo(tmp_path / "payments", {"deploy/pod.yaml": PRIVILEGED_POD})
    other = make_repo(tmp_path / "ledger", {"deploy/pod.yaml": PRIVILEGED_POD})
    released = commit(repo, "release 1.0")
    rejected = commit(repo, "unsigned hotfix")
    unrelated = commit(other, "ledger release")
    denied_checks = (
        CheckResult("signatures", "fail", "1 unsigned commit", 1),
        CheckResult("scan", "pass", "no finding at or above high"),
    )
    for item in (
        predicate(repo, released, "staging", "allow", 1),
        predicate(repo, released, "prod", "allow", 2),
        predicate(other, unrelated, "prod", "allow", 3),
        predicate(
            repo, rejected, "prod", "deny", 4, reasons=("1 unsigned commit",), checks=denied_checks
        ),
    ):
        record_gate_decision(store_url, item, key)
    return Trail(store_url, key, repo, released, rejected, unrelated)


def record_hostile_decision(trail: Trail) -> None:
    """A decision whose scanned strings are markup: environment, reason and check summary."""
    hostile = predicate(
        trail.repo,
        trail.rejected,
        HOSTILE_TEXT,
        "deny",
        5,
        reasons=(HOSTILE_TEXT, "line one\nline two"),
        checks=(CheckResult("scan", "fail", HOSTILE_TEXT, 1),),
    )
    record_gate_decision(trail.store_url, hostile, trail.key)
