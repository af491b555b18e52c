"""What a change costs a whole scan: `gitwarden scan --no-render` on each shared corpus, run
alternately from an older source tree and from this one, in one session on one machine.

    git archive REV src | tar -x -C /tmp/before
    .venv/bin/python bench/scan_cost_before_after.py --before /tmp/before/src [--runs 5]

Both trees run with this virtualenv's interpreter and packages (only ``PYTHONPATH`` differs),
one warm-up run each first. Wall time and CPU time (RUSAGE_CHILDREN) are medians; the finding
count of each side is printed so a difference in cost can be read against one in output.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CORPORA = REPO.parent / "shared" / "corpora"


def run_once(source: Path, corpus: Path) -> tuple[float, float, int]:
    env = {**os.environ, "PYTHONPATH": str(source)}
    command = [sys.executable, "-m", "gitwarden", "scan", "--no-render", "-f", "json", str(corpus)]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, len(json.loads(done.stdout)["findings"])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=Path, required=True, help="the older tree's src folder")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--corpora", type=Path, default=CORPORA)
    args = parser.parse_args()
    sides = {"before": args.before.resolve(), "after": REPO / "src"}
    print(f"python {platform.python_version()}, {os.cpu_count()} cpus, {platform.platform()}")
    print("| corpus | side | findings | median wall s | median CPU s |")
    print("| --- | --- | ---: | ---: | ---: |")
    for corpus in sorted(p for p in args.corpora.iterdir() if p.is_dir()):
        samples: dict[str, list[tuple[float, float, int]]] = {side: [] for side in sides}
        for source in sides.values():
            run_once(source, corpus)  # warm-up: byte-code and file caches
        for _ in range(args.runs):
            for side, source in sides.items():  # alternated, so load drifts hit both
                samples[side].append(run_once(source, corpus))
        for side in sides:
            walls, cpus, counts = zip(*samples[side], strict=True)
            print(
                f"| {corpus.name} | {side} | {counts[0]} | {statistics.median(walls):.3f} "
                f"| {statistics.median(cpus):.3f} |",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
