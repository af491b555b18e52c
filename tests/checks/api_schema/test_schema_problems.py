from __future__ import annotations

from typing import Any

import jsonschema_rs
import pytest

from gitwarden.checks.api_schema.schema_problems import (
    MAX_PROBLEMS_PER_OBJECT,
    ProblemKind,
    SchemaProblem,
    closest_field,
    validate,
)

SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["name"],
    "additionalProperties": False,
    "properties": {
        "name": {"type": "string"},
        "runAsNonRoot": {"type": "boolean"},
        "size": {"type": "integer"},
    },
}


@pytest.mark.parametrize(
    ("name", "suggestion"),
    [
        ("runAsNonRot", "runAsNonRoot"),
        ("runasnonroot", "runAsNonRoot"),
        ("nmae", "name"),
        ("colour", None),
    ],
)
def test_closest_field_finds_the_intended_name(name: str, suggestion: str | None) -> None:
    assert closest_field(name, ["name", "runAsNonRoot", "size"]) == suggestion


def problems(body: dict[str, Any]) -> tuple[SchemaProblem, ...]:
    return validate(jsonschema_rs.Draft202012Validator(SCHEMA), body, SCHEMA, {})


def test_each_unknown_field_is_one_problem_at_its_path() -> None:
    found = problems({"name": "a", "runAsNonRot": True, "colour": 1})
    assert {(p.kind, p.path, p.suggestion) for p in found} == {
        (ProblemKind.UNKNOWN_FIELD, ("runAsNonRot",), "runAsNonRoot"),
        (ProblemKind.UNKNOWN_FIELD, ("colour",), None),
    }


def test_missing_required_field_is_a_problem_of_its_parent() -> None:
    [problem] = problems({"size": 1})
    assert (problem.kind, problem.path) == (ProblemKind.MISSING_FIELD, ())
    assert problem.message == 'missing required field "name" in the object'


def test_wrong_type_names_what_was_expected() -> None:
    [problem] = problems({"name": "a", "size": "big"})
    assert problem.message == "invalid type for size: got string, expected integer"


@pytest.mark.parametrize(
    ("problem", "weakens"),
    [
        (SchemaProblem(ProblemKind.UNKNOWN_FIELD, ("runAsNonRot",), "m", "runAsNonRoot"), True),
        (SchemaProblem(ProblemKind.UNKNOWN_FIELD, ("hostPID",), "m"), True),
        (SchemaProblem(ProblemKind.UNKNOWN_FIELD, ("colour",), "m"), False),
        (SchemaProblem(ProblemKind.INVALID_VALUE, ("privileged",), "m"), False),
    ],
)
def test_unknown_security_field_weakens_security(problem: SchemaProblem, weakens: bool) -> None:
    assert problem.weakens_security is weakens


def test_problems_of_one_object_are_bounded() -> None:
    body = {"name": "a", **{f"field{i}": i for i in range(MAX_PROBLEMS_PER_OBJECT + 10)}}
    assert len(problems(body)) == MAX_PROBLEMS_PER_OBJECT
