from __future__ import annotations

from pathlib import Path

import pytest

from gitwarden.integrity import local_state
from gitwarden.secrets import cache_location
from gitwarden.state_location import state_root


def test_state_dir_variable_wins(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("GITWARDEN_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert state_root() == tmp_path / "state"


def test_xdg_cache_home_is_the_default(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("GITWARDEN_STATE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert state_root() == tmp_path / "xdg" / "gitwarden"


def test_home_cache_without_xdg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("GITWARDEN_STATE_DIR", raising=False)
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    assert state_root() == tmp_path / ".cache" / "gitwarden"


def test_every_scanner_uses_the_one_location() -> None:
    assert local_state.state_root is state_root
    assert cache_location.state_root is state_root
