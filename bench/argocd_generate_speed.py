"""What the Argo CD plugin adds to the gate: `gitwarden argocd generate` against `gitwarden gate`
for the same revision, environment and audit store.

Usage: python bench/argocd_generate_speed.py CORPUS_APP_FOLDER [RUNS]. A signed repository is
built in a temporary folder (ssh-keygen keys, a trust policy, `.gitwarden.yaml` declaring
`prod` for `clusters/prod/**`) with the given application folder (e.g. argocd-example-apps'
`kustomize-guestbook`) as `clusters/prod`, cloned as Argo CD's repo-server clones. Each run
is a fresh process; the figures are the child's user+system CPU time and its wall time.
`generate` also builds the view of the checkout, checks the app folder against the
environment's paths, materialises the revision and renders the application.
"""

from __future__ import annotations

import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
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
GITWARDEN = str(Path(sys.executable).parent / "gitwarden")


def git(folder: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(folder), *args],
        env={**os.environ, **GIT_ENV},
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


def key(folder: Path, name: str) -> Path:
    subprocess.run(
        ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(folder / name)], check=True
    )
    return folder / name


def signed_repository(work: Path, app: Path) -> tuple[Path, Path, str]:
    alice, gate = key(work, "alice"), key(work, "gate")
    repo = work / "gitops"
    shutil.copytree(app, repo / "clusters" / "prod")
    (repo / ".gitwarden").mkdir()
    trust = {
        "version": 1,
        "principals": {"alice": {"ssh_keys": [Path(f"{alice}.pub").read_text().strip()]}},
        "rules": [{"branches": ["main"], "principals": ["alice"]}],
    }
    (repo / ".gitwarden" / "trust.yaml").write_text(yaml.safe_dump(trust))
    prod = {"branches": ["main"], "paths": ["clusters/prod/**"], "require": ["signatures"]}
    (repo / ".gitwarden.yaml").write_text(yaml.safe_dump({"environments": {"prod": prod}}))
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(
        repo,
        "-c",
        "gpg.format=ssh",
        "-c",
        f"user.signingkey={alice}",
        "commit",
        "-q",
        "-S",
        "-m",
        "app",
    )
    return repo, gate, git(repo, "rev-parse", "HEAD")


def timed(command: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, float, int]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return cpu, wall, done.returncode


def main() -> None:
    app = Path(sys.argv[1]).resolve()
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        repo, gate_key, revision = signed_repository(work, app)
        checkout = work / "checkout"
        checkout.mkdir()
        git(checkout, "init", "-q")
        git(checkout, "remote", "add", "origin", str(repo))
        git(checkout, "fetch", "-q", "origin", "--tags", "--force", "--prune")
        git(checkout, "checkout", "-q", "--force", revision)
        env = {
            **os.environ,
            "GITWARDEN_STATE_DIR": str(work / "state"),
            "GITWARDEN_AUDIT_URL": f"sqlite:///{work / 'audit.db'}",
            "GITWARDEN_SIGNING_KEY": str(gate_key),  # argocd generate's key
            "ARGOCD_APP_REVISION": revision,
            "ARGOCD_APP_NAME": "guestbook",
            "ARGOCD_ENV_GITWARDEN_ENV": "prod",
            "ARGOCD_APP_SOURCE_REPO_URL": str(repo),
        }
        key_option = ("--signing-key", str(gate_key))
        commands = {
            # On the repository itself: the checkout has no local branch for the gate.
            "gitwarden gate": (
                [
                    GITWARDEN,
                    "gate",
                    "--rev",
                    revision,
                    "--env",
                    "prod",
                    "--repo",
                    str(repo),
                    *key_option,
                ],
                checkout,
            ),
            "gitwarden argocd generate": (
                [GITWARDEN, "argocd", "generate"],
                checkout / "clusters" / "prod",
            ),
        }
        for label, (command, cwd) in commands.items():
            results = [timed(command, cwd, env) for _ in range(runs)]
            codes = {code for _, _, code in results}
            cpu = statistics.median(c for c, _, _ in results)
            wall = statistics.median(w for _, w, _ in results)
            print(f"{label}: median {cpu:.2f} s CPU, {wall:.2f} s wall; exit codes {codes}")


if __name__ == "__main__":
    main()
