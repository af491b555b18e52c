"""Real repositories for the review tests: the issue's policy and people, git and ssh-keygen."""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import yaml

from gitwarden.commands.approve import ApproveOptions, approve
from gitwarden.commands.delegate import DelegateOptions, delegate
from gitwarden.commands.review import ReviewOptions, ReviewResult, review

PEOPLE = ("alice", "bob", "carol", "dave")
NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
# The policy of issue 15, exactly as written there.
ISSUE_POLICY = """\
# .gitwarden/review.yaml
groups:
  security: [carol]
  product-owners: [dave]
blind_approvals: [lgtm, "+1", approved, ok]   # messages that are not a review
rules:
  - name: four-eyes
    branches: [main]
    approvals: 1
  - name: large-change
    branches: [main]
    when: {changed_files_at_least: 10}
    approvals: 2
  - name: security-review
    branches: [main]
    when: {paths: ["rbac/**", ".gitwarden/**"]}
    approvals: 1
    from: [security]
  - name: production
    branches: [main]
    when: {paths: ["clusters/prod/**"]}
    approvals: 1
    from: [product-owners]
    delegation: true          # a signed, time-limited delegation by a product owner counts
"""
ROLE = """\
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: deployer, namespace: apps}
rules:
  - apiGroups: [""]
    resources: [pods]
    verbs: [get]
"""
CONFIG_MAP = """\
apiVersion: v1
kind: ConfigMap
metadata: {name: settings, namespace: apps}
data: {level: "%s"}
"""


@dataclass(frozen=True)
class SshKey:
    private: Path
    public: Path

    @property
    def public_line(self) -> str:
        return self.public.read_text().strip()


ReviewKeys = dict[str, SshKey]


def ssh_key(folder: Path, name: str) -> SshKey:
    private = folder / name
    subprocess.run(
        ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", str(private)],
        check=True,
        capture_output=True,
    )
    return SshKey(private, folder / f"{name}.pub")


def person_env(author: str, committer: str | None = None) -> dict[str, str]:
    committer = committer or author
    return {
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": "/dev/null",
        "GIT_AUTHOR_NAME": author,
        "GIT_AUTHOR_EMAIL": f"{author}@example.com",
        "GIT_COMMITTER_NAME": committer,
        "GIT_COMMITTER_EMAIL": f"{committer}@example.com",
    }


def git(repo: Path, *args: str, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(
        ["git", "-C", str(repo), *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or person_env("alice"))},
        check=False,
    )
    if done.returncode != 0:
        raise AssertionError(f"git {' '.join(args)} failed: {done.stderr}")
    return done.stdout.strip()


def trust_policy(keys: ReviewKeys) -> str:
    principals = {
        name: {
            "email": [f"{name}@example.com"],
            "github": f"{name}-gh",
            "gitlab": f"{name}-gl",
            "ssh_keys": [keys[name].public_line],
        }
        for name in PEOPLE
    }
    return yaml.safe_dump({"version": 1, "principals": principals}, sort_keys=False)


def commit(
    repo: Path,
    files: dict[str, str | None],
    message: str = "change",
    *,
    author: str = "alice",
    committer: str | None = None,
) -> str:
    for name, text in files.items():
        target = repo / name
        if text is None:
            target.unlink()
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)
    env = person_env(author, committer)
    git(repo, "add", "-A", env=env)
    git(repo, "-c", "commit.gpgsign=false", "commit", "-q", "--allow-empty", "-m", message, env=env)
    return git(repo, "rev-parse", "HEAD", env=env)


def make_review_repo(
    path: Path, keys: ReviewKeys, policy: str = ISSUE_POLICY, files: dict[str, str] | None = None
) -> Path:
    """main holds the trust and review policies (and ``files``); ``change`` branches off it."""
    path.mkdir(parents=True)
    git(path, "init", "-q", "-b", "main")
    commit(
        path,
        {
            ".gitwarden/trust.yaml": trust_policy(keys),
            ".gitwarden/review.yaml": policy,
            "apps/settings.yaml": CONFIG_MAP % "info",
            **(files or {}),
        },
        "policies",
        author="dave",
    )
    git(path, "checkout", "-q", "-b", "change")
    return path


def approve_change(
    repo: Path, key: SshKey, message: str = "Read the diff: the new level is what ops asked."
) -> None:
    approve(repo, ApproveOptions("main..change", message, signing_key=key.private, now=NOW))


def delegate_role(
    repo: Path, key: SshKey, to: str, until: date, *, role: str = "product-owners"
) -> None:
    options = DelegateOptions(to, role, until, "on leave", signing_key=key.private, now=NOW)
    delegate(repo, options)


def review_change(repo: Path, *, now: datetime = NOW, **options: object) -> ReviewResult:
    return review(repo, None, ReviewOptions("main", "change", now=now, **options))  # type: ignore[arg-type]


def verdict(result: ReviewResult, name: str) -> object:
    return next(v for v in result.rules if v.name == name)
