"""Reading history as hostile input: what the object store holds, even when the walk breaks."""

from __future__ import annotations

from pathlib import Path

from gitwarden.sources.git_history import HistoryRepository
from secret_repos import commit, git, make_repo


def test_stored_blobs_lists_every_blob_reachable_or_not(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r")
    commit(repo, "one", {"a.txt": "kept\n"})
    (tmp_path / "loose").write_text("dangling\n")
    dangling = git(repo, "hash-object", "-w", str(tmp_path / "loose"))
    kept = git(repo, "rev-parse", "HEAD:a.txt")
    assert sorted(HistoryRepository(repo).stored_blobs()) == sorted([kept, dangling])


def test_stored_blobs_survive_a_missing_commit(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r")
    first = commit(repo, "one", {"a.txt": "one\n"})
    commit(repo, "two", {"b.txt": "two\n"})
    (repo / ".git" / "objects" / first[:2] / first[2:]).unlink()
    assert len(HistoryRepository(repo).stored_blobs()) == 2
