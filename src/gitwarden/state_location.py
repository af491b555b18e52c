"""Where gitwarden keeps what it learned between runs: one place for the whole tool.

``$GITWARDEN_STATE_DIR`` (default ``$XDG_CACHE_HOME/gitwarden``, else ``~/.cache/gitwarden``),
always outside every scanned repository: a repository is hostile and could plant a cache or
a witness inside itself.
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
