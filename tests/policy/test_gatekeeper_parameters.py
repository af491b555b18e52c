"""Constraint parameters against the template's openAPIV3Schema."""

from __future__ import annotations

from typing import Any

import pytest

from gitwarden.policy.gatekeeper_parameters import parameter_problems

SCHEMA = {
    "type": "object",
    "properties": {
        "labels": {"type": "array", "items": {"type": "string"}},
        "limit": {"type": "integer", "nullable": True},
    },
}


@pytest.mark.parametrize(
    "parameters",
    [{"labels": ["owner"]}, {}, {"limit": None}, {"unknown": 1}],
    ids=["fits", "empty", "nullable-null", "unknown-field-pruned"],
)
def test_parameters_that_fit_have_no_problem(parameters: dict[str, Any]) -> None:
    assert parameter_problems(SCHEMA, parameters) == []


@pytest.mark.parametrize(
    ("parameters", "where"),
    [
        ({"labels": "owner"}, "spec.parameters.labels"),
        ({"labels": [1]}, "spec.parameters.labels[0]"),
    ],
)
def test_parameters_of_the_wrong_type_are_named(parameters: dict[str, Any], where: str) -> None:
    [problem] = parameter_problems(SCHEMA, parameters)
    assert problem.startswith(f"{where}:")


def test_template_without_schema_accepts_anything() -> None:
    assert parameter_problems(None, {"anything": [1, 2]}) == []


def test_schema_that_is_not_a_map_is_a_problem() -> None:
    assert parameter_problems(["type"], {}) != []
