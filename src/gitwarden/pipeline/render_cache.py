"""The render cache: rendered units kept between scans, keyed by everything a render reads.

An entry is a unit's parsed objects and the problems of its output (see
`render_cache_entries`), never the checks' findings, stored under
gitwarden's state folder (``$GITWARDEN_STATE_DIR``, see `gitwarden.integrity.local_state`).
CI systems restore such folders from shared storage, so every entry carries an HMAC under a
key kept outside the cache folder (mode 0600): a restored or planted entry that does not
verify is ignored and the unit rendered again. The folder is bounded: the least recently
used entries go first.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import os
import secrets
import stat
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any

from gitwarden.integrity.local_state import state_root

DEFAULT_MAX_BYTES = 256 * 1024 * 1024
KEY_BYTES = 32
_SUFFIX = ".entry"


class CacheProblem(Enum):
    """Why the cache could not be used at all (it is then off for the scan)."""

    UNSAFE_KEY = "the key file is not a private regular file of this user"
    UNWRITABLE = "the cache folder or its key cannot be created"


@dataclass(frozen=True)
class Lookup:
    """A verified payload, or None; ``rejected`` when an entry existed but did not verify."""

    payload: Mapping[str, Any] | None
    rejected: bool = False


def default_cache_dir() -> Path:
    return state_root() / "render-cache"


def default_key_file() -> Path:
    # Beside the cache folder, not inside it: restoring the cache never restores the key.
    return state_root() / "render-cache.key"


def cache_key(parts: Mapping[str, Any]) -> str:
    """The entry name for ``parts`` (inputs, renderer, options), order-independent."""
    encoded = json.dumps(parts, sort_keys=True, separators=(",", ":")).encode()
    return hashlib.sha256(encoded).hexdigest()


class RenderCache:
    """One scan's handle on the cache folder; thread-safe (entries are replaced atomically)."""

    def __init__(self, directory: Path, secret: bytes, max_bytes: int) -> None:
        self.directory = directory
        self._secret = secret
        self.max_bytes = max_bytes
        # Entry folders this handle made or found: a cold scan stores thousands of entries,
        # and asking the file system again for each costs more than writing some of them.
        self._folders: set[str] = set()

    @classmethod
    def open(
        cls,
        directory: Path | None = None,
        key_file: Path | None = None,
        max_bytes: int = DEFAULT_MAX_BYTES,
    ) -> RenderCache | CacheProblem:
        directory = directory or default_cache_dir()
        try:
            directory.mkdir(parents=True, exist_ok=True, mode=0o700)
            secret = _read_or_create_key(key_file or default_key_file())
        except OSError:
            return CacheProblem.UNWRITABLE
        if secret is None:
            return CacheProblem.UNSAFE_KEY
        return cls(directory, secret, max_bytes)

    def within(self, name: str) -> RenderCache:
        """The cache of another kind of entry, in the folder ``name`` of this one: the same
        key, and the same bound (`evict` counts every entry below this folder)."""
        return RenderCache(self.directory / name, self._secret, self.max_bytes)

    def lookup(self, key: str) -> Lookup:
        path = self._entry_path(key)
        try:
            with path.open("rb") as handle:
                data = handle.read(self.max_bytes + 1)
        except FileNotFoundError:
            return Lookup(None)
        except OSError:
            return Lookup(None, rejected=True)
        mac, _, body = data.partition(b"\n")
        if len(data) > self.max_bytes or not hmac.compare_digest(mac, self._mac(key, body)):
            return Lookup(None, rejected=True)
        try:
            payload = json.loads(body)
        except ValueError:
            return Lookup(None, rejected=True)
        if not isinstance(payload, dict):
            return Lookup(None, rejected=True)
        _touch(path)
        return Lookup(payload)

    def store(self, key: str, payload: Mapping[str, Any]) -> None:
        """Keep ``payload`` under ``key``; an entry larger than a quarter of the bound is not
        kept, nor one holding values JSON cannot carry (a YAML timestamp), and a failed write
        only costs a render next time."""
        try:
            body = json.dumps(payload, separators=(",", ":"), allow_nan=False).encode()
        except (TypeError, ValueError):
            return
        data = self._mac(key, body) + b"\n" + body
        if len(data) > self.max_bytes // 4:
            return
        path = self._entry_path(key)
        try:
            if key[:2] not in self._folders:
                path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
                self._folders.add(key[:2])
            handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            # Written aside, then renamed: a reader never sees half an entry.
            Path(temporary).replace(path)
        except OSError:
            return

    def evict(self) -> None:
        """Delete the least recently used entries until the folder is within its bound."""
        entries = []
        for path in self.directory.rglob(f"*{_SUFFIX}"):
            try:
                info = path.lstat()
            except OSError:
                continue
            entries.append((info.st_mtime_ns, info.st_size, path))
        total = sum(size for _, size, _ in entries)
        for _, size, path in sorted(entries):
            if total <= self.max_bytes:
                break
            path.unlink(missing_ok=True)
            total -= size

    def _entry_path(self, key: str) -> Path:
        return self.directory / key[:2] / f"{key}{_SUFFIX}"

    def _mac(self, key: str, body: bytes) -> bytes:
        # The key name is signed too: a valid entry copied under another name is rejected.
        signed = key.encode() + b"\n" + body
        return hmac.new(self._secret, signed, hashlib.sha256).hexdigest().encode()


def _read_or_create_key(path: Path) -> bytes | None:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return _read_private_key(path)
    with os.fdopen(handle, "wb") as out:
        out.write(secrets.token_bytes(KEY_BYTES))
    return _read_private_key(path)


def _read_private_key(path: Path) -> bytes | None:
    """The key, if only this user can read or write it (a shared key proves nothing)."""
    handle = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    with os.fdopen(handle, "rb") as key_file:
        info = os.fstat(key_file.fileno())
        if not stat.S_ISREG(info.st_mode) or info.st_mode & 0o077 or info.st_uid != os.getuid():
            return None
        secret = key_file.read(KEY_BYTES + 1)
    return secret if len(secret) == KEY_BYTES else None


def _touch(path: Path) -> None:
    with contextlib.suppress(OSError):
        os.utime(path)
