"""The candidate view: REV as the branch tip, in a repository that borrows the objects."""

from __future__ import annotations

from pathlib import Path

from gate_fixtures import git, gitops_repo

from gitwarden.gate.candidate_view import candidate_view
from gitwarden.sources.git_repository import GitRepository


def test_the_branch_points_at_the_revision_and_the_target_is_untouched(tmp_path: Path) -> None:
    repo = gitops_repo(tmp_path)
    first = git(repo.path, "rev-parse", "HEAD")
    second = repo.commit({"clusters/prod/b.yaml": "kind: ConfigMap\n"})
    refs_before = git(repo.path, "for-each-ref")
    view = candidate_view(GitRepository(repo.path), first, "main", tmp_path / "view.git")
    assert view.resolve("refs/heads/main") == first != second
    assert git(repo.path, "for-each-ref") == refs_before
