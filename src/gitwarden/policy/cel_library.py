"""The Kubernetes CEL extension functions admission policies use most, for cel-python.

Kubernetes adds string, list and regex libraries to standard CEL
(https://kubernetes.io/docs/reference/using-api/cel/); these are the common ones. An
expression calling anything else fails to evaluate and is reported, never passed.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from typing import Any

from celpy import celtypes


def _string(value: Any) -> celtypes.StringType:
    return celtypes.StringType(value)


def _strings(values: list[str]) -> celtypes.ListType:
    return celtypes.ListType([_string(v) for v in values])


def _split(text: Any, separator: Any, limit: Any = None) -> celtypes.ListType:
    if limit is None or int(limit) < 0:
        return _strings(str(text).split(str(separator)))
    if int(limit) == 0:
        return _strings([])
    return _strings(str(text).split(str(separator), int(limit) - 1))


def _join(values: Any, separator: Any = "") -> celtypes.StringType:
    return _string(str(separator).join(str(v) for v in values))


def _replace(text: Any, old: Any, new: Any, limit: Any = -1) -> celtypes.StringType:
    return _string(str(text).replace(str(old), str(new), int(limit)))


def _substring(text: Any, start: Any, end: Any = None) -> celtypes.StringType:
    value = str(text)
    stop = len(value) if end is None else int(end)
    if not 0 <= int(start) <= stop <= len(value):
        raise ValueError(f"substring({start}, {stop}) out of range for a string of {len(value)}")
    return _string(value[int(start) : stop])


def _index_of(container: Any, item: Any) -> celtypes.IntType:
    if isinstance(container, str):
        return celtypes.IntType(str(container).find(str(item)))
    items = list(container)
    return celtypes.IntType(items.index(item) if item in items else -1)


def _last_index_of(container: Any, item: Any) -> celtypes.IntType:
    if isinstance(container, str):
        return celtypes.IntType(str(container).rfind(str(item)))
    items = list(container)
    return celtypes.IntType(len(items) - 1 - items[::-1].index(item) if item in items else -1)


def _find(text: Any, pattern: Any) -> celtypes.StringType:
    match = re.search(str(pattern), str(text))
    return _string(match.group(0) if match else "")


def _find_all(text: Any, pattern: Any, limit: Any = -1) -> celtypes.ListType:
    found = [m.group(0) for m in re.finditer(str(pattern), str(text))]
    return _strings(found if int(limit) < 0 else found[: int(limit)])


def _is_sorted(values: Any) -> celtypes.BoolType:
    items = list(values)
    return celtypes.BoolType(all(a <= b for a, b in itertools.pairwise(items)))


def _sum(values: Any) -> Any:
    items = list(values)
    total: Any = items[0] if items else celtypes.IntType(0)
    for item in items[1:]:
        total = total + item
    return total


def _minimum(values: Any) -> Any:
    return min(values)


def _maximum(values: Any) -> Any:
    return max(values)


KUBERNETES_FUNCTIONS: dict[str, Callable[..., Any]] = {
    "lowerAscii": lambda s: _string(str(s).lower()),
    "upperAscii": lambda s: _string(str(s).upper()),
    "trim": lambda s: _string(str(s).strip()),
    "split": _split,
    "join": _join,
    "replace": _replace,
    "substring": _substring,
    "charAt": lambda s, i: _string(str(s)[int(i) : int(i) + 1]),
    "indexOf": _index_of,
    "lastIndexOf": _last_index_of,
    "find": _find,
    "findAll": _find_all,
    "isSorted": _is_sorted,
    "sum": _sum,
    "min": _minimum,
    "max": _maximum,
}
