from __future__ import annotations

import hashlib

from audit_fixtures import KeyPair

from gitwarden.attestation.decision_predicate import (
    DECISION_PREDICATE_TYPE,
    DecisionPredicate,
    decision_statement,
)
from gitwarden.attestation.signed_statements import sign_statement
from gitwarden.audit.decision_entries import gate_decision_entry
from gitwarden.audit.entries import EntryKind, format_time

PREDICATE = DecisionPredicate(
    repository="git@example.com:org/deploy.git",
    revision="a" * 40,
    environment="prod",
    decision="allow",
    decided_at="2026-12-01T08:00:00Z",
    gitwarden_version="0.1.0",
)


def test_gate_decision_entry_carries_the_predicate_and_the_envelope_digest(
    writer: KeyPair,
) -> None:
    envelope = sign_statement(decision_statement(PREDICATE), writer.signing_key)
    draft = gate_decision_entry(PREDICATE, envelope)
    assert (draft.kind, draft.environment, draft.revision) == (
        EntryKind.GATE_DECISION,
        "prod",
        "a" * 40,
    )
    assert draft.payload["predicate_type"] == DECISION_PREDICATE_TYPE
    assert draft.payload["predicate"] == PREDICATE.as_json()
    assert draft.payload["attestation_sha256"] == hashlib.sha256(envelope.to_bytes()).hexdigest()


def test_entry_time_is_the_decision_time() -> None:
    draft = gate_decision_entry(PREDICATE, None)
    assert draft.time is not None
    assert format_time(draft.time) == "2026-12-01T08:00:00.000000Z"
    assert draft.payload["attestation_sha256"] is None
