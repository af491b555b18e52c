"""An audit trail filled by real `gitwarden gate` runs: a signed GitOps repository with a
trust policy, a ledger, a review policy and real ssh-keygen keys, deployed to prod three
times (allow, deny, allow) after a staging deployment, plus a gate run for an environment
whose name is markup.

The deny is an unsigned hotfix whose commit subject and author name are hostile markup; the
second allow carries a signed approval by bob, so the trail holds commits, signers,
approvers, images and reasons as the gate recorded them.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import yaml

from gitwarden.attestation.signing_keys import SigningKey, load_signing_key
from gitwarden.commands.approve import ApproveOptions, approve
from gitwarden.commands.gate import GateOptions, GateResult, gate
from gitwarden.integrity.ledger import record
from gitwarden.sources.git_repository import GitRepository

HOSTILE_MARKUP = '"><img src=x onerror=alert(1)><script>alert(2)</script>'
DIGEST = "sha256:" + "0123456789abcdef" * 4
FIRST_DAY = datetime(2026, 11, 2, 12, 0, tzinfo=UTC)
DEPLOYMENT = f"""\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  selector:
    matchLabels: {{app: web}}
  template:
    metadata:
      labels: {{app: web}}
    spec:
      containers:
        - name: web
          image: ghcr.io/example/web@{DIGEST}
"""
ENVIRONMENTS = {
    "staging": {
        "branches": ["main"],
        "paths": ["clusters/**"],
        "fail_on": "high",
        "require": ["signatures", "ledger"],
    },
    "prod": {
        "branches": ["main"],
        "paths": ["clusters/prod/**"],
        "fail_on": "high",
        "require": ["signatures", "ledger", "review", "images"],
    },
}
# Outside every environment's paths: what `fleet scan` finds, never what a gate judges.
PRIVILEGED_DEBUG_POD = """\
apiVersion: v1
kind: Pod
metadata:
  name: root-shell
  namespace: tools
spec:
  containers:
    - name: shell
      image: registry.example.com/shell:1.0
      securityContext:
        privileged: true
"""


@dataclass(frozen=True)
class GatedTrail:
    store_url: str
    gate_key: SigningKey
    gate_public: Path
    repo: Path
    # staging allow; prod allow, deny (the hotfix), allow; the hostile environment's deny.
    decisions: tuple[GateResult, ...]

    @property
    def first(self) -> str:
        return self.decisions[0].decision.revision

    @property
    def hotfix(self) -> str:
        return self.decisions[2].decision.revision

    @property
    def second(self) -> str:
        return self.decisions[3].decision.revision


def _git(repo: Path, *args: str, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(
        ["git", "-C", str(repo), *args],
        env={**os.environ, **_identity("Alice", "alice@example.com"), **(env or {})},
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


def _identity(name: str, email: str) -> dict[str, str]:
    return {
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_AUTHOR_NAME": name,
        "GIT_AUTHOR_EMAIL": email,
        "GIT_COMMITTER_NAME": name,
        "GIT_COMMITTER_EMAIL": email,
    }


def _keygen(folder: Path, name: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", str(folder / name)],
        check=True,
        capture_output=True,
    )
    return folder / name


def _commit(
    repo: Path, files: dict[str, str], subject: str, key: Path | None, author: str = "Alice"
) -> str:
    for name, text in files.items():
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_text(text)
    _git(repo, "add", "-A")
    signing = ["-c", "gpg.format=ssh", "-c", f"user.signingkey={key}", "commit", "-S"]
    command = signing if key else ["-c", "commit.gpgsign=false", "commit"]
    _git(repo, *command, "-q", "--allow-empty", "-m", subject, env={"GIT_AUTHOR_NAME": author})
    return _git(repo, "rev-parse", "HEAD")


def gated_trail(root: Path) -> GatedTrail:
    keys = root / "keys"
    alice, bob, gate_key = (_keygen(keys, name) for name in ("alice", "bob", "gate"))
    repo = root / "shop"
    repo.mkdir()
    _git(repo, "init", "-q", "-b", "main")
    trust = {
        "version": 1,
        "principals": {
            "alice": {"ssh_keys": [Path(f"{alice}.pub").read_text().strip()]},
            "bob": {"ssh_keys": [Path(f"{bob}.pub").read_text().strip()]},
        },
        "rules": [{"branches": ["main"], "principals": ["alice"]}],
        "ledger_recorders": ["alice"],
    }
    review = {"rules": [{"name": "four-eyes", "branches": ["main"], "approvals": 1}]}
    first = _commit(
        repo,
        {
            ".gitwarden/trust.yaml": yaml.safe_dump(trust),
            ".gitwarden/review.yaml": yaml.safe_dump(review),
            ".gitwarden.yaml": yaml.safe_dump({"environments": ENVIRONMENTS}),
            "clusters/prod/web.yaml": DEPLOYMENT,
            "debug/pod.yaml": PRIVILEGED_DEBUG_POD,
        },
        "shop: first release",
        alice,
    )
    record(GitRepository(repo), alice)
    store_url = f"sqlite:///{root / 'audit.db'}"
    runs: list[GateResult] = []

    def run(revision: str, environment: str = "prod") -> GateResult:
        moment = FIRST_DAY + timedelta(days=len(runs))
        options = GateOptions(
            revision=revision,
            environment=environment,
            audit=store_url,
            signing_key=gate_key,
            now=moment,
        )
        runs.append(gate(repo, None, options))
        return runs[-1]

    assert run(first, "staging").allowed
    assert run(first).allowed
    # An unsigned hotfix on a side branch, with markup for a subject and an author name.
    _git(repo, "checkout", "-q", "-b", "hotfix")
    hotfix = _commit(
        repo,
        {"clusters/prod/x.yaml": "kind: ConfigMap\n"},
        HOSTILE_MARKUP,
        None,
        author=HOSTILE_MARKUP,
    )
    assert not run(hotfix).allowed
    _git(repo, "checkout", "-q", "main")
    second = _commit(repo, {"clusters/prod/y.yaml": "kind: ConfigMap\n"}, "shop: 1.1", alice)
    record(GitRepository(repo), alice)
    approve(repo, ApproveOptions(f"{first}..{second}", "checked 1.1", bob, branch="main"))
    assert run(second).allowed
    assert run(second, HOSTILE_MARKUP).errored  # an undeclared environment: a recorded deny
    return GatedTrail(
        store_url, load_signing_key(gate_key), Path(f"{gate_key}.pub"), repo, tuple(runs)
    )
