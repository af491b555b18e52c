"""CPU time of the working-tree secret stage: `gitwarden scan` with and without secrets.

Usage: python bench/secret_stage_time.py CORPUS [RUNS]. Each run is a fresh process; the
figure is the child's user+system CPU time (not wall time, which the shared machine's load
distorts). The secret stage costs the difference of the two medians. With ``--in-process``
the stage itself is timed: `scan_tree_secrets` with the objects a pipeline parsed handed
over, and without (parsing Secret-like documents itself), after one warm-up call.
"""

from __future__ import annotations

import resource
import statistics
import subprocess
import sys
import time


def cpu_seconds(arguments: list[str]) -> float:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(arguments, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def in_process(corpus: str, runs: int) -> None:
    from pathlib import Path

    from gitwarden.manifests.loader import load_manifest_text
    from gitwarden.path_patterns import PathFilter
    from gitwarden.secrets.tree_scan import scan_tree_secrets
    from gitwarden.sources.tree import walk_repository

    walk = walk_repository(Path(corpus), PathFilter((), ()))
    objects = [
        obj
        for f in walk.manifest_files
        for obj in load_manifest_text(f.absolute.read_text("utf-8", "replace"), f.path).objects
    ]
    cap = 5 * 1024 * 1024
    scan_tree_secrets(walk.all_files, cap)
    for label, handed in (("parsing itself", ()), ("objects handed over", objects)):
        times = []
        for _ in range(runs):
            start = time.process_time()
            scan_tree_secrets(walk.all_files, cap, objects=handed)
            times.append(time.process_time() - start)
        shown = " ".join(f"{t:.3f}" for t in times)
        print(f"stage, {label}: median {statistics.median(times):.3f} s CPU ({shown})")


def main() -> None:
    arguments = [a for a in sys.argv[1:] if a != "--in-process"]
    corpus = arguments[0]
    runs = int(arguments[1]) if len(arguments) > 1 else 5
    if "--in-process" in sys.argv:
        in_process(corpus, runs)
        return
    base = [sys.executable, "-m", "gitwarden", "scan", "--no-render", corpus]
    medians = {}
    for label, extra in (("with secrets", []), ("--no-secrets", ["--no-secrets"])):
        times = [cpu_seconds([*base, *extra]) for _ in range(runs)]
        medians[label] = statistics.median(times)
        shown = " ".join(f"{t:.2f}" for t in times)
        print(f"{label}: median {medians[label]:.2f} s CPU ({shown})")
    stage = medians["with secrets"] - medians["--no-secrets"]
    print(f"secret stage: {stage:.2f} s CPU")


if __name__ == "__main__":
    main()
