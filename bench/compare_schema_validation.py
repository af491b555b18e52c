"""Benchmark of API-server validation (the api-schema family), in one run on one machine.

1. ``gitwarden scan --no-render CORPUS``: the whole scan, every family, wall time.
2. The api-schema family alone, in process, over the corpus's objects loaded once.
3. The peer: ``kubernetes-validate --strict`` (the package whose schemas gitwarden uses) over
   the same YAML files, which validates every document with the Python jsonschema library.

Usage (from the repository root):

    .venv/bin/python bench/compare_schema_validation.py
    .venv/bin/python bench/compare_schema_validation.py --runs 5 --peer-runs 1 \
        --corpus ../shared/corpora/flux2-manifests
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from gitwarden.checks.api_schema import CHECKS
from gitwarden.checks.api_schema.kubernetes_schemas import newest_version
from gitwarden.checks.check import CheckContext, run_checks
from gitwarden.manifests.loader import load_manifest_text
from gitwarden.manifests.objects import K8sObject

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = REPO.parent / "shared" / "corpora" / "argo-cd-manifests"
BIN = Path(sys.executable).parent


def _yaml_files(corpus: Path) -> list[Path]:
    return sorted(p for p in corpus.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())


def _objects(corpus: Path) -> list[K8sObject]:
    objects: list[K8sObject] = []
    for path in _yaml_files(corpus):
        text = path.read_text(encoding="utf-8", errors="replace")
        objects.extend(load_manifest_text(text, str(path.relative_to(corpus))).objects)
    return objects


def _wall(command: Sequence[str], cwd: Path | None = None) -> tuple[float, str]:
    start = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
    return time.perf_counter() - start, done.stdout + done.stderr


def _median(samples: list[float]) -> str:
    return f"{statistics.median(samples):.3f} s"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--peer-runs", type=int, default=1, help="kubernetes-validate is slow")
    args = parser.parse_args(argv)
    corpus: Path = args.corpus.resolve()
    files = _yaml_files(corpus)
    version = newest_version()
    print(f"corpus {corpus} ({len(files)} YAML files), Kubernetes {version}")
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores")

    scan = [BIN / "gitwarden", "scan", "--no-render", "-f", "json", str(corpus)]
    _wall(scan)  # warm-up: page cache, .pyc files
    scan_times = [_wall(scan)[0] for _ in range(args.runs)]

    objects = _objects(corpus)
    family_times: list[float] = []
    findings = 0
    for _ in range(args.runs):
        context = CheckContext(objects)
        start = time.perf_counter()
        findings = len(run_checks(CHECKS, context))
        family_times.append(time.perf_counter() - start)

    peer = [str(BIN / "kubernetes-validate"), "--strict", "-k", str(version), "--quiet"]
    peer_times: list[float] = []
    peer_errors = 0
    for _ in range(args.peer_runs):
        elapsed, output = _wall([*peer, *(str(p.relative_to(corpus)) for p in files)], corpus)
        peer_times.append(elapsed)
        peer_errors = sum(1 for line in output.splitlines() if line.startswith("ERROR"))

    print("| what | wall median | result |")
    print("| --- | --- | --- |")
    print(f"| `gitwarden scan --no-render` (every family) | {_median(scan_times)} | |")
    print(
        f"| api-schema family in process ({len(objects)} objects) | {_median(family_times)} | "
        f"{findings} findings |"
    )
    print(
        f"| `kubernetes-validate --strict` ({len(files)} files) | {_median(peer_times)} | "
        f"{peer_errors} ERROR lines |"
    )
    ratio = statistics.median(peer_times) / statistics.median(family_times)
    print(f"api-schema family vs kubernetes-validate: {ratio:.0f}x faster")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
