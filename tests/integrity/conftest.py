from __future__ import annotations

from pathlib import Path

import pytest
from integrity_fixtures import SshKey, ssh_key


@pytest.fixture(autouse=True)
def private_state_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Caches and ledger witnesses of each test stay in its own folder."""
    state = tmp_path / "gitwarden-state"
    monkeypatch.setenv("GITWARDEN_STATE_DIR", str(state))
    return state


@pytest.fixture
def keys(tmp_path: Path) -> dict[str, SshKey]:
    folder = tmp_path / "keys"
    return {name: ssh_key(folder, name) for name in ("alice", "bob", "carol", "eve")}


@pytest.fixture
def gnupghome(tmp_path: Path) -> Path:
    home = tmp_path / "gnupg"
    home.mkdir(mode=0o700)
    return home
