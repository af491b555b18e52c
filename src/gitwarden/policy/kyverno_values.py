"""Kyverno's value comparisons: wildcards, ``|`` / ``&``, ``!``, ``<`` ``>`` on quantities
and durations, and ranges (``1-10``, ``1!-10``), as patterns and conditions use them."""

from __future__ import annotations

import re
from decimal import Decimal
from functools import cache
from typing import Any

from gitwarden.manifests.quantities import is_quantity, parse_quantity

_DURATION_PART = re.compile(r"(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)")
_DURATION_UNITS = {
    "ns": Decimal("1e-9"),
    "us": Decimal("1e-6"),
    "µs": Decimal("1e-6"),
    "ms": Decimal("1e-3"),
    "s": Decimal(1),
    "m": Decimal(60),
    "h": Decimal(3600),
}
_OPERATORS = (">=", "<=", ">", "<", "!")


def as_text(value: Any) -> str:
    """How Kyverno prints a resource value to compare it with a string pattern."""
    if value is True:
        return "true"
    if value is False:
        return "false"
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def number(value: Any) -> Decimal | None:
    """A Kubernetes quantity (``500m``, ``1Gi``), a plain number or a duration, as a number."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return Decimal(str(value))
    if not isinstance(value, str):
        return None
    text = value.strip()
    found = parse_quantity(text)
    return found if found is not None else _duration(text)


def comparable(left: Any, right: Any) -> tuple[Decimal, Decimal] | None:
    """Both values as numbers of the same sort: quantities if both are, else durations
    (``2m`` is two milli-units next to ``500m``, two minutes next to ``90s``)."""
    quantities = _quantity(left), _quantity(right)
    if quantities[0] is not None and quantities[1] is not None:
        return quantities[0], quantities[1]
    durations = _as_duration(left), _as_duration(right)
    if durations[0] is not None and durations[1] is not None:
        return durations[0], durations[1]
    return None


def _quantity(value: Any) -> Decimal | None:
    if isinstance(value, str) and not is_quantity(value.strip()):
        return None
    return number(value)


def _as_duration(value: Any) -> Decimal | None:
    return _duration(value.strip()) if isinstance(value, str) else None


def _duration(text: str) -> Decimal | None:
    if not text or _DURATION_PART.sub("", text) not in ("", "-"):
        return None
    total = sum(
        (Decimal(amount) * _DURATION_UNITS[unit] for amount, unit in _DURATION_PART.findall(text)),
        Decimal(0),
    )
    return -total if text.startswith("-") else total


@cache
def _wildcard(pattern: str) -> re.Pattern[str]:
    regex = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.compile(regex, re.DOTALL)


def wildcard_match(pattern: str, text: str) -> bool:
    """``*`` any run of characters, ``?`` one character (and nothing else is special)."""
    if "*" not in pattern and "?" not in pattern:
        return pattern == text
    return _wildcard(pattern).fullmatch(text) is not None


def matches_string_pattern(value: Any, pattern: str) -> bool:
    """A string pattern: alternatives split by ``|``, each a conjunction split by ``&``."""
    return any(
        all(_matches_condition(value, part.strip()) for part in alternative.split("&"))
        for alternative in pattern.split("|")
    )


def _matches_condition(value: Any, condition: str) -> bool:
    for operator in _OPERATORS:
        if condition.startswith(operator):
            operand = condition[len(operator) :].strip()
            if operator == "!":
                return not _equals(value, operand)
            return _ordered(value, operand, operator)
    in_range = _range(value, condition)
    if in_range is not None:
        return in_range
    return _equals(value, condition)


def _equals(value: Any, operand: str) -> bool:
    if "*" in operand or "?" in operand:
        return wildcard_match(operand, as_text(value))
    if isinstance(value, int | float) and not isinstance(value, bool):
        left, right = number(value), number(operand)
        if left is not None and right is not None:
            return left == right
    if isinstance(value, str) and is_quantity(value.strip()) and is_quantity(operand):
        return number(value) == number(operand)
    return as_text(value) == operand


def _ordered(value: Any, operand: str, operator: str) -> bool:
    pair = comparable(value, operand)
    if pair is None:
        return False
    left, right = pair
    return {
        ">": left > right,
        "<": left < right,
        ">=": left >= right,
        "<=": left <= right,
    }[operator]


def _range(value: Any, condition: str) -> bool | None:
    """``low-high`` (inclusive) or ``low!-high`` (outside); None when it is no range."""
    for separator, inside in (("!-", False), ("-", True)):
        low_text, found, high_text = condition.partition(separator)
        if not found or not low_text:
            continue
        low, high, current = number(low_text), number(high_text), number(value)
        if low is None or high is None:
            continue
        if current is None:
            return False
        within = low <= current <= high
        return within if inside else not within
    return None
