#!/usr/bin/env python3
"""Benchmark `gitwarden review` on a large change: 1,000 changed files, 50 signed approvals.

Builds a real repository in a temporary folder (the issue's review policy, 55 principals
with SSH keys from ``ssh-keygen``), a change of ``--files`` manifests (some of them RBAC
objects, so the kind matcher parses every file) and ``--approvals`` approvals recorded with
`gitwarden approve`, then times `gitwarden.review` in-process (``--runs`` times after one
warm-up) and one cold `gitwarden review` process. The target is under 1 s.

Usage::

    .venv/bin/python bench/review_speed.py [--files 1000] [--approvals 50] [--runs 5]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import yaml

from gitwarden.commands.approve import ApproveOptions, approve
from gitwarden.commands.review import ReviewOptions, review

TARGET_SECONDS = 1.0
POLICY = """\
groups:
  security: [p0, p1]
  product-owners: [p2]
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
"""
CONFIG_MAP = (
    "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c%d, namespace: apps}\ndata: {n: '%d'}\n"
)
ROLE = (
    "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: r%d, namespace: apps}\n"
    "rules: [{apiGroups: [''], resources: [pods], verbs: [get]}]\n"
)
ENV = {
    **os.environ,
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": "/dev/null",
    "GIT_AUTHOR_NAME": "author",
    "GIT_AUTHOR_EMAIL": "author@example.com",
    "GIT_COMMITTER_NAME": "author",
    "GIT_COMMITTER_EMAIL": "author@example.com",
}


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), *args], check=True, env=ENV, capture_output=True)


def build(root: Path, files: int, approvals: int) -> Path:
    keys = root / "keys"
    keys.mkdir()
    names = [f"p{i}" for i in range(approvals + 5)]
    for name in names:
        subprocess.run(
            ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(keys / name)],
            check=True,
            capture_output=True,
        )
    principals = {
        name: {
            "email": [f"{name}@example.com"],
            "ssh_keys": [(keys / f"{name}.pub").read_text().strip()],
        }
        for name in names
    }
    repo = root / "repo"
    (repo / ".gitwarden").mkdir(parents=True)
    (repo / ".gitwarden" / "trust.yaml").write_text(
        yaml.safe_dump({"version": 1, "principals": principals})
    )
    (repo / ".gitwarden" / "review.yaml").write_text(POLICY)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "policies")
    git(repo, "checkout", "-q", "-b", "change")
    for i in range(files):
        folder = repo / ("rbac" if i % 20 == 0 else f"apps/{i % 25}")
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"f{i}.yaml").write_text(ROLE % i if i % 20 == 0 else CONFIG_MAP % (i, i))
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "a large change")
    for name in names[:approvals]:
        approve(
            repo,
            ApproveOptions(
                "main..change", f"{name} read every manifest of the change", keys / name
            ),
        )
    return repo


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--approvals", type=int, default=50)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        repo = build(Path(folder), args.files, args.approvals)
        options = ReviewOptions("main", "change", now=datetime.now(UTC))
        result = review(repo, None, options)  # warm-up, and the check that it is right
        counted = max(len(v.counted) for v in result.rules)
        if not result.satisfied or counted != args.approvals:
            print(
                f"unexpected verdict: satisfied={result.satisfied}, counted={counted}",
                file=sys.stderr,
            )
            return 2
        times = []
        for _ in range(args.runs):
            start = time.perf_counter()
            review(repo, None, options)
            times.append(time.perf_counter() - start)
        start = time.perf_counter()
        cold = subprocess.run(
            [sys.executable, "-m", "gitwarden", "review", "main", "change", "--repo", str(repo)],
            capture_output=True,
            check=False,
        )
        cold_seconds = time.perf_counter() - start
    figures = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}",
        "files": args.files,
        "approvals": args.approvals,
        "in_process_median_s": round(statistics.median(times), 3),
        "in_process_max_s": round(max(times), 3),
        "cold_process_s": round(cold_seconds, 3),
        "cold_exit": cold.returncode,
        "target_s": TARGET_SECONDS,
    }
    print(json.dumps(figures, indent=2))
    return 0 if statistics.median(times) < TARGET_SECONDS and cold.returncode == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
