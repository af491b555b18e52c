from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def private_state_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test's default audit store is its own; no ambient store URL or token leaks in."""
    state = tmp_path / "gitwarden-state"
    monkeypatch.setenv("GITWARDEN_STATE_DIR", str(state))
    monkeypatch.delenv("GITWARDEN_AUDIT_URL", raising=False)
    monkeypatch.delenv("GITWARDEN_DASHBOARD_TOKEN", raising=False)
    return state
