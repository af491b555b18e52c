"""The key of a trusted certificate that a signature names, as gpg reads it: when it was
created, until when its newest self-signature says it is valid, whether it may sign, and
whether it (or the certificate) is revoked.

Used only after Sequoia refused a signature whose arithmetic is sound (see openpgp): Sequoia
wants a binding signature in force at the signing time, gpg reads the key as valid from its
creation until the expiry its newest self-signature states, and git shows gpg's reading.
The certificate comes from the trust policy or the out-of-band keys, so its packets are
taken as given.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Final

from pysequoia.packet import PacketPile, SignatureType

MIN_RSA_BITS: Final = 2048
_RSA_ALGORITHMS: Final = (1, 3)
_REVOCATIONS: Final = (SignatureType.KeyRevocation, SignatureType.SubkeyRevocation)


@dataclass(frozen=True)
class SigningKeyState:
    body: bytes  # the public key packet body
    created: datetime | None
    expires: datetime | None
    may_sign: bool
    revoked: bool
    bound_since: datetime | None = None  # the oldest self-signature the certificate holds

    @property
    def too_weak(self) -> bool:
        """RSA below 2048 bits, which Sequoia's standard policy (and gitwarden) refuses."""
        if self.body[5:6] and self.body[5] in _RSA_ALGORITHMS and len(self.body) >= 8:
            return int.from_bytes(self.body[6:8], "big") < MIN_RSA_BITS
        return False


def signing_key_state(material: bytes, ids: set[str]) -> SigningKeyState | None:
    """The state of the cert's key (primary or subkey) that ``ids`` name; None if none."""
    try:
        pile = list(PacketPile.from_bytes(material))
    except Exception:
        return None
    primary_id = next((str(p.key_id).upper() for p in pile if p.key_id is not None), "")
    sections: list[tuple[Any, list[Any]]] = []
    for packet in pile:
        if packet.key_id is not None:
            sections.append((packet, []))
        elif sections and packet.signature_type is not None:
            sections[-1][1].append(packet)
    for key, signatures in sections:
        if not {str(key.key_id).upper(), str(key.fingerprint).upper()} & ids:
            continue
        own = [s for s in signatures if _issuer(s) in (primary_id, "")]
        revoked = any(s.signature_type in _REVOCATIONS for s in own)
        bindings = sorted(
            (s for s in own if s.signature_type not in _REVOCATIONS),
            key=lambda s: s.signature_created or datetime.min,
        )
        newest = bindings[-1] if bindings else None
        validity: timedelta | None = newest.key_validity_period if newest else None
        created = key.key_created
        flags = newest.key_flags if newest else None
        return SigningKeyState(
            body=key.body,
            created=created,
            expires=created + validity if created and validity else None,
            may_sign=newest is not None and (flags is None or flags.signing),
            revoked=revoked,
            bound_since=bindings[0].signature_created if bindings else None,
        )
    return None


def _issuer(signature: Any) -> str:
    issuer = signature.issuer_key_id or ""
    if not issuer and signature.issuer_fingerprint:
        issuer = str(signature.issuer_fingerprint)[-16:]
    return str(issuer).upper()
