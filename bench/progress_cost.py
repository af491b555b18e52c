#!/usr/bin/env python3
"""What the counted progress bars of `history` and `verify` cost where they are drawn.

Each command runs with its standard error on a pseudo-terminal (so the bar is drawn, as a
person at a terminal sees it) and again with ``--quiet`` on the same terminal, interleaved
run by run. The inputs are those of ``before_after.py``: the corpora replayed as a Git
history (``compare_secret_scanners.build_history``) and N SSH-signed commits
(``verify_signed_history.build``, cached under bench/results/signed-history). Reports the
median and minimum CPU time (user + system of the command and its children) and checks that
the bar drew its final count ("N/N").

Usage::

    .venv/bin/python bench/progress_cost.py [--runs 7] [--commits N] [--edits N]
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from before_after import signed_repository  # noqa: E402
from compare_secret_scanners import build_history  # noqa: E402

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def on_a_terminal(command: list[str]) -> tuple[float, str]:
    """CPU seconds of ``command`` with standard error on a pseudo-terminal, and what it drew."""
    controller, terminal = os.openpty()
    env = {**os.environ, "TERM": "xterm-256color", "LC_ALL": "C.UTF-8"}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    process = subprocess.Popen(
        command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=terminal, env=env
    )
    os.close(terminal)
    chunks = []
    while True:
        try:
            chunk = os.read(controller, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    process.wait()
    os.close(controller)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return cpu, ANSI.sub("", b"".join(chunks).decode("utf-8", "replace"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7, help="measured runs per variant")
    parser.add_argument("--commits", type=int, default=10_000, help="signed commits to verify")
    parser.add_argument("--edits", type=int, default=600, help="editing commits in the history")
    args = parser.parse_args()
    gitwarden = [sys.executable, "-m", "gitwarden"]
    with tempfile.TemporaryDirectory(prefix="gitwarden-progress-") as work:
        history = Path(work) / "history"
        build_history(history, args.edits)
        commands = {
            "history --no-cache": [*gitwarden, "history", str(history), "--no-cache"],
            "verify --no-cache": [
                *gitwarden,
                "verify",
                "--repo",
                str(signed_repository(args.commits)),
                "--no-cache",
            ],
        }
        for name, command in commands.items():
            _, drawn = on_a_terminal(command)  # warm-up
            finals = sorted(set(re.findall(r"(\d+)/\1\b", drawn)), key=int)
            times: dict[str, list[float]] = {"bar": [], "--quiet": []}
            for _ in range(args.runs):
                times["bar"].append(on_a_terminal(command)[0])
                times["--quiet"].append(on_a_terminal([*command, "--quiet"])[0])
            print(f"{name}: the bar drew final counts {', '.join(finals) or 'none'}")
            for variant, cpu in times.items():
                print(
                    f"  {variant:8} CPU median {statistics.median(cpu):.3f} s min {min(cpu):.3f} s"
                )
    print(f"load average after the runs: {os.getloadavg()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
