from __future__ import annotations

from pathlib import Path

import pytest

from forge.forge_server import make_repository


@pytest.fixture
def github_repo(tmp_path: Path) -> Path:
    return make_repository(tmp_path / "gitops", "git@github.com:acme/gitops.git")


@pytest.fixture
def gitlab_repo(tmp_path: Path) -> Path:
    return make_repository(tmp_path / "gitops", "https://gitlab.com/acme/gitops.git")
