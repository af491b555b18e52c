"""Sign an in-toto Statement into a DSSE envelope, and get a trusted Statement back out."""

from __future__ import annotations

from collections.abc import Sequence

from gitwarden.attestation.dsse import Envelope, sign_payload, verified_payload
from gitwarden.attestation.signing_keys import SigningKey, VerifyingKey
from gitwarden.attestation.statement import (
    IN_TOTO_PAYLOAD_TYPE,
    AttestationError,
    Statement,
    statement_from_bytes,
)


def sign_statement(statement: Statement, key: SigningKey) -> Envelope:
    return sign_payload(IN_TOTO_PAYLOAD_TYPE, statement.to_bytes(), key)


def verify_envelope(envelope: Envelope, keys: Sequence[VerifyingKey]) -> Statement:
    """The statement the envelope carries, once a trusted key's signature verifies over it.

    The payload is parsed only after its signature verified: unsigned bytes are never read.
    """
    verified = verified_payload(envelope, keys)
    if verified.payload_type != IN_TOTO_PAYLOAD_TYPE:
        raise AttestationError(
            f"payload type {verified.payload_type!r} is not an in-toto statement "
            f"({IN_TOTO_PAYLOAD_TYPE})"
        )
    return statement_from_bytes(verified.payload)
