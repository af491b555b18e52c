from __future__ import annotations

from pathlib import Path

import pytest
from gate_fixtures import GitopsRepo, gitops_repo


@pytest.fixture(autouse=True)
def private_state_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Caches, witnesses and the default audit store of each test stay in its own folder."""
    state = tmp_path / "gitwarden-state"
    monkeypatch.setenv("GITWARDEN_STATE_DIR", str(state))
    monkeypatch.delenv("GITWARDEN_AUDIT_URL", raising=False)
    return state


@pytest.fixture
def repo(tmp_path: Path) -> GitopsRepo:
    return gitops_repo(tmp_path)
