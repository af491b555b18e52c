#!/usr/bin/env python3
"""``scan --diff`` against the full scan on a one-file change (issue 18), and exactness.

argo-cd-manifests from ``/work/shared/corpora`` is copied into a temporary Git repository,
committed, and one base file changed (``base/redis/argocd-redis-deployment.yaml``, an image
renamed). Then, in one invocation on one machine, each as a ``gitwarden`` subprocess
(interpreter start included), medians of ``--runs`` runs:

* ``full-warm`` / ``diff-warm``: ``gitwarden scan`` and ``gitwarden scan --diff HEAD`` with
  the render cache and the parsed-file cache filled by one unmeasured run;
* ``full-plain-cold`` / ``diff-plain-cold``: the render cache warm, the parsed-file cache
  emptied before every run (every plain manifest parsed, its entry written): what the
  parsed-file cache brings on top of the render cache;
* ``full-cold`` / ``diff-cold``: the same with an empty state folder before every run;
* ``full-no-cache`` / ``diff-no-cache``: ``--no-cache`` (no cache read or written);
* ``no-render-warm`` / ``no-render-no-cache``: ``gitwarden scan --no-render``, whose only
  cache is the parsed-file cache, with it warm and with ``--no-cache``.

Wall time and CPU time (user + system of the process and its children) are reported; on a
shared machine CPU moves less with the load than wall time.

Exactness is asserted, not assumed: the overlays the change affects are found by rendering
every overlay with ``kubectl kustomize`` before and after the change (an oracle independent
of gitwarden's input sets), and the diff report must equal the full report restricted to
the findings seen (in any sighting, before de-duplication) at the changed file or on an
object those overlays render.

Usage::

    .venv/bin/python bench/diff_speed.py [--runs 5] [--output bench/results/diff_speed.json]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
REPO_ROOT = BENCH_DIR.parent
CORPUS = REPO_ROOT.parent / "shared" / "corpora" / "argo-cd-manifests"
CHANGED = "base/redis/argocd-redis-deployment.yaml"
OUTPUT = BENCH_DIR / "results" / "diff_speed.json"


def gitwarden() -> str:
    beside = Path(sys.executable).parent / "gitwarden"
    return str(beside) if beside.exists() else "gitwarden"


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(repo), "-c", "user.name=b", "-c", "user.email=b@example.com", *args],
        check=True,
        capture_output=True,
        text=True,
    )
    return done.stdout


def build_repo(destination: Path) -> Path:
    shutil.copytree(CORPUS, destination, symlinks=True)
    git(destination, "init", "-q")
    git(destination, "add", "-A")
    git(destination, "commit", "-qm", "corpus")
    changed = destination / CHANGED
    changed.write_text(changed.read_text().replace("redis:", "redis-next:"))
    return destination


def timed_run(cmd: Sequence[str], env: dict[str, str]) -> dict[str, Any]:
    """One run: wall and CPU seconds (of the child and its own children), the report."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0, 1):
        raise RuntimeError(f"{cmd} exited {done.returncode}: {done.stderr[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"wall_s": wall, "cpu_s": cpu, "report": json.loads(done.stdout)}


# What is emptied before each measured run: nothing (after one unmeasured run), the
# parsed-file cache's folder only (after one unmeasured run), or the whole state folder.
WARM, PLAIN_COLD, COLD = "warm", "plain-cold", "cold"


def series(name: str, cmd: Sequence[str], runs: int, state: Path, *, mode: str) -> dict[str, Any]:
    from gitwarden.pipeline.parsed_file_cache import FOLDER

    env = {**os.environ, "GITWARDEN_STATE_DIR": str(state)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # every run would recompile gitwarden
    if mode != COLD:
        timed_run(cmd, env)
    results = []
    for _ in range(runs):
        if mode == COLD:
            shutil.rmtree(state, ignore_errors=True)
        elif mode == PLAIN_COLD:
            shutil.rmtree(state / "render-cache" / FOLDER, ignore_errors=True)
        results.append(timed_run(cmd, env))
    summary = {
        "name": name,
        "command": list(cmd),
        "wall_s": [round(r["wall_s"], 3) for r in results],
        "cpu_s": [round(r["cpu_s"], 3) for r in results],
        "wall_median_s": round(statistics.median(r["wall_s"] for r in results), 3),
        "cpu_median_s": round(statistics.median(r["cpu_s"] for r in results), 3),
        "findings": results[-1]["report"]["summary"]["total"],
        "load_1m_after": round(os.getloadavg()[0], 2),
    }
    print(
        f"  {name:<18} wall {summary['wall_median_s']:6.2f} s  cpu {summary['cpu_median_s']:6.2f}"
        f" s  findings {summary['findings']}  (load {summary['load_1m_after']})",
        flush=True,
    )
    summary["report"] = results[-1]["report"]
    return summary


def affected_overlays(repo: Path) -> set[str]:
    """Overlay roots whose ``kubectl kustomize`` output changes with the change."""
    from gitwarden.commands.report_assembly import config_for
    from gitwarden.pipeline.scan_sources import collect_sources

    sources = collect_sources(repo, config_for(repo, None), render=True, allow_network=False)
    folders = [o.folder for o in sources.plan.overlays if o.refusal is None]
    after = {folder: kustomize(repo / folder) for folder in folders}
    git(repo, "stash", "-q")
    try:
        before = {folder: kustomize(repo / folder) for folder in folders}
    finally:
        git(repo, "stash", "pop", "-q")
    return {f"kustomize {folder or '.'}" for folder in folders if before[folder] != after[folder]}


def kustomize(folder: Path) -> str:
    done = subprocess.run(
        ["kubectl", "kustomize", str(folder)], capture_output=True, text=True, check=False
    )
    return done.stdout if done.returncode == 0 else f"failed: {done.stderr}"


def sighted_keys(repo: Path, origins: set[str]) -> set[tuple[str, ...]]:
    """Keys of every check finding, before de-duplication, on an object of ``origins`` or
    at the changed file: what the narrowed report must hold."""
    from gitwarden.checks.check import CheckContext, run_checks
    from gitwarden.checks.registry import all_checks
    from gitwarden.commands.report_assembly import config_for
    from gitwarden.pipeline.deduplication import deduplication_key
    from gitwarden.pipeline.object_loading import ObjectLimits, load_objects
    from gitwarden.pipeline.scan_sources import collect_sources

    config = config_for(repo, None)
    sources = collect_sources(repo, config, render=True, allow_network=False)
    limits = ObjectLimits(config.max_file_bytes, config.max_document_bytes)
    with tempfile.TemporaryDirectory() as work:
        loaded = load_objects(sources, limits, Path(work))
    context = CheckContext(loaded.objects, config.checks, sources.inputs)
    sightings = [*loaded.findings, *run_checks(all_checks(), context)]
    return {
        deduplication_key(f)
        for f in sightings
        if f.location.origin in origins or f.location.file == CHANGED
    }


# Where a scan's time goes: (module file, function) -> label; cumulative profiled seconds.
STAGES = {
    ("scan.py", "scan"): "whole scan (in-process)",
    ("scan_sources.py", "collect_sources"): "tree walk, render plan, check inputs",
    ("git_changes.py", "changes_since"): "what changed (git ls-tree, hashing)",
    ("object_loading.py", "load_objects"): "objects: renders (cache) and parsing",
    ("manifest_files.py", "check"): "  of which plain manifests (cache or parse)",
    ("parsed_file_cache.py", "load"): "  of which parsed-file cache (all lookups)",
    ("rendered.py", "objects_from_kustomize"): "  of which rendered overlays parsed",
    ("tree_scan.py", "scan_tree_secrets"): "secret detection",
    ("check.py", "run_checks"): "checks (full scan)",
    ("check.py", "run_checks_for_files"): "checks (narrowed)",
    ("parsed_file_cache.py", "document"): "  documents parsed again (positions)",
    ("change_set.py", "findings_the_change_brings"): "checks without the change",
    ("report_assembly.py", "assemble_report"): "report assembly",
}


def stage_profile(repo: Path, state: Path, *, diff: bool) -> dict[str, float]:
    """Cumulative profiled seconds per stage of one warm in-process scan (after one warm-up
    run): shares, not timings -- the profiler slows Python code down unevenly."""
    import cProfile
    import pstats

    from gitwarden.commands.scan import ScanOptions, scan

    os.environ["GITWARDEN_STATE_DIR"] = str(state)
    options = ScanOptions(diff_base="HEAD" if diff else None)
    scan(repo, options=options)
    profiler = cProfile.Profile()
    profiler.enable()
    scan(repo, options=options)
    profiler.disable()
    found: dict[str, float] = {}
    # pstats keeps (file, line, function) -> (calls, primitive calls, own, cumulative, callers).
    raw: dict[tuple[str, int, str], tuple[Any, ...]] = pstats.Stats(profiler).stats  # type: ignore[attr-defined]
    for (file, _, function), row in raw.items():
        label = STAGES.get((Path(file).name, function))
        if label is not None and "gitwarden" in file:
            found[label] = round(found.get(label, 0.0) + row[3], 3)
    return {label: found[label] for label in STAGES.values() if label in found}


def json_key(finding: dict[str, Any]) -> tuple[str, ...]:
    return (
        finding["rule"],
        finding["file"],
        str(finding["line"]),
        finding.get("resource") or "",
        finding.get("field") or "",
        finding["message"],
    )


def same_with_every_cache(rows: Sequence[dict[str, Any]]) -> None:
    """Warm, cold and uncached runs of one command report the same findings."""
    for command in ("full", "diff", "no-render"):
        reports = [r["report"]["findings"] for r in rows if r["name"].startswith(f"{command}-")]
        if any(report != reports[0] for report in reports):
            raise AssertionError(f"{command}: the caches changed the findings")


def check_exactness(repo: Path, full: dict[str, Any], narrowed: dict[str, Any]) -> dict[str, Any]:
    origins = affected_overlays(repo)
    keys = sighted_keys(repo, origins)
    expected = [f for f in full["findings"] if json_key(f) in keys or f["file"] == CHANGED]
    got = narrowed["findings"]
    if got != expected:
        missing = [json_key(f) for f in expected if f not in got][:5]
        extra = [json_key(f) for f in got if f not in expected][:5]
        raise AssertionError(f"--diff differs from the full scan: missing {missing}, extra {extra}")
    return {"affected_overlays": sorted(origins), "findings": len(got)}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    gw = gitwarden()
    with tempfile.TemporaryDirectory(prefix="diff-speed-") as temporary:
        base = Path(temporary)
        repo = build_repo(base / "repo")
        state = base / "state"
        full = [gw, "scan", str(repo), "--format", "json"]
        diff = [*full, "--diff", "HEAD"]
        print(f"argo-cd-manifests, {CHANGED} changed; {args.runs} runs each", flush=True)
        print(f"load before: {os.getloadavg()}", flush=True)
        no_render = [*full, "--no-render"]
        rows = [
            series("full-warm", full, args.runs, state, mode=WARM),
            series("diff-warm", diff, args.runs, state, mode=WARM),
            series("full-plain-cold", full, args.runs, state, mode=PLAIN_COLD),
            series("diff-plain-cold", diff, args.runs, state, mode=PLAIN_COLD),
            series("full-cold", full, args.runs, state, mode=COLD),
            series("diff-cold", diff, args.runs, state, mode=COLD),
            series("full-no-cache", [*full, "--no-cache"], args.runs, state, mode=WARM),
            series("diff-no-cache", [*diff, "--no-cache"], args.runs, state, mode=WARM),
            series("no-render-warm", no_render, args.runs, state, mode=WARM),
            series("no-render-no-cache", [*no_render, "--no-cache"], args.runs, state, mode=WARM),
        ]
        same_with_every_cache(rows)
        exact = check_exactness(repo, rows[0]["report"], rows[1]["report"])
        print(f"exact: {exact['findings']} findings, affected {exact['affected_overlays']}")
        stages = {
            name: stage_profile(repo, state, diff=name == "diff") for name in ("full", "diff")
        }
        for name, profile in stages.items():
            print(f"profiled stages, {name} warm:")
            for label, seconds in profile.items():
                print(f"  {label:<44} {seconds:6.3f} s")
    by_name = {row["name"]: row for row in rows}
    kinds = ("warm", "plain-cold", "cold", "no-cache")
    ratios = {
        measure: {
            kind: round(
                by_name[f"full-{kind}"][f"{measure}_median_s"]
                / by_name[f"diff-{kind}"][f"{measure}_median_s"],
                2,
            )
            for kind in kinds
        }
        for measure in ("wall", "cpu")
    }
    for measure, by_kind in ratios.items():
        shown = ", ".join(f"{kind} {ratio}x" for kind, ratio in by_kind.items())
        print(f"full / diff {measure}: {shown}")
    for row in rows:
        del row["report"]
    result = {
        "machine": {"cores": os.cpu_count(), "load_after": os.getloadavg()},
        "rows": rows,
        "ratios_wall": ratios["wall"],
        "ratios_cpu": ratios["cpu"],
        "exactness": exact,
        "profiled_stages_warm": stages,
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(result, indent=2) + "\n")
    print(f"results: {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
