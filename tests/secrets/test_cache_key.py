"""The cache key: created once, private, and refused when anyone else could have set it."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from gitwarden.secrets.cache_key import KEY_BYTES, CacheKey, load_cache_key


def test_key_is_created_private_on_first_use(tmp_path: Path) -> None:
    path = tmp_path / "keys" / "cache.key"
    assert load_cache_key(path) is not None
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.stat().st_size == KEY_BYTES


def test_key_is_the_same_on_the_next_run(tmp_path: Path) -> None:
    path = tmp_path / "cache.key"
    assert load_cache_key(path) == load_cache_key(path)


def test_key_readable_by_others_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "cache.key"
    load_cache_key(path)
    path.chmod(0o644)
    assert load_cache_key(path) is None


def test_key_behind_a_symbolic_link_is_refused(tmp_path: Path) -> None:
    real = tmp_path / "real.key"
    load_cache_key(real)
    link = tmp_path / "cache.key"
    link.symlink_to(real)
    assert load_cache_key(link) is None


def test_key_of_the_wrong_size_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "cache.key"
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT, 0o600)
    os.write(descriptor, b"short")
    os.close(descriptor)
    assert load_cache_key(path) is None


def test_seal_verifies_only_the_sealed_data_for_its_purpose() -> None:
    key = CacheKey(b"k" * KEY_BYTES)
    seal = key.seal("history", b"entries")
    assert key.verifies("history", b"entries", seal)
    assert not key.verifies("history", b"entries+forged", seal)
    assert not key.verifies("patterns", b"entries", seal)
    assert not CacheKey(b"x" * KEY_BYTES).verifies("history", b"entries", seal)
