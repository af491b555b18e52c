"""CPU time of the `gitwarden-secrets` hook's scan: `--only secrets` against `--no-render`
(the hook's entry before the secrets-only mode, which also ran every manifest check).

Usage: python bench/secrets_hook_speed.py CORPUS [RUNS]. Each run is a fresh process; the
figure is the child's user+system CPU time (wall time is distorted by the shared machine's
load). Both commands read the same files; the findings they report are printed once so the
difference in work is visible.
"""

from __future__ import annotations

import json
import resource
import statistics
import subprocess
import sys

COMMANDS = {
    "scan --no-render (hook before)": ["--no-render"],
    "scan --only secrets (hook now)": ["--only", "secrets"],
}


def cpu_seconds(arguments: list[str]) -> float:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(arguments, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def findings(arguments: list[str]) -> int:
    done = subprocess.run(
        [*arguments, "--format", "json"], capture_output=True, text=True, check=False
    )
    return len(json.loads(done.stdout)["findings"])


def main() -> None:
    corpus = sys.argv[1]
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    for label, options in COMMANDS.items():
        command = [sys.executable, "-m", "gitwarden", "scan", corpus, "--quiet", *options]
        times = [cpu_seconds(command) for _ in range(runs)]
        shown = " ".join(f"{t:.2f}" for t in times)
        print(
            f"{label}: median {statistics.median(times):.2f} s CPU ({shown}); "
            f"{findings(command)} findings"
        )


if __name__ == "__main__":
    main()
