"""Reading back the fields of a cache entry's JSON: each read checks its type, so an entry
that passed its seal but was written by other code is refused rather than misread."""

from __future__ import annotations

from typing import Any

from gitwarden.manifests.yaml_nodes import FieldPath


def typed(value: Any, kind: type[Any]) -> Any:
    """``value`` when it is a ``kind``; bool is an int to isinstance, never a line or index."""
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise ValueError(f"expected {kind.__name__}")
    return value


def optional(value: Any, kind: type[Any]) -> Any:
    return None if value is None else typed(value, kind)


def field_path(value: Any) -> FieldPath:
    """A list of keys and indexes, as a field path."""
    if not isinstance(value, list):
        raise ValueError("expected a field path")
    for part in value:
        if not isinstance(part, str | int) or isinstance(part, bool):
            raise ValueError("expected a field path")
    return tuple(value)
