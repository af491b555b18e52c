"""``sprintf`` as OPA runs it (Go's ``fmt``), for Gatekeeper templates evaluated by regorus.

regorus refuses a format with more verbs than arguments; OPA, like Go, prints
``%!v(MISSING)`` and goes on, and Gatekeeper templates rely on that (the library's
``k8shorizontalpodautoscaler`` has six verbs and five arguments). Values print as Rego
writes them: strings bare at the top level and quoted inside collections, sets and objects
with their members sorted.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from typing import Any

_VERB = re.compile(r"%([-+# 0]*)(\d+)?(?:\.(\d+))?([a-zA-Z%])")


def go_sprintf(template: Any, arguments: Any) -> str:
    """``sprintf(template, arguments)`` with Go's verbs ``%v %s %d %f %q %t %x %%``."""
    if not isinstance(template, str):
        raise TypeError("sprintf: the format must be a string")
    values = list(arguments) if isinstance(arguments, list | tuple) else [arguments]
    used = 0
    parts: list[str] = []
    position = 0
    for found in _VERB.finditer(template):
        parts.append(template[position : found.start()])
        position = found.end()
        flags, width, precision, verb = found.groups()
        if verb == "%":
            parts.append("%")
            continue
        if used >= len(values):
            parts.append(f"%!{verb}(MISSING)")
            continue
        text = _format(values[used], verb, precision)
        used += 1
        parts.append(_pad(text, flags or "", int(width) if width else 0))
    parts.append(template[position:])
    if used < len(values):
        extra = ", ".join(f"{_type_name(v)}={rego_text(v)}" for v in values[used:])
        parts.append(f"%!(EXTRA {extra})")
    return "".join(parts)


def _format(value: Any, verb: str, precision: str | None) -> str:
    if verb in ("v", "s"):
        return value if isinstance(value, str) else rego_text(value)
    if verb == "q" and isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if verb == "d" and isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if verb in ("f", "F") and isinstance(value, int | float) and not isinstance(value, bool):
        return f"{float(value):.{int(precision) if precision else 6}f}"
    if verb == "t" and isinstance(value, bool):
        return "true" if value else "false"
    if verb == "x" and isinstance(value, int) and not isinstance(value, bool):
        return f"{value:x}"
    if verb == "x" and isinstance(value, str):
        return value.encode().hex()
    return f"%!{verb}({_type_name(value)}={rego_text(value)})"


def rego_text(value: Any) -> str:
    """How Rego prints a value: ``["a", 1]``, ``{"k": true}``, sets ``{"a", "b"}``."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, Mapping):
        items = sorted((rego_text(k), rego_text(v)) for k, v in value.items())
        return "{" + ", ".join(f"{k}: {v}" for k, v in items) + "}"
    if isinstance(value, set | frozenset):
        return "{" + ", ".join(sorted(rego_text(v) for v in value)) + "}"
    if isinstance(value, Sequence):
        return "[" + ", ".join(rego_text(v) for v in value) + "]"
    return str(value)


def _pad(text: str, flags: str, width: int) -> str:
    if width <= len(text):
        return text
    if "-" in flags:
        return text.ljust(width)
    return text.rjust(width, "0" if "0" in flags and text.lstrip("-").isdigit() else " ")


def _type_name(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, str):
        return "string"
    if isinstance(value, int | float):
        return "json.Number"
    if isinstance(value, Mapping):
        return "ast.Object"
    if isinstance(value, set | frozenset):
        return "ast.Set"
    return "ast.Array" if isinstance(value, Sequence) else type(value).__name__
