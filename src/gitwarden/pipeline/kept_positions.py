"""Field positions as a parsed-file cache entry keeps them: numbers only, no paths.

The parser records a position for every node of a document, keyed by field path, in the
order it meets the nodes: the depth-first walk of the document's value, a node before its
children. The paths are then the value's own walk and need not be kept; the entry keeps
the numbers in walk order as one string of integers, each line as its step from the line
before (mostly 0 or 1) followed by the column. The string is parsed and the value walked
only when a finding first asks for a position. Positions whose paths are not that walk
(a merge key's fields, a duplicate key hiding a mapping, JSON read without positions) are
not encoded: their document is parsed again when asked, as before positions were kept.
"""

from __future__ import annotations

import json
import re
from itertools import accumulate
from typing import Any

from gitwarden.manifests.yaml_nodes import FieldPath, Position

# What `encode` writes: comma-separated integers, nothing JSON could read as another type.
_CODE = re.compile(r"-?[0-9]+(?:,-?[0-9]+)*")


def field_paths(value: Any) -> list[FieldPath]:
    """The path of every node of ``value``, depth first, each before its children."""
    paths: list[FieldPath] = [()]
    if type(value) is dict or type(value) is list:
        _walk(value, (), paths)
    return paths


def _walk(value: dict[str, Any] | list[Any], path: FieldPath, paths: list[FieldPath]) -> None:
    append = paths.append
    children = value.items() if type(value) is dict else enumerate(value)
    for key, child in children:
        child_path = (*path, key)
        append(child_path)
        # Most nodes are scalars: no call for them.
        if (type(child) is dict or type(child) is list) and child:
            _walk(child, child_path, paths)


def encode(positions: dict[FieldPath, Position], value: Any) -> str | None:
    """``positions`` (the parser's, for the document ``value``) as kept, or None when
    their paths are not the walk of ``value``, in its order."""
    if list(positions) != field_paths(value):
        return None
    numbers: list[int] = []
    previous = 0
    for line, column in positions.values():
        numbers += (line - previous, column)
        previous = line
    return ",".join(map(str, numbers))


def decode(code: str, value: Any) -> dict[FieldPath, Position] | None:
    """The positions ``encode`` kept for ``value``; None for a code of another shape
    (the caller then parses the document again)."""
    if _CODE.fullmatch(code) is None:
        return None
    numbers: list[int] = json.loads(f"[{code}]")
    paths = field_paths(value)
    columns = numbers[1::2]
    if len(numbers) != 2 * len(paths) or min(columns) < 1:
        return None
    lines = list(accumulate(numbers[0::2]))
    if min(lines) < 1:
        return None
    return dict(zip(paths, zip(lines, columns, strict=True), strict=True))
