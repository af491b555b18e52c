"""Reading a change from Git: renamed and deleted files, object kinds before and after, people."""

from __future__ import annotations

from pathlib import Path

from review_repos import CONFIG_MAP, ROLE, ReviewKeys, commit, git, make_review_repo

from gitwarden.review.change_reading import read_change
from gitwarden.sources.git_repository import GitRepository


def read(repo: Path):  # type: ignore[no-untyped-def]
    return read_change(GitRepository(repo), "refs/heads/main", "main", "change")


def test_a_rename_counts_as_a_change_of_both_paths(tmp_path: Path, keys: ReviewKeys) -> None:
    repo = make_review_repo(tmp_path / "repo", keys)
    git(repo, "mv", "apps/settings.yaml", "apps/moved.yaml")
    commit(repo, {})
    change = read(repo)
    assert [(f.path, f.status[0], f.old_path) for f in change.files] == [
        ("apps/moved.yaml", "R", "apps/settings.yaml")
    ]
    assert change.shape.paths == ("apps/moved.yaml", "apps/settings.yaml")


def test_a_deleted_role_still_has_its_kind(tmp_path: Path, keys: ReviewKeys) -> None:
    repo = make_review_repo(tmp_path / "repo", keys, files={"apps/role.yaml": ROLE})
    commit(repo, {"apps/role.yaml": None})
    assert read(repo).kinds["apps/role.yaml"] == frozenset({"Role"})


def test_commits_carry_author_committer_and_co_authors(tmp_path: Path, keys: ReviewKeys) -> None:
    repo = make_review_repo(tmp_path / "repo", keys)
    commit(
        repo,
        {"apps/settings.yaml": CONFIG_MAP % "x"},
        "change\n\nCo-authored-by: Carol <Carol@Example.com>",
        author="alice",
        committer="bob",
    )
    (only,) = read(repo).commits
    assert (only.author_email, only.committer_email, only.co_author_emails) == (
        "alice@example.com",
        "bob@example.com",
        ("carol@example.com",),
    )
