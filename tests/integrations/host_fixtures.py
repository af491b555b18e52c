"""Real git repositories and keys for the integration tests, built in tmp_path."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

REPOSITORY_ROOT = Path(__file__).resolve().parents[2]

GIT_ENV = {
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": "/dev/null",
    "GIT_AUTHOR_NAME": "Test",
    "GIT_AUTHOR_EMAIL": "test@example.com",
    "GIT_COMMITTER_NAME": "Test",
    "GIT_COMMITTER_EMAIL": "test@example.com",
}

PRIVILEGED_POD = """\
apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
    - name: web
      image: nginx:1.27
      securityContext:
        privileged: true
"""

CLEAN_CONFIGMAP = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  namespace: apps
data:
  greeting: hello
"""


def host_env(**extra: str) -> dict[str, str]:
    return {**os.environ, **GIT_ENV, **extra}


def git(repo: Path, *args: str, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(
        ["git", "-C", str(repo), *args],
        capture_output=True,
        text=True,
        env=env or host_env(),
        check=False,
    )
    if done.returncode != 0:
        raise AssertionError(f"git {' '.join(args)} failed: {done.stderr}")
    return done.stdout.strip()


def make_repo(path: Path, files: dict[str, str] | None = None) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    git(path, "init", "-q", "-b", "main")
    for name, text in (files or {}).items():
        target = path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)
    return path


def commit_all(repo: Path, message: str = "change", signing_key: Path | None = None) -> str:
    git(repo, "add", "-A")
    signing = (
        ["-c", "gpg.format=ssh", "-c", f"user.signingkey={signing_key}"] if signing_key else []
    )
    sign = ["-S"] if signing_key else []
    git(
        repo,
        "-c",
        "commit.gpgsign=false",
        *signing,
        "commit",
        "-q",
        "--no-verify",
        *sign,
        "-m",
        message,
    )
    return git(repo, "rev-parse", "HEAD")


def ssh_key(folder: Path, name: str) -> Path:
    """A fresh ed25519 key without passphrase; returns the private key (``.pub`` beside it)."""
    folder.mkdir(parents=True, exist_ok=True)
    private = folder / name
    subprocess.run(
        ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", str(private)],
        check=True,
        capture_output=True,
    )
    return private


def clone_of_this_worktree(target: Path) -> Path:
    """A git repository holding this worktree's package as it is now, committed.

    What pip needs to install gitwarden (pyproject, README, LICENSE, src) and the files the
    hosts read, so tests see uncommitted edits too.
    """
    target.mkdir(parents=True)
    for name in ("pyproject.toml", "README.md", "LICENSE", ".pre-commit-hooks.yaml", "action.yml"):
        if (REPOSITORY_ROOT / name).exists():
            shutil.copy2(REPOSITORY_ROOT / name, target / name)
    for folder in ("src", "ci"):
        if (REPOSITORY_ROOT / folder).exists():
            shutil.copytree(
                REPOSITORY_ROOT / folder,
                target / folder,
                ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"),
            )
    git(target, "init", "-q", "-b", "main")
    commit_all(target, "gitwarden")
    return target
