"""The progress protocol: commands report their long stages to the object they are given,
and to nobody by default."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from gitwarden.commands.forge_audit import ForgeAuditOptions
from gitwarden.commands.history import HistoryOptions, history
from gitwarden.commands.scan import ScanOptions, scan
from gitwarden.commands.verify import VerifyOptions, verify
from gitwarden.progress import SILENT, advancing, stage
from progress_recorder import Recorded, Recorder


def git_repo(root: Path) -> Path:
    env = {**os.environ, "GIT_CONFIG_GLOBAL": "/dev/null", "GIT_CONFIG_NOSYSTEM": "1"}
    identity = ["-c", "user.name=T", "-c", "user.email=t@example.com"]
    root.mkdir()
    (root / "app.yaml").write_text("kind: ConfigMap\n")
    for args in (["init", "-q"], ["add", "-A"], [*identity, "commit", "-q", "-m", "first"]):
        subprocess.run(["git", "-C", str(root), *args], env=env, check=True, capture_output=True)
    return root


def test_a_stage_finishes_when_its_work_fails() -> None:
    recorder = Recorder()

    with pytest.raises(RuntimeError), stage(recorder, "work"):
        raise RuntimeError

    assert recorder.stages == [Recorded("work", None, 0, True)]


def test_advancing_counts_every_item_it_passes_on() -> None:
    step = Recorded("items", 3)

    assert list(advancing("abc", step)) == ["a", "b", "c"]
    assert step.advanced == 3


@pytest.mark.skipif(shutil.which("kubectl") is None, reason="needs kubectl for kustomize")
def test_a_scan_reports_its_renders(tmp_path: Path) -> None:
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "settings.yaml").write_text(
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\n"
    )
    (tmp_path / "app" / "kustomization.yaml").write_text("resources: [settings.yaml]\n")
    recorder = Recorder()

    scan(tmp_path, None, ScanOptions(cache=False, progress=recorder))

    assert recorder.stages == [Recorded("rendering 1 overlays and charts", 1, 1, True)]


def test_a_scan_with_nothing_to_render_reports_no_stage(tmp_path: Path) -> None:
    (tmp_path / "app.yaml").write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n")
    recorder = Recorder()

    scan(tmp_path, None, ScanOptions(progress=recorder))

    assert recorder.stages == []


def test_history_and_verify_report_their_walks(tmp_path: Path) -> None:
    repo = git_repo(tmp_path / "repo")
    recorder = Recorder()

    history(repo, None, HistoryOptions(cache_dir=None, progress=recorder))
    verify(repo, None, VerifyOptions(progress=recorder))

    assert recorder.stages == [
        Recorded("walking the history for secrets", 1, 1, True),
        Recorded("scanning 1 blobs for secrets", 1, 1, True),
        Recorded("verifying commit signatures", 1, 1, True),
    ]


def test_commands_are_silent_by_default() -> None:
    assert ScanOptions().progress is SILENT
    assert HistoryOptions().progress is SILENT
    assert VerifyOptions().progress is SILENT
    assert ForgeAuditOptions().progress is SILENT
