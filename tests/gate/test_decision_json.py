"""The JSON decision: the attested predicate's facts, valid against its schema, plus the base."""

from __future__ import annotations

from datetime import UTC, datetime

from gitwarden.attestation.decision_predicate import predicate_errors
from gitwarden.gate.decision import GateDecision
from gitwarden.gate.decision_json import decision_json
from gitwarden.gate.requirement_result import RequirementResult


def test_the_decision_names_base_and_checks_and_its_predicate_is_valid() -> None:
    decision = GateDecision(
        "repo",
        "prod",
        "a" * 40,
        False,
        True,
        ("signatures: error",),
        (RequirementResult("signatures", "error", "git failed"),),
        datetime(2026, 12, 1, tzinfo=UTC),
        base_branch="main",
        base_revision="b" * 40,
        base_source="ledger",
    )
    document = decision_json(decision)
    assert document["decision"] == "deny" and document["errored"] is True
    assert document["base"] == {"branch": "main", "revision": "b" * 40, "source": "ledger"}
    assert document["checks"][0]["result"] == "error"
    assert predicate_errors(decision.predicate().as_json()) == []
