#!/usr/bin/env python3
"""Rendering at the speed of parsing (issue 19): cold, warm and --no-render scans, Checkov
beside them, and ``scan --diff`` on a one-file change (issue 18).

The combined tree of issue 19 (argocd-example-apps + microservices-demo +
flux2-kustomize-helm-example from ``/work/shared/corpora``) is copied 1x and 16x into a
temporary folder. For each size, in one invocation on one machine:

* ``first-run``: ``gitwarden scan`` with an empty state folder: the render cache empty and
  the secret scanner's Hyperscan database compiled (once per installation and rule set);
* ``cold``: the render cache emptied before each run, the rest of the state folder kept
  (the database built by an unmeasured run) -- the issue's "cold";
* ``cold-serial``: ``--jobs 1 --no-cache`` -- one render after another, as before the cache;
* ``warm``: the cache filled by an unmeasured run;
* ``no-render``: ``--no-render``;
* ``checkov``: ``checkov -d TREE --framework kubernetes kustomize helm`` (when installed in
  ``bench/.venv-checkov``, see ``bench/requirements-checkov.txt``, or given by ``--checkov``).

The rendering rows run once per kustomize renderer named by ``--renderers`` (default: every
one installed, pykustomize first, then ``kubectl``), chosen through ``GITWARDEN_KUSTOMIZE``
and named in the row (``cold [pykustomize]``), so the render workers and the process-per-
render command are compared in one run on one machine; the renderers' versions are in the
results' ``renderers``.

Then argo-cd-manifests in a Git repository with one base file changed: the full scan and
``scan --diff HEAD``, both with a warm cache.

The rows of one size run interleaved, run by run (a slow spell of the machine weighs on
every row alike), each gitwarden row with a state folder of its own. Each run goes through
``compare_checkov.py``'s ``_measure`` wrapper (wall, CPU, peak RSS of
the largest process, sampled PSS of the process tree). Results: a table on stdout and
``bench/results/render_speed.json``.

Usage::

    .venv/bin/python bench/render_speed.py [--runs N] [--scales 1,16] [--no-checkov]
        [--renderers pykustomize,kubectl] [--checkov PATH]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
REPO_ROOT = BENCH_DIR.parent
CORPORA = REPO_ROOT.parent / "shared" / "corpora"
COMBINED = ("argocd-example-apps", "microservices-demo", "flux2-kustomize-helm-example")
DIFF_CORPUS = "argo-cd-manifests"
DIFF_FILE = "base/redis/argocd-redis-deployment.yaml"
CHECKOV = BENCH_DIR / ".venv-checkov" / "bin" / "checkov"
MEASURE = BENCH_DIR / "compare_checkov.py"
OUTPUT = BENCH_DIR / "results" / "render_speed.json"
CHECKOV_ENV = {"BC_SKIP_MAPPING": "TRUE", "CKV_SKIP_PACKAGE_UPDATE_CHECK": "TRUE"}
MB = 1024 * 1024


def gitwarden() -> str:
    beside = Path(sys.executable).parent / "gitwarden"
    return str(beside) if beside.exists() else "gitwarden"


def build_tree(destination: Path, copies: int) -> Path:
    for copy in range(copies):
        for name in COMBINED:
            shutil.copytree(CORPORA / name, destination / f"copy-{copy:02d}" / name, symlinks=True)
    return destination


def git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-C", str(repo), "-c", "user.name=b", "-c", "user.email=b@example.com", *args],
        check=True,
        capture_output=True,
    )


def build_diff_repo(destination: Path) -> Path:
    shutil.copytree(CORPORA / DIFF_CORPUS, destination, symlinks=True)
    git(destination, "init", "-q")
    git(destination, "add", "-A")
    git(destination, "commit", "-qm", "corpus")
    changed = destination / DIFF_FILE
    changed.write_text(changed.read_text().replace("redis:", "redis-next:"))
    return destination


# Seconds between two samples of the process tree's PSS; 0: no sampling (see --pss-interval).
PSS_INTERVAL = [0.05]


def measure(cmd: Sequence[str], out_dir: Path, env: dict[str, str]) -> dict[str, Any]:
    stdout, stderr = out_dir / "stdout", out_dir / "stderr"
    wrapper = [sys.executable, str(MEASURE), "_measure", "--stdout", str(stdout)]
    wrapper += ["--stderr", str(stderr), "--interval", str(PSS_INTERVAL[0]), "--", *cmd]
    load = os.getloadavg()[0]
    # Like compare_checkov: without bytecode caches every run would recompile gitwarden.
    inherited = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    done = subprocess.run(
        wrapper, env={**inherited, **env}, capture_output=True, text=True, check=True
    )
    data = json.loads(done.stdout)
    if data["returncode"] not in (0, 1):
        raise RuntimeError(f"{cmd} exited {data['returncode']}: {stderr.read_text()[-2000:]}")
    return {
        "wall_s": round(data["wall_s"], 3),
        "cpu_s": round(data["user_s"] + data["sys_s"], 3),
        "max_rss_mb": round(data["max_rss_bytes"] / MB, 1),
        "tree_pss_mb": round(data["tree_pss_sampled_bytes"] / MB, 1),
        "load_1m_before": round(load, 2),
        "findings": _findings(stdout),
    }


def _findings(stdout: Path) -> int | None:
    try:
        return int(json.loads(stdout.read_text())["summary"]["total"])
    except (ValueError, KeyError, TypeError):
        return None


def renderer_versions() -> dict[str, str]:
    """Each installed kustomize renderer and its version, as gitwarden would find it."""
    code = (
        "import json, subprocess\n"
        "from gitwarden.pipeline.render_keys import pykustomize_library\n"
        "from gitwarden.sources.kustomize import find_kustomize\n"
        "found = {}\n"
        "for choice in ('pykustomize', 'kustomize', 'kubectl'):\n"
        "    r = find_kustomize(choice)\n"
        "    if r is None:\n"
        "        continue\n"
        "    if r.worker:\n"
        "        found[choice] = f'pykustomize {r.version}, {pykustomize_library()[-1]}'\n"
        "    else:\n"
        "        v = subprocess.run([r.argv[0], 'version', '--client'], capture_output=True,\n"
        "                           text=True).stdout.split('\\n')[0:2]\n"
        "        found[choice] = ' '.join(v).strip()\n"
        "print(json.dumps(found))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    found: dict[str, str] = json.loads(done.stdout)
    return found


@dataclass
class Series:
    """One row: ``cmd`` measured from ``start``: ``first`` (its state folder emptied before
    each run), ``cold`` (only the render cache emptied, after one unmeasured run built the
    rest) or ``warm`` (everything filled by one unmeasured run); no state: Checkov."""

    name: str
    cmd: Sequence[str]
    start: str = "first"
    state: Path | None = None
    extra_env: dict[str, str] = field(default_factory=dict)
    results: list[dict[str, Any]] = field(default_factory=list)

    @property
    def env(self) -> dict[str, str]:
        env = {**CHECKOV_ENV, **self.extra_env}
        if self.state is not None:
            env["GITWARDEN_STATE_DIR"] = str(self.state)
        return env

    def measure_once(self, work: Path) -> None:
        if self.state is not None and self.start == "first":
            shutil.rmtree(self.state, ignore_errors=True)
        elif self.state is not None and self.start == "cold":
            shutil.rmtree(self.state / "render-cache", ignore_errors=True)
        self.results.append(measure(self.cmd, work, self.env))


def run_series(rows: Sequence[Series], runs: int, work: Path, state: Path) -> list[dict[str, Any]]:
    """Each row ``runs`` times, interleaved run by run (a row's runs spread over the whole
    sitting, so a slow spell of the machine weighs on every row alike), each gitwarden row
    with a state folder of its own under ``state``."""
    for row in rows:
        if row.state is not None:
            row.state = state / re.sub(r"[^a-z0-9]+", "-", row.name.lower()).strip("-")
            if row.start in ("cold", "warm"):
                measure(row.cmd, work, row.env)
    for _ in range(runs):
        for row in rows:
            row.measure_once(work)
    return [summary(row) for row in rows]


def summary(row: Series) -> dict[str, Any]:
    results = row.results
    walls = [r["wall_s"] for r in results]
    summary = {
        "name": row.name,
        "command": list(row.cmd),
        "runs": results,
        "wall_median_s": statistics.median(walls),
        "cpu_median_s": statistics.median(r["cpu_s"] for r in results),
        "peak_rss_mb": max(r["max_rss_mb"] for r in results),
        "peak_tree_pss_mb": max(r["tree_pss_mb"] for r in results),
        "findings": results[-1]["findings"],
    }
    print(
        f"  {row.name:<26} wall {summary['wall_median_s']:7.2f} s  "
        f"CPU {summary['cpu_median_s']:6.2f} s  peak RSS {summary['peak_rss_mb']:6.1f} MB  "
        f"tree PSS {summary['peak_tree_pss_mb']:6.1f} MB"
        f"  findings {summary['findings']}",
        flush=True,
    )
    return summary


def diff_rows(base: Path, gw: str, runs: int) -> list[dict[str, Any]]:
    repo = build_diff_repo(base / "diff-repo")
    work = base / "work-diff"
    work.mkdir()
    state = base / "state-diff"
    scan = [gw, "scan", str(repo), "--format", "json"]
    print(f"{DIFF_CORPUS}, one file changed ({DIFF_FILE})", flush=True)
    diff = [*scan, "--diff", "HEAD"]
    rows = [
        Series("full-warm", scan, "warm", state),
        Series("diff-warm", diff, "warm", state),
        Series("full-cold", scan, "cold", state),
        Series("diff-cold", diff, "cold", state),
    ]
    return run_series(rows, runs, work, state)


def print_ratios(rows: list[dict[str, Any]], renderers: Sequence[str]) -> None:
    """The issue's targets: cold 10x faster than Checkov, warm within 1.5x of --no-render."""
    wall = {row["name"]: row["wall_median_s"] for row in rows}
    cpu = {row["name"]: row["cpu_median_s"] for row in rows}
    for renderer in renderers:
        names = [f"{name} [{renderer}]" for name in ("first-run", "cold", "warm")]
        if "checkov" in wall:
            for name in names:
                print(
                    f"  checkov / {name}: {wall['checkov'] / wall[name]:.1f}x wall, "
                    f"{cpu['checkov'] / cpu[name]:.1f}x CPU"
                )
        print(f"  {names[2]} / no-render: {wall[names[2]] / wall['no-render']:.2f}x")


def installed_renderers(versions: dict[str, str], wanted: str | None) -> list[str]:
    if wanted is not None:
        return [name for name in wanted.split(",") if name]
    return [name for name in ("pykustomize", "kubectl") if name in versions]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--runs-16x", type=int, default=1)
    parser.add_argument("--scales", default="1,16", help='copies, comma-separated ("": none)')
    parser.add_argument("--no-checkov", action="store_true")
    parser.add_argument(
        "--checkov-scales",
        default=None,
        help="the scales Checkov runs at (default: all; at 16x it takes about 25 minutes)",
    )
    parser.add_argument("--no-diff", action="store_true", help="skip the --diff rows")
    parser.add_argument(
        "--renderers",
        default=None,
        help="kustomize renderers to compare, comma-separated (default: pykustomize,kubectl)",
    )
    parser.add_argument("--checkov", type=Path, default=CHECKOV, help="checkov executable")
    parser.add_argument(
        "--pss-interval",
        type=float,
        default=PSS_INTERVAL[0],
        help="seconds between PSS samples of the process tree; 0 turns sampling off (reading "
        "smaps_rollup of several Go renderers every 50 ms slows them: wall and CPU are then "
        "measured without it, tree PSS reads 0)",
    )
    args = parser.parse_args(argv)
    PSS_INTERVAL[0] = args.pss_interval
    gw = gitwarden()
    versions = renderer_versions()
    renderers = installed_renderers(versions, args.renderers)
    scales = [int(s) for s in args.scales.split(",") if s]
    checkov_scales = (
        scales
        if args.checkov_scales is None
        else [int(s) for s in args.checkov_scales.split(",") if s]
    )
    checkov = args.checkov if args.checkov.exists() and not args.no_checkov else None
    report: dict[str, Any] = {
        "machine": {"cores": os.cpu_count(), "load_1m_start": os.getloadavg()[0]},
        "renderers": {name: versions.get(name, "not installed") for name in renderers},
        "scales": {},
    }
    print(f"renderers: {report['renderers']}", flush=True)
    with tempfile.TemporaryDirectory(prefix="render-speed-") as temporary:
        base = Path(temporary)
        for scale in scales:
            runs = args.runs if scale == 1 else args.runs_16x
            tree = build_tree(base / f"tree-{scale}x", scale)
            work = base / f"work-{scale}x"
            work.mkdir()
            state = base / f"state-{scale}x"
            scan = [gw, "scan", str(tree), "--format", "json"]
            print(f"combined tree {scale}x ({tree})", flush=True)
            rows: list[Series] = []
            for renderer in renderers:
                env = {"GITWARDEN_KUSTOMIZE": renderer}
                serial = [*scan, "--jobs", "1", "--no-cache"]
                rows += [
                    Series(f"first-run [{renderer}]", scan, "first", state, env),
                    Series(f"cold [{renderer}]", scan, "cold", state, env),
                    Series(f"cold-serial [{renderer}]", serial, "cold", state, env),
                    Series(f"warm [{renderer}]", scan, "warm", state, env),
                ]
            rows.append(Series("no-render", [*scan, "--no-render"], "warm", state))
            if checkov is not None and scale in checkov_scales:
                frameworks = ["--framework", "kubernetes", "kustomize", "helm"]
                rows.append(
                    Series("checkov", [str(checkov), "-d", str(tree), *frameworks, "--quiet"])
                )
            summaries = run_series(rows, runs, work, state)
            report["scales"][f"{scale}x"] = summaries
            print_ratios(summaries, renderers)
        if not args.no_diff:
            report["diff"] = diff_rows(base, gw, args.runs)
    OUTPUT.parent.mkdir(exist_ok=True)
    OUTPUT.write_text(json.dumps(report, indent=2) + "\n")
    print(f"results: {OUTPUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
