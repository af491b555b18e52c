from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from pipeline_repos import make_repo, walk

from gitwarden.errors import GitwardenError
from gitwarden.pipeline.git_changes import (
    MAX_BASE_FILE_BYTES,
    changes_since,
    staged_changes,
    write_index,
)
from gitwarden.sources.tree import RepoFile


def git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
        check=True,
        capture_output=True,
    )


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = make_repo(
        tmp_path / "repo",
        {"a.yaml": "kind: A\n", "apps/b.yaml": "kind: B\n", "apps/c.yaml": "kind: C\n"},
    )
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "first")
    return root


def files_of(root: Path) -> list[RepoFile]:
    return walk(root).all_files


def test_nothing_changed_since_head_is_an_empty_change(repo: Path) -> None:
    assert changes_since(repo, "HEAD", files_of(repo)).files == frozenset()


def test_modified_added_and_deleted_files_are_changes(repo: Path) -> None:
    (repo / "a.yaml").write_text("kind: A2\n")
    (repo / "new.yaml").write_text("kind: N\n")
    (repo / "apps/c.yaml").unlink()
    change = changes_since(repo, "HEAD", files_of(repo))
    assert change.files == {"a.yaml", "new.yaml", "apps/c.yaml"}


def test_a_clean_filter_of_the_repository_is_never_run(repo: Path, tmp_path: Path) -> None:
    marker = tmp_path / "filter-ran"
    git(repo, "config", "filter.evil.clean", f"touch {marker}; cat")
    (repo / ".gitattributes").write_text("*.yaml filter=evil\n")
    (repo / "a.yaml").write_text("kind: A2\n")
    change = changes_since(repo, "HEAD", files_of(repo))
    assert "a.yaml" in change.files
    assert not marker.exists()


def test_an_unknown_revision_is_an_error(repo: Path) -> None:
    with pytest.raises(GitwardenError, match="no-such-rev"):
        changes_since(repo, "no-such-rev", files_of(repo))


def test_staged_changes_are_the_index_against_head_not_the_working_tree(repo: Path) -> None:
    (repo / "a.yaml").write_text("kind: A2\n")
    git(repo, "add", "a.yaml")
    (repo / "apps/b.yaml").write_text("kind: B2\n")  # changed, not staged
    assert staged_changes(repo).files == {"a.yaml"}


def test_before_the_first_commit_every_staged_file_is_a_change(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "fresh", {"x.yaml": "kind: X\n"})
    git(root, "init", "-q")
    git(root, "add", "-A")
    assert staged_changes(root).files == {"x.yaml"}


def test_the_index_is_written_with_its_staged_content(repo: Path, tmp_path: Path) -> None:
    (repo / "a.yaml").write_text("kind: Staged\n")
    git(repo, "add", "a.yaml")
    (repo / "a.yaml").write_text("kind: NotStaged\n")
    (repo / "untracked.yaml").write_text("kind: U\n")
    tree = tmp_path / "tree"
    write_index(repo, tree)
    assert (tree / "a.yaml").read_text() == "kind: Staged\n"
    assert (tree / "apps/b.yaml").read_text() == "kind: B\n"
    assert not (tree / "untracked.yaml").exists()


def test_writing_the_index_again_drops_files_no_longer_staged(repo: Path, tmp_path: Path) -> None:
    tree = tmp_path / "tree"
    write_index(repo, tree)
    git(repo, "rm", "-q", "--cached", "apps/c.yaml")
    write_index(repo, tree)
    assert not (tree / "apps/c.yaml").exists()


def test_a_change_carries_what_it_replaced_at_the_base_revision(repo: Path) -> None:
    (repo / "a.yaml").write_text("kind: A2\n")
    (repo / "apps/c.yaml").unlink()
    (repo / "new.yaml").write_text("kind: N\n")
    change = changes_since(repo, "HEAD", files_of(repo))
    assert change.base_texts == (("a.yaml", "kind: A\n"), ("apps/c.yaml", "kind: C\n"))


@pytest.mark.parametrize(
    "content",
    [b"kind: Big\n" + b"#" * (MAX_BASE_FILE_BYTES + 1), b"kind: \xff\n"],
    ids=["over-the-bound", "not-utf8"],
)
def test_base_content_too_large_or_not_text_is_left_out(repo: Path, content: bytes) -> None:
    (repo / "a.yaml").write_bytes(content)
    git(repo, "commit", "-qam", "odd")
    (repo / "a.yaml").write_text("kind: A3\n")
    change = changes_since(repo, "HEAD", files_of(repo))
    assert "a.yaml" in change.files
    assert "a.yaml" not in dict(change.base_texts)


def test_a_staged_change_carries_the_head_content_it_replaces(repo: Path) -> None:
    (repo / "a.yaml").write_text("kind: A2\n")
    git(repo, "add", "a.yaml")
    git(repo, "rm", "-q", "apps/b.yaml")
    (repo / "added.yaml").write_text("kind: New\n")
    git(repo, "add", "added.yaml")
    change = staged_changes(repo)
    assert change.files == {"a.yaml", "apps/b.yaml", "added.yaml"}
    assert change.base_texts == (("a.yaml", "kind: A\n"), ("apps/b.yaml", "kind: B\n"))
