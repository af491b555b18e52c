"""The key that seals gitwarden's caches, kept in the state folder and never in a cache.

A cache folder may come from elsewhere (a CI cache restored from another branch); whoever
writes it cannot forge entries without this key. The key file is created once, 0600, by an
atomic link so that two runs never see a half-written key; a key file that is a link, is
not ours, is readable by others or has the wrong size is not used.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

KEY_BYTES = 32


@dataclass(frozen=True)
class CacheKey:
    secret: bytes = field(repr=False)

    def seal(self, purpose: str, data: bytes) -> str:
        """An HMAC of ``data`` for one ``purpose`` (a cache of one kind never opens another)."""
        return hmac.new(self.secret, purpose.encode() + b"\0" + data, hashlib.sha256).hexdigest()

    def verifies(self, purpose: str, data: bytes, seal: str) -> bool:
        return hmac.compare_digest(self.seal(purpose, data), seal)


def load_cache_key(path: Path) -> CacheKey | None:
    """The key at ``path``, created when there is none; None when it cannot be trusted."""
    try:
        return _read_key(path)
    except FileNotFoundError:
        pass
    except OSError:
        return None
    try:
        _create_key(path)
        return _read_key(path)
    except OSError:
        return None


def _read_key(path: Path) -> CacheKey | None:
    descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
    try:
        info = os.fstat(descriptor)
        if (
            not stat.S_ISREG(info.st_mode)
            or info.st_uid != os.getuid()
            or info.st_mode & 0o077
            or info.st_size != KEY_BYTES
        ):
            return None
        secret = os.read(descriptor, KEY_BYTES + 1)
    finally:
        os.close(descriptor)
    return CacheKey(secret) if len(secret) == KEY_BYTES else None


def _create_key(path: Path) -> None:
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    descriptor = os.open(
        temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600
    )
    try:
        os.write(descriptor, os.urandom(KEY_BYTES))
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
    try:
        os.link(temporary, path)  # fails when another run created the key first: use theirs
    except FileExistsError:
        pass
    finally:
        temporary.unlink()
