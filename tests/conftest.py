"""Every test gets its own gitwarden state folder: no test reads another's render cache."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def private_state_dir(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    state = tmp_path_factory.mktemp("gitwarden-state")
    monkeypatch.setenv("GITWARDEN_STATE_DIR", str(state))
    return state
