from __future__ import annotations

import jsonschema
import pytest
from attestation_fixtures import ALLOW, DENY

from gitwarden.attestation.decision_predicate import (
    DECISION_PREDICATE_TYPE,
    decision_statement,
    predicate_errors,
    predicate_schema,
)


def test_schema_is_itself_a_valid_json_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(predicate_schema())


@pytest.mark.parametrize("predicate", [ALLOW, DENY], ids=["allow", "deny"])
def test_predicates_the_gate_builds_follow_the_schema(predicate: object) -> None:
    assert predicate_errors(predicate.as_json()) == []  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("change", "path"),
    [
        ({"decision": "maybe"}, "decision"),
        ({"revision": "main"}, "revision"),
        ({"checks": [{"name": "x", "result": "ok"}]}, "checks/0/result"),
        ({"surprise": 1}, "(top)"),
    ],
)
def test_schema_errors_name_the_field(change: dict[str, object], path: str) -> None:
    errors = predicate_errors({**ALLOW.as_json(), **change})
    assert [error.split(":")[0] for error in errors] == [path]


def test_statement_subjects_are_the_commit_and_each_image() -> None:
    statement = decision_statement(ALLOW)
    assert statement.predicate_type == DECISION_PREDICATE_TYPE
    assert [dict(s.digest) for s in statement.subjects] == [
        {"gitCommit": ALLOW.revision},
        {"sha256": "c" * 64},
    ]
