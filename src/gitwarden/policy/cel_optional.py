"""CEL optional types, written the way cel-python can parse them.

Kubernetes CEL (1.29+) has optional field selection: ``object.spec.?securityContext
.?runAsNonRoot.orValue(false)``. cel-python's grammar lacks ``.?``, ``[?]`` and the optional
type, so a chain of optional steps that ends in ``.orValue(d)``, ``.hasValue()`` or
``.value()`` is rewritten into the plain CEL it means::

    (has(object.spec.securityContext) && has(object.spec.securityContext.runAsNonRoot))
        ? object.spec.securityContext.runAsNonRoot : (false)

An optional index ``m[?k]`` is guarded by ``k in m`` (``size(l) > n`` for an integer index
of a list). Anything else with optional syntax (``optional.of``, an optional kept in a
variable) is left as written: it still does not parse, and the policy stays
``policy-unsupported``.
"""

from __future__ import annotations

import re

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_INTEGER = re.compile(r"^\s*\d+\s*$")
_TERMINALS = ("orValue", "hasValue", "value")
_MAX_REWRITES = 200


def rewrite_optionals(text: str) -> str:
    """``text`` with every rewritable optional chain replaced (unchanged when there is none)."""
    for _ in range(_MAX_REWRITES):
        position = _first_optional(text)
        if position is None:
            return _without_plain_or_value(text)
        rewritten = _rewrite_at(text, position)
        if rewritten is None:
            return text
        text = rewritten
    return text


def _without_plain_or_value(text: str) -> str:
    """``x.orValue(d)`` on a value that is not optional is ``x`` (Kubernetes CEL accepts it,
    and policies write it after a plain field path)."""
    for _ in range(_MAX_REWRITES):
        position = _first_outside_strings(text, ".orValue(")
        if position is None:
            return text
        close = _matching_closer(text, position + len(".orValue"))
        if close is None:
            return text
        text = text[:position] + text[close + 1 :]
    return text


def _first_outside_strings(text: str, needle: str) -> int | None:
    index = 0
    while index < len(text):
        if text[index] in "'\"":
            index = _string_end(text, index)
            continue
        if text.startswith(needle, index):
            return index
        index += 1
    return None


def _first_optional(text: str) -> int | None:
    """Where the first ``.?`` or ``[?`` outside string literals is."""
    index = 0
    while index < len(text):
        char = text[index]
        if char in "'\"":
            index = _string_end(text, index)
            continue
        if text.startswith(".?", index) or text.startswith("[?", index):
            return index
        index += 1
    return None


def _string_end(text: str, start: int) -> int:
    quote = text[start]
    triple = text.startswith(quote * 3, start)
    delimiter = quote * 3 if triple else quote
    index = start + len(delimiter)
    while index < len(text):
        if text[index] == "\\":
            index += 2
            continue
        if text.startswith(delimiter, index):
            return index + len(delimiter)
        index += 1
    return len(text)


def _operand_start(text: str, end: int) -> int:
    """The start of the postfix expression that ends just before ``end``."""
    index = end
    while index > 0:
        char = text[index - 1]
        if char.isalnum() or char in "_.":
            index -= 1
        elif char in ")]":
            opener = _matching_opener(text, index - 1)
            if opener is None:
                return index
            index = opener
        else:
            break
    return index


def _matching_opener(text: str, close: int) -> int | None:
    pairs = {")": "(", "]": "["}
    depth = 0
    for index in range(close, -1, -1):
        char = text[index]
        if char in ")]":
            depth += 1
        elif char in "([":
            depth -= 1
            if depth == 0:
                return index if pairs[text[close]] == char else None
    return None


def _matching_closer(text: str, open_at: int) -> int | None:
    depth = 0
    index = open_at
    while index < len(text):
        char = text[index]
        if char in "'\"":
            index = _string_end(text, index)
            continue
        if char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
            if depth == 0:
                return index
        index += 1
    return None


def _rewrite_at(text: str, position: int) -> str | None:
    start = _operand_start(text, position)
    prefix = text[start:position]
    if not prefix.strip():
        return None
    conditions: list[str] = []
    index = position
    while index < len(text):
        if text.startswith(".?", index):
            name = _IDENTIFIER.match(text, index + 2)
            if name is None:
                return None
            conditions.append(f"has({prefix}.{name.group(0)})")
            prefix = f"{prefix}.{name.group(0)}"
            index = name.end()
        elif text.startswith("[?", index) or text.startswith("[", index):
            optional = text.startswith("[?", index)
            close = _matching_closer(text, index)
            if close is None:
                return None
            key = text[index + (2 if optional else 1) : close]
            if optional:
                guard = (
                    f"size({prefix}) > {key.strip()}"
                    if _INTEGER.match(key)
                    else (f"({key}) in {prefix}")
                )
                conditions.append(guard)
            prefix = f"{prefix}[{key}]"
            index = close + 1
        elif text.startswith(".", index):
            name = _IDENTIFIER.match(text, index + 1)
            if name is None:
                return None
            after = name.end()
            if name.group(0) in _TERMINALS and text.startswith("(", after):
                close = _matching_closer(text, after)
                if close is None:
                    return None
                argument = text[after + 1 : close]
                guard = " && ".join(conditions)
                replacement = {
                    "orValue": f"(({guard}) ? {prefix} : ({argument}))",
                    "hasValue": f"({guard})",
                    "value": prefix,
                }[name.group(0)]
                return text[:start] + replacement + text[close + 1 :]
            if text.startswith("(", after):
                return None  # a method called on an optional: not rewritten
            prefix = f"{prefix}.{name.group(0)}"
            index = after
        else:
            return None  # the chain ended without orValue/hasValue/value
    return None
