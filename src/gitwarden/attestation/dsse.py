"""DSSE v1 envelopes: the pre-authentication encoding, signing and verifying with Ed25519.

The envelope's JSON is ``{"payload": b64, "payloadType": str, "signatures": [{"keyid", "sig"}]}``
as the DSSE specification and securesystemslib write it. A ``keyid`` is only a hint: every
trusted key is tried on every signature.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gitwarden.attestation.signing_keys import SigningKey, VerifyingKey
from gitwarden.attestation.statement import AttestationError, UntrustedSignatureError

# An attestation is a few kilobytes; refuse to parse anything near this.
MAX_ENVELOPE_BYTES = 4 * 1024 * 1024


def pae(payload_type: str, payload: bytes) -> bytes:
    """DSSEv1 pre-authentication encoding: what is actually signed."""
    kind = payload_type.encode("utf-8")
    return b"DSSEv1 %d %b %d %b" % (len(kind), kind, len(payload), payload)


@dataclass(frozen=True)
class EnvelopeSignature:
    keyid: str
    sig: bytes


@dataclass(frozen=True)
class Envelope:
    payload_type: str
    payload: bytes
    signatures: tuple[EnvelopeSignature, ...]

    def as_json(self) -> dict[str, Any]:
        return {
            "payload": base64.b64encode(self.payload).decode("ascii"),
            "payloadType": self.payload_type,
            "signatures": [
                {"keyid": s.keyid, "sig": base64.b64encode(s.sig).decode("ascii")}
                for s in self.signatures
            ],
        }

    def to_bytes(self) -> bytes:
        return json.dumps(self.as_json(), sort_keys=True, indent=2).encode() + b"\n"


@dataclass(frozen=True)
class VerifiedPayload:
    """The payload of an envelope and the trusted keys whose signatures verified."""

    payload_type: str
    payload: bytes
    key_ids: tuple[str, ...]


def sign_payload(payload_type: str, payload: bytes, key: SigningKey) -> Envelope:
    signature = EnvelopeSignature(key.key_id, key.sign(pae(payload_type, payload)))
    return Envelope(payload_type, payload, (signature,))


def verified_payload(envelope: Envelope, keys: Sequence[VerifyingKey]) -> VerifiedPayload:
    """The payload, if at least one signature verifies under a trusted key; else an error."""
    if not keys:
        raise UntrustedSignatureError(
            "no trusted key to verify the envelope with", hint="pass --key PUB"
        )
    message = pae(envelope.payload_type, envelope.payload)
    verified = tuple(
        dict.fromkeys(
            key.key_id
            for signature in envelope.signatures
            for key in keys
            if key.verifies(signature.sig, message)
        )
    )
    if not verified:
        named = ", ".join(s.keyid or "(no keyid)" for s in envelope.signatures) or "none"
        raise UntrustedSignatureError(
            f"no signature verifies under a trusted key (signatures by: {named})"
        )
    return VerifiedPayload(envelope.payload_type, envelope.payload, verified)


def envelope_from_bytes(data: bytes) -> Envelope:
    """Parse an envelope's JSON; a malformed one is an `AttestationError`."""
    if len(data) > MAX_ENVELOPE_BYTES:
        raise AttestationError(f"the envelope is {len(data)} bytes, more than an attestation")
    try:
        raw = json.loads(data)
        payload = base64.b64decode(raw["payload"], validate=True)
        payload_type = raw["payloadType"]
        signatures = tuple(
            EnvelopeSignature(str(item.get("keyid", "")), base64.b64decode(item["sig"]))
            for item in raw["signatures"]
        )
    except (ValueError, KeyError, TypeError, AttributeError, binascii.Error) as error:
        raise AttestationError(f"not a DSSE envelope ({type(error).__name__}: {error})") from None
    if not isinstance(payload_type, str):
        raise AttestationError("not a DSSE envelope (payloadType is not a string)")
    return Envelope(payload_type, payload, signatures)


def read_envelope(path: Path) -> Envelope:
    try:
        size = path.stat().st_size
        if size > MAX_ENVELOPE_BYTES:
            raise AttestationError(f"{path}: {size} bytes is more than an attestation")
        data = path.read_bytes()
    except OSError as error:
        raise AttestationError(f"{path}: cannot read ({error.strerror})") from None
    try:
        return envelope_from_bytes(data)
    except AttestationError as error:
        raise AttestationError(f"{path}: {error.message}") from None
