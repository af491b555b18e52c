"""Configuration errors located by field path in a parsed YAML file (file, line and key)."""

from __future__ import annotations

from collections.abc import Mapping

from gitwarden.errors import ConfigError
from gitwarden.manifests.yaml_nodes import FieldPath, Position


def config_error_at(
    file: str,
    positions: Mapping[FieldPath, Position],
    path: FieldPath,
    message: str,
    hint: str | None = None,
) -> ConfigError:
    """A ConfigError at the line of ``path``, or of its nearest written ancestor."""
    line = None
    for end in range(len(path), -1, -1):
        found = positions.get(path[:end])
        if found:
            line = found[0]
            break
    key = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path).lstrip(".")
    return ConfigError(message, file=file, line=line, key=key or None, hint=hint)
