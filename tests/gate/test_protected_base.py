"""The environment is read from the protected base: the ledger's tip, else the branch tip."""

from __future__ import annotations

from pathlib import Path

import pytest
from gate_fixtures import PROD_ENVIRONMENT, git, gitops_repo, gitwarden_yaml

from gitwarden.errors import UsageError
from gitwarden.gate.protected_base import find_protected_base
from gitwarden.sources.git_repository import GitRepository


def test_the_base_is_the_tip_the_ledger_recorded(tmp_path: Path) -> None:
    repo = gitops_repo(tmp_path)
    recorded = git(repo.path, "rev-parse", "HEAD")
    repo.commit({".gitwarden.yaml": gitwarden_yaml({**PROD_ENVIRONMENT, "require": []})})
    base = find_protected_base(GitRepository(repo.path), "prod")
    assert (base.revision, base.source) == (recorded, "ledger")
    assert "signatures" in base.environment.require


def test_without_a_ledger_the_branch_tip_is_the_base(tmp_path: Path) -> None:
    repo = gitops_repo(tmp_path)
    git(repo.path, "update-ref", "-d", "refs/gitwarden/ledger")
    base = find_protected_base(GitRepository(repo.path), "prod")
    assert base.source == "branch tip"


def test_an_environment_no_branch_declares_is_refused(tmp_path: Path) -> None:
    repo = gitops_repo(tmp_path)
    with pytest.raises(UsageError, match="'staging' is not declared"):
        find_protected_base(GitRepository(repo.path), "staging")


def test_an_environment_declared_for_another_branch_is_refused(tmp_path: Path) -> None:
    repo = gitops_repo(tmp_path, {**PROD_ENVIRONMENT, "branches": ["release"]})
    with pytest.raises(UsageError, match="not declared"):
        find_protected_base(GitRepository(repo.path), "prod")
