from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest

from gitwarden.pipeline.render_cache import (
    CacheProblem,
    Lookup,
    RenderCache,
    cache_key,
    default_cache_dir,
    default_key_file,
)

KEY = cache_key({"unit": "kustomize", "folder": "apps/web"})
PAYLOAD = {"text": "kind: ConfigMap\n", "wrapper_dir": "/tmp/w"}


def open_cache(tmp_path: Path, max_bytes: int = 1 << 20) -> RenderCache:
    opened = RenderCache.open(tmp_path / "cache", tmp_path / "cache.key", max_bytes)
    assert isinstance(opened, RenderCache)
    return opened


def entry_file(cache: RenderCache, key: str) -> Path:
    (found,) = cache.directory.glob(f"*/{key}.entry")
    return found


def test_a_stored_payload_is_found_again(tmp_path: Path) -> None:
    cache = open_cache(tmp_path)
    cache.store(KEY, PAYLOAD)
    assert open_cache(tmp_path).lookup(KEY).payload == PAYLOAD


def test_an_unknown_key_is_a_miss_not_a_rejection(tmp_path: Path) -> None:
    found = open_cache(tmp_path).lookup(KEY)
    assert found.payload is None
    assert not found.rejected


@pytest.mark.parametrize(
    "tamper",
    [
        lambda data: data.replace(b"ConfigMap", b"ClusterRole"),
        lambda data: b"0" * 64 + data[64:],
        lambda data: data[:10],
        lambda data: b"",
    ],
    ids=["body-changed", "mac-replaced", "truncated", "emptied"],
)
def test_a_tampered_entry_is_rejected(tmp_path: Path, tamper: object) -> None:
    cache = open_cache(tmp_path)
    cache.store(KEY, PAYLOAD)
    path = entry_file(cache, KEY)
    path.write_bytes(tamper(path.read_bytes()))  # type: ignore[operator]
    found = cache.lookup(KEY)
    assert found.payload is None
    assert found.rejected


def test_an_entry_made_under_another_key_file_is_rejected(tmp_path: Path) -> None:
    planted = RenderCache.open(tmp_path / "cache", tmp_path / "attacker.key", 1 << 20)
    assert isinstance(planted, RenderCache)
    planted.store(KEY, PAYLOAD)
    found = open_cache(tmp_path).lookup(KEY)
    assert found.payload is None
    assert found.rejected


def test_a_valid_entry_copied_under_another_name_is_rejected(tmp_path: Path) -> None:
    cache = open_cache(tmp_path)
    cache.store(KEY, PAYLOAD)
    other = cache_key({"unit": "kustomize", "folder": "apps/db"})
    target = cache.directory / other[:2] / f"{other}.entry"
    target.parent.mkdir(exist_ok=True)
    target.write_bytes(entry_file(cache, KEY).read_bytes())
    assert cache.lookup(other).rejected


def test_the_key_file_is_private_and_outside_the_cache_folder(tmp_path: Path) -> None:
    open_cache(tmp_path)
    key_file = tmp_path / "cache.key"
    assert key_file.stat().st_mode & 0o777 == 0o600
    assert not key_file.is_relative_to(tmp_path / "cache")


def test_the_default_places_honour_gitwarden_state_dir(private_state_dir: Path) -> None:
    assert default_cache_dir() == private_state_dir / "render-cache"
    assert default_key_file() == private_state_dir / "render-cache.key"
    assert not default_key_file().is_relative_to(default_cache_dir())


def test_a_key_file_others_can_read_turns_the_cache_off(tmp_path: Path) -> None:
    open_cache(tmp_path)
    os.chmod(tmp_path / "cache.key", 0o644)  # noqa: PTH101  # the test breaks the mode on purpose
    opened = RenderCache.open(tmp_path / "cache", tmp_path / "cache.key")
    assert opened is CacheProblem.UNSAFE_KEY


def test_eviction_drops_the_least_recently_used_entries_first(tmp_path: Path) -> None:
    cache = open_cache(tmp_path, max_bytes=4000)
    keys = [cache_key({"n": n}) for n in range(3)]
    for n, key in enumerate(keys):
        cache.store(key, {"text": "x" * 900})
        os.utime(entry_file(cache, key), ns=(n * 10**9, n * 10**9))
    cache.lookup(keys[0])  # a hit makes the oldest entry the most recently used
    cache.store(cache_key({"n": 3}), {"text": "y" * 900})
    cache.store(cache_key({"n": 4}), {"text": "z" * 900})
    cache.evict()
    remaining = {path.stem for path in cache.directory.glob("*/*.entry")}
    assert keys[0] in remaining
    assert keys[1] not in remaining
    assert sum(p.stat().st_size for p in cache.directory.glob("*/*.entry")) <= 4000


def test_an_entry_over_a_quarter_of_the_bound_is_not_kept(tmp_path: Path) -> None:
    cache = open_cache(tmp_path, max_bytes=4000)
    cache.store(KEY, {"text": "x" * 2000})
    assert cache.lookup(KEY).payload is None


@pytest.mark.parametrize(
    "value", [date(2026, 12, 1), b"binary", float("nan")], ids=["date", "bytes", "nan"]
)
def test_a_payload_json_cannot_carry_exactly_is_not_kept(tmp_path: Path, value: object) -> None:
    cache = open_cache(tmp_path)
    cache.store(KEY, {"records": [{"body": {"since": value}}]})
    assert cache.lookup(KEY) == Lookup(None)


def test_the_key_of_the_same_parts_does_not_depend_on_their_order() -> None:
    assert cache_key({"a": 1, "b": [1, 2]}) == cache_key({"b": [1, 2], "a": 1})
    assert cache_key({"a": 1}) != cache_key({"a": 2})


def test_a_cache_within_verifies_under_the_same_key(tmp_path: Path) -> None:
    open_cache(tmp_path).within("parsed").store(KEY, PAYLOAD)
    inner = open_cache(tmp_path).within("parsed")
    assert inner.directory == tmp_path / "cache" / "parsed"
    assert inner.lookup(KEY).payload == PAYLOAD
    assert open_cache(tmp_path).lookup(KEY).payload is None  # another folder, not mixed


def test_eviction_counts_the_entries_of_a_cache_within(tmp_path: Path) -> None:
    cache = open_cache(tmp_path, max_bytes=4000)
    inner = cache.within("parsed")
    for n in range(5):
        inner.store(cache_key({"n": n}), {"text": "x" * 900})
    cache.evict()
    assert sum(p.stat().st_size for p in cache.directory.rglob("*.entry")) <= 4000
