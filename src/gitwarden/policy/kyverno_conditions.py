"""Kyverno variables (``{{ jmespath }}``) and conditions (``deny``, ``preconditions``)."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

import jmespath
from jmespath.exceptions import JMESPathError, UnknownFunctionError

from gitwarden.policy.kyverno_functions import KyvernoFunctionError, KyvernoFunctions
from gitwarden.policy.kyverno_values import (
    as_text,
    comparable,
    matches_string_pattern,
    number,
    wildcard_match,
)

_WHOLE_VARIABLE = re.compile(r"^\s*\{\{\s*(.+?)\s*\}\}\s*$", re.DOTALL)
# A variable with no other variable inside it.
_INNERMOST = re.compile(r"\{\{\s*((?:(?!\{\{|\}\}).)+?)\s*\}\}", re.DOTALL)
_MAX_NESTING = 8
# A projection or filter (`a[]`, `a[*]`, `a[?x]`) over nothing is empty in Kyverno, not an error.
_PROJECTION = re.compile(r"\[\s*(?:\*\s*)?\]|\[\?")


class VariableError(Exception):
    """A variable did not resolve; Kyverno reports the rule as an error, so do we."""


class UnsupportedFeatureError(Exception):
    """The policy uses something gitwarden does not evaluate offline."""


_OPTIONS = jmespath.Options(custom_functions=KyvernoFunctions())


def query(expression: str, context: Any, *, missing_ok: bool = False) -> Any:
    try:
        result = jmespath.search(expression, context, options=_OPTIONS)
    except UnknownFunctionError as error:
        raise UnsupportedFeatureError(f"JMESPath function not supported offline: {error}") from None
    except KyvernoFunctionError as error:
        raise VariableError(f"'{expression}': {error}") from None
    except JMESPathError as error:
        raise VariableError(f"'{expression}': {error}") from None
    if result is None and not missing_ok and not _PROJECTION.search(expression):
        raise VariableError(f"'{{{{ {expression} }}}}' resolves to nothing")
    return result


def substitute(value: Any, context: Mapping[str, Any]) -> Any:
    """``value`` with its ``{{ }}`` variables replaced (a lone variable keeps its type).

    As in Kyverno, innermost variables resolve first, so ``{{ f('{{ x }}') }}`` works.
    """
    if isinstance(value, str):
        text = value
        for _ in range(_MAX_NESTING):
            whole = _WHOLE_VARIABLE.match(text)
            if whole and "{{" not in whole.group(1):
                return query(whole.group(1), context)
            if "{{" not in text:
                return text
            replaced = _INNERMOST.sub(lambda m: _as_string(query(m.group(1), context)), text)
            if replaced == text:
                return text
            text = replaced
        raise VariableError(f"'{value}': variables nested more than {_MAX_NESTING} deep")
    if isinstance(value, list):
        return [substitute(item, context) for item in value]
    if isinstance(value, dict):
        return {key: substitute(item, context) for key, item in value.items()}
    return value


def _as_string(value: Any) -> str:
    """How a variable's value reads inside a longer string (maps and lists as JSON)."""
    if isinstance(value, dict | list):
        return json.dumps(value, separators=(",", ":"))
    return as_text(value)


def conditions_hold(block: Any, context: Mapping[str, Any]) -> bool:
    """``{any: [...], all: [...]}`` (or a plain list, meaning all) against ``context``."""
    if block is None:
        return True
    if isinstance(block, list):
        return all(_condition(c, context) for c in block)
    if not isinstance(block, Mapping):
        raise UnsupportedFeatureError("conditions must be a list or {any, all}")
    any_of, all_of = block.get("any"), block.get("all")
    if any_of is not None and not any(_condition(c, context) for c in _as_list(any_of)):
        return False
    return all_of is None or all(_condition(c, context) for c in _as_list(all_of))


def _condition(condition: Any, context: Mapping[str, Any]) -> bool:
    if not isinstance(condition, Mapping):
        raise UnsupportedFeatureError("a condition must be a map with key, operator and value")
    operator = str(condition.get("operator", ""))
    check = _OPERATORS.get(operator.lower())
    if check is None:
        raise UnsupportedFeatureError(f"condition operator '{operator}' is not supported")
    key = substitute(condition.get("key"), context)
    value = substitute(condition.get("value"), context)
    return bool(check(key, value))


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _equal(key: Any, value: Any) -> bool:
    if isinstance(value, str) and not isinstance(key, dict | list):
        if "*" in value or "?" in value:
            return matches_string_pattern(key, value)
        left, right = number(key), number(value)
        if left is not None and right is not None and not isinstance(key, str):
            return left == right
        return as_text(key) == value
    if isinstance(value, int | float) and not isinstance(value, bool):
        found = number(key)
        return found is not None and found == number(value)
    return bool(key == value)


def _member(key: Any, values: Any) -> bool:
    return any(
        _equal(key, v) if not isinstance(v, str) else _in_string(key, v)
        for v in _value_list(values)
    )


def _member_either_way(key: Any, values: Any) -> bool:
    """AnyIn/AllIn: as in Kyverno, a wildcard on the key side matches values too."""
    if isinstance(key, str) and ("*" in key or "?" in key):
        listed = [v for v in _value_list(values) if not isinstance(v, dict | list)]
        if any(wildcard_match(key, as_text(v)) for v in listed):
            return True
    return _member(key, values)


def _value_list(values: Any) -> list[Any]:
    """As Kyverno: a string holding a JSON array (a ConfigMap value) is that array."""
    if isinstance(values, str) and values.lstrip().startswith("["):
        try:
            parsed = json.loads(values)
        except ValueError:
            return [values]
        return parsed if isinstance(parsed, list) else [values]
    return _as_list(values)


def _in_string(key: Any, value: str) -> bool:
    return not isinstance(key, dict | list) and matches_string_pattern(key, value)


def _compare(operator: str) -> Any:
    def check(key: Any, value: Any) -> bool:
        pair = comparable(key, value)
        if pair is None:
            return False
        left, right = pair
        return {
            "gt": left > right,
            "ge": left >= right,
            "lt": left < right,
            "le": left <= right,
        }[operator]

    return check


def _in(key: Any, value: Any) -> bool:
    if isinstance(key, list):
        return all(_member(k, value) for k in key)
    return _member(key, value)


_OPERATORS: dict[str, Any] = {
    "equals": _equal,
    "equal": _equal,
    "notequals": lambda k, v: not _equal(k, v),
    "notequal": lambda k, v: not _equal(k, v),
    "in": _in,
    "notin": lambda k, v: not _in(k, v),
    "anyin": lambda k, v: any(_member_either_way(x, v) for x in _as_list(k)),
    "allin": lambda k, v: all(_member_either_way(x, v) for x in _as_list(k)),
    "anynotin": lambda k, v: any(not _member_either_way(x, v) for x in _as_list(k)),
    "allnotin": lambda k, v: all(not _member_either_way(x, v) for x in _as_list(k)),
    "greaterthan": _compare("gt"),
    "greaterthanorequals": _compare("ge"),
    "lessthan": _compare("lt"),
    "lessthanorequals": _compare("le"),
    "durationgreaterthan": _compare("gt"),
    "durationgreaterthanorequals": _compare("ge"),
    "durationlessthan": _compare("lt"),
    "durationlessthanorequals": _compare("le"),
}
