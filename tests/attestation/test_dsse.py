from __future__ import annotations

import base64
import json
from dataclasses import replace

import pytest
from attestation_fixtures import KeyFiles

from gitwarden.attestation.dsse import (
    envelope_from_bytes,
    pae,
    sign_payload,
    verified_payload,
)
from gitwarden.attestation.signing_keys import load_signing_key, load_verifying_key
from gitwarden.attestation.statement import AttestationError, UntrustedSignatureError


def test_pae_matches_the_specifications_example() -> None:
    # From the DSSE protocol document.
    assert pae("http://example.com/HelloWorld", b"hello world") == (
        b"DSSEv1 29 http://example.com/HelloWorld 11 hello world"
    )


def test_signed_payload_round_trips_through_json(gate_keys: KeyFiles) -> None:
    envelope = sign_payload("text/plain", b"deploy", load_signing_key(gate_keys.private))
    parsed = envelope_from_bytes(envelope.to_bytes())
    verified = verified_payload(parsed, [load_verifying_key(gate_keys.public)])
    assert (verified.payload, verified.payload_type) == (b"deploy", "text/plain")
    assert verified.key_ids == (load_verifying_key(gate_keys.public).key_id,)


def test_changed_payload_type_breaks_the_signature(gate_keys: KeyFiles) -> None:
    envelope = sign_payload("text/plain", b"deploy", load_signing_key(gate_keys.private))
    with pytest.raises(UntrustedSignatureError):
        verified_payload(
            replace(envelope, payload_type="text/html"), [load_verifying_key(gate_keys.public)]
        )


def test_signature_by_another_key_is_not_trusted(gate_keys: KeyFiles, other_keys: KeyFiles) -> None:
    envelope = sign_payload("text/plain", b"deploy", load_signing_key(other_keys.private))
    with pytest.raises(UntrustedSignatureError, match="no signature verifies"):
        verified_payload(envelope, [load_verifying_key(gate_keys.public)])


def test_key_id_is_only_a_hint(gate_keys: KeyFiles) -> None:
    envelope = sign_payload("text/plain", b"deploy", load_signing_key(gate_keys.private))
    renamed = replace(envelope, signatures=(replace(envelope.signatures[0], keyid="whatever"),))
    assert verified_payload(renamed, [load_verifying_key(gate_keys.public)]).payload == b"deploy"


@pytest.mark.parametrize(
    "data",
    [
        b"not json",
        b"[]",
        json.dumps({"payload": "!!", "payloadType": "t", "signatures": []}).encode(),
        json.dumps({"payload": base64.b64encode(b"x").decode(), "signatures": []}).encode(),
        json.dumps({"payload": "", "payloadType": 3, "signatures": []}).encode(),
    ],
    ids=["not-json", "array", "bad-base64", "no-type", "type-not-string"],
)
def test_malformed_envelope_is_an_attestation_error(data: bytes) -> None:
    with pytest.raises(AttestationError, match="not a DSSE envelope"):
        envelope_from_bytes(data)
