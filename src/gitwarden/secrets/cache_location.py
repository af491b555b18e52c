"""Where the secret scanners keep their caches and the key that seals them.

The state folder itself is the tool's one location (`gitwarden.state_location`).
"""

from __future__ import annotations

from pathlib import Path

from gitwarden.state_location import STATE_DIR_VARIABLE, state_root

__all__ = ["STATE_DIR_VARIABLE", "cache_key_file", "state_root"]


def cache_key_file() -> Path:
    """The key that seals the secret scanners' caches; never inside a cache folder."""
    return state_root() / "keys" / "cache-hmac.key"
