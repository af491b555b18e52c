"""A Constraint's ``spec.parameters`` against its template's ``openAPIV3Schema``.

The API server refuses a Constraint whose parameters do not fit the CRD Gatekeeper makes from
the template; offline that is a ``policy-error``. The schema is read as JSON Schema (the
OpenAPI v3 subset Kubernetes allows is one), with the Kubernetes extensions honoured where
they change what is valid: ``nullable`` admits null, and unknown fields are dropped (pruned)
rather than refused, as the API server does.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from jsonschema import Draft4Validator
from jsonschema.exceptions import SchemaError

_MAX_PROBLEMS = 3


def parameter_problems(schema: Any, parameters: Any) -> list[str]:
    """What is wrong with ``parameters`` (empty when they fit or there is no schema)."""
    if schema is None:
        return []
    if not isinstance(schema, Mapping):
        return ["the template's openAPIV3Schema is not a map"]
    try:
        validator = Draft4Validator(_with_nullable(schema))
        errors = sorted(validator.iter_errors(parameters), key=lambda e: list(e.absolute_path))
    except SchemaError as error:
        return [f"the template's openAPIV3Schema is invalid: {error.message}"]
    return [_describe(error.absolute_path, error.message) for error in errors[:_MAX_PROBLEMS]]


def _with_nullable(schema: Any) -> Any:
    """``nullable: true`` as JSON Schema says it: null is one of the allowed types."""
    if isinstance(schema, list):
        return [_with_nullable(item) for item in schema]
    if not isinstance(schema, Mapping):
        return schema
    converted = {key: _with_nullable(value) for key, value in schema.items()}
    if converted.get("nullable") is True and isinstance(converted.get("type"), str):
        converted["type"] = [converted["type"], "null"]
    return converted


def _describe(path: Any, message: str) -> str:
    where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path)
    return f"spec.parameters{where}: {message}"
