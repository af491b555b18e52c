"""Where gitwarden keeps what it can rebuild: compiled pattern databases, clean blob ids."""

from __future__ import annotations

import os
from pathlib import Path


def cache_root() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "gitwarden"
