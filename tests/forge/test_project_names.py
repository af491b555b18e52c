from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from gitwarden.forge.errors import ProjectUnknownError
from gitwarden.forge.project_names import infer_project, remote_host_and_path
from gitwarden.sources.git_repository import GitRepository


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("git@github.com:acme/gitops.git", ("github.com", "acme/gitops")),
        ("https://github.com/acme/gitops", ("github.com", "acme/gitops")),
        ("ssh://git@gitlab.com/acme/infra/gitops.git", ("gitlab.com", "acme/infra/gitops")),
        ("https://user@GitLab.example.com/acme/gitops.git", ("gitlab.example.com", "acme/gitops")),
        ("/srv/git/gitops.git", None),
        ("https://github.com/acme", None),
    ],
)
def test_remote_urls_name_host_and_project(url: str, expected: tuple[str, str] | None) -> None:
    assert remote_host_and_path(url) == expected


def _repository(tmp_path: Path, *remote: str) -> GitRepository:
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    if remote:
        subprocess.run(["git", "-C", str(tmp_path), "remote", "add", "origin", *remote], check=True)
    return GitRepository(tmp_path)


def test_project_is_inferred_from_origin(tmp_path: Path) -> None:
    repository = _repository(tmp_path, "git@github.com:acme/gitops.git")
    assert infer_project(repository) == ("github.com", "acme/gitops")


def test_no_origin_is_an_error_that_asks_for_project(tmp_path: Path) -> None:
    with pytest.raises(ProjectUnknownError, match="no origin remote"):
        infer_project(_repository(tmp_path))
