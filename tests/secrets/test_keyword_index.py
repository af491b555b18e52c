"""The first pass: both indexes find the same rules, and a cached database must be ours."""

from __future__ import annotations

from pathlib import Path

import pytest

from gitwarden.secrets.cache_key import KEY_BYTES, CacheKey
from gitwarden.secrets.keyword_index import AhoCorasickIndex, HyperscanIndex

hyperscan = pytest.importorskip("hyperscan")

PATTERNS = [r"ghp_[A-Za-z0-9]{36}", r"AKIA[A-Z2-7]{16}"]
KEY = CacheKey(b"k" * KEY_BYTES)
TEXT = b"token: ghp_" + b"a1" * 18 + b"\n"


def test_hyperscan_and_aho_corasick_agree_on_a_keyword() -> None:
    assert HyperscanIndex(PATTERNS, None, None).rules_in(TEXT) == {0}
    assert AhoCorasickIndex([("ghp_",), ("akia",)]).rules_in(TEXT) == {0}


def test_sealed_database_is_reused(tmp_path: Path) -> None:
    HyperscanIndex(PATTERNS, tmp_path, KEY)
    (stored,) = tmp_path.iterdir()
    before = stored.stat().st_mtime_ns
    assert HyperscanIndex(PATTERNS, tmp_path, KEY).rules_in(TEXT) == {0}
    assert stored.stat().st_mtime_ns == before


def test_forged_database_is_not_loaded(tmp_path: Path) -> None:
    HyperscanIndex(PATTERNS, tmp_path, KEY)
    (stored,) = tmp_path.iterdir()
    # A database that matches nothing would hide every secret if it were loaded.
    blind = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
    blind.compile(expressions=[b"\\x00{1000}nothing"], ids=[0], elements=1, flags=[0])
    stored.write_bytes(stored.read_bytes()[:64] + hyperscan.dumpb(blind))
    assert HyperscanIndex(PATTERNS, tmp_path, KEY).rules_in(TEXT) == {0}


def test_database_is_not_cached_without_a_key(tmp_path: Path) -> None:
    HyperscanIndex(PATTERNS, tmp_path, None)
    assert list(tmp_path.iterdir()) == []
