"""`gitwarden scan` on the command line: rendering options."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from gitwarden.cli import EXIT_USAGE, main
from k8s_fixtures import CORPORA

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "insecure-gitops"

needs_kustomize = pytest.mark.skipif(
    shutil.which("kubectl") is None and shutil.which("kustomize") is None,
    reason="needs kubectl or kustomize on PATH",
)


def json_report(path: Path, out: Path, *options: str) -> str:
    main(["scan", str(path), "--format", "json", "--output", str(out), *options])
    return out.read_text()


@needs_kustomize
@pytest.mark.parametrize(
    "target",
    [CORPORA / "argocd-example-apps", EXAMPLE],
    ids=["argocd-example-apps", "insecure-gitops"],
)
def test_parallel_rendering_reports_what_a_serial_run_reports(target: Path, tmp_path: Path) -> None:
    if not target.is_dir():
        pytest.skip(f"{target} is not available")
    serial = json_report(target, tmp_path / "serial.json", "--jobs", "1", "--no-cache")
    parallel = json_report(target, tmp_path / "parallel.json", "--jobs", "4", "--no-cache")
    assert '"total": 0' not in serial
    assert parallel == serial


@pytest.mark.parametrize("jobs", ["0", "-2", "many"])
def test_jobs_must_be_a_positive_number(jobs: str, tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["scan", str(tmp_path), "--jobs", jobs])
    assert exited.value.code == EXIT_USAGE


@needs_kustomize
def test_no_cache_leaves_the_render_cache_empty(tmp_path: Path, private_state_dir: Path) -> None:
    json_report(EXAMPLE, tmp_path / "report.json", "--no-cache")
    assert not list(private_state_dir.glob("render-cache/*/*"))


@needs_kustomize
def test_a_scan_fills_the_render_cache(tmp_path: Path, private_state_dir: Path) -> None:
    json_report(EXAMPLE, tmp_path / "report.json")
    assert list(private_state_dir.glob("render-cache/*/*.entry"))
