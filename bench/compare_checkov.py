#!/usr/bin/env python3
"""Benchmark gitwarden against Checkov on a corpus of Kubernetes manifests.

Runs, in one invocation and on the same machine:

* ``gitwarden scan --no-render --format json DIR`` -- reads files as they are,
  like Checkov does: the like-for-like timing; its warm-up fills the parsed-file
  cache, so the measured runs read it warm;
* the same with ``--no-cache``: every file parsed in every run;
* ``gitwarden scan --format json DIR`` -- also renders kustomizations with
  ``kubectl kustomize``: reported beside it;
* ``checkov -d DIR --framework kubernetes``.

gitwarden runs with a state folder of its own (``GITWARDEN_STATE_DIR`` under the
output folder, emptied first), so its caches hold only what this invocation's
warm-up runs wrote.

Each command runs ``--warmup`` times unmeasured-in-the-summary and then
``--runs`` times.  Every run happens inside a fresh wrapper process (this
script's hidden ``_measure`` mode), which starts the command, waits for it and
reports wall time, CPU time and ``getrusage(RUSAGE_CHILDREN).ru_maxrss``: since
the wrapper has no other children, that peak belongs to the command alone (the
largest single process of its tree).  The wrapper also samples the summed RSS
of the whole process tree from /proc, which matters when a command runs
helpers (kubectl) in parallel.

Results: a table on stdout and ``bench/results/checkov.json``.  Exit status is
0 when every command produced a result, 2 otherwise.

Usage::

    .venv/bin/python bench/compare_checkov.py [--corpus DIR] [--runs N] [--checkov PATH]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
REPO_ROOT = BENCH_DIR.parent
DEFAULT_CORPUS = REPO_ROOT.parent / "shared" / "corpora" / "argo-cd-manifests"
DEFAULT_CHECKOV = BENCH_DIR / ".venv-checkov" / "bin" / "checkov"
DEFAULT_OUTPUT = BENCH_DIR / "results" / "checkov.json"

# Targets the project set for gitwarden (like-for-like, --no-render).
TARGET_SPEEDUP = 50.0
TARGET_PEAK_MB = 200.0

# Checkov reaches out to its vendor's API for check metadata and to PyPI for
# an update check.  Neither affects the scan; switching both off keeps the run
# offline and takes network latency out of Checkov's time.
CHECKOV_ENV = {"BC_SKIP_MAPPING": "TRUE", "CKV_SKIP_PACKAGE_UPDATE_CHECK": "TRUE"}

# This machine's shells export PYTHONDONTWRITEBYTECODE=1.  Pip-installed
# Checkov ships compiled bytecode, but an editable gitwarden would then
# recompile its sources on every run; the warm-up run writes the caches.
ENV_REMOVED = ("PYTHONDONTWRITEBYTECODE",)

OK_EXIT_CODES = (0, 1)  # 1 = "found failures" for both tools
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")
MB = 1024 * 1024


# --------------------------------------------------------------------------
# Wrapper mode: runs in a fresh process per measurement.
# --------------------------------------------------------------------------


def _proc_table() -> dict[int, tuple[int, int]]:
    """pid -> (ppid, rss bytes) for every process visible in /proc."""
    table: dict[int, tuple[int, int]] = {}
    for entry in os.scandir("/proc"):
        name = entry.name
        if not name.isdigit():
            continue
        try:
            raw = Path(f"/proc/{name}/stat").read_bytes()
        except OSError:
            continue
        # "pid (comm) state ppid ... rss ...": comm may hold spaces and ')'.
        fields = raw[raw.rfind(b")") + 2 :].split()
        if len(fields) < 22:
            continue
        table[int(name)] = (int(fields[1]), int(fields[21]) * PAGE_SIZE)
    return table


PSS_LINE = re.compile(rb"^Pss:\s+(\d+) kB", re.MULTILINE)


def _pss(pid: int, rss: int) -> int:
    """Proportional set size in bytes (shared pages divided among their users).

    Summing RSS over a forked tree counts copy-on-write pages once per process;
    PSS does not.  Falls back to RSS when smaps_rollup is unreadable.
    """
    try:
        match = PSS_LINE.search(Path(f"/proc/{pid}/smaps_rollup").read_bytes())
    except OSError:
        return rss
    return int(match.group(1)) * 1024 if match else rss


def _tree_memory(root: int) -> tuple[int, int]:
    """Summed (PSS, RSS) in bytes of ``root`` and all its live descendants."""
    table = _proc_table()
    children: dict[int, list[int]] = {}
    for pid, (ppid, _rss) in table.items():
        children.setdefault(ppid, []).append(pid)
    pss_total, rss_total, stack = 0, 0, [root]
    while stack:
        pid = stack.pop()
        if pid in table:
            rss = table[pid][1]
            rss_total += rss
            pss_total += _pss(pid, rss)
        stack.extend(children.get(pid, ()))
    return pss_total, rss_total


def measure(cmd: Sequence[str], stdout: Path, stderr: Path, interval: float) -> dict[str, Any]:
    """Run ``cmd`` once; called in the wrapper process, which has no other children."""
    peak_pss = peak_rss = samples = 0
    done = threading.Event()

    def sampler(pid: int) -> None:
        nonlocal peak_pss, peak_rss, samples
        while not done.wait(interval):
            pss, rss = _tree_memory(pid)
            peak_pss, peak_rss = max(peak_pss, pss), max(peak_rss, rss)
            samples += 1

    with stdout.open("wb") as out, stderr.open("wb") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(list(cmd), stdout=out, stderr=err, stdin=subprocess.DEVNULL)
        thread = None
        if interval > 0:
            thread = threading.Thread(target=sampler, args=(proc.pid,), daemon=True)
            thread.start()
        returncode = proc.wait()
        wall = time.perf_counter() - start
        done.set()
        if thread is not None:
            thread.join()
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {
        "returncode": returncode,
        "wall_s": wall,
        "user_s": usage.ru_utime,
        "sys_s": usage.ru_stime,
        "max_rss_bytes": usage.ru_maxrss * 1024,  # Linux reports KiB
        "tree_pss_sampled_bytes": peak_pss,
        "tree_rss_sampled_bytes": peak_rss,
        "tree_rss_samples": samples,
    }


def _wrapper_main(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="compare_checkov.py _measure")
    parser.add_argument("--stdout", type=Path, required=True)
    parser.add_argument("--stderr", type=Path, required=True)
    parser.add_argument("--interval", type=float, default=0.05)
    parser.add_argument("cmd", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)
    cmd = args.cmd[1:] if args.cmd[:1] == ["--"] else args.cmd
    print(json.dumps(measure(cmd, args.stdout, args.stderr, args.interval)))
    return 0


# --------------------------------------------------------------------------
# Orchestrator.
# --------------------------------------------------------------------------


class BenchError(RuntimeError):
    pass


@dataclass
class Bench:
    """One command under test."""

    name: str
    tool: str
    cmd: list[str]
    validate: Callable[[Path], dict[str, Any]]
    env: dict[str, str] = field(default_factory=dict)


@dataclass
class Run:
    index: int
    warmup: bool
    returncode: int
    wall_s: float
    cpu_s: float
    max_rss_mb: float
    tree_pss_sampled_mb: float
    tree_rss_sampled_mb: float
    stdout_bytes: int
    load_avg_1m_before: float
    result: dict[str, Any]


@dataclass
class BenchResult:
    name: str
    tool: str
    command: list[str]
    env: dict[str, str]
    runs: list[Run]

    @property
    def measured(self) -> list[Run]:
        return [r for r in self.runs if not r.warmup]

    def summary(self) -> dict[str, Any]:
        walls = [r.wall_s for r in self.measured]
        cpus = [r.cpu_s for r in self.measured]
        return {
            "runs": len(walls),
            "wall_median_s": statistics.median(walls),
            "wall_min_s": min(walls),
            "wall_max_s": max(walls),
            "cpu_median_s": statistics.median(cpus),
            "peak_rss_mb": max(r.max_rss_mb for r in self.measured),
            "peak_tree_pss_sampled_mb": max(r.tree_pss_sampled_mb for r in self.measured),
            "peak_tree_rss_sampled_mb": max(r.tree_rss_sampled_mb for r in self.measured),
            "exit_codes": sorted({r.returncode for r in self.measured}),
            "result": self.measured[-1].result,
        }


def validate_gitwarden(stdout: Path) -> dict[str, Any]:
    try:
        doc = json.loads(stdout.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise BenchError(f"gitwarden output is not JSON: {exc}") from exc
    if not isinstance(doc, dict) or "summary" not in doc or "findings" not in doc:
        raise BenchError("gitwarden JSON lacks 'summary'/'findings'")
    summary = doc["summary"]
    result: dict[str, Any] = {"findings": len(doc["findings"])}
    if isinstance(summary, dict):
        for key in ("total", "suppressed", "files_scanned", "objects_scanned", "by_severity"):
            if key in summary:
                result[key] = summary[key]
    tool = doc.get("tool")
    if isinstance(tool, dict) and "version" in tool:
        result["version"] = tool["version"]
    return result


CHECKOV_COUNTS = re.compile(
    rb"Passed checks: (\d+), Failed checks: (\d+), Skipped checks: (\d+)"
    rb"(?:, Parsing errors: (\d+))?"
)


def validate_checkov(stdout: Path) -> dict[str, Any]:
    match = CHECKOV_COUNTS.search(stdout.read_bytes())
    if match is None:
        raise BenchError("checkov output has no 'Passed checks: ..., Failed checks: ...' line")
    passed, failed, skipped, parse_errors = match.groups()
    return {
        "passed": int(passed),
        "failed": int(failed),
        "skipped": int(skipped),
        "parsing_errors": int(parse_errors or 0),
    }


def run_once(bench: Bench, index: int, warmup: bool, out_dir: Path, interval: float) -> Run:
    stdout = out_dir / f"{bench.name}.stdout"
    stderr = out_dir / f"{bench.name}.stderr"
    wrapper = [
        sys.executable,
        str(Path(__file__).resolve()),
        "_measure",
        "--stdout",
        str(stdout),
        "--stderr",
        str(stderr),
        "--interval",
        str(interval),
        "--",
        *bench.cmd,
    ]
    env = {k: v for k, v in os.environ.items() if k not in ENV_REMOVED} | bench.env
    load = os.getloadavg()[0]
    proc = subprocess.run(wrapper, env=env, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise BenchError(f"measurement wrapper failed:\n{proc.stderr}")
    data = json.loads(proc.stdout)
    rc = int(data["returncode"])
    if rc not in OK_EXIT_CODES:
        tail = stderr.read_text(encoding="utf-8", errors="replace")[-3000:]
        raise BenchError(f"{bench.name} exited {rc} (expected 0 or 1); stderr tail:\n{tail}")
    result = bench.validate(stdout)
    return Run(
        index=index,
        warmup=warmup,
        returncode=rc,
        wall_s=round(data["wall_s"], 4),
        cpu_s=round(data["user_s"] + data["sys_s"], 4),
        max_rss_mb=round(data["max_rss_bytes"] / MB, 1),
        tree_pss_sampled_mb=round(data["tree_pss_sampled_bytes"] / MB, 1),
        tree_rss_sampled_mb=round(data["tree_rss_sampled_bytes"] / MB, 1),
        stdout_bytes=stdout.stat().st_size,
        load_avg_1m_before=round(load, 2),
        result=result,
    )


def run_bench(bench: Bench, runs: int, warmup: int, out_dir: Path, interval: float) -> BenchResult:
    result = BenchResult(bench.name, bench.tool, bench.cmd, bench.env, [])
    total = warmup + runs
    for i in range(total):
        is_warmup = i < warmup
        label = "warm-up" if is_warmup else f"run {i - warmup + 1}/{runs}"
        print(f"  {bench.name}: {label} ...", end="", flush=True, file=sys.stderr)
        run = run_once(bench, i, is_warmup, out_dir, interval)
        print(
            f" {run.wall_s:.2f} s, {run.max_rss_mb:.0f} MB, exit {run.returncode}",
            file=sys.stderr,
        )
        result.runs.append(run)
    return result


# --------------------------------------------------------------------------
# Machine description.
# --------------------------------------------------------------------------


def _read(path: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8")
    except OSError:
        return ""


def _output(cmd: Sequence[str]) -> str | None:
    try:
        proc = subprocess.run(list(cmd), capture_output=True, text=True, timeout=120, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    text = (proc.stdout or proc.stderr).strip()
    return text if proc.returncode == 0 and text else None


def machine_info(checkov: Path | None, gitwarden: Path | None) -> dict[str, Any]:
    cpuinfo = _read("/proc/cpuinfo")
    model = re.search(r"^model name\s*:\s*(.+)$", cpuinfo, re.MULTILINE)
    meminfo = re.search(r"^MemTotal:\s*(\d+) kB", _read("/proc/meminfo"), re.MULTILINE)
    info: dict[str, Any] = {
        "cpu_model": model.group(1).strip() if model else platform.processor() or None,
        "cpu_count": os.cpu_count(),
        "cpu_affinity": len(os.sched_getaffinity(0)),
        "ram_gib": round(int(meminfo.group(1)) / 1024 / 1024, 1) if meminfo else None,
        "kernel": platform.release(),
        "os": platform.platform(),
        "python": platform.python_version(),
        "load_avg_at_start": [round(x, 2) for x in os.getloadavg()],
    }
    kubectl = shutil.which("kubectl")
    info["kubectl"] = None
    if kubectl:
        raw = _output([kubectl, "version", "--client", "-o", "json"])
        try:
            doc = json.loads(raw) if raw else {}
            info["kubectl"] = {
                "version": doc.get("clientVersion", {}).get("gitVersion"),
                "kustomize": doc.get("kustomizeVersion"),
            }
        except ValueError:
            info["kubectl"] = {"version": raw}
    if checkov is not None:
        info["checkov_version"] = _output([str(checkov), "--version"])
        info["checkov_python"] = _output([str(checkov.parent / "python"), "--version"])
    if gitwarden is not None:
        info["gitwarden_version"] = _output([str(gitwarden), "--version"])
        info["gitwarden_python"] = _output([str(gitwarden.parent / "python"), "--version"])
    return info


# --------------------------------------------------------------------------
# Report.
# --------------------------------------------------------------------------


def _fmt_result(tool: str, result: dict[str, Any]) -> str:
    if tool == "checkov":
        return f"passed {result['passed']}, failed {result['failed']}"
    parts = [f"findings {result.get('findings')}"]
    if "objects_scanned" in result:
        parts.append(f"objects {result['objects_scanned']}")
    if "files_scanned" in result:
        parts.append(f"files {result['files_scanned']}")
    return ", ".join(parts)


def print_table(results: list[BenchResult]) -> None:
    header = (
        "command",
        "runs",
        "wall median",
        "wall min",
        "CPU median",
        "peak RSS",
        "tree PSS*",
        "exit",
        "result",
    )
    rows = [header]
    for r in results:
        s = r.summary()
        rows.append(
            (
                r.name,
                str(s["runs"]),
                f"{s['wall_median_s']:.3f} s",
                f"{s['wall_min_s']:.3f} s",
                f"{s['cpu_median_s']:.3f} s",
                f"{s['peak_rss_mb']:.1f} MB",
                f"{s['peak_tree_pss_sampled_mb']:.1f} MB",
                "/".join(str(c) for c in s["exit_codes"]),
                _fmt_result(r.tool, s["result"]),
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    for n, row in enumerate(rows):
        print("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip())
        if n == 0:
            print("  ".join("-" * w for w in widths))
    print(
        "peak RSS = max over runs of the largest process (getrusage RUSAGE_CHILDREN); "
        "* tree PSS = summed proportional set size of the whole process tree, "
        "sampled from /proc (RSS sum also in the JSON)"
    )


def compute_ratios(results: list[BenchResult]) -> dict[str, Any]:
    by_name = {r.name: r.summary() for r in results}
    checkov = by_name.get("checkov")
    ratios: dict[str, Any] = {}
    if checkov is None:
        return ratios
    for name in ("gitwarden-no-render", "gitwarden-no-render-no-cache", "gitwarden-render"):
        gw = by_name.get(name)
        if gw is None:
            continue
        speedup = checkov["wall_median_s"] / gw["wall_median_s"]
        peak = max(gw["peak_rss_mb"], gw["peak_tree_pss_sampled_mb"])
        ratios[name] = {
            "speedup_wall_median": round(speedup, 1),
            "speedup_wall_min": round(checkov["wall_min_s"] / gw["wall_min_s"], 1),
            "speedup_cpu_median": round(checkov["cpu_median_s"] / gw["cpu_median_s"], 1),
            "memory_ratio": round(checkov["peak_rss_mb"] / gw["peak_rss_mb"], 1),
            "gitwarden_peak_mb": peak,
            "meets_speed_target": speedup >= TARGET_SPEEDUP,
            "meets_memory_target": peak < TARGET_PEAK_MB,
        }
    return ratios


def print_ratios(ratios: dict[str, Any]) -> None:
    for name, r in ratios.items():
        verdict_speed = "meets" if r["meets_speed_target"] else "MISSES"
        verdict_mem = "meets" if r["meets_memory_target"] else "MISSES"
        primary = {
            "gitwarden-no-render": " (like-for-like, parsed-file cache warm)",
            "gitwarden-no-render-no-cache": " (like-for-like, no cache)",
        }.get(name, "")
        print(
            f"checkov / {name}{primary}: {r['speedup_wall_median']}x faster by median wall time "
            f"({r['speedup_wall_min']}x by min, {r['speedup_cpu_median']}x by CPU time), "
            f"{r['memory_ratio']}x less peak RSS; "
            f"{verdict_speed} the {TARGET_SPEEDUP:g}x target, "
            f"{verdict_mem} the <{TARGET_PEAK_MB:g} MB target ({r['gitwarden_peak_mb']:.1f} MB)"
        )


# --------------------------------------------------------------------------
# Main.
# --------------------------------------------------------------------------


def default_gitwarden() -> Path | None:
    beside = Path(sys.executable).parent / "gitwarden"
    if beside.exists():
        return beside
    found = shutil.which("gitwarden")
    return Path(found) if found else None


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="directory to scan")
    parser.add_argument("--runs", type=int, default=3, help="measured runs per command")
    parser.add_argument("--warmup", type=int, default=1, help="warm-up runs per command")
    parser.add_argument("--checkov", type=Path, default=DEFAULT_CHECKOV, help="checkov executable")
    parser.add_argument("--gitwarden", type=Path, default=None, help="gitwarden executable")
    parser.add_argument(
        "--only",
        choices=("checkov", "gitwarden"),
        default=None,
        help="measure one tool only (no ratios)",
    )
    parser.add_argument(
        "--no-render-only",
        action="store_true",
        help="skip the gitwarden run with rendering",
    )
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="JSON results file")
    parser.add_argument(
        "--sample-interval",
        type=float,
        default=0.05,
        help="seconds between /proc samples of the process tree's RSS (0: off)",
    )
    args = parser.parse_args(argv)
    if args.runs < 1 or args.warmup < 0:
        parser.error("--runs must be >= 1 and --warmup >= 0")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["_measure"]:
        return _wrapper_main(argv[1:])
    args = parse_args(argv)

    corpus: Path = args.corpus.resolve()
    if not corpus.is_dir():
        print(f"error: corpus {corpus} is not a directory", file=sys.stderr)
        return 2
    want_checkov = args.only in (None, "checkov")
    want_gitwarden = args.only in (None, "gitwarden")
    checkov: Path | None = args.checkov.absolute() if want_checkov else None
    gitwarden: Path | None = None
    if want_gitwarden:
        gitwarden = args.gitwarden.absolute() if args.gitwarden else default_gitwarden()
        if gitwarden is None or not gitwarden.exists():
            print("error: gitwarden executable not found (use --gitwarden)", file=sys.stderr)
            return 2
    if checkov is not None and not checkov.exists():
        print(
            f"error: {checkov} not found; install Checkov as described in bench/README.md "
            "or pass --checkov",
            file=sys.stderr,
        )
        return 2

    out_dir: Path = args.output.parent / "checkov-output"
    benches: list[Bench] = []
    if gitwarden is not None:
        state = out_dir / "gitwarden-state"
        shutil.rmtree(state, ignore_errors=True)
        gitwarden_env = {"GITWARDEN_STATE_DIR": str(state)}
        no_render = [str(gitwarden), "scan", "--no-render", "--format", "json", str(corpus)]
        benches.append(
            Bench(
                "gitwarden-no-render",
                "gitwarden",
                no_render,
                validate_gitwarden,
                dict(gitwarden_env),
            )
        )
        benches.append(
            Bench(
                "gitwarden-no-render-no-cache",
                "gitwarden",
                [*no_render, "--no-cache"],
                validate_gitwarden,
                dict(gitwarden_env),
            )
        )
        if not args.no_render_only:
            benches.append(
                Bench(
                    "gitwarden-render",
                    "gitwarden",
                    [str(gitwarden), "scan", "--format", "json", str(corpus)],
                    validate_gitwarden,
                    dict(gitwarden_env),
                )
            )
    if checkov is not None:
        benches.append(
            Bench(
                "checkov",
                "checkov",
                [str(checkov), "-d", str(corpus), "--framework", "kubernetes"],
                validate_checkov,
                dict(CHECKOV_ENV),
            )
        )

    machine = machine_info(checkov, gitwarden)
    out_dir.mkdir(parents=True, exist_ok=True)
    started = dt.datetime.now(dt.UTC)
    print(f"corpus: {corpus}", file=sys.stderr)
    results: list[BenchResult] = []
    try:
        for bench in benches:
            results.append(run_bench(bench, args.runs, args.warmup, out_dir, args.sample_interval))
    except BenchError as exc:
        print(f"\nerror: {exc}", file=sys.stderr)
        return 2

    corpus_files = [p for p in corpus.rglob("*") if p.is_file()]
    yaml_files = [p for p in corpus_files if p.suffix in (".yaml", ".yml")]
    ratios = compute_ratios(results)
    document = {
        "benchmark": "gitwarden vs checkov",
        "started_utc": started.isoformat(timespec="seconds"),
        "finished_utc": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "load_avg_at_end": [round(x, 2) for x in os.getloadavg()],
        "corpus": {
            "path": str(corpus),
            "files": len(corpus_files),
            "yaml_files": len(yaml_files),
            "bytes": sum(p.stat().st_size for p in corpus_files),
            "kustomizations": sum(
                1 for p in corpus_files if p.name in ("kustomization.yaml", "kustomization.yml")
            ),
        },
        "settings": {
            "runs": args.runs,
            "warmup": args.warmup,
            "sample_interval_s": args.sample_interval,
            "env_removed": list(ENV_REMOVED),
        },
        "machine": machine,
        "targets": {"speedup": TARGET_SPEEDUP, "peak_rss_mb": TARGET_PEAK_MB},
        "results": [
            {
                "name": r.name,
                "tool": r.tool,
                "command": r.command,
                "env": r.env,
                "summary": r.summary(),
                "runs": [asdict(run) for run in r.runs],
            }
            for r in results
        ],
        "ratios": ratios,
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")

    print()
    kubectl = machine.get("kubectl") or {}
    print(
        f"machine: {machine['cpu_model']}, {machine['cpu_count']} cores, "
        f"{machine['ram_gib']} GiB RAM, Python {machine['python']}, "
        f"kubectl {kubectl.get('version')}, checkov {machine.get('checkov_version')}"
    )
    print(f"corpus: {corpus} ({len(yaml_files)} YAML files)")
    print()
    print_table(results)
    if ratios:
        print()
        print_ratios(ratios)
    print(f"\nresults written to {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
