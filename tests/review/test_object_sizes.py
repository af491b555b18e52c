"""Object sizes read in one batch, missing objects left out."""

from __future__ import annotations

from pathlib import Path

from review_repos import ReviewKeys, make_review_repo

from gitwarden.review.object_sizes import object_sizes
from gitwarden.sources.git_repository import GitRepository


def test_sizes_of_present_objects_only(tmp_path: Path, keys: ReviewKeys) -> None:
    repo = GitRepository(make_review_repo(tmp_path / "repo", keys))
    blob = repo.write_object("blob", b"12345")
    assert object_sizes(repo, [blob, "0" * 40]) == {blob: 5}
