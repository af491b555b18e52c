"""A revision's tree materialised from git objects: blobs only, links and oversize listed."""

from __future__ import annotations

import os
import stat
import subprocess
from pathlib import Path

import pytest

from gitwarden.sources.git_repository import GitError, GitRepository, MissingObjectError
from gitwarden.sources.revision_tree import TreeLimits, materialise_tree

ENV = {
    **os.environ,
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": "/dev/null",
    "GIT_AUTHOR_NAME": "T",
    "GIT_AUTHOR_EMAIL": "t@example.com",
    "GIT_COMMITTER_NAME": "T",
    "GIT_COMMITTER_EMAIL": "t@example.com",
}


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, env=ENV)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    path = tmp_path / "repo"
    (path / "clusters").mkdir(parents=True)
    git(path, "init", "-q", "-b", "main")
    (path / "clusters" / "app.yaml").write_text("kind: ConfigMap\n")
    (path / "run.sh").write_text("#!/bin/sh\n")
    (path / "run.sh").chmod(0o4755)
    (path / "passwd").symlink_to("/etc/passwd")
    git(path, "add", "-A")
    git(path, "commit", "-q", "-m", "first")
    return path


def test_blobs_are_written_with_their_content(repo: Path, tmp_path: Path) -> None:
    tree = materialise_tree(GitRepository(repo), "HEAD", tmp_path / "out")
    assert (tmp_path / "out" / "clusters" / "app.yaml").read_text() == "kind: ConfigMap\n"
    assert tree.tree == git(repo, "rev-parse", "HEAD^{tree}")


def test_a_symlink_is_listed_never_written(repo: Path, tmp_path: Path) -> None:
    tree = materialise_tree(GitRepository(repo), "HEAD", tmp_path / "out")
    assert not (tmp_path / "out" / "passwd").exists()
    assert [(entry.path, entry.reason) for entry in tree.skipped] == [("passwd", "symlink")]


def test_every_file_gets_a_plain_mode(repo: Path, tmp_path: Path) -> None:
    materialise_tree(GitRepository(repo), "HEAD", tmp_path / "out")
    assert stat.S_IMODE((tmp_path / "out" / "run.sh").stat().st_mode) == 0o644


def test_an_oversized_file_is_listed_not_written(repo: Path, tmp_path: Path) -> None:
    tree = materialise_tree(
        GitRepository(repo), "HEAD", tmp_path / "out", TreeLimits(max_file_bytes=12)
    )
    assert ("clusters/app.yaml", "too-large") in {(e.path, e.reason) for e in tree.skipped}
    assert not (tmp_path / "out" / "clusters" / "app.yaml").exists()


def test_a_tree_over_the_total_size_limit_is_refused(repo: Path, tmp_path: Path) -> None:
    with pytest.raises(GitError, match="bytes of files"):
        materialise_tree(
            GitRepository(repo), "HEAD", tmp_path / "out", TreeLimits(max_total_bytes=5)
        )


def test_a_missing_blob_is_an_error_not_a_smaller_tree(repo: Path, tmp_path: Path) -> None:
    blob = git(repo, "rev-parse", "HEAD:clusters/app.yaml")
    (repo / ".git" / "objects" / blob[:2] / blob[2:]).unlink()
    with pytest.raises(MissingObjectError):
        materialise_tree(GitRepository(repo), "HEAD", tmp_path / "out")


def test_the_working_tree_is_not_what_is_materialised(repo: Path, tmp_path: Path) -> None:
    (repo / "clusters" / "app.yaml").write_text("uncommitted\n")
    materialise_tree(GitRepository(repo), "HEAD", tmp_path / "out")
    assert (tmp_path / "out" / "clusters" / "app.yaml").read_text() == "kind: ConfigMap\n"
