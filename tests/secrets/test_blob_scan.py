"""Scanning many blobs on every core: the same outcomes, and no job left in the parent."""

from __future__ import annotations

from pathlib import Path

import pytest

import gitwarden.secrets.blob_scan as blob_scan
from gitwarden.secrets.engine import default_engine
from gitwarden.sources.git_history import HistoryRepository
from progress_recorder import Recorded
from secret_repos import commit, git, make_repo
from secrets_values import GITHUB_TOKEN


def repository_with_blobs(path: Path) -> tuple[HistoryRepository, dict[str, dict[str, str]]]:
    repo = make_repo(path)
    commit(repo, "one", {f"f{i}.txt": f"line {i}\n" for i in range(6)} | {"leak.sh": GITHUB_TOKEN})
    wanted = {
        git(repo, "rev-parse", f"HEAD:{name}"): {"text": name}
        for name in [*(f"f{i}.txt" for i in range(6)), "leak.sh"]
    }
    return HistoryRepository(repo), wanted


def hits(outcomes: list[blob_scan.BlobOutcome]) -> dict[str, list[str]]:
    return {
        o.blob: [h.rule.id for h in o.hits_by_kind.get("text", [])]
        for o in outcomes
        if o.hits_by_kind.get("text")
    }


def test_workers_find_what_one_process_finds_and_leave_no_job_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repository, wanted = repository_with_blobs(tmp_path / "r")
    serial = list(blob_scan.scan_blobs(repository, list(wanted), wanted, 1 << 20, default_engine()))
    monkeypatch.setattr(blob_scan, "PARALLEL_MIN_BLOBS", 0)
    parallel = list(
        blob_scan.scan_blobs(repository, list(wanted), wanted, 1 << 20, default_engine())
    )
    assert hits(parallel) == hits(serial) and len(hits(serial)) == 1
    assert blob_scan._worker_job is None


@pytest.mark.parametrize("parallel", [False, True], ids=["one-process", "workers"])
def test_scanned_advances_once_per_blob(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, parallel: bool
) -> None:
    repository, wanted = repository_with_blobs(tmp_path / "r")
    if parallel:
        monkeypatch.setattr(blob_scan, "PARALLEL_MIN_BLOBS", 0)
    scanned = Recorded("scan", len(wanted))

    outcomes = list(
        blob_scan.scan_blobs(repository, list(wanted), wanted, 1 << 20, default_engine(), scanned)
    )

    assert len(outcomes) == scanned.advanced == 7
