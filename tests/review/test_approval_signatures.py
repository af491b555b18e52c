"""Review statements signed with trust-policy SSH keys; what does not verify is refused."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from review_repos import NOW, ReviewKeys, trust_policy

from gitwarden.integrity.schemes import SchemeSet
from gitwarden.integrity.trust_file import parse_trust_policy
from gitwarden.integrity.trust_policy import Revocation
from gitwarden.review.approval_signatures import (
    UnverifiedStatementError,
    sign_review_statement,
    verify_review_statement,
)
from gitwarden.review.approval_statements import ApprovalClaim

CLAIM = ApprovalClaim("refs/heads/main", "b" * 40, "h" * 40, "t" * 40, "read it all", NOW)


def test_a_signed_approval_verifies_as_its_signer(keys: ReviewKeys) -> None:
    policy = parse_trust_policy(trust_policy(keys), "trust.yaml")
    envelope = sign_review_statement(CLAIM.statement(), key_file=keys["bob"].private)
    signed = verify_review_statement(envelope, policy, SchemeSet(), NOW)
    assert signed.principal.name == "bob"


def test_a_tampered_payload_is_refused(keys: ReviewKeys) -> None:
    policy = parse_trust_policy(trust_policy(keys), "trust.yaml")
    envelope = sign_review_statement(CLAIM.statement(), key_file=keys["bob"].private)
    forged = replace(envelope, payload=envelope.payload.replace(b"read it all", b"read it ALL"))
    with pytest.raises(UnverifiedStatementError, match="does not verify"):
        verify_review_statement(forged, policy, SchemeSet(), NOW)


def test_a_revoked_key_is_refused(keys: ReviewKeys) -> None:
    policy = parse_trust_policy(trust_policy(keys), "trust.yaml")
    policy = replace(policy, revoked=(Revocation(principal="bob"),))
    envelope = sign_review_statement(CLAIM.statement(), key_file=keys["bob"].private)
    with pytest.raises(UnverifiedStatementError, match="revoked"):
        verify_review_statement(envelope, policy, SchemeSet(), NOW + timedelta(days=1))


def test_a_key_of_no_principal_is_refused(keys: ReviewKeys) -> None:
    policy = parse_trust_policy(trust_policy(keys), "trust.yaml")
    envelope = sign_review_statement(CLAIM.statement(), key_file=keys["eve"].private)
    with pytest.raises(UnverifiedStatementError, match="a key of no principal"):
        verify_review_statement(envelope, policy, SchemeSet(), NOW)
