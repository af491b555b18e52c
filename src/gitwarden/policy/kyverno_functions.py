"""Kyverno's own JMESPath functions, those that make sense offline.

String, regular-expression, encoding, parsing, arithmetic (quantity- and duration-aware, as
Kyverno's) and time functions on given times. Functions that need a clock
(``time_now*``, ``time_since`` of now), randomness (``random``), certificates or a registry
(``x509_decode``, ``image_*``) are not defined: a policy using them is ``policy-unsupported``.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import yaml
from jmespath import functions as jmespath_functions

from gitwarden.policy.kyverno_values import as_text, number


class KyvernoFunctionError(Exception):
    """A function was given what it cannot work on (the text says what)."""


class KyvernoFunctions(jmespath_functions.Functions):  # type: ignore[misc]
    """The Kyverno JMESPath functions policies use most."""

    @jmespath_functions.signature({"types": ["string"]})  # type: ignore[untyped-decorator]
    def _func_to_upper(self, text: str) -> str:
        return text.upper()

    @jmespath_functions.signature({"types": ["string"]})  # type: ignore[untyped-decorator]
    def _func_to_lower(self, text: str) -> str:
        return text.lower()

    @jmespath_functions.signature({"types": ["string"]}, {"types": ["string"]})  # type: ignore[untyped-decorator]
    def _func_split(self, text: str, separator: str) -> list[str]:
        return text.split(separator)

    @jmespath_functions.signature({"types": ["string"]}, {"types": ["string", "number"]})  # type: ignore[untyped-decorator]
    def _func_regex_match(self, pattern: str, text: Any) -> bool:
        return re.search(pattern, as_text(text)) is not None

    @jmespath_functions.signature({"types": ["string"]}, {"types": ["number"]})  # type: ignore[untyped-decorator]
    def _func_truncate(self, text: str, length: float) -> str:
        return text[: int(length)]

    @jmespath_functions.signature({"types": ["string"]}, {"types": ["string"]})  # type: ignore[untyped-decorator]
    def _func_trim(self, text: str, characters: str) -> str:
        return text.strip(characters)

    @jmespath_functions.signature(  # type: ignore[untyped-decorator]
        {"types": ["string"]}, {"types": ["string", "number"]}, {"types": ["string", "number"]}
    )
    def _func_regex_replace_all(self, pattern: str, text: Any, replacement: Any) -> str:
        # Go's $1 references written the Python way.
        python_replacement = re.sub(r"\$\{?(\d+)\}?", r"\\\1", as_text(replacement))
        return re.sub(pattern, python_replacement, as_text(text))

    @jmespath_functions.signature(  # type: ignore[untyped-decorator]
        {"types": ["string"]}, {"types": ["string", "number"]}, {"types": ["string", "number"]}
    )
    def _func_regex_replace_all_literal(self, pattern: str, text: Any, replacement: Any) -> str:
        return re.sub(pattern, lambda _: as_text(replacement), as_text(text))

    @jmespath_functions.signature(  # type: ignore[untyped-decorator]
        {"types": ["string"]}, {"types": ["string"]}, {"types": ["string"]}, {"types": ["number"]}
    )
    def _func_replace(self, text: str, old: str, new: str, count: float) -> str:
        return text.replace(old, new, int(count)) if count >= 0 else text.replace(old, new)

    @jmespath_functions.signature(  # type: ignore[untyped-decorator]
        {"types": ["string"]}, {"types": ["string"]}, {"types": ["string"]}
    )
    def _func_replace_all(self, text: str, old: str, new: str) -> str:
        return text.replace(old, new)

    @jmespath_functions.signature({"types": ["string"]}, {"types": ["string"]})  # type: ignore[untyped-decorator]
    def _func_trim_prefix(self, text: str, prefix: str) -> str:
        return text.removeprefix(prefix)

    @jmespath_functions.signature({"types": ["string"]}, {"types": ["string"]})  # type: ignore[untyped-decorator]
    def _func_equal_fold(self, left: str, right: str) -> bool:
        return left.casefold() == right.casefold()

    @jmespath_functions.signature({"types": ["string"]})  # type: ignore[untyped-decorator]
    def _func_base64_decode(self, text: str) -> str:
        try:
            return base64.b64decode(text, validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError) as error:
            raise KyvernoFunctionError(f"base64_decode: {error}") from None

    @jmespath_functions.signature({"types": ["string"]})  # type: ignore[untyped-decorator]
    def _func_base64_encode(self, text: str) -> str:
        return base64.b64encode(text.encode("utf-8")).decode("ascii")

    @jmespath_functions.signature({"types": ["string"]})  # type: ignore[untyped-decorator]
    def _func_parse_json(self, text: str) -> Any:
        try:
            return json.loads(text)
        except ValueError as error:
            raise KyvernoFunctionError(f"parse_json: {error}") from None

    @jmespath_functions.signature({"types": ["string"]})  # type: ignore[untyped-decorator]
    def _func_parse_yaml(self, text: str) -> Any:
        try:
            return yaml.safe_load(text)
        except yaml.YAMLError as error:
            raise KyvernoFunctionError(f"parse_yaml: {error}") from None

    @jmespath_functions.signature({"types": ["object", "null"]})  # type: ignore[untyped-decorator]
    def _func_keys(self, value: Any) -> list[str]:
        # Kyverno's keys/values of null are empty, not an error.
        return list(value) if value else []

    @jmespath_functions.signature({"types": ["object", "null"]})  # type: ignore[untyped-decorator]
    def _func_values(self, value: Any) -> list[Any]:
        return list(value.values()) if value else []

    @jmespath_functions.signature(  # type: ignore[untyped-decorator]
        {"types": ["string", "number"]}, {"types": ["string", "number"]}
    )
    def _func_divide(self, left: Any, right: Any) -> float:
        return float(_arithmetic(left, right, "divide"))

    @jmespath_functions.signature(  # type: ignore[untyped-decorator]
        {"types": ["string", "number"]}, {"types": ["string", "number"]}
    )
    def _func_multiply(self, left: Any, right: Any) -> float:
        return float(_arithmetic(left, right, "multiply"))

    @jmespath_functions.signature(  # type: ignore[untyped-decorator]
        {"types": ["string", "number"]}, {"types": ["string", "number"]}
    )
    def _func_subtract(self, left: Any, right: Any) -> float:
        return float(_arithmetic(left, right, "subtract"))

    @jmespath_functions.signature(  # type: ignore[untyped-decorator]
        {"types": ["string", "number"]}, {"types": ["string", "number"]}
    )
    def _func_add(self, left: Any, right: Any) -> float:
        return float(_arithmetic(left, right, "add"))

    @jmespath_functions.signature({"types": ["string"]}, {"types": ["string"]})  # type: ignore[untyped-decorator]
    def _func_time_add(self, moment: str, duration: str) -> str:
        return _rfc3339(_time(moment) + _duration(duration))

    @jmespath_functions.signature({"types": ["string"]}, {"types": ["string"]})  # type: ignore[untyped-decorator]
    def _func_time_diff(self, start: str, end: str) -> str:
        return _go_duration(_time(end) - _time(start))

    @jmespath_functions.signature({"types": ["string"]}, {"types": ["string"]})  # type: ignore[untyped-decorator]
    def _func_time_after(self, moment: str, other: str) -> bool:
        return _time(moment) > _time(other)

    @jmespath_functions.signature({"types": ["string"]}, {"types": ["string"]})  # type: ignore[untyped-decorator]
    def _func_time_before(self, moment: str, other: str) -> bool:
        return _time(moment) < _time(other)

    @jmespath_functions.signature(  # type: ignore[untyped-decorator]
        {"types": ["string"]}, {"types": ["string"]}, {"types": ["string"]}
    )
    def _func_time_between(self, moment: str, start: str, end: str) -> bool:
        return _time(start) < _time(moment) < _time(end)

    @jmespath_functions.signature({"types": ["string"]})  # type: ignore[untyped-decorator]
    def _func_time_utc(self, moment: str) -> str:
        return _rfc3339(_time(moment).astimezone(UTC))

    @jmespath_functions.signature({"types": ["string"]})  # type: ignore[untyped-decorator]
    def _func_time_to_cron(self, moment: str) -> str:
        # Minute, hour, day of month, month, day of week (Sunday is 0), as Kyverno writes it.
        when = _time(moment).astimezone(UTC)
        return f"{when.minute} {when.hour} {when.day} {when.month} {(when.weekday() + 1) % 7}"

    @jmespath_functions.signature({"types": ["string"]}, {"types": ["string"]})  # type: ignore[untyped-decorator]
    def _func_time_truncate(self, moment: str, duration: str) -> str:
        when = _time(moment).astimezone(UTC)
        step = _duration(duration).total_seconds()
        if step <= 0:
            return _rfc3339(when)
        seconds = when.timestamp()
        return _rfc3339(datetime.fromtimestamp(seconds - seconds % step, UTC))


def _time(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise KyvernoFunctionError(f"{text!r} is not an RFC 3339 time") from None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _duration(text: str) -> timedelta:
    seconds = number(text) if not text.strip().lstrip("-").isdigit() else None
    if seconds is None:
        raise KyvernoFunctionError(f"{text!r} is not a duration (e.g. 1h30m)")
    return timedelta(seconds=float(seconds))


def _rfc3339(moment: datetime) -> str:
    text = moment.isoformat()
    return text.replace("+00:00", "Z")


def _go_duration(delta: timedelta) -> str:
    """A duration as Go prints it: ``1h30m0s``, ``-2m5s``, ``0s``."""
    total = delta.total_seconds()
    sign = "-" if total < 0 else ""
    total = abs(total)
    hours, rest = divmod(total, 3600)
    minutes, seconds = divmod(rest, 60)
    shown = f"{seconds:g}s"
    if hours:
        return f"{sign}{int(hours)}h{int(minutes)}m{shown}"
    if minutes:
        return f"{sign}{int(minutes)}m{shown}"
    return f"{sign}{shown}"


def _arithmetic(left: Any, right: Any, operation: str) -> Decimal:
    """Kyverno's arithmetic: plain numbers, or quantities (``12Mi``) and durations."""
    a, b = number(left), number(right)
    if a is None or b is None:
        raise KyvernoFunctionError(f"{operation}({left!r}, {right!r}): not numbers or quantities")
    if operation == "divide":
        if b == 0:
            raise KyvernoFunctionError(f"divide({left!r}, {right!r}): division by zero")
        return a / b
    return {"multiply": a * b, "subtract": a - b, "add": a + b}[operation]
