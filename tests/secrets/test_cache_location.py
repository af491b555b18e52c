"""One state location for the whole tool: the same folder the integrity side uses."""

from __future__ import annotations

from pathlib import Path

import pytest

from gitwarden.integrity.local_state import state_root as integrity_state_root
from gitwarden.secrets.blob_cache import default_cache_dir
from gitwarden.secrets.cache_location import cache_key_file, state_root


def test_state_dir_variable_decides_where_the_history_cache_lives(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GITWARDEN_STATE_DIR", str(tmp_path / "state"))
    assert default_cache_dir() == tmp_path / "state" / "history"


@pytest.mark.parametrize(
    ("environment", "expected"),
    [
        ({"GITWARDEN_STATE_DIR": "/s", "XDG_CACHE_HOME": "/x"}, Path("/s")),
        ({"XDG_CACHE_HOME": "/x"}, Path("/x/gitwarden")),
        ({}, Path.home() / ".cache" / "gitwarden"),
    ],
)
def test_secrets_and_integrity_agree_on_the_state_folder(
    monkeypatch: pytest.MonkeyPatch, environment: dict[str, str], expected: Path
) -> None:
    for name in ("GITWARDEN_STATE_DIR", "XDG_CACHE_HOME"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    assert state_root() == integrity_state_root() == expected


def test_cache_key_lives_outside_the_history_cache_folder() -> None:
    assert default_cache_dir() not in cache_key_file().parents
