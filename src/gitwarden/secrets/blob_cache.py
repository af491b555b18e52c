"""Which blobs an earlier history scan found clean, so the next run skips them.

Only clean blobs are remembered (a blob id and how its path made it be read): a blob with a
secret is scanned again every run, so the cache never holds a secret or a hash of one.

A cache entry hides a blob from the scan, so the file is sealed: an HMAC under the key kept
in the state folder (``cache_key``), over the rule-set digest, the repository and every
entry. A file written for another rule set is ignored; one whose seal does not verify
(forged, edited, written under another key) is ignored too and reported by ``trust``.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from gitwarden.cache_files import read_cache_file, write_atomically
from gitwarden.secrets.cache_key import CacheKey
from gitwarden.secrets.cache_location import state_root
from gitwarden.secrets.rule_set_digest import rule_set_digest

_MAGIC = "gitwarden-clean-blobs v2"
_PURPOSE = "history-clean-blobs"
_SEAL_PREFIX = "seal "
_ENTRY = re.compile(r"[0-9a-f]{40,64}:[a-z-]{1,32}")
# A cache larger than this is not read: it cannot be ours for any real repository.
MAX_CACHE_BYTES = 256 * 1024 * 1024


def default_cache_dir() -> Path:
    return state_root() / "history"


class CacheTrust(StrEnum):
    """What the cache file on disk was worth."""

    ABSENT = "absent"  # no file, or no cache asked for
    TRUSTED = "trusted"
    STALE = "stale"  # written for another rule set or format: ignored, rewritten
    UNTRUSTED = "untrusted"  # seal missing or wrong, or no key to check it: ignored


@dataclass(frozen=True)
class _Loaded:
    trust: CacheTrust
    entries: frozenset[str] = frozenset()


class CleanBlobCache:
    """The clean-blob ids of one repository, read and sealed with ``key``."""

    def __init__(self, directory: Path | None, repository_id: str, key: CacheKey | None) -> None:
        self._file = (
            None
            if directory is None
            else directory / f"{hashlib.sha256(repository_id.encode()).hexdigest()[:24]}.clean"
        )
        self._key = key
        self._header = f"{_MAGIC} {rule_set_digest()}"
        self._bound = f"{self._header}\0{repository_id}"
        loaded = self._load()
        self.trust = loaded.trust
        self._known = set(loaded.entries)
        self._new: set[str] = set()

    def is_clean(self, blob: str, kind: str) -> bool:
        return f"{blob}:{kind}" in self._known

    def mark_clean(self, blob: str, kind: str) -> None:
        self._new.add(f"{blob}:{kind}")

    def save(self) -> None:
        if self._file is None or self._key is None:
            return
        if not self._new and self.trust is CacheTrust.TRUSTED:
            return
        entries = sorted(self._known | self._new)
        seal = self._key.seal(_PURPOSE, self._sealed_bytes(entries))
        text = "\n".join([self._header, *entries, f"{_SEAL_PREFIX}{seal}"]) + "\n"
        with contextlib.suppress(OSError):  # an unwritable cache only costs time next run
            write_atomically(self._file, text.encode("ascii"))

    def _sealed_bytes(self, entries: list[str]) -> bytes:
        return "\n".join([self._bound, *entries]).encode("ascii")

    def _load(self) -> _Loaded:
        if self._file is None:
            return _Loaded(CacheTrust.ABSENT)
        if not self._file.exists() and not self._file.is_symlink():
            return _Loaded(CacheTrust.ABSENT)
        data = read_cache_file(self._file, MAX_CACHE_BYTES)
        try:
            text = "" if data is None else data.decode("ascii")
        except UnicodeDecodeError:
            return _Loaded(CacheTrust.UNTRUSTED)
        if data is None:
            return _Loaded(CacheTrust.UNTRUSTED)  # a link, a FIFO, a device, too large
        lines = text.splitlines()
        if not lines or lines[0] != self._header:
            return _Loaded(CacheTrust.STALE)
        *entries, seal_line = lines[1:] or [""]
        seal = seal_line.removeprefix(_SEAL_PREFIX)
        if (
            self._key is None
            or not seal_line.startswith(_SEAL_PREFIX)
            or not all(_ENTRY.fullmatch(entry) for entry in entries)
            or not self._key.verifies(_PURPOSE, self._sealed_bytes(entries), seal)
        ):
            return _Loaded(CacheTrust.UNTRUSTED)
        return _Loaded(CacheTrust.TRUSTED, frozenset(entries))
