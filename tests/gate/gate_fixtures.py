"""A GitOps repository walked through the gate: real git, real ssh-keygen keys, a real ledger."""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import yaml

from gitwarden.commands.gate import GateOptions, GateResult, gate
from gitwarden.integrity.ledger import record
from gitwarden.secrets.rule_spec import ALNUM, fill
from gitwarden.sources.git_repository import GitRepository

GIT_ENV = {
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": "/dev/null",
    "GIT_AUTHOR_NAME": "Alice",
    "GIT_AUTHOR_EMAIL": "alice@example.com",
    "GIT_COMMITTER_NAME": "Alice",
    "GIT_COMMITTER_EMAIL": "alice@example.com",
}
NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
DIGEST = "sha256:" + "0123456789abcdef" * 4
CLEAN_MANIFEST = f"""apiVersion: v1
kind: Namespace
metadata:
  name: shop
  labels:
    pod-security.kubernetes.io/enforce: restricted
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  replicas: 2
  selector:
    matchLabels: {{app: web}}
  template:
    metadata:
      labels: {{app: web}}
    spec:
      automountServiceAccountToken: false
      securityContext:
        runAsNonRoot: true
        seccompProfile: {{type: RuntimeDefault}}
      containers:
        - name: web
          image: ghcr.io/example/web@{DIGEST}
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            runAsUser: 10001
            capabilities: {{drop: [ALL]}}
          resources:
            requests: {{cpu: 100m, memory: 64Mi}}
            limits: {{cpu: 500m, memory: 128Mi}}
"""
PROD_ENVIRONMENT = {
    "branches": ["main"],
    "paths": ["clusters/prod/**"],
    "fail_on": "high",
    "require": ["signatures", "ledger", "manifests", "secrets", "images"],
}


def git(repo: Path, *args: str, check: bool = True) -> str:
    done = subprocess.run(
        ["git", "-C", str(repo), *args],
        capture_output=True,
        text=True,
        env={**os.environ, **GIT_ENV},
        check=False,
    )
    if check and done.returncode != 0:
        raise AssertionError(f"git {' '.join(args)} failed: {done.stderr}")
    return done.stdout.strip()


@dataclass(frozen=True)
class SshKey:
    private: Path
    public: Path

    @property
    def public_line(self) -> str:
        return self.public.read_text().strip()


def ssh_key(folder: Path, name: str) -> SshKey:
    folder.mkdir(parents=True, exist_ok=True)
    private = folder / name
    subprocess.run(
        ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", str(private)],
        check=True,
        capture_output=True,
    )
    return SshKey(private, folder / f"{name}.pub")


def commit(repo: Path, files: dict[str, str | None], message: str, key: SshKey | None) -> str:
    """Write (or, for None, delete) ``files`` and commit, signed with ``key`` when given."""
    for name, text in files.items():
        target = repo / name
        if text is None:
            target.unlink()
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)
    git(repo, "add", "-A")
    sign = ["-c", "gpg.format=ssh", "-c", f"user.signingkey={key.private}"] if key else []
    flag = ["-S"] if key else []
    git(
        repo,
        "-c",
        "commit.gpgsign=false",
        *sign,
        "commit",
        "-q",
        "--allow-empty",
        *flag,
        "-m",
        message,
    )
    return git(repo, "rev-parse", "HEAD")


def gitwarden_yaml(environment: dict[str, object] | None = None, **extra: object) -> str:
    document: dict[str, object] = {"environments": {"prod": environment or PROD_ENVIRONMENT}}
    document.update(extra)
    return yaml.safe_dump(document, sort_keys=False)


@dataclass(frozen=True)
class GitopsRepo:
    """The repository, the signer (alice, a trust-policy principal) and the gate's key."""

    path: Path
    alice: SshKey
    mallory: SshKey
    gate_key: SshKey
    audit: str

    def commit(
        self, files: dict[str, str | None], message: str = "change", *, signed: bool = True
    ) -> str:
        return commit(self.path, files, message, self.alice if signed else None)

    def record_ledger(self) -> None:
        record(GitRepository(self.path), self.alice.private)

    def gate(self, revision: str = "HEAD", **options: object) -> GateResult:
        settings: dict[str, object] = {
            "revision": revision,
            "environment": "prod",
            "audit": self.audit,
            "signing_key": self.gate_key.private,
            "now": NOW,
        }
        settings.update(options)
        return gate(self.path, None, GateOptions(**settings))  # type: ignore[arg-type]


def gitops_repo(tmp_path: Path, environment: dict[str, object] | None = None) -> GitopsRepo:
    """A signed repository whose main is recorded in the ledger and deployable to prod."""
    keys = tmp_path / "keys"
    alice, mallory, gate_key = (ssh_key(keys, name) for name in ("alice", "mallory", "gate"))
    path = tmp_path / "gitops"
    path.mkdir()
    git(path, "init", "-q", "-b", "main")
    trust = {
        "version": 1,
        "principals": {"alice": {"ssh_keys": [alice.public_line]}},
        "rules": [{"branches": ["main"], "principals": ["alice"]}],
        "ledger_recorders": ["alice"],
    }
    repo = GitopsRepo(path, alice, mallory, gate_key, f"sqlite:///{tmp_path / 'audit.db'}")
    repo.commit(
        {
            ".gitwarden/trust.yaml": yaml.safe_dump(trust, sort_keys=False),
            ".gitwarden.yaml": gitwarden_yaml(environment),
            "clusters/prod/app.yaml": CLEAN_MANIFEST,
        },
        "gitops repository",
    )
    repo.record_ledger()
    return repo


GITHUB_TOKEN = "ghp_" + fill("gate-tests-github", 36, ALNUM)


PRIVILEGED = CLEAN_MANIFEST.replace(
    "allowPrivilegeEscalation: false",
    "allowPrivilegeEscalation: false\n            privileged: true",
)


TAG_ONLY = CLEAN_MANIFEST.replace(f"ghcr.io/example/web@{DIGEST}", "ghcr.io/example/web:1.2")


def failed_checks(repo: GitopsRepo, revision: str = "HEAD") -> dict[str, str]:
    decision = repo.gate(revision).decision
    assert not decision.allowed
    return {r.name: r.summary for r in decision.results if not r.passed}
