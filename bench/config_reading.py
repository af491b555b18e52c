#!/usr/bin/env python3
"""Benchmark reading `.gitwarden.yaml` through its schema, against an earlier reader.

In one run on the same machine, for this checkout and (with ``--baseline-src``) for the
``src/`` folder of an earlier gitwarden (e.g. ``git archive aee5527 src | tar -x -C DIR``):

* a cold process that imports `gitwarden.config` and reads nothing (what a run without a
  configuration file pays);
* a cold process that imports it and reads the example repository's configuration (what
  every run with a configuration file pays once);
* ``gitwarden scan --no-render`` of the example repository (which has a configuration);
* in one warm process, the time per read of the example configuration and of a synthetic
  one with ``--suppressions`` entries (default 2,000).

Every read is checked: the baseline and this checkout must read the same settings.

Usage::

    .venv/bin/python bench/config_reading.py [--baseline-src DIR] [--runs R]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "insecure-gitops" / ".gitwarden.yaml"

IMPORT_ONLY = "import gitwarden.config"
SCAN_EXAMPLE = (
    "import sys; from gitwarden.cli import main; "
    f"main(['scan', {str(EXAMPLE.parent)!r}, '--no-render', '-f', 'json', '-o', '/dev/null'])"
)
READ_EXAMPLE = (
    "import pathlib, gitwarden.config as c; "
    f"c.parse_config(pathlib.Path({str(EXAMPLE)!r}).read_text(), 'x')"
)
WARM = """
import json, pathlib, sys, time
import gitwarden.config as c
texts = json.loads(sys.stdin.read())
out = {}
for name, text in texts.items():
    config = c.parse_config(text, name)
    reps = max(3, int(200 / max(1, len(text) // 2000)))
    start = time.perf_counter()
    for _ in range(reps):
        c.parse_config(text, name)
    out[name] = {
        "ms_per_read": (time.perf_counter() - start) / reps * 1e3,
        "suppressions": len(config.suppressions),
        "fail_on": str(config.fail_on),
    }
print(json.dumps(out))
"""


def synthetic(count: int) -> str:
    lines = ["fail_on: high", "exclude: [vendor/]", "suppressions:"]
    for index in range(count):
        lines += [
            "  - rule: pss-*",
            f'    path: "apps/team-{index}/**"',
            f'    reason: "accepted risk {index} (SEC-{index})"',
            "    expires: 2030-01-01",
        ]
    return "\n".join(lines) + "\n"


def cold(sources: dict[str, Path], code: str, runs: int) -> dict[str, float]:
    """Median wall time per source; runs alternate between sources so that load drifts
    over both alike."""
    times: dict[str, list[float]] = {label: [] for label in sources}
    for _ in range(runs + 1):  # the first round warms the file cache
        for label, src in sources.items():
            start = time.perf_counter()
            # The scan exits 1 (the example repository is insecure on purpose): not checked.
            subprocess.run([sys.executable, "-c", code], check=False, env={"PYTHONPATH": str(src)})
            times[label].append(time.perf_counter() - start)
    return {label: statistics.median(spent[1:]) * 1e3 for label, spent in times.items()}


def warm(src: Path, texts: dict[str, str]) -> dict[str, dict[str, object]]:
    done = subprocess.run(
        [sys.executable, "-c", WARM],
        input=json.dumps(texts),
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONPATH": str(src)},
    )
    result: dict[str, dict[str, object]] = json.loads(done.stdout)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline-src", type=Path, help="src/ folder of an earlier gitwarden")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--suppressions", type=int, default=2000)
    args = parser.parse_args()
    texts = {"example": EXAMPLE.read_text(), "synthetic": synthetic(args.suppressions)}
    sources = {"this checkout": ROOT / "src"}
    if args.baseline_src:
        sources = {"baseline": args.baseline_src, **sources}
    print(f"machine: {platform.machine()}, python {sys.version.split()[0]}")
    print(f"load average before: {os.getloadavg()[0]:.1f}")
    imports = cold(sources, IMPORT_ONLY, args.runs)
    reads = cold(sources, READ_EXAMPLE, args.runs)
    scans = cold(sources, SCAN_EXAMPLE, args.runs)
    rows = {
        label: {
            "import only (ms)": imports[label],
            "import + read example (ms)": reads[label],
            "scan example (ms)": scans[label],
            "reads": warm(src, texts),
        }
        for label, src in sources.items()
    }
    if len(rows) == 2:
        first, second = (rows[label]["reads"] for label in rows)
        for name in texts:
            for key in ("suppressions", "fail_on"):
                assert first[name][key] == second[name][key], (name, key)
    for label, row in rows.items():
        reads = row["reads"]
        print(
            f"{label:14} import {row['import only (ms)']:6.1f} ms | import+read "
            f"{row['import + read example (ms)']:6.1f} ms | scan "
            f"{row['scan example (ms)']:6.1f} ms | example "
            f"{reads['example']['ms_per_read']:.3f} ms/read | {args.suppressions} suppressions "
            f"{reads['synthetic']['ms_per_read']:.1f} ms/read"
        )
    print(f"load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
