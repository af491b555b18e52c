"""The gitwarden version, read by pyproject.toml at build time (and cheap to import)."""

from __future__ import annotations

__version__ = "0.1.0"
