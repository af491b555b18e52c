#!/usr/bin/env python3
"""Which memory limit works for Helm renders, and what bounding a render costs.

helm-python-sdk embeds Helm's Go SDK; the Go runtime reserves far more address space than it
uses, so an address-space limit (RLIMIT_AS) and a data limit (RLIMIT_DATA) behave
differently. In one run on the same machine this script measures, for each limit:

* the hostile chart of issue 11.4 (``repeat 1073741824 "a"``): how long until it is stopped,
  and how (exit status, first line of the runtime's message);
* legitimate charts from the shared corpora: whether they still render, and the median wall
  time of one bounded render (a child process under the limit);

and, for comparison, the in-process render of the same charts without any bound, plus the
virtual size and data size of a process that has loaded the SDK; and ``render_chart`` with
its default limits, once with a child of its own per render and once through one worker
pool (the SDK loaded once, as a scan renders its charts).

Usage::

    .venv/bin/python bench/helm_render_limits.py [--runs R]
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from gitwarden.sources import helm_worker
from gitwarden.sources.helm import HelmLimits, render_chart
from gitwarden.sources.worker_process import WorkerPool

REPO = Path(__file__).resolve().parents[1]
CORPORA = REPO.parent / "shared" / "corpora"
if not CORPORA.is_dir():
    CORPORA = Path("/work/shared/corpora")
CHARTS = [
    CORPORA / "microservices-demo" / "helm-chart",
    CORPORA / "argocd-example-apps" / "helm-guestbook",
]
GIB = 1 << 30
HOSTILE = (
    "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: bomb}\n"
    'data:\n  a: {{ repeat 1073741824 "a" | quote }}\n'
)
LIMITS = {
    "RLIMIT_AS 1 GiB": (resource.RLIMIT_AS, GIB),
    "RLIMIT_AS 4 GiB": (resource.RLIMIT_AS, 4 * GIB),
    "RLIMIT_DATA 1 GiB": (resource.RLIMIT_DATA, GIB),
}


def run_worker(chart: Path, limit: tuple[int, int] | None) -> tuple[float, int, str]:
    def apply() -> None:
        if limit is not None:
            resource.setrlimit(limit[0], (limit[1], limit[1]))

    request = {"chart_dir": str(chart), "values_yaml": None, "values_name": None}
    request |= {"release": "r", "namespace": "n"}
    started = time.perf_counter()
    completed = subprocess.run(
        [sys.executable, "-I", helm_worker.__file__],
        input=json.dumps(request),
        capture_output=True,
        text=True,
        preexec_fn=apply,
        timeout=120,
        check=False,
    )
    elapsed = time.perf_counter() - started
    first = next((line for line in completed.stderr.splitlines() if line.strip()), "")
    ok = completed.returncode == 0 and '"manifests"' in completed.stdout
    return elapsed, completed.returncode, "rendered" if ok else first[:90]


def sdk_process_sizes() -> dict[str, int]:
    code = (
        "import helm_python, re\n"
        "s = open('/proc/self/status').read()\n"
        "print(*(re.search(k + r':\\s+(\\d+)', s).group(1) for k in ('VmSize', 'VmData')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    size, data = out.stdout.split()
    return {"VmSize_kB": int(size), "VmData_kB": int(data)}


def in_process_median(chart: Path, runs: int) -> float:
    import helm_python

    times = []
    for _ in range(runs):
        started = time.perf_counter()
        with helm_python.Chart.load(chart) as loaded:
            loaded.render({}, name="r", namespace="n")
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    python = sys.version.split()[0]
    print(f"machine: {platform.platform()}, {platform.machine()}, python {python}")
    print("process with the SDK loaded:", sdk_process_sizes())
    with tempfile.TemporaryDirectory() as folder:
        hostile = Path(folder) / "bomb"
        (hostile / "templates").mkdir(parents=True)
        (hostile / "Chart.yaml").write_text("apiVersion: v2\nname: bomb\nversion: 1.0.0\n")
        (hostile / "templates" / "cm.yaml").write_text(HOSTILE)
        for name, limit in LIMITS.items():
            elapsed, code, outcome = run_worker(hostile, limit)
            print(f"hostile  {name:18} {elapsed:6.2f} s  exit {code:4}  {outcome}")
        for chart in CHARTS:
            print(
                f"{chart.name}: in-process, unbounded  {in_process_median(chart, args.runs):.3f} s"
            )
            for name, limit in LIMITS.items():
                runs = [run_worker(chart, limit) for _ in range(args.runs)]
                outcomes = {outcome for _, _, outcome in runs}
                median = statistics.median(elapsed for elapsed, _, _ in runs)
                print(f"{chart.name}: child, {name:18} {median:.3f} s  {sorted(outcomes)}")
            work = Path(folder) / "work"
            work.mkdir(exist_ok=True)
            times = []
            for _ in range(args.runs):
                started = time.perf_counter()
                output = render_chart(chart, None, "n", work, limits=HelmLimits())
                times.append(time.perf_counter() - started)
                assert output.error is None, output.error
            print(f"{chart.name}: render_chart (default limits) {statistics.median(times):.3f} s")
            pool = WorkerPool(1)
            times = []
            try:
                for _ in range(args.runs):
                    started = time.perf_counter()
                    output = render_chart(chart, None, "n", work, workers=pool)
                    times.append(time.perf_counter() - started)
                    assert output.error is None, output.error
            finally:
                pool.close()
            print(
                f"{chart.name}: render_chart in one worker pool, first {times[0]:.3f} s, "
                f"then median {statistics.median(times[1:] or times):.3f} s"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
