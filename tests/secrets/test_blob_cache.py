"""The clean-blob cache: sealed, bound to the rule set and the key, distrusted when forged."""

from __future__ import annotations

from pathlib import Path

from gitwarden.secrets.blob_cache import CacheTrust, CleanBlobCache
from gitwarden.secrets.cache_key import KEY_BYTES, CacheKey

KEY = CacheKey(b"k" * KEY_BYTES)
BLOB = "a" * 40
OTHER_BLOB = "b" * 40


def saved_cache(directory: Path, key: CacheKey = KEY) -> Path:
    cache = CleanBlobCache(directory, "repo", key)
    cache.mark_clean(BLOB, "text")
    cache.save()
    (written,) = directory.iterdir()
    return written


def test_sealed_cache_is_trusted_on_the_next_run(tmp_path: Path) -> None:
    saved_cache(tmp_path)
    cache = CleanBlobCache(tmp_path, "repo", KEY)
    assert cache.trust is CacheTrust.TRUSTED and cache.is_clean(BLOB, "text")


def test_appended_entry_makes_the_cache_untrusted_and_empty(tmp_path: Path) -> None:
    written = saved_cache(tmp_path)
    lines = written.read_text().splitlines()
    lines.insert(1, f"{OTHER_BLOB}:text")
    written.write_text("\n".join(lines) + "\n")
    cache = CleanBlobCache(tmp_path, "repo", KEY)
    assert cache.trust is CacheTrust.UNTRUSTED
    assert not cache.is_clean(OTHER_BLOB, "text") and not cache.is_clean(BLOB, "text")


def test_cache_sealed_under_another_key_is_untrusted(tmp_path: Path) -> None:
    saved_cache(tmp_path, CacheKey(b"x" * KEY_BYTES))
    cache = CleanBlobCache(tmp_path, "repo", KEY)
    assert cache.trust is CacheTrust.UNTRUSTED and not cache.is_clean(BLOB, "text")


def test_cache_without_a_key_to_check_it_is_untrusted(tmp_path: Path) -> None:
    saved_cache(tmp_path)
    cache = CleanBlobCache(tmp_path, "repo", None)
    assert cache.trust is CacheTrust.UNTRUSTED and not cache.is_clean(BLOB, "text")


def test_cache_of_another_rule_set_is_stale_and_ignored(tmp_path: Path) -> None:
    written = saved_cache(tmp_path)
    lines = written.read_text().splitlines()
    written.write_text("\n".join(["gitwarden-clean-blobs v2 0000", *lines[1:]]) + "\n")
    cache = CleanBlobCache(tmp_path, "repo", KEY)
    assert cache.trust is CacheTrust.STALE and not cache.is_clean(BLOB, "text")


def test_untrusted_cache_is_rewritten_sealed_with_only_what_this_run_found(
    tmp_path: Path,
) -> None:
    saved_cache(tmp_path, CacheKey(b"x" * KEY_BYTES))
    cache = CleanBlobCache(tmp_path, "repo", KEY)
    cache.mark_clean(OTHER_BLOB, "text")
    cache.save()
    again = CleanBlobCache(tmp_path, "repo", KEY)
    assert again.trust is CacheTrust.TRUSTED
    assert (again.is_clean(OTHER_BLOB, "text"), again.is_clean(BLOB, "text")) == (True, False)


def test_cache_file_replaced_by_a_link_to_an_endless_device_is_untrusted(tmp_path: Path) -> None:
    written = saved_cache(tmp_path)
    written.unlink()
    written.symlink_to("/dev/zero")
    cache = CleanBlobCache(tmp_path, "repo", KEY)
    assert cache.trust is CacheTrust.UNTRUSTED and not cache.is_clean(BLOB, "text")
