#!/usr/bin/env python3
"""Two source trees of gitwarden, one after the other, on the scan, history and verify inputs.

For a refactoring that must not change speed: the "before" tree (``git archive REV src``) and
this checkout's ``src`` run the same three commands as ``docs/benchmarks.md`` names them,
interleaved run by run (A, B, A, B, ...) so that load drifting on a shared machine hits both
alike, through ``PYTHONPATH`` with the same interpreter and dependencies:

* ``gitwarden scan --no-render`` of ``../shared/corpora/argo-cd-manifests``, and the same
  with ``--no-cache`` (the cold path: nothing read from a cache);
* ``gitwarden history --no-cache`` of the corpora replayed as a Git history
  (``compare_secret_scanners.build_history``);
* ``gitwarden verify --no-cache`` of N SSH-signed commits (``verify_signed_history.build``,
  cached under bench/results/signed-history).

Each run's stdout (the JSON report) is compared between the trees: same findings, same
verdict. Prints median and minimum of wall and CPU time (user + system of the command and
its children) per tree and command, and writes bench/results/before-after.json.

``--commands`` picks some of them (the history and verify inputs take minutes to build).
This machine's shells export PYTHONDONTWRITEBYTECODE=1; it is removed for the runs, as in
``compare_checkov.py``, so that both trees start from compiled bytecode as an installed
gitwarden does (the warm-up run writes it), not by recompiling every module.

Usage::

    git archive REV src | tar -x -C /tmp/before
    .venv/bin/python bench/before_after.py --before /tmp/before/src [--runs 7] [--commits N]
        [--commands "scan --no-render --no-cache"]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))

from compare_secret_scanners import build_history  # noqa: E402
from verify_signed_history import build  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpora" / "argo-cd-manifests"
RESULTS = BENCH / "results"
COMMANDS = (
    "scan --no-render",
    "scan --no-render --no-cache",
    "history --no-cache",
    "verify --no-cache",
)
ENV_REMOVED = ("PYTHONDONTWRITEBYTECODE",)


def run(command: list[str], src: Path) -> tuple[float, float, str]:
    """Wall and CPU seconds of ``command`` with gitwarden from ``src``, and its stdout."""
    env = {k: v for k, v in os.environ.items() if k not in ENV_REMOVED}
    env |= {"PYTHONPATH": str(src), "LC_ALL": "C"}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    begin = time.perf_counter()
    done = subprocess.run(command, capture_output=True, env=env, check=False, cwd="/")
    wall = time.perf_counter() - begin
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0, 1):
        raise SystemExit(f"{command} failed: {done.stderr.decode()[:600]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, done.stdout.decode()


def verdict(stdout: str) -> tuple[bool, list[tuple[str, str, int, str]]]:
    """What must not change: the gate's verdict and every finding (rule, place, message)."""
    report = json.loads(stdout)
    findings = sorted(
        (f["rule"], str(f["file"]), f["line"] or 0, f["message"]) for f in report["findings"]
    )
    return report["summary"]["passed"], findings


def signed_repository(commits: int) -> Path:
    repo = RESULTS / "signed-history" / "repo"
    marker = repo.parent / f"built-{commits}"
    if not marker.exists():
        build(repo, commits, "ssh")
        marker.write_text("ok")
    return repo


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--before", type=Path, required=True, help="the other tree's src/")
    parser.add_argument("--runs", type=int, default=7, help="measured runs per tree and command")
    parser.add_argument("--commits", type=int, default=10_000, help="signed commits to verify")
    parser.add_argument("--edits", type=int, default=600, help="editing commits in the history")
    parser.add_argument(
        "--commands",
        action="append",
        choices=COMMANDS,
        help="measure only this command (repeatable; default: all)",
    )
    args = parser.parse_args()
    wanted = args.commands or list(COMMANDS)
    trees = {"before": args.before.resolve(), "after": ROOT / "src"}
    gitwarden = [sys.executable, "-m", "gitwarden"]
    print(f"load average before the runs: {os.getloadavg()}")
    with tempfile.TemporaryDirectory(prefix="gitwarden-before-after-") as work:
        history = Path(work) / "history"
        if "history --no-cache" in wanted:
            build_history(history, args.edits)
        scan = [*gitwarden, "scan", "--no-render", str(CORPUS), "-f", "json"]
        commands = {
            "scan --no-render": scan,
            "scan --no-render --no-cache": [*scan, "--no-cache"],
            "history --no-cache": [*gitwarden, "history", str(history), "--no-cache", "-f", "json"],
        }
        if "verify --no-cache" in wanted:
            commands["verify --no-cache"] = [
                *gitwarden,
                "verify",
                "--repo",
                str(signed_repository(args.commits)),
                "--no-cache",
                "--format",
                "json",
            ]
        commands = {name: command for name, command in commands.items() if name in wanted}
        results: dict[str, dict[str, dict[str, list[float]]]] = {}
        for name, command in commands.items():
            outputs = {tree: run(command, src)[2] for tree, src in trees.items()}  # warm-up
            seen = {tree: verdict(out) for tree, out in outputs.items()}
            if seen["before"] != seen["after"]:
                raise SystemExit(f"{name}: the trees disagree on the findings")
            identical = outputs["before"] == outputs["after"]
            times: dict[str, dict[str, list[float]]] = {t: {"wall": [], "cpu": []} for t in trees}
            for _ in range(args.runs):
                for tree, src in trees.items():
                    wall, cpu, out = run(command, src)
                    if verdict(out) != seen[tree]:
                        raise SystemExit(f"{name}: {tree} changed its findings between runs")
                    times[tree]["wall"].append(wall)
                    times[tree]["cpu"].append(cpu)
            results[name] = times
            print(
                f"{name}: {len(seen['after'][1])} findings, passed={seen['after'][0]}, "
                f"reports byte-identical: {identical}"
            )
            for tree, measured in times.items():
                print(
                    f"  {tree:6}  wall median {statistics.median(measured['wall']):.3f} s"
                    f" min {min(measured['wall']):.3f} s   CPU median"
                    f" {statistics.median(measured['cpu']):.3f} s min {min(measured['cpu']):.3f} s"
                )
            for clock in ("wall", "cpu"):
                before, after = (statistics.median(times[t][clock]) for t in ("before", "after"))
                print(
                    f"  after/before {clock} median: {after / before:.3f}"
                    f" ({1 - after / before:.1%} saved)"
                )
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "before-after.json").write_text(json.dumps(results, indent=2) + "\n")
    print(f"load average after the runs: {os.getloadavg()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
