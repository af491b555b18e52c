"""Our DSSE envelopes against an independent implementation: securesystemslib's."""

from __future__ import annotations

import json

import pytest
from attestation_fixtures import ALLOW, KeyFiles
from securesystemslib.dsse import Envelope as SslibEnvelope
from securesystemslib.exceptions import VerificationError
from securesystemslib.signer import CryptoSigner, SSlibKey

from gitwarden.attestation.decision_predicate import decision_statement
from gitwarden.attestation.dsse import envelope_from_bytes
from gitwarden.attestation.signed_statements import sign_statement, verify_envelope
from gitwarden.attestation.signing_keys import load_signing_key, load_verifying_key
from gitwarden.attestation.statement import IN_TOTO_PAYLOAD_TYPE, UntrustedSignatureError


def test_signed_statement_verifies_back_to_the_same_statement(gate_keys: KeyFiles) -> None:
    statement = decision_statement(ALLOW)
    envelope = sign_statement(statement, load_signing_key(gate_keys.private))
    assert verify_envelope(envelope, [load_verifying_key(gate_keys.public)]) == statement


def test_securesystemslib_verifies_an_envelope_gitwarden_signed(gate_keys: KeyFiles) -> None:
    key = load_signing_key(gate_keys.private)
    envelope = sign_statement(decision_statement(ALLOW), key)
    theirs = SslibEnvelope.from_dict(json.loads(envelope.to_bytes()))
    public = SSlibKey.from_crypto(key.private_key.public_key(), keyid=key.key_id)
    accepted = theirs.verify([public], 1)
    assert list(accepted) == [key.key_id]
    assert json.loads(theirs.payload)["predicate"]["revision"] == ALLOW.revision


def test_securesystemslib_rejects_a_gitwarden_envelope_under_another_key(
    gate_keys: KeyFiles, other_keys: KeyFiles
) -> None:
    key = load_signing_key(gate_keys.private)
    envelope = sign_statement(decision_statement(ALLOW), key)
    theirs = SslibEnvelope.from_dict(json.loads(envelope.to_bytes()))
    impostor = SSlibKey.from_crypto(
        load_signing_key(other_keys.private).private_key.public_key(), keyid=key.key_id
    )
    with pytest.raises(VerificationError):
        theirs.verify([impostor], 1)


def test_gitwarden_verifies_an_envelope_securesystemslib_signed(gate_keys: KeyFiles) -> None:
    statement = decision_statement(ALLOW)
    signer = CryptoSigner(load_signing_key(gate_keys.private).private_key)
    theirs = SslibEnvelope(statement.to_bytes(), IN_TOTO_PAYLOAD_TYPE, {})
    theirs.sign(signer)
    ours = envelope_from_bytes(json.dumps(theirs.to_dict()).encode())
    assert verify_envelope(ours, [load_verifying_key(gate_keys.public)]) == statement


def test_gitwarden_rejects_a_securesystemslib_envelope_under_another_key(
    gate_keys: KeyFiles, other_keys: KeyFiles
) -> None:
    signer = CryptoSigner(load_signing_key(other_keys.private).private_key)
    theirs = SslibEnvelope(decision_statement(ALLOW).to_bytes(), IN_TOTO_PAYLOAD_TYPE, {})
    theirs.sign(signer)
    ours = envelope_from_bytes(json.dumps(theirs.to_dict()).encode())
    with pytest.raises(UntrustedSignatureError):
        verify_envelope(ours, [load_verifying_key(gate_keys.public)])
