"""Reading history as hostile input: what the object store holds, even when the walk breaks."""

from __future__ import annotations

from pathlib import Path

import pytest

import gitwarden.sources.git_history as git_history
from gitwarden.sources.git_history import HistoryRepository
from gitwarden.sources.git_repository import GitError
from progress_recorder import Recorded
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


def test_the_walk_advances_once_per_commit_even_one_that_changes_no_blob(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r")
    commit(repo, "one", {"a.txt": "one\n"})
    commit(repo, "empty")
    commit(repo, "two", {"b.txt": "two\n"})
    walked = Recorded("walk", 3)

    changes = list(HistoryRepository(repo).blob_changes(walked=walked))

    assert (len(changes), walked.steps) == (2, [1, 1, 1])


@pytest.mark.parametrize("reflog", [False, True], ids=["refs", "refs-and-reflog"])
def test_commit_count_is_what_the_walk_passes(tmp_path: Path, reflog: bool) -> None:
    repo = make_repo(tmp_path / "r")
    base = commit(repo, "one", {"a.txt": "one\n"})
    commit(repo, "two", {"b.txt": "two\n"})
    commit(repo, "dropped", {"c.txt": "three\n"})
    git(repo, "reset", "-q", "--hard", "HEAD~1")  # "dropped" is left in the reflog only
    commit(repo, "three", {"d.txt": "four\n"})
    history = HistoryRepository(repo)
    walked = Recorded("walk", None)

    list(history.blob_changes(reflog=reflog, since=base, walked=walked))

    assert (
        history.commit_count(reflog=reflog, since=base) == walked.advanced == (3 if reflog else 2)
    )


def test_a_walk_git_cannot_finish_raises_with_gits_reason(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r")
    first = commit(repo, "one", {"a.txt": "one\n"})
    commit(repo, "two", {"b.txt": "two\n"})
    (repo / ".git" / "objects" / first[:2] / first[2:]).unlink()

    with pytest.raises(GitError, match=r"git log failed .*"):
        list(HistoryRepository(repo).blob_changes())


@pytest.mark.parametrize("chunk", [1, 7], ids=["bytes", "odd-chunks"])
def test_the_walk_reads_the_same_whatever_the_chunks_git_output_comes_in(
    tmp_path: Path, chunk: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = make_repo(tmp_path / "r")
    commit(repo, "one", {"a.txt": "one\n", "dir/b c.txt": "two\n"})
    commit(repo, "two", {"a.txt": "changed\n"}, delete=("dir/b c.txt",))
    whole = list(HistoryRepository(repo).blob_changes())
    monkeypatch.setattr(git_history, "_CHUNK_BYTES", chunk)

    assert list(HistoryRepository(repo).blob_changes()) == whole
    assert [(c.path, c.commit) for c in whole] == [
        ("a.txt", git(repo, "rev-parse", "HEAD~1")),
        ("dir/b c.txt", git(repo, "rev-parse", "HEAD~1")),
        ("a.txt", git(repo, "rev-parse", "HEAD")),
    ]
