"""Review statements signed with trust-policy SSH keys; what does not verify is refused."""

from __future__ import annotations

import sys
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from gitwarden.attestation.approval_statements import ApprovalClaim
from gitwarden.commands.review_signatures import (
    review_principals,
    sign_review_statement,
    verify_review_statement,
)
from gitwarden.integrity.schemes import SchemeSet
from gitwarden.integrity.trust_file import parse_trust_policy
from gitwarden.integrity.trust_policy import Revocation
from gitwarden.review.approval_signatures import UnverifiedStatementError

# The review tests' repository helpers, from their own folder.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "review"))
from review_repos import NOW, PEOPLE, ReviewKeys, ssh_key, trust_policy


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> ReviewKeys:
    folder = tmp_path_factory.mktemp("signature-keys")
    return {name: ssh_key(folder, name) for name in (*PEOPLE, "eve")}


CLAIM = ApprovalClaim("refs/heads/main", "b" * 40, "h" * 40, "t" * 40, "read it all", NOW)


def test_a_signed_approval_verifies_as_its_signer(keys: ReviewKeys) -> None:
    policy = parse_trust_policy(trust_policy(keys), "trust.yaml")
    envelope = sign_review_statement(CLAIM.statement(), key_file=keys["bob"].private)
    signed = verify_review_statement(envelope, policy, SchemeSet(), NOW)
    assert signed.principal == "bob"


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


def test_principals_are_found_by_key_email_and_forge_name(keys: ReviewKeys) -> None:
    policy = parse_trust_policy(trust_policy(keys), "trust.yaml")
    principals = review_principals(policy)
    bob_key = policy.principal("bob").keys[0].fingerprint  # type: ignore[union-attr]
    assert (
        principals.owner_of_key(bob_key),
        principals.of_email("BOB@example.com"),
        principals.of_forge_user("gitlab", "Bob-GL"),
    ) == ("bob", "bob", "bob")
