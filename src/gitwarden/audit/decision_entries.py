"""How a gate decision becomes an audit entry: the predicate it signed, and the envelope's digest.

A ``gate-decision`` payload is ``{"predicate_type", "predicate", "attestation_sha256"}``;
`deployment_trace` reads the same shape back.
"""

from __future__ import annotations

import hashlib
from typing import Any

from gitwarden.attestation.decision_predicate import DECISION_PREDICATE_TYPE, DecisionPredicate
from gitwarden.attestation.dsse import Envelope
from gitwarden.audit.entries import EntryDraft, EntryKind, parse_time


def gate_decision_entry(predicate: DecisionPredicate, envelope: Envelope | None) -> EntryDraft:
    """The entry recording ``predicate``; with its signed ``envelope``, that file's digest."""
    payload: dict[str, Any] = {
        "predicate_type": DECISION_PREDICATE_TYPE,
        "predicate": predicate.as_json(),
        "attestation_sha256": (
            hashlib.sha256(envelope.to_bytes()).hexdigest() if envelope is not None else None
        ),
    }
    return EntryDraft(
        kind=EntryKind.GATE_DECISION,
        repository=predicate.repository,
        environment=predicate.environment,
        revision=predicate.revision,
        payload=payload,
        time=parse_time(predicate.decided_at),
    )
