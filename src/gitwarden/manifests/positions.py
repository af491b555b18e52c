"""Where a field path is written: its own position, or that of its nearest written ancestor.

A field that is missing or implied (a default, a merged key) is reported where its closest
written parent is, so every finding and config error points at a line the user can open.
"""

from __future__ import annotations

from collections.abc import Mapping

from gitwarden.manifests.yaml_nodes import FieldPath, Position


def nearest_position(
    positions: Mapping[FieldPath, Position], path: FieldPath, *, shortest: int = 0
) -> Position | None:
    """The position of ``path`` or of its longest written prefix of at least ``shortest``
    parts (None: none of them is written)."""
    for end in range(len(path), shortest - 1, -1):
        found = positions.get(path[:end])
        if found is not None:
            return found
    return None
