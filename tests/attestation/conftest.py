from __future__ import annotations

from pathlib import Path

import pytest
from attestation_fixtures import KeyFiles, ssh_keys


@pytest.fixture
def gate_keys(tmp_path: Path) -> KeyFiles:
    return ssh_keys(tmp_path / "keys", "gate")


@pytest.fixture
def other_keys(tmp_path: Path) -> KeyFiles:
    return ssh_keys(tmp_path / "keys", "other")
