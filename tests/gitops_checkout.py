"""A signed GitOps repository and the checkout a CD tool makes of it, built in tmp_path.

The repository has a trust policy (alice's SSH key), a `.gitwarden.yaml` declaring `prod`
for `clusters/prod/**` and a gate key. `argocd_checkout` clones it the way Argo CD's
repo-server does (`git init`, `git fetch origin --tags --force --prune`, a detached
`git checkout --force REV`), so the branches exist only as `origin/*`.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

import yaml

GIT_ENV = {
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": "/dev/null",
    "GIT_AUTHOR_NAME": "Alice",
    "GIT_AUTHOR_EMAIL": "alice@example.com",
    "GIT_COMMITTER_NAME": "Alice",
    "GIT_COMMITTER_EMAIL": "alice@example.com",
}

CONFIGMAP = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  namespace: shop
data:
  greeting: hello
"""
PROD = {
    "branches": ["main"],
    "paths": ["clusters/prod/**"],
    "fail_on": "high",
    "require": ["signatures", "manifests", "secrets"],
}


def git(folder: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(folder), *args],
        env={**os.environ, **GIT_ENV},
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise AssertionError(f"git {' '.join(args)} failed: {done.stderr}")
    return done.stdout.strip()


def ssh_key(folder: Path, name: str) -> Path:
    """A fresh ed25519 key without passphrase; returns the private key (``.pub`` beside it)."""
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", str(folder / name)],
        check=True,
        capture_output=True,
    )
    return folder / name


def commit_all(repo: Path, message: str, signing_key: Path | None) -> str:
    git(repo, "add", "-A")
    sign = ["-c", "gpg.format=ssh", "-c", f"user.signingkey={signing_key}", "commit", "-S"]
    unsigned = ["commit"]
    git(
        repo,
        "-c",
        "commit.gpgsign=false",
        *(sign if signing_key else unsigned),
        "-q",
        "-m",
        message,
    )
    return git(repo, "rev-parse", "HEAD")


@dataclass(frozen=True)
class SignedRepo:
    path: Path
    alice: Path
    gate_key: Path
    audit: str

    def commit(self, files: dict[str, str], *, signed: bool = True) -> str:
        for name, text in files.items():
            (self.path / name).parent.mkdir(parents=True, exist_ok=True)
            (self.path / name).write_text(text)
        return commit_all(self.path, "change", signing_key=self.alice if signed else None)


def signed_repo(tmp_path: Path, files: dict[str, str] | None = None) -> SignedRepo:
    keys = tmp_path / "keys"
    alice, gate_key = ssh_key(keys, "alice"), ssh_key(keys, "gate")
    trust = {
        "version": 1,
        "principals": {"alice": {"ssh_keys": [Path(f"{alice}.pub").read_text().strip()]}},
        "rules": [{"branches": ["main"], "principals": ["alice"]}],
    }
    path = tmp_path / "gitops"
    path.mkdir()
    git(path, "init", "-q", "-b", "main")
    repo = SignedRepo(path, alice, gate_key, f"sqlite:///{tmp_path / 'audit.db'}")
    repo.commit(
        {
            ".gitwarden/trust.yaml": yaml.safe_dump(trust),
            ".gitwarden.yaml": yaml.safe_dump({"environments": {"prod": PROD}}),
            "clusters/prod/settings.yaml": CONFIGMAP,
            **(files or {}),
        }
    )
    return repo


def argocd_checkout(repo: SignedRepo, revision: str, folder: Path) -> Path:
    """A clone at ``revision`` as Argo CD's repo-server makes it."""
    folder.mkdir(parents=True)
    git(folder, "init", "-q")
    git(folder, "remote", "add", "origin", str(repo.path))
    git(folder, "fetch", "-q", "origin", "--tags", "--force", "--prune")
    git(folder, "checkout", "-q", "--force", revision)
    return folder


GPG_BATCH = ("gpg", "--batch", "--pinentry-mode", "loopback", "--passphrase", "")


def gpg_key(home: Path, email: str) -> str:
    """A fresh ed25519 OpenPGP signing key without passphrase in ``home``; its fingerprint."""
    home.mkdir(mode=0o700, parents=True, exist_ok=True)
    env = {**os.environ, "GNUPGHOME": str(home)}
    subprocess.run(
        [*GPG_BATCH, "--quick-gen-key", email, "ed25519", "sign", "never"],
        check=True,
        capture_output=True,
        env=env,
    )
    listing = subprocess.run(
        ["gpg", "--batch", "--with-colons", "--list-keys", email],
        check=True,
        capture_output=True,
        text=True,
        env=env,
    ).stdout
    return next(line.split(":")[9] for line in listing.splitlines() if line.startswith("fpr"))


def stop_gpg_agent(home: Path) -> None:
    subprocess.run(
        ["gpgconf", "--kill", "gpg-agent"],
        env={**os.environ, "GNUPGHOME": str(home)},
        capture_output=True,
        check=False,
    )
