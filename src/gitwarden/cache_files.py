"""Reading and writing cache files in a folder someone else may also write.

A cache file is read only if it is a regular file reached without a link, and never past a
size cap (a planted FIFO or ``/dev/zero`` link cannot hang or exhaust a run). It is written
through a fresh temporary file (never one an attacker planted under its name) renamed over
the target, which replaces a planted link, not what it points at.
"""

from __future__ import annotations

import os
import secrets
import stat
from pathlib import Path


def read_cache_file(path: Path, max_bytes: int) -> bytes | None:
    """The file's bytes; None when it is absent, not a regular file, a link or too large."""
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError:
        return None
    with os.fdopen(descriptor, "rb") as stream:
        info = os.fstat(stream.fileno())
        if not stat.S_ISREG(info.st_mode) or info.st_size > max_bytes:
            return None
        data = stream.read(max_bytes + 1)
    return data if len(data) <= max_bytes else None


def write_atomically(path: Path, data: bytes) -> None:
    """``path`` holds ``data`` afterwards, or is untouched; OSError when the folder refuses."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(8)}.tmp")
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
    descriptor = os.open(temporary, flags, 0o600)
    try:
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(data)
        temporary.replace(path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
