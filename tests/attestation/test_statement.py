from __future__ import annotations

import json

import pytest

from gitwarden.attestation.statement import (
    STATEMENT_TYPE,
    AttestationError,
    Statement,
    Subject,
    statement_from_bytes,
)


def test_statement_round_trips_as_in_toto_v1() -> None:
    statement = Statement((Subject("repo", {"gitCommit": "a" * 40}),), "https://x/y", {"k": 1})
    data = json.loads(statement.to_bytes())
    assert data["_type"] == STATEMENT_TYPE
    assert data["subject"] == [{"name": "repo", "digest": {"gitCommit": "a" * 40}}]
    assert statement_from_bytes(statement.to_bytes()) == statement


@pytest.mark.parametrize(
    "data",
    [
        {"_type": "https://in-toto.io/Statement/v0.1", "subject": [], "predicateType": "p"},
        {"_type": STATEMENT_TYPE, "subject": [], "predicateType": "p"},
        {"_type": STATEMENT_TYPE, "subject": [{"name": "x"}], "predicateType": "p"},
        {"_type": STATEMENT_TYPE, "subject": [{"digest": {"a": "b"}}], "predicate": {}},
    ],
    ids=["old-type", "no-subject", "no-digest", "no-predicate-type"],
)
def test_payload_that_is_not_a_v1_statement_is_refused(data: dict[str, object]) -> None:
    with pytest.raises(AttestationError):
        statement_from_bytes(json.dumps(data).encode())
