"""Which audit store a command uses: ``--audit URL``, else ``GITWARDEN_AUDIT_URL``, else a file.

The default file is ``$GITWARDEN_STATE_DIR/audit.db``, else ``~/.local/state/gitwarden/audit.db``:
the trail is state to keep (XDG's state folder), unlike the caches, which may be thrown away.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from gitwarden.state_location import STATE_DIR_VARIABLE

AUDIT_URL_VARIABLE = "GITWARDEN_AUDIT_URL"
DEFAULT_FILE_NAME = "audit.db"


def default_audit_path(environ: Mapping[str, str]) -> Path:
    state = environ.get(STATE_DIR_VARIABLE)
    if state:
        return Path(state) / DEFAULT_FILE_NAME
    home = Path(environ["HOME"]) if environ.get("HOME") else Path.home()
    return home / ".local" / "state" / "gitwarden" / DEFAULT_FILE_NAME


def audit_url(explicit: str | None, environ: Mapping[str, str]) -> str:
    """The store URL in force; ``environ`` is passed in so callers and tests choose it."""
    if explicit:
        return explicit
    configured = environ.get(AUDIT_URL_VARIABLE)
    if configured:
        return configured
    return f"sqlite:///{default_audit_path(environ)}"
