"""Where gitwarden keeps what it learned between runs: outside every scanned repository.

``$GITWARDEN_STATE_DIR`` (default ``$XDG_CACHE_HOME/gitwarden``, else ``~/.cache/gitwarden``),
computed exactly as ``integrity.local_state.state_root`` does: one location for the tool.
"""

from __future__ import annotations

import os
from pathlib import Path

STATE_DIR_VARIABLE = "GITWARDEN_STATE_DIR"


def state_root() -> Path:
    configured = os.environ.get(STATE_DIR_VARIABLE)
    if configured:
        return Path(configured)
    cache = os.environ.get("XDG_CACHE_HOME")
    return (Path(cache) if cache else Path.home() / ".cache") / "gitwarden"


def cache_key_file() -> Path:
    """The key that seals the secret scanners' caches; never inside a cache folder."""
    return state_root() / "keys" / "cache-hmac.key"
