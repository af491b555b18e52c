from __future__ import annotations

from pathlib import Path

import pytest
from review_repos import PEOPLE, ReviewKeys, ssh_key


@pytest.fixture(scope="session")
def keys(tmp_path_factory: pytest.TempPathFactory) -> ReviewKeys:
    """One SSH key per person of the issue's example (and eve, who is no principal)."""
    folder = tmp_path_factory.mktemp("review-keys")
    return {name: ssh_key(folder, name) for name in (*PEOPLE, "eve")}


@pytest.fixture(autouse=True)
def private_state_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    state = tmp_path / "gitwarden-state"
    monkeypatch.setenv("GITWARDEN_STATE_DIR", str(state))
    return state
