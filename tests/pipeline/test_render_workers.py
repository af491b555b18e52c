"""Renderer children started by the scan's caller before the scan (issue 19): which start,
that the scan renders in them and in their folder, and the hint that chooses them."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from pipeline_repos import make_repo

from gitwarden.commands.scan import ScanOptions, scan
from gitwarden.pipeline.render_cache import default_cache_dir
from gitwarden.pipeline.render_workers import RenderHint, start_render_workers
from gitwarden.sources.helm import helm_renderer_name
from gitwarden.sources.kustomize import find_kustomize

REPO = {
    "base/kustomization.yaml": "resources:\n- cm.yaml\n",
    "base/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n",
    "prod/kustomization.yaml": "namespace: prod\nresources:\n- ../base\n",
}
CHART = {
    "chart/Chart.yaml": "apiVersion: v2\nname: app\nversion: 1.0.0\n",
    "chart/templates/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: web}\n",
}

RENDERER = find_kustomize()
needs_pykustomize = pytest.mark.skipif(
    RENDERER is None or not RENDERER.worker, reason="needs the pykustomize worker"
)
needs_helm_sdk = pytest.mark.skipif(
    helm_renderer_name() != "helm-python-sdk", reason="needs the Helm SDK"
)


def test_a_hint_reads_back_as_written(tmp_path: Path) -> None:
    RenderHint(overlays=3, charts=0).write(tmp_path / "cache", tmp_path / "repo")
    assert RenderHint.read(tmp_path / "cache", tmp_path / "repo") == RenderHint(3, 0)
    # One file per root: another root knows nothing yet.
    assert RenderHint.read(tmp_path / "cache", tmp_path / "other") == RenderHint()


@pytest.mark.parametrize("text", ["", "3", "a b", "1 2 3", "\xff\xfe"])
def test_an_unreadable_hint_is_no_hint(tmp_path: Path, text: str) -> None:
    RenderHint(1, 1).write(tmp_path, tmp_path / "repo")
    (hint_file,) = (tmp_path / "render-hints").iterdir()
    hint_file.write_bytes(text.encode("latin-1"))
    assert RenderHint.read(tmp_path, tmp_path / "repo") == RenderHint()


def test_a_planted_fifo_or_link_is_no_hint(tmp_path: Path) -> None:
    # A restored cache folder is not to be trusted: reading it must never block.
    RenderHint(1, 1).write(tmp_path, tmp_path / "repo")
    (hint_file,) = (tmp_path / "render-hints").iterdir()
    hint_file.unlink()
    os.mkfifo(hint_file)
    assert RenderHint.read(tmp_path, tmp_path / "repo") == RenderHint()
    hint_file.unlink()
    (tmp_path / "elsewhere").write_text("3 3\n")
    hint_file.symlink_to(tmp_path / "elsewhere")
    assert RenderHint.read(tmp_path, tmp_path / "repo") == RenderHint()


def test_an_unknown_hint_is_not_written(tmp_path: Path) -> None:
    RenderHint().write(tmp_path, tmp_path / "repo")
    assert not (tmp_path / "render-hints").exists()


def test_no_children_start_when_no_render_is_expected() -> None:
    assert start_render_workers(2, hint=RenderHint(overlays=0, charts=0)) is None


@pytest.mark.parametrize(
    ("hint", "cached", "expected"),
    [
        (RenderHint(), True, RenderHint()),  # a root never scanned: everything may render
        (RenderHint(), False, RenderHint()),
        (RenderHint(3, 1), True, RenderHint(0, 0)),  # the cache keeps what it rendered
        (RenderHint(3, 1), False, RenderHint(3, 1)),  # without it, all renders again
    ],
)
def test_the_renders_a_scan_expects(hint: RenderHint, cached: bool, expected: RenderHint) -> None:
    assert hint.renders_expected(cached=cached) == expected


@needs_pykustomize
@needs_helm_sdk
@pytest.mark.parametrize(
    ("hint", "kind"),
    [
        (RenderHint(), "kustomize_worker.py"),  # a first scan: overlays render first
        (RenderHint(overlays=5, charts=1), "kustomize_worker.py"),
        (RenderHint(overlays=0, charts=4), "helm_worker.py"),
    ],
)
def test_one_child_of_the_kind_rendered_first_starts(hint: RenderHint, kind: str) -> None:
    workers = start_render_workers(2, hint=hint)
    assert workers is not None
    try:
        workers.wait_started()
        (child,) = workers.pool.pids
        command_line = Path(f"/proc/{child}/cmdline").read_bytes().split(b"\0")
        assert any(part.endswith(kind.encode()) for part in command_line)
        assert workers.work_dir.is_dir()
    finally:
        workers.close()
    assert workers.pool.pids == ()
    assert not workers.work_dir.exists()


@needs_pykustomize
def test_the_scan_renders_in_the_callers_children_and_folder(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo", REPO)
    workers = start_render_workers(1, hint=RenderHint(overlays=1, charts=0))
    assert workers is not None
    try:
        workers.wait_started()
        (child,) = workers.pool.pids
        report = scan(repo, options=ScanOptions(jobs=1, cache=False, render_workers=workers))
        # The child started ahead answered and was given back, still alive, to its owner.
        assert workers.pool.pids == (child,)
        assert [p.name for p in workers.work_dir.iterdir() if p.name.startswith("kustomize-")]
    finally:
        workers.close()
    assert not [f for f in report.findings if f.rule_id == "render-failed"]
    assert report.objects_scanned == 1  # prod's ConfigMap, rendered


def scan_with_workers(repo: Path, **options: bool) -> None:
    workers = start_render_workers(1)
    try:
        scan(repo, options=ScanOptions(render_workers=workers, **options))
    finally:
        if workers is not None:
            workers.close()


@needs_pykustomize
@needs_helm_sdk
def test_a_scan_leaves_the_hint_of_what_it_had_to_render(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo", {**REPO, **CHART})
    scan(repo)  # a caller that starts no children ahead reads no hint: none is left
    assert RenderHint.read(default_cache_dir(), repo) == RenderHint()
    scan_with_workers(repo)
    # prod (base is only its input) and the chart with its defaults.
    assert RenderHint.read(default_cache_dir(), repo) == RenderHint(1, 1)
    (repo / "chart").rename(tmp_path / "chart")
    scan_with_workers(repo, cache=False)  # without the cache, no hint is kept
    assert RenderHint.read(default_cache_dir(), repo) == RenderHint(1, 1)
    scan_with_workers(repo)
    assert RenderHint.read(default_cache_dir(), repo) == RenderHint(1, 0)
    scan_with_workers(repo, render=False)  # nor without rendering
    assert RenderHint.read(default_cache_dir(), repo) == RenderHint(1, 0)
