"""What the API server would say about an object: schema errors as fields, lines and words.

jsonschema-rs reports what failed in schema terms; this module turns each error into a
``SchemaProblem`` at the offending field, worded like the API server and kubectl
(``unknown field "spec.replicas"``, ``missing required field "image"``), and suggests the
closest known field for an unknown one.
"""

from __future__ import annotations

import datetime
import difflib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from gitwarden.manifests.objects import format_field_path
from gitwarden.manifests.yaml_nodes import FieldPath

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


def _schema_node(
    path: Sequence[str | int], root: Mapping[str, Any], definitions: Mapping[str, Any]
) -> Mapping[str, Any]:
    """The schema node at an error's schema path (definitions paths start with ``$defs``)."""
    node: Any = definitions if path and path[0] == "$defs" else root
    for part in path:
        if isinstance(node, list) and isinstance(part, int) and part < len(node):
            node = node[part]
            continue
        if not isinstance(node, Mapping) or part not in node:
            return {}
        node = node[part]
    return node if isinstance(node, Mapping) else {}


def problems_of(
    error: Any, root: Mapping[str, Any], definitions: Mapping[str, Any]
) -> Iterator[SchemaProblem]:
    """The problems one jsonschema-rs error stands for (one per unknown or missing field)."""
    path: FieldPath = tuple(error.instance_path)
    kind = type(error.kind).__name__
    parent = _schema_node(tuple(error.schema_path)[:-1], root, definitions)
    if kind == "AdditionalProperties":
        known = parent.get("properties", {})
        for name in error.kind.unexpected:
            field_path = (*path, str(name))
            yield SchemaProblem(
                ProblemKind.UNKNOWN_FIELD,
                field_path,
                f'unknown field "{_shown(field_path)}"',
                closest_field(str(name), known),
            )
    elif kind == "Required":
        yield SchemaProblem(
            ProblemKind.MISSING_FIELD,
            path,
            f'missing required field "{error.kind.property}" in {_shown(path)}',
        )
    elif kind in ("Type", "AnyOf", "OneOfNotValid"):
        expected = " or ".join(_expected_types(parent)) or "another type"
        yield SchemaProblem(
            ProblemKind.INVALID_VALUE,
            path,
            f"invalid type for {_shown(path)}: got {_json_type(error.instance)}, "
            f"expected {expected}",
        )
    elif kind == "Enum":
        allowed = ", ".join(f'"{value}"' for value in error.kind.options if value is not None)
        yield SchemaProblem(
            ProblemKind.INVALID_VALUE,
            path,
            f'Unsupported value for {_shown(path)}: "{error.instance}": supported values: '
            f"{allowed}",
        )
    else:
        yield SchemaProblem(
            ProblemKind.INVALID_VALUE, path, f"invalid value for {_shown(path)}: {error.message}"
        )


def json_compatible(value: Any) -> Any:
    """``value`` as JSON has it: YAML timestamps become the strings kubectl sends."""
    if isinstance(value, Mapping):
        return {str(key): json_compatible(item) for key, item in value.items()}
    if isinstance(value, list):
        return [json_compatible(item) for item in value]
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return value


def validate(
    validator: Any, body: Mapping[str, Any], root: Mapping[str, Any], definitions: Mapping[str, Any]
) -> tuple[SchemaProblem, ...]:
    """Every problem of ``body`` under a jsonschema-rs ``validator`` of ``root``, bounded."""
    try:
        if validator.is_valid(body):
            return ()
    except ValueError:
        body = json_compatible(body)  # a YAML date: validate what kubectl would send
        if validator.is_valid(body):
            return ()
    problems: list[SchemaProblem] = []
    for error in validator.iter_errors(body):
        for problem in problems_of(error, root, definitions):
            problems.append(problem)
            if len(problems) >= MAX_PROBLEMS_PER_OBJECT:
                return tuple(problems)
    return tuple(problems)
