"""Decisions are recorded under the origin's URL, without credentials, else the path."""

from __future__ import annotations

from pathlib import Path

import pytest
from gate_fixtures import git, gitops_repo

from gitwarden.gate.repository_identity import repository_identity, without_credentials
from gitwarden.sources.git_repository import GitRepository


@pytest.mark.parametrize(
    ("url", "name"),
    [
        (
            "https://ci:s3cret@git.example.com/acme/gitops.git",
            "https://git.example.com/acme/gitops.git",
        ),
        ("git@github.com:acme/gitops.git", "git@github.com:acme/gitops.git"),
    ],
)
def test_credentials_never_reach_the_record(url: str, name: str) -> None:
    assert without_credentials(url) == name


def test_a_clone_without_origin_is_named_by_its_folder(tmp_path: Path) -> None:
    repo = gitops_repo(tmp_path)
    assert repository_identity(GitRepository(repo.path)) == str(repo.path.resolve())


def test_two_clones_of_one_origin_share_their_deployments(tmp_path: Path) -> None:
    repo = gitops_repo(tmp_path)
    git(repo.path, "remote", "add", "origin", "https://git.example.com/acme/gitops.git")
    assert repo.gate().allowed
    clone = tmp_path / "second-clone"
    git(tmp_path, "clone", "-q", "--no-local", str(repo.path), str(clone))
    git(clone, "remote", "set-url", "origin", "https://git.example.com/acme/gitops.git")
    git(clone, "fetch", "-q", str(repo.path), "refs/gitwarden/ledger:refs/gitwarden/ledger")
    second = type(repo)(clone, repo.alice, repo.mallory, repo.gate_key, repo.audit)
    assert second.gate().decision.last_deployed == git(repo.path, "rev-parse", "HEAD")
