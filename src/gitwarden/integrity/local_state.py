"""Where gitwarden keeps what it learned about a repository: outside the repository.

A scanned repository is hostile and may arrive with its ``.git`` folder; a verification
cache or ledger witness stored inside it could be planted. State lives under
``$GITWARDEN_STATE_DIR`` (default ``$XDG_CACHE_HOME/gitwarden``, else ``~/.cache/gitwarden``),
one folder per repository, named by a digest of the repository's git directory.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from gitwarden.state_location import state_root

__all__ = ["state_file", "state_root"]


def state_file(git_dir: Path, name: str) -> Path:
    """The file ``name`` of the repository whose git directory is ``git_dir``."""
    digest = hashlib.sha256(str(git_dir.resolve()).encode()).hexdigest()[:32]
    return state_root() / "repositories" / digest / name
