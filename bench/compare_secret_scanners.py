#!/usr/bin/env python3
"""Benchmark gitwarden's secret scanners against the floor and the peer tools, in one run.

History (one repository built by replaying the shared corpora as many commits, with a few
planted credentials, some deleted later, one on a side branch only):

* ``git log -p --all`` -- the floor: reading every change of the history at all;
* ``gitwarden history --no-cache`` -- cold; and a second, warm run with its blob cache;
* ``trufflehog3`` (PyPI) on the repository's history.

Working tree (the same corpora as plain files):

* ``gitwarden scan --no-render`` -- secrets plus every manifest check;
* ``detect-secrets scan --all-files`` (PyPI).

Each command runs ``--warmup`` times, then ``--runs`` times (the slow peers: ``--peer-runs``);
wall and CPU time (from RUSAGE_CHILDREN) are reported. Peer tools live in their own venvs:
``bench/.venv-trufflehog3`` and ``bench/.venv-detect-secrets`` (see bench/README.md).

Usage::

    .venv/bin/python bench/compare_secret_scanners.py [--runs 3] [--peer-runs 1]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO_ROOT = BENCH_DIR.parent
CORPORA = REPO_ROOT.parent / "shared" / "corpora"
GITWARDEN = REPO_ROOT / ".venv" / "bin" / "gitwarden"
TRUFFLEHOG3 = BENCH_DIR / ".venv-trufflehog3" / "bin" / "trufflehog3"
DETECT_SECRETS = BENCH_DIR / ".venv-detect-secrets" / "bin" / "detect-secrets"
OUTPUT = BENCH_DIR / "results" / "secrets.json"

sys.path.insert(0, str(REPO_ROOT / "src"))
from gitwarden.secrets.rule_spec import ALNUM, BASE32, HEX, fill  # noqa: E402

_GIT_ENV = {
    **os.environ,
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_AUTHOR_NAME": "Bench",
    "GIT_AUTHOR_EMAIL": "bench@example.org",
    "GIT_COMMITTER_NAME": "Bench",
    "GIT_COMMITTER_EMAIL": "bench@example.org",
    # No background auto-gc racing the explicit `git gc` at the end.
    "GIT_CONFIG_COUNT": "1",
    "GIT_CONFIG_KEY_0": "gc.auto",
    "GIT_CONFIG_VALUE_0": "0",
}
# As users run it: byte-code caches written on the warm-up run and used after.
_RUN_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
_SECRETS_ONLY = (
    "import sys; from pathlib import Path; from gitwarden.path_patterns import PathFilter;"
    "from gitwarden.sources.tree import walk_repository;"
    "from gitwarden.secrets.tree_scan import scan_tree_secrets;"
    "walk = walk_repository(Path(sys.argv[1]), PathFilter((), ()));"
    "print(len(scan_tree_secrets(walk.all_files, 5 * 1024 * 1024)), 'findings')"
)
# Files above this size are added once but not edited again: real repositories rarely
# rewrite multi-megabyte install manifests commit after commit.
_EDITABLE_BYTES = 200_000


def _git(repo: Path, *args: str, stdin: str | None = None) -> None:
    subprocess.run(
        ["git", "-C", str(repo), *args],
        env=_GIT_ENV,
        input=stdin,
        text=True,
        check=True,
        capture_output=True,
    )


def _planted(index: int) -> dict[str, str]:
    github = "ghp_" + fill(f"bench-gh-{index}", 36, ALNUM)
    aws = "AKIA" + fill(f"bench-aws-{index}", 16, BASE32)
    db = fill(f"bench-db-{index}", 20, ALNUM)
    return {
        f"apps/team-{index}/.env": f"GITHUB_TOKEN={github}\nAWS_ACCESS_KEY_ID={aws}\n",
        f"apps/team-{index}/db.yaml": (
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n"
            f"  url: postgres://app:{db}@db:5432/app\n  api: {fill(f'bench-k-{index}', 40, HEX)}\n"
        ),
    }


def build_history(dest: Path, edits: int) -> dict[str, int]:
    """Replay the corpora as commits (a few files each), then ``edits`` editing commits."""
    dest.mkdir(parents=True)
    _git(dest, "init", "-q", "-b", "main")
    files = sorted(
        p
        for p in CORPORA.rglob("*")
        if p.is_file() and not p.is_symlink() and ".git" not in p.parts
    )
    rng = random.Random(20261123)
    commits = 0
    for start in range(0, len(files), 3):
        for source in files[start : start + 3]:
            target = dest / source.relative_to(CORPORA)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
        _git(dest, "add", "-A")
        _git(dest, "commit", "-q", "-m", f"import {start}")
        commits += 1
    editable = [
        f
        for f in dest.rglob("*")
        if f.is_file()
        and ".git" not in f.parts
        and f.suffix in (".yaml", ".yml", ".json", ".md")
        and f.stat().st_size < _EDITABLE_BYTES
    ]
    for number in range(edits):
        for target in rng.sample(editable, 3):
            with target.open("a", encoding="utf-8") as handle:
                handle.write(f"\n# revision {number}\n" if target.suffix != ".json" else "\n")
        if number % 25 == 0:  # plant credentials; delete every other set 10 commits later
            for name, text in _planted(number).items():
                (dest / name).parent.mkdir(parents=True, exist_ok=True)
                (dest / name).write_text(text, encoding="utf-8")
        if number % 50 == 10:
            shutil.rmtree(dest / "apps" / f"team-{number - 10}")
        _git(dest, "add", "-A")
        _git(dest, "commit", "-q", "-m", f"edit {number}")
        commits += 1
    _git(dest, "checkout", "-q", "-b", "feature")
    for name, text in _planted(9999).items():
        (dest / name).parent.mkdir(parents=True, exist_ok=True)
        (dest / name).write_text(text, encoding="utf-8")
    _git(dest, "add", "-A")
    _git(dest, "commit", "-q", "-m", "side branch only")
    _git(dest, "checkout", "-q", "main")
    _git(dest, "gc", "-q")
    size = sum(p.stat().st_size for p in (dest / ".git").rglob("*") if p.is_file())
    return {"commits": commits + 1, "files": len(files), "git_dir_bytes": size}


@dataclass
class Timing:
    name: str
    command: str
    wall: list[float]
    cpu: list[float]
    result: str

    @property
    def median(self) -> float:
        return statistics.median(self.wall)


def measure(
    name: str,
    command: list[str],
    runs: int,
    warmup: int,
    summary,  # type: ignore[no-untyped-def]
    cwd: Path | None = None,
) -> Timing:
    walls, cpus = [], []
    result = ""
    for index in range(warmup + runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        done = subprocess.run(
            command, capture_output=True, text=True, check=False, env=_RUN_ENV, cwd=cwd
        )
        wall = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if index >= warmup:
            walls.append(wall)
            cpus.append((after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime))
            result = summary(done)
    shown = " ".join(str(c) for c in command)
    print(
        f"{name:34s} median {statistics.median(walls):8.2f} s  min {min(walls):8.2f} s  "
        f"cpu {statistics.median(cpus):8.2f} s  {result}",
        flush=True,
    )
    return Timing(name, shown, walls, cpus, result)


def _json_findings(done: subprocess.CompletedProcess[str]) -> str:
    try:
        data = json.loads(done.stdout)
    except json.JSONDecodeError:
        return f"exit {done.returncode}: {done.stderr.strip()[-200:]}"
    findings = data.get("findings", [])
    return f"exit {done.returncode}, {len(findings)} findings"


def _bytes_out(done: subprocess.CompletedProcess[str]) -> str:
    return f"exit {done.returncode}, {len(done.stdout)} characters of output"


def _trufflehog_findings(done: subprocess.CompletedProcess[str]) -> str:
    try:
        return f"exit {done.returncode}, {len(json.loads(done.stdout or '[]'))} findings"
    except json.JSONDecodeError:
        return f"exit {done.returncode}: {done.stderr.strip()[-200:]}"


def _detect_secrets_findings(done: subprocess.CompletedProcess[str]) -> str:
    try:
        results = json.loads(done.stdout)["results"]
    except (json.JSONDecodeError, KeyError):
        return f"exit {done.returncode}: {done.stderr.strip()[-200:]}"
    return f"exit {done.returncode}, {sum(len(v) for v in results.values())} findings"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--peer-runs", type=int, default=1)
    parser.add_argument("--warmup", type=int, default=1)
    parser.add_argument("--edits", type=int, default=600, help="editing commits after the import")
    parser.add_argument("--only", choices=("history", "tree"), help="run one half")
    args = parser.parse_args()
    timings: list[Timing] = []
    with tempfile.TemporaryDirectory(prefix="gitwarden-bench-") as work:
        repo = Path(work) / "history"
        started = time.perf_counter()
        shape = build_history(repo, args.edits)
        print(f"built {repo}: {shape} in {time.perf_counter() - started:.0f} s", flush=True)
        cache = Path(work) / "cache"
        if args.only != "tree":
            timings.append(
                measure(
                    "git log -p --all",
                    ["git", "-C", str(repo), "log", "-p", "--all"],
                    args.runs,
                    args.warmup,
                    _bytes_out,
                )
            )
            timings.append(
                measure(
                    "gitwarden history (cold)",
                    [str(GITWARDEN), "history", str(repo), "--no-cache", "-f", "json"],
                    args.runs,
                    args.warmup,
                    _json_findings,
                )
            )
            subprocess.run(
                [str(GITWARDEN), "history", str(repo), "--cache-dir", str(cache), "-o", os.devnull],
                check=False,
            )
            timings.append(
                measure(
                    "gitwarden history (warm cache)",
                    [str(GITWARDEN), "history", str(repo), "--cache-dir", str(cache), "-f", "json"],
                    args.runs,
                    args.warmup,
                    _json_findings,
                )
            )
            if TRUFFLEHOG3.exists():
                timings.append(
                    measure(
                        "trufflehog3 (history)",
                        [str(TRUFFLEHOG3), "--format", "json", str(repo)],
                        args.peer_runs,
                        0,
                        _trufflehog_findings,
                    )
                )
        if args.only != "history":
            tree = Path(work) / "tree"
            shutil.copytree(repo, tree, symlinks=True, ignore=shutil.ignore_patterns(".git"))
            timings.append(
                measure(
                    "gitwarden scan --no-render",
                    [str(GITWARDEN), "scan", str(tree), "--no-render", "-f", "json"],
                    args.runs,
                    args.warmup,
                    _json_findings,
                )
            )
            timings.append(
                measure(
                    "gitwarden secrets only (library)",
                    [str(REPO_ROOT / ".venv" / "bin" / "python"), "-c", _SECRETS_ONLY, str(tree)],
                    args.runs,
                    args.warmup,
                    lambda done: done.stdout.strip() or done.stderr[-200:],
                )
            )
            if DETECT_SECRETS.exists():
                # detect-secrets only scans paths below its working directory: given an
                # absolute path elsewhere it reports nothing, so it runs inside the tree.
                timings.append(
                    measure(
                        "detect-secrets scan --all-files",
                        [str(DETECT_SECRETS), "scan", "--all-files", "."],
                        args.peer_runs,
                        0,
                        _detect_secrets_findings,
                        cwd=tree,
                    )
                )
    by_name = {t.name: t for t in timings}
    ratios = {}
    pairs = [
        ("gitwarden history (cold)", "git log -p --all"),
        ("trufflehog3 (history)", "gitwarden history (cold)"),
        ("detect-secrets scan --all-files", "gitwarden scan --no-render"),
        ("detect-secrets scan --all-files", "gitwarden secrets only (library)"),
    ]
    for slow, fast in pairs:
        if slow in by_name and fast in by_name:
            ratios[f"{slow} / {fast}"] = round(by_name[slow].median / by_name[fast].median, 2)
            print(f"{slow} / {fast}: {ratios[f'{slow} / {fast}']}x")
    OUTPUT.parent.mkdir(exist_ok=True)
    OUTPUT.write_text(
        json.dumps(
            {
                "machine": {
                    "python": platform.python_version(),
                    "platform": platform.platform(),
                    "cpus": os.cpu_count(),
                },
                "history_shape": shape,
                "timings": [asdict(t) for t in timings],
                "ratios": ratios,
            },
            indent=2,
        )
        + "\n"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
