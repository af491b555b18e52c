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


@pytest.mark.parametrize(
    ("image", "valid"),
    [
        ({"name": "app:1.2", "digest": None, "pinned": False}, True),
        ({"name": "app@sha256:" + "c" * 64, "digest": "sha256:" + "c" * 64, "pinned": True}, True),
        ({"name": "app:1.2", "digest": None, "pinned": True}, False),
        ({"name": "app", "digest": "sha256:" + "c" * 64, "pinned": False}, False),
        ({"name": "app", "digest": "sha256:short", "pinned": True}, False),
    ],
    ids=["tag-only", "pinned", "pinned-without-digest", "digest-not-pinned", "bad-digest"],
)
def test_an_image_record_is_pinned_exactly_when_it_has_a_digest(
    image: dict[str, object], valid: bool
) -> None:
    errors = predicate_errors({**ALLOW.as_json(), "images": [image]})
    assert (errors == []) is valid


@pytest.mark.parametrize(
    ("decision", "valid"), [("deny", True), ("allow", False)], ids=["deny", "allow"]
)
def test_only_a_deny_may_name_a_revision_that_did_not_resolve(decision: str, valid: bool) -> None:
    errors = predicate_errors({**DENY.as_json(), "decision": decision, "revision": "no-such-ref"})
    assert (errors == []) is valid


def test_an_approval_names_its_source_and_signing_key() -> None:
    approval = {"approver": "bob", "signer": "SHA256:bobkey", "source": "git", "message": "ok"}
    assert predicate_errors({**ALLOW.as_json(), "approvals": [approval]}) == []
