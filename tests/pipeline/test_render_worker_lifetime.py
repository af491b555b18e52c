"""Render workers live for one scan: none is left running after it, and none that fails
takes the scan with it (issue 19)."""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path
from typing import Any

import pytest
from pipeline_repos import make_repo

from gitwarden.commands.scan import ScanOptions, scan
from gitwarden.pipeline import object_loading, render_units
from gitwarden.sources.helm import helm_renderer_name
from gitwarden.sources.kustomize import KustomizeRenderer, find_kustomize
from gitwarden.sources.worker_process import WorkerPool, WorkerProcess

REPO = {
    "base/kustomization.yaml": "resources:\n- cm.yaml\n",
    "base/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n",
    "prod/kustomization.yaml": "namespace: prod\nresources:\n- ../base\n",
    "dev/kustomization.yaml": "namespace: dev\nresources:\n- ../base\n",
    "chart/Chart.yaml": "apiVersion: v2\nname: app\nversion: 1.0.0\n",
    "chart/values.yaml": "name: web\n",
    "chart/values-prod.yaml": "name: web-prod\n",
    "chart/templates/cm.yaml": (
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: {{ .Values.name }}}\n"
    ),
}


def children() -> set[int]:
    """The live processes whose parent is this one."""
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == os.getpid() and fields[0] != "Z":
            found.add(int(entry.name))
    return found


@pytest.mark.skipif(
    find_kustomize() is None or helm_renderer_name() is None, reason="needs both renderers"
)
@pytest.mark.parametrize("jobs", [1, 2])
def test_a_scan_leaves_no_render_worker_running(tmp_path: Path, jobs: int) -> None:
    repo = make_repo(tmp_path / "repo", REPO)
    before = children()
    reports = [scan(repo, options=ScanOptions(jobs=jobs, cache=False)) for _ in range(2)]
    first, second = (len(r.findings) for r in reports)
    assert first == second
    assert not [f for f in reports[0].findings if f.rule_id == "render-failed"]
    assert children() - before == set()


def test_a_worker_that_crashes_fails_its_overlays_not_the_scan(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    script = tmp_path / "crashing_worker.py"
    script.write_text("import sys\nsys.stdin.readline()\nsys.exit('panic: boom')\n")
    crashing = KustomizeRenderer((sys.executable, "-I", str(script)), worker=True)
    monkeypatch.setattr(render_units, "find_kustomize", lambda: crashing)
    repo = make_repo(tmp_path / "repo", {k: v for k, v in REPO.items() if "chart" not in k})
    report = scan(repo, options=ScanOptions(jobs=2, cache=False))
    failed = sorted(f.location.file for f in report.findings if f.rule_id == "render-failed")
    assert failed == ["dev/kustomization.yaml", "prod/kustomization.yaml"]
    assert all(
        "could not run pykustomize: panic: boom" in f.message
        for f in report.findings
        if f.rule_id == "render-failed"
    )


@pytest.mark.skipif(find_kustomize() is None, reason="needs a kustomize renderer")
@pytest.mark.parametrize(
    ("jobs", "bytes_per_child", "children"),
    [(1, 1, 1), (2, 1, 2), (2, 1 << 20, 1)],
    ids=["one-job", "much-work", "little-work"],
)
def test_the_renders_take_the_kustomize_children_started_ahead(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jobs: int, bytes_per_child: int, children: int
) -> None:
    if not find_kustomize().worker:  # type: ignore[union-attr]
        pytest.skip("kustomize renders through a command, not a worker")
    starts: list[tuple[str, bool]] = []
    ahead = threading.local()
    start, prestart = WorkerProcess.start, WorkerPool.prestart

    def recorded_start(self: WorkerProcess) -> Any:
        kind = "helm" if any("helm_worker" in part for part in self.command.argv) else "kustomize"
        starts.append((kind, getattr(ahead, "on", False)))
        return start(self)

    def recorded_prestart(self: WorkerPool, *args: Any, **kwargs: Any) -> None:
        ahead.on = True
        try:
            prestart(self, *args, **kwargs)
        finally:
            ahead.on = False

    monkeypatch.setattr(WorkerProcess, "start", recorded_start)
    monkeypatch.setattr(WorkerPool, "prestart", recorded_prestart)
    # The two overlays' inputs are a few hundred bytes: "much work" counts a child a byte.
    monkeypatch.setattr(object_loading, "_OVERLAY_BYTES_PER_CHILD", bytes_per_child)
    repo = make_repo(tmp_path / "repo", {k: v for k, v in REPO.items() if "chart" not in k})
    scan(repo, options=ScanOptions(jobs=jobs, cache=False))
    kustomize_starts = [started_ahead for kind, started_ahead in starts if kind == "kustomize"]
    # Children ahead, up to one per job as the work asks, and no render started another.
    assert kustomize_starts == [True] * children
