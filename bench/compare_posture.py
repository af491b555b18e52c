"""Benchmark of the GitOps posture families, in one run on one machine.

1. Dockerfiles: a generated corpus of Dockerfiles scanned by ``gitwarden scan`` (which runs
   hadolint once per file, on standard input) and, as peers, by hadolint itself (one process
   for all files: the fastest way to use it) and by Checkov's dockerfile framework.
2. The posture families (argocd, flux, controller-rbac, secrets-management,
   image-verification) on the four GitOps corpora: in-process time of each check family over
   objects loaded once, files as they are (no rendering), beside the Kubernetes families.

Usage (from the repository root; Checkov in bench/.venv-checkov as bench/README.md says):

    .venv/bin/python bench/compare_posture.py
    .venv/bin/python bench/compare_posture.py --dockerfiles 200 --runs 5
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
CORPORA = REPO.parent / "shared" / "corpora"
if not CORPORA.is_dir():
    CORPORA = Path("/work/shared/corpora")
GITOPS_CORPORA = (
    "argo-cd-manifests",
    "flux2-manifests",
    "argocd-example-apps",
    "flux2-kustomize-helm-example",
)
BASES = ("ubuntu:latest", "python:3.12-slim", "node:20", f"alpine:3.20@sha256:{'ab' * 32}")
STEPS = (
    "RUN apt-get update && apt-get install -y curl ca-certificates",
    "RUN pip install requests flask",
    "RUN npm install -g typescript",
    "RUN apk add --no-cache bash",
    "RUN cd /tmp && wget https://example.com/tool.tgz && tar xzf tool.tgz",
    "ADD app.tar.gz /opt/app",
    "COPY . /app",
    "ENV PATH=/opt/app/bin:$PATH",
    "RUN echo $HOME/$USER > /tmp/whoami",
    "EXPOSE 8080",
)


def write_dockerfiles(folder: Path, count: int) -> None:
    for index in range(count):
        base = BASES[index % len(BASES)]
        steps = [STEPS[(index + k) % len(STEPS)] for k in range(3 + index % 5)]
        user = "USER root" if index % 3 == 0 else "USER 10001"
        text = "\n".join([f"FROM {base}", "WORKDIR /app", *steps, user, 'CMD ["app"]', ""])
        path = folder / f"svc-{index:04d}" / "Dockerfile"
        path.parent.mkdir(parents=True)
        path.write_text(text)


def timed(cmd: Sequence[str], env: dict[str, str] | None = None) -> dict[str, Any]:
    """Wall time, exit code and peak RSS (of the largest process of the tree) of one run."""
    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        process = subprocess.Popen(
            cmd, stdout=out, stderr=subprocess.DEVNULL, env=env or os.environ.copy()
        )
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        stdout = out.read()
    return {
        "wall": wall,
        "exit": process.returncode,
        "maxrss_mb": usage.ru_maxrss / 1024,
        "stdout": stdout,
    }


def run_series(
    name: str, cmd: Sequence[str], runs: int, env: dict[str, str] | None = None
) -> dict[str, Any]:
    timed(cmd, env)  # warm-up: page cache, bytecode
    results = [timed(cmd, env) for _ in range(runs)]
    walls = [r["wall"] for r in results]
    last = results[-1]
    return {
        "name": name,
        "command": " ".join(cmd),
        "wall_median": statistics.median(walls),
        "wall_min": min(walls),
        "maxrss_mb": max(r["maxrss_mb"] for r in results),
        "exit": last["exit"],
        "stdout": last["stdout"],
    }


def count_hadolint(stdout: bytes) -> int:
    return len(json.loads(stdout or b"[]"))


def count_gitwarden_dockerfile(stdout: bytes) -> int:
    document = json.loads(stdout)
    return sum(
        1
        for f in document["findings"]
        if f["rule"].startswith("dockerfile-DL") or f["rule"].startswith("dockerfile-SC")
    )


def count_checkov(stdout: bytes) -> str:
    for line in stdout.decode("utf-8", "replace").splitlines():
        if line.startswith("Passed checks:"):
            return line.strip()
    return "no summary"


def bench_dockerfiles(count: int, runs: int, checkov: Path | None) -> list[dict[str, Any]]:
    gitwarden = Path(sys.executable).parent / "gitwarden"
    hadolint = Path(sys.executable).parent / "hadolint"
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="gitwarden-bench-") as tmp:
        folder = Path(tmp)
        write_dockerfiles(folder, count)
        files = sorted(str(p) for p in folder.rglob("Dockerfile"))
        row = run_series(
            "gitwarden", [str(gitwarden), "scan", "--no-render", "-f", "json", str(folder)], runs
        )
        row["findings"] = count_gitwarden_dockerfile(row.pop("stdout"))
        rows.append(row)
        row = run_series(
            "hadolint (one process)", [str(hadolint), "--no-fail", "-f", "json", *files], runs
        )
        row["findings"] = count_hadolint(row.pop("stdout"))
        rows.append(row)
        if checkov is not None and checkov.exists():
            env = os.environ | {"BC_SKIP_MAPPING": "TRUE", "CKV_SKIP_PACKAGE_UPDATE_CHECK": "TRUE"}
            row = run_series(
                "checkov", [str(checkov), "-d", str(folder), "--framework", "dockerfile"], runs, env
            )
            row["findings"] = count_checkov(row.pop("stdout"))
            rows.append(row)
    return rows


def bench_families(runs: int) -> list[dict[str, Any]]:
    from gitwarden.checks.check import CheckContext, run_checks
    from gitwarden.checks.registry import CHECK_FAMILIES
    from gitwarden.manifests.loader import load_manifest_text
    from gitwarden.path_patterns import PathFilter
    from gitwarden.pipeline.check_inputs import read_check_inputs
    from gitwarden.sources.tree import read_manifest_text, walk_repository

    rows = []
    for corpus in GITOPS_CORPORA:
        root = CORPORA / corpus
        walk = walk_repository(root, PathFilter((), (".git/",)))
        objects = []
        for repo_file in walk.manifest_files:
            text, _ = read_manifest_text(repo_file, 64 * 1024 * 1024)
            if text is not None:
                objects.extend(load_manifest_text(text, repo_file.path).objects)
        timings: dict[str, list[float]] = {}
        findings: dict[str, int] = {}
        for _ in range(runs):
            context = CheckContext(objects, inputs=read_check_inputs(walk.all_files))  # fresh
            for family in CHECK_FAMILIES:
                start = time.perf_counter()
                found = run_checks(family.CHECKS, context)
                timings.setdefault(family.FAMILY, []).append(time.perf_counter() - start)
                findings[family.FAMILY] = len(found)
        rows.append(
            {
                "corpus": corpus,
                "objects": len(objects),
                "families": {
                    name: {"ms": statistics.median(values) * 1000, "findings": findings[name]}
                    for name, values in timings.items()
                },
            }
        )
    return rows


POSTURE = ("argocd", "flux", "controller-rbac", "secrets-management", "image-verification")


def machine() -> dict[str, str]:
    cpu = "unknown"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    memory = Path("/proc/meminfo").read_text().splitlines()[0].split()[1]
    return {
        "cpu": cpu,
        "cores": str(os.cpu_count()),
        "ram_gib": f"{int(memory) / 1024 / 1024:.1f}",
        "kernel": platform.release(),
        "python": platform.python_version(),
        "load": " ".join(f"{x:.2f}" for x in os.getloadavg()),
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dockerfiles", type=int, default=100)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--checkov", type=Path, default=REPO / "bench/.venv-checkov/bin/checkov")
    parser.add_argument("--output", type=Path, default=REPO / "bench/results/posture.json")
    args = parser.parse_args(argv)

    info = machine()
    print(f"machine: {info}")
    docker_rows = bench_dockerfiles(args.dockerfiles, args.runs, args.checkov)
    print(
        f"\nDockerfiles ({args.dockerfiles} generated), median of {args.runs} runs after 1 warm-up:"
    )
    for row in docker_rows:
        print(
            f"  {row['name']:<24} median {row['wall_median']:7.2f} s  min {row['wall_min']:7.2f} s"
            f"  peak RSS {row['maxrss_mb']:5.0f} MB  exit {row['exit']}  findings {row['findings']}"
        )
    family_rows = bench_families(args.runs)
    print(f"\nCheck families in-process (median of {args.runs}, ms; files as they are):")
    for row in family_rows:
        families = row["families"]
        posture = sum(families[name]["ms"] for name in POSTURE)
        kubernetes = sum(v["ms"] for k, v in families.items() if k not in (*POSTURE, "dockerfiles"))
        detail = ", ".join(f"{name} {families[name]['ms']:.1f}" for name in POSTURE)
        print(
            f"  {row['corpus']:<30} {row['objects']:>5} objects  posture {posture:7.1f} ms "
            f"({detail})  kubernetes families {kubernetes:7.1f} ms"
        )
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(
        json.dumps({"machine": info, "dockerfiles": docker_rows, "families": family_rows}, indent=2)
    )
    print(f"\nwritten: {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
