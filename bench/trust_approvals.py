#!/usr/bin/env python3
"""Benchmark k-of-n verification with approvals: DSSE statements against legacy git notes.

Builds two real repositories in a temporary folder with the same history: a trust policy
asking 2 of alice and bob for ``clusters/prod/**`` on main, then ``--commits`` commits by
alice (SSH-signed by git with an ``ssh-keygen`` Ed25519 key), each approved by bob. In the
first the approvals are what `gitwarden trust approve` records now (DSSE statements under
``refs/gitwarden/approvals``); in the second they are legacy notes written the old way
(the test suite's writer). Then times `gitwarden.verify` without the cache, in-process
(median of ``--runs`` after a warm-up), and checks each verdict: every threshold met, and
the legacy repository marked with one ``legacy-approval-note`` finding.

Usage::

    .venv/bin/python bench/trust_approvals.py [--commits 200] [--runs 5]
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# The repository builders of the test suite, so the legacy notes are written exactly as the
# former `trust approve` wrote them.
sys.path.insert(0, str(ROOT / "tests" / "integrity"))

from integrity_fixtures import SshKey, commit, make_repo, ssh_key, trust_yaml  # noqa: E402
from legacy_approval_notes import approve as legacy_approve  # noqa: E402

from gitwarden.commands.trust import TrustApproveOptions, trust_approve  # noqa: E402
from gitwarden.commands.verify import VerifyOptions, verify  # noqa: E402
from gitwarden.sources.git_repository import GitRepository  # noqa: E402

RULE = {
    "branches": ["main"],
    "paths": ["clusters/prod/**"],
    "principals": ["alice", "bob"],
    "threshold": 2,
}


def build(
    path: Path, keys: dict[str, SshKey], commits: int, approve: Callable[[Path, str], None]
) -> Path:
    repo = make_repo(path)
    principals = {name: [key.public_line] for name, key in keys.items()}
    commit(repo, {".gitwarden/trust.yaml": trust_yaml(principals, [RULE])}, "policy", keys["alice"])
    for number in range(commits):
        oid = commit(
            repo, {f"clusters/prod/app-{number}.yaml": f"n: {number}\n"}, "prod", keys["alice"]
        )
        approve(repo, oid)
    return repo


def timed(repo: Path, runs: int) -> tuple[list[float], list[str]]:
    options = VerifyOptions(use_cache=False)
    rules = [f.rule_id for f in verify(repo, options=options).findings]  # warm-up and verdict
    seconds = []
    for _ in range(runs):
        start = time.perf_counter()
        verify(repo, options=options)
        seconds.append(time.perf_counter() - start)
    return seconds, rules


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--commits", type=int, default=200, help="approved commits")
    parser.add_argument("--runs", type=int, default=5, help="timed runs after a warm-up")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="gitwarden-trust-approvals-") as folder:
        root = Path(folder)
        keys = {name: ssh_key(root / "keys", name) for name in ("alice", "bob")}
        bob = keys["bob"].private

        def dsse(repo: Path, oid: str) -> None:
            trust_approve(repo, None, TrustApproveOptions(oid, bob, message="checked"))

        def legacy(repo: Path, oid: str) -> None:
            legacy_approve(GitRepository(repo), oid, bob)

        results: dict[str, object] = {
            "machine": f"{platform.machine()}, Python {platform.python_version()}",
            "commits": args.commits,
        }
        failed = False
        for name, approve in (("dsse", dsse), ("legacy-notes", legacy)):
            started = time.perf_counter()
            repo = build(root / name, keys, args.commits, approve)
            built = time.perf_counter() - started
            seconds, rules = timed(repo, args.runs)
            expected = {"trust-on-first-use"} | (
                {"legacy-approval-note"} if name != "dsse" else set()
            )
            failed = failed or set(rules) != expected
            results[name] = {
                "build_s": round(built, 1),
                "verify_median_s": round(statistics.median(seconds), 3),
                "verify_max_s": round(max(seconds), 3),
                "findings": sorted(rules),
            }
    print(json.dumps(results, indent=2))
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
