"""Kyverno validation patterns: an overlay the resource must match, with anchors.

Anchors on keys: ``(key)`` conditional (the enclosing map is skipped unless it matches),
``<(key)`` global (the whole rule is skipped unless it matches), ``=(key)`` equality (checked
only when present), ``X(key)`` negation (must be absent), ``^(key)`` existence (some list
element matches), ``+(key)`` add-if-absent (checked like equality offline). A pattern list
of one map applies it to every element of the resource list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from gitwarden.manifests.yaml_nodes import FieldPath
from gitwarden.policy.kyverno_values import (
    as_text,
    matches_string_pattern,
    number,
    wildcard_match,
)

_ANCHOR = re.compile(r"^(\^|=|X|<|\+)?\((.+)\)$")


@dataclass(frozen=True)
class PatternFailure:
    """Where (field path in the resource) and why the resource does not match."""

    path: FieldPath
    reason: str


class _MismatchError(Exception):
    def __init__(self, path: FieldPath, reason: str) -> None:
        super().__init__(reason)
        self.failure = PatternFailure(path, reason)


class _ConditionUnmetError(Exception):
    """A conditional anchor did not match: the map that holds it is skipped."""


class _GlobalUnmetError(Exception):
    """A global anchor did not match: the whole pattern is skipped."""


def match_pattern(resource: Any, pattern: Any) -> PatternFailure | None:
    """None when ``resource`` matches (or the pattern's anchors skip it), else the failure."""
    try:
        _element(resource, pattern, ())
    except (_ConditionUnmetError, _GlobalUnmetError):
        return None
    except _MismatchError as mismatch:
        return mismatch.failure
    return None


def _element(value: Any, pattern: Any, path: FieldPath) -> None:
    if isinstance(pattern, dict):
        if not isinstance(value, dict):
            raise _MismatchError(path, "expected a map")
        _map(value, pattern, path)
    elif isinstance(pattern, list):
        if not isinstance(value, list):
            raise _MismatchError(path, "expected a list")
        _list(value, pattern, path)
    elif isinstance(value, list) and pattern is not None:
        # A scalar pattern against a list of scalars holds for every element.
        for index, item in enumerate(value):
            if not _scalar_matches(item, pattern):
                raise _MismatchError(
                    (*path, index), f"expected {_show(pattern)}, found {_show(item)}"
                )
    elif not _scalar_matches(value, pattern):
        raise _MismatchError(path, f"expected {_show(pattern)}, found {_show(value)}")


def _map(value: dict[str, Any], pattern: dict[str, Any], path: FieldPath) -> None:
    pattern = _expand_wildcard_keys(value, pattern)
    anchored = [(key, _ANCHOR.match(str(key))) for key in pattern]
    # Conditions first: a map whose condition fails is not checked at all.
    for key, anchor in anchored:
        if anchor and anchor.group(1) in (None, "<"):
            name = anchor.group(2)
            unmet = _GlobalUnmetError if anchor.group(1) == "<" else _ConditionUnmetError
            if name not in value:
                raise unmet()
            try:
                _element(value[name], pattern[key], (*path, name))
            except (_MismatchError, _ConditionUnmetError) as error:
                raise unmet() from error
    for key, anchor in anchored:
        if anchor is None:
            if key not in value:
                raise _MismatchError((*path, key), "field is required but missing")
            _element(value[key], pattern[key], (*path, key))
            continue
        kind, name = anchor.group(1), anchor.group(2)
        if kind in ("=", "+") and name in value:
            _element(value[name], pattern[key], (*path, name))
        elif kind == "X" and name in value:
            raise _MismatchError((*path, name), "field must not be present")
        elif kind == "^":
            _exists(value.get(name), pattern[key], (*path, name))


def _expand_wildcard_keys(value: dict[str, Any], pattern: dict[str, Any]) -> dict[str, Any]:
    """A key with ``*``/``?`` stands for every key of the resource it matches, anchors kept
    (``X(fluxcd.io/*)``: no key may match); one that matches nothing stays as written."""
    if not any("*" in str(k) or "?" in str(k) for k in pattern):
        return pattern
    expanded: dict[str, Any] = {}
    for key, item in pattern.items():
        anchor = _ANCHOR.match(str(key))
        prefix, name = (anchor.group(1) or "", anchor.group(2)) if anchor else ("", str(key))
        if "*" not in name and "?" not in name:
            expanded[key] = item
            continue
        found = [k for k in value if wildcard_match(name, str(k))]
        if not found:
            expanded[key] = item
        for actual in found:
            expanded[f"{prefix}({actual})" if anchor else actual] = item
    return expanded


def _exists(value: Any, pattern: Any, path: FieldPath) -> None:
    if not isinstance(value, list) or not isinstance(pattern, list) or not pattern:
        raise _MismatchError(path, "expected a list with an element matching the pattern")
    for index, item in enumerate(value):
        try:
            _element(item, pattern[0], (*path, index))
        except (_MismatchError, _ConditionUnmetError):
            continue
        return
    raise _MismatchError(path, "no element matches the pattern")


def _list(value: list[Any], pattern: list[Any], path: FieldPath) -> None:
    if not pattern:
        return
    if isinstance(pattern[0], dict):
        applied = skipped = 0
        for index, item in enumerate(value):
            try:
                _element(item, pattern[0], (*path, index))
            except _ConditionUnmetError:
                skipped += 1
                continue
            applied += 1
        if skipped and not applied:
            # As in Kyverno: a list whose every element was skipped skips what holds it.
            raise _ConditionUnmetError()
        return
    for index, item_pattern in enumerate(pattern):
        if index >= len(value):
            raise _MismatchError((*path, index), "list is shorter than the pattern")
        _element(value[index], item_pattern, (*path, index))


def _scalar_matches(value: Any, pattern: Any) -> bool:
    if pattern is None:
        return value in (None, "", 0, False) or value == {} or value == []
    if isinstance(value, dict | list):
        return False
    if isinstance(pattern, bool):
        return value is pattern or as_text(value) == as_text(pattern)
    if isinstance(pattern, int | float):
        found = number(value)
        return found is not None and found == Decimal(str(pattern))
    return matches_string_pattern(value, str(pattern))


def _show(value: Any) -> str:
    if isinstance(value, dict):
        return "a map"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    return repr(as_text(value)) if not isinstance(value, str) else repr(value)
