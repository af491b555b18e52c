"""Configuration errors located by field path in a parsed YAML file (file, line and key)."""

from __future__ import annotations

from collections.abc import Mapping

from gitwarden.errors import ConfigError
from gitwarden.manifests.positions import nearest_position
from gitwarden.manifests.yaml_nodes import FieldPath, Position


def line_of(positions: Mapping[FieldPath, Position], path: FieldPath) -> int | None:
    """The line of ``path``, or of its nearest written ancestor (None: nothing was written)."""
    found = nearest_position(positions, path)
    return found[0] if found is not None else None


def key_text(path: FieldPath) -> str | None:
    """``suppressions[0].reason`` for ``("suppressions", 0, "reason")``; None for the root."""
    key = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path).lstrip(".")
    return key or None


def config_error_at(
    file: str,
    positions: Mapping[FieldPath, Position],
    path: FieldPath,
    message: str,
    hint: str | None = None,
) -> ConfigError:
    """A ConfigError at the line of ``path``, or of its nearest written ancestor."""
    return ConfigError(
        message, file=file, line=line_of(positions, path), key=key_text(path), hint=hint
    )
