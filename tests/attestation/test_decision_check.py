from __future__ import annotations

import json
from dataclasses import replace

import pytest
from attestation_fixtures import ALLOW, DENY, REVISION, KeyFiles

from gitwarden.attestation.decision_check import check_decision_attestation
from gitwarden.attestation.decision_predicate import decision_statement
from gitwarden.attestation.signed_statements import sign_statement
from gitwarden.attestation.signing_keys import load_signing_key, load_verifying_key
from gitwarden.attestation.statement import Statement


def _check(envelope_bytes: bytes, keys: KeyFiles, **expect: str):  # type: ignore[no-untyped-def]
    return check_decision_attestation(
        envelope_bytes, [load_verifying_key(keys.public)], source="decision.json", **expect
    )


def _signed(statement: Statement, keys: KeyFiles) -> bytes:
    return sign_statement(statement, load_signing_key(keys.private)).to_bytes()


@pytest.mark.parametrize(
    ("revision", "environment"),
    [(None, None), (REVISION, "prod"), (REVISION[:7], "prod")],
    ids=["unconstrained", "full-revision", "short-revision"],
)
def test_trusted_allow_for_the_named_revision_has_no_findings(
    gate_keys: KeyFiles, revision: str | None, environment: str | None
) -> None:
    expect = {k: v for k, v in {"revision": revision, "environment": environment}.items() if v}
    result = _check(_signed(decision_statement(ALLOW), gate_keys), gate_keys, **expect)
    assert result.findings == ()
    assert result.predicate is not None and result.predicate["decision"] == "allow"


@pytest.mark.parametrize(
    ("expect", "rule"),
    [
        ({"revision": "0" * 40}, "attestation-revision-mismatch"),
        ({"revision": REVISION[:6]}, "attestation-revision-mismatch"),
        ({"environment": "staging"}, "attestation-environment-mismatch"),
    ],
    ids=["other-revision", "too-short-prefix", "other-environment"],
)
def test_allow_for_something_else_fails(
    gate_keys: KeyFiles, expect: dict[str, str], rule: str
) -> None:
    result = _check(_signed(decision_statement(ALLOW), gate_keys), gate_keys, **expect)
    assert [f.rule_id for f in result.findings] == [rule]


def test_deny_decision_fails_with_its_reasons(gate_keys: KeyFiles) -> None:
    result = _check(_signed(decision_statement(DENY), gate_keys), gate_keys)
    assert [f.rule_id for f in result.findings] == ["attestation-decision-deny"]
    assert "review: needs product owner" in result.findings[0].message


def test_envelope_signed_by_another_key_fails(gate_keys: KeyFiles, other_keys: KeyFiles) -> None:
    result = _check(_signed(decision_statement(ALLOW), other_keys), gate_keys)
    assert [f.rule_id for f in result.findings] == ["attestation-signature-invalid"]
    assert result.statement is None


def test_payload_swapped_after_signing_fails(gate_keys: KeyFiles) -> None:
    envelope = json.loads(_signed(decision_statement(DENY), gate_keys))
    allow = json.loads(_signed(decision_statement(ALLOW), gate_keys))
    envelope["payload"] = allow["payload"].replace("A", "B", 1)
    result = _check(json.dumps(envelope).encode(), gate_keys)
    assert [f.rule_id for f in result.findings] == ["attestation-signature-invalid"]


@pytest.mark.parametrize(
    ("statement", "rule"),
    [
        (
            replace(decision_statement(ALLOW), predicate_type="https://slsa.dev/provenance/v1"),
            "attestation-predicate-invalid",
        ),
        (
            replace(decision_statement(ALLOW), predicate={"decision": "allow"}),
            "attestation-predicate-invalid",
        ),
        (
            replace(decision_statement(ALLOW), subjects=decision_statement(ALLOW).subjects[1:]),
            "attestation-predicate-invalid",
        ),
    ],
    ids=["other-predicate-type", "schema-violation", "subject-not-the-revision"],
)
def test_trusted_statement_that_is_not_a_sound_decision_fails(
    gate_keys: KeyFiles, statement: Statement, rule: str
) -> None:
    result = _check(_signed(statement, gate_keys), gate_keys)
    assert [f.rule_id for f in result.findings] == [rule]


def test_file_that_is_not_an_envelope_fails(gate_keys: KeyFiles) -> None:
    result = _check(b"<html>", gate_keys)
    assert [f.rule_id for f in result.findings] == ["attestation-malformed"]
