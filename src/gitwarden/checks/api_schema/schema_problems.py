"""What the API server would say about an object: schema errors as fields, lines and words.

jsonschema reports what failed in schema terms; this module turns each error into a
``SchemaProblem`` at the offending field, worded like the API server and kubectl
(``unknown field "spec.replicas"``, ``missing required field "image"``), and suggests the
closest known field for an unknown one.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from gitwarden.manifests.objects import format_field_path
from gitwarden.manifests.yaml_nodes import FieldPath

if TYPE_CHECKING:
    from jsonschema import ValidationError
    from jsonschema.protocols import Validator

# A hand-written object has a few errors; a generated one with hundreds is reported in part.
MAX_PROBLEMS_PER_OBJECT = 50
_SUGGESTION_CUTOFF = 0.75

# Fields whose loss silently weakens a workload or a policy: a misspelling of one is not just
# a rejected object but hardening the author believes is there and is not.
SECURITY_FIELDS = frozenset(
    {
        "allowPrivilegeEscalation",
        "appArmorProfile",
        "automountServiceAccountToken",
        "capabilities",
        "drop",
        "egress",
        "fsGroup",
        "hostIPC",
        "hostNetwork",
        "hostPID",
        "hostProcess",
        "hostUsers",
        "ingress",
        "podSelector",
        "policyTypes",
        "privileged",
        "procMount",
        "readOnly",
        "readOnlyRootFilesystem",
        "runAsGroup",
        "runAsNonRoot",
        "runAsUser",
        "seLinuxOptions",
        "seccompProfile",
        "securityContext",
        "shareProcessNamespace",
        "supplementalGroups",
        "sysctls",
        "windowsOptions",
    }
)


class ProblemKind(StrEnum):
    UNKNOWN_FIELD = "unknown-field"
    INVALID_VALUE = "invalid-value"
    MISSING_FIELD = "missing-field"


@dataclass(frozen=True)
class SchemaProblem:
    """One field the API server would reject, and what it would say."""

    kind: ProblemKind
    path: FieldPath
    message: str
    # For unknown fields: the known field it most likely means, if any.
    suggestion: str | None = None

    @property
    def weakens_security(self) -> bool:
        """An unknown field meant as a security setting: the setting is silently absent."""
        if self.kind is not ProblemKind.UNKNOWN_FIELD:
            return False
        field = self.path[-1] if self.path else ""
        return self.suggestion in SECURITY_FIELDS or field in SECURITY_FIELDS


def closest_field(name: str, known: Iterable[str]) -> str | None:
    """The known field ``name`` most likely misspells: same letters in another case first."""
    candidates = sorted(known)
    for candidate in candidates:
        if candidate.lower() == name.lower():
            return candidate
    matches = difflib.get_close_matches(name, candidates, n=1, cutoff=_SUGGESTION_CUTOFF)
    if matches:
        return matches[0]
    lowered = {candidate.lower(): candidate for candidate in candidates}
    folded = difflib.get_close_matches(name.lower(), lowered, n=1, cutoff=_SUGGESTION_CUTOFF)
    return lowered[folded[0]] if folded else None


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object" if isinstance(value, Mapping) else type(value).__name__


def _expected_types(schema: Any) -> list[str]:
    if not isinstance(schema, Mapping):
        return []
    declared = schema.get("type")
    types = [declared] if isinstance(declared, str) else list(declared or ())
    for keyword in ("oneOf", "anyOf"):
        for branch in schema.get(keyword, ()):
            types.extend(_expected_types(branch))
    return sorted({t for t in types if t != "null"})


def _shown(path: FieldPath) -> str:
    return format_field_path(path) or "the object"


def _unknown_fields(error: ValidationError, path: FieldPath) -> Iterator[SchemaProblem]:
    instance = error.instance
    schema = error.schema if isinstance(error.schema, Mapping) else {}
    known = set(schema.get("properties", {}))
    if not isinstance(instance, Mapping):
        return
    for key in instance:
        if key in known:
            continue
        field_path = (*path, str(key))
        yield SchemaProblem(
            ProblemKind.UNKNOWN_FIELD,
            field_path,
            f'unknown field "{_shown(field_path)}"',
            closest_field(str(key), known),
        )


def _missing_fields(error: ValidationError, path: FieldPath) -> Iterator[SchemaProblem]:
    instance = error.instance if isinstance(error.instance, Mapping) else {}
    required: Any = error.validator_value
    for name in required if isinstance(required, list) else ():
        if name not in instance:
            yield SchemaProblem(
                ProblemKind.MISSING_FIELD,
                path,
                f'missing required field "{name}" in {_shown(path)}',
            )


def _invalid_value(error: ValidationError, path: FieldPath) -> SchemaProblem:
    got = _json_type(error.instance)
    if error.validator in ("type", "oneOf", "anyOf"):
        expected = " or ".join(_expected_types(error.schema)) or "another type"
        message = f"invalid type for {_shown(path)}: got {got}, expected {expected}"
    elif error.validator == "enum":
        values: Any = error.validator_value
        allowed = ", ".join(f'"{value}"' for value in values or () if value is not None)
        message = (
            f'Unsupported value for {_shown(path)}: "{error.instance}": supported values: {allowed}'
        )
    else:
        message = f"invalid value for {_shown(path)}: {error.message}"
    return SchemaProblem(ProblemKind.INVALID_VALUE, path, message)


def problems_of(error: ValidationError) -> Iterator[SchemaProblem]:
    """The problems one validation error stands for (one per unknown or missing field)."""
    path: FieldPath = tuple(error.absolute_path)
    if error.validator == "additionalProperties" and error.validator_value is False:
        yield from _unknown_fields(error, path)
    elif error.validator == "required":
        yield from _missing_fields(error, path)
    else:
        yield _invalid_value(error, path)


def validate(validator: Validator, body: Mapping[str, Any]) -> tuple[SchemaProblem, ...]:
    """Every problem of ``body``, at most ``MAX_PROBLEMS_PER_OBJECT``."""
    problems: list[SchemaProblem] = []
    for error in validator.iter_errors(body):
        for problem in problems_of(error):
            problems.append(problem)
            if len(problems) >= MAX_PROBLEMS_PER_OBJECT:
                return tuple(problems)
    return tuple(problems)
