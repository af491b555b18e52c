#!/usr/bin/env python3
"""Compare gitwarden's signature verdicts with git's on any clone, and time both.

For every commit of REF (default: the current branch): git's ``%G?`` and ``%GF`` with KEYS
imported into a scratch GNUPGHOME, against ``gitwarden verify --keys KEYS`` (no cache).
git's G, U and Y count as valid (U: gpg does not trust the key; Y: the key expired after
signing, which gpg judges now and gitwarden at the signature's time), B as bad, E as an
unknown key, N as unsigned, R as a revoked key. Prints agreement, the commits that differ,
and the best wall time of each tool over --runs runs.

Usage::

    .venv/bin/python bench/signatures_vs_git.py CLONE KEYS... [--ref REF] [--runs R]
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from gitwarden.commands.verify import VerifyOptions, verify_result
from gitwarden.integrity.signature_verdict import SignatureStatus

GIT_VERDICTS = {
    "G": SignatureStatus.VALID,
    "U": SignatureStatus.VALID,
    "Y": SignatureStatus.VALID,
    "B": SignatureStatus.BAD,
    "E": SignatureStatus.UNKNOWN_KEY,
    "N": SignatureStatus.UNSIGNED,
    "R": SignatureStatus.REVOKED_KEY,
    "X": SignatureStatus.EXPIRED_KEY,
}
Verdicts = dict[str, tuple[str, str]]


def current_branch(clone: Path) -> str:
    done = subprocess.run(
        ["git", "-C", str(clone), "symbolic-ref", "-q", "HEAD"], capture_output=True, text=True
    )
    return done.stdout.strip() or "refs/heads/main"


def git_verdicts(clone: Path, ref: str, home: Path) -> tuple[Verdicts, float]:
    env = {**os.environ, "GNUPGHOME": str(home), "GIT_CONFIG_GLOBAL": "/dev/null"}
    start = time.perf_counter()
    out = subprocess.run(
        ["git", "-C", str(clone), "log", "--format=%H %G? %GF", ref],
        check=True,
        capture_output=True,
        text=True,
        env=env,
    ).stdout
    elapsed = time.perf_counter() - start
    verdicts: Verdicts = {}
    for line in out.splitlines():
        oid, status, *key = line.split(" ")
        mapped = GIT_VERDICTS.get(status)
        name = mapped.value if mapped else f"git:{status}"
        valid = mapped is SignatureStatus.VALID
        verdicts[oid] = (name, key[0] if valid and key else "")
    return verdicts, elapsed


def gitwarden_verdicts(clone: Path, ref: str, keys: list[str]) -> tuple[Verdicts, float]:
    start = time.perf_counter()
    result = verify_result(
        clone, options=VerifyOptions(refs=(ref,), keys=tuple(keys), use_cache=False)
    )
    elapsed = time.perf_counter() - start
    verdicts = {
        v.commit: (v.status.value, (v.key or "") if v.status is SignatureStatus.VALID else "")
        for v in result.verdicts
    }
    return verdicts, elapsed


def cli_time(clone: Path, ref: str, keys: list[str]) -> float:
    """The whole ``gitwarden verify --keys`` process, Python start-up included."""
    key_args = [item for key in keys for item in ("--keys", key)]
    command = [sys.executable, "-m", "gitwarden", "verify", "--repo", str(clone), *key_args]
    start = time.perf_counter()
    subprocess.run([*command, "--no-cache", "--format", "json", ref], capture_output=True)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("clone", type=Path)
    parser.add_argument("keys", nargs="+", help="armored OpenPGP keyrings (as for gpg --import)")
    parser.add_argument("--ref", help="branch to compare (default: the current branch)")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    ref = args.ref or current_branch(args.clone)
    if not ref.startswith("refs/"):
        ref = f"refs/heads/{ref}"
    with tempfile.TemporaryDirectory(prefix="gnupg-") as home:
        env = {**os.environ, "GNUPGHOME": home}
        for key in args.keys:
            subprocess.run(
                ["gpg", "--batch", "--import", key], check=True, capture_output=True, env=env
            )
        git_times, ours_times, cli_times = [], [], []
        for _ in range(args.runs):
            theirs, elapsed = git_verdicts(args.clone, ref, Path(home))
            git_times.append(elapsed)
            ours, elapsed = gitwarden_verdicts(args.clone, ref, args.keys)
            ours_times.append(elapsed)
            cli_times.append(cli_time(args.clone, ref, args.keys))
    agree = [oid for oid in theirs if ours.get(oid) == theirs[oid]]
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cpus, Python {platform.python_version()}"
    )
    print(f"{args.clone} {ref}: {len(theirs)} commits")
    print(f"agreement: {len(agree)}/{len(theirs)}")
    for oid in theirs:
        if ours.get(oid) != theirs[oid]:
            print(f"  differs {oid[:12]}: git {theirs[oid]} gitwarden {ours.get(oid)}")
    best_git, best_ours = min(git_times), min(ours_times)
    print(f"git log --format='%H %G? %GF': {best_git:.3f} s (best of {args.runs})")
    print(f"gitwarden.verify(keys=...) in-process: {best_ours:.3f} s (best of {args.runs})")
    print(f"gitwarden verify --keys --no-cache process: {min(cli_times):.3f} s")
    print(f"speed-up: {best_git / best_ours:.1f}x")
    return 0 if len(agree) == len(theirs) == len(ours) else 1


if __name__ == "__main__":
    sys.exit(main())
