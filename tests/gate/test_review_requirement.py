"""Review: through gitwarden.commands.review when the build has it; otherwise deny, closed."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from gate_fixtures import (
    PROD_ENVIRONMENT,
    gitops_repo,
)


def test_an_unavailable_review_capability_denies_closed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A build without gitwarden.commands.review: importing it fails.
    monkeypatch.setitem(sys.modules, "gitwarden.commands.review", None)
    repo = gitops_repo(tmp_path, {**PROD_ENVIRONMENT, "require": ["review"]})
    result = repo.gate()
    assert not result.allowed
    assert "review: the review capability is not available in this build" in result.summary
