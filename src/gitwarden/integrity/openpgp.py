"""OpenPGP signatures verified in-process with pysequoia (Sequoia's policy: SHA-1 refused).

Signatures are read through ``openpgp_packets`` first, which re-encodes loosely sized MPIs
(GitHub's web-flow signatures) the way gpg reads them; Sequoia then parses and verifies.

Certificate validity is judged at the signature's creation time, as Sequoia does: a
signature made before the certificate (or its signing subkey) expired stays valid, one made
after is ``KeyExpiredError``. A revoked certificate fails every signature
(``KeyRevokedError``), as gpg's R does: a stolen key can sign with any date. Either is
reported only when the signature itself is sound (``openpgp_math``); otherwise it is bad.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from functools import cache, lru_cache
from typing import Any, Final

import pysequoia
from pysequoia.packet import PacketPile

from gitwarden.integrity.batch_verification import MIN_BATCH, Item
from gitwarden.integrity.openpgp_keys import signing_key_state
from gitwarden.integrity.openpgp_math import signature_is_sound
from gitwarden.integrity.openpgp_packets import BEGIN, ArmorError, signature_packets
from gitwarden.integrity.signature_scheme import (
    KeyExpiredError,
    KeyFormat,
    KeyRevokedError,
    ParsedKey,
    SignatureError,
    SignatureInfo,
    TrustedKey,
)

_REFUSED_HASHES: Final = ("SHA1", "MD5", "RipeMD")
MAX_REASON_CHARS: Final = 160
PUBLIC_KEY_BEGIN: Final = "-----BEGIN PGP PUBLIC KEY BLOCK-----"


class OpenPgpSignatureScheme:
    name = "openpgp"
    key_format = KeyFormat(
        "openpgp_certs",
        "cert",
        "an armored OpenPGP certificate",
        schema_name="OpenPgpCert",
        entry_description="an ASCII-armored OpenPGP public key block",
        text_alone="the armored cert alone",
    )

    def recognises_key(self, text: str) -> bool:
        return text.lstrip().startswith(PUBLIC_KEY_BEGIN)

    def parse_key(self, text: str) -> ParsedKey:
        armored = text.strip() + "\n"
        return ParsedKey(cert_fingerprint(armored.encode()), armored.encode(), armored)

    def recognises(self, signature: bytes) -> bool:
        return signature.lstrip().startswith(BEGIN)

    def inspect(self, signature: bytes) -> SignatureInfo:
        sig = _load_signature(signature)
        ids = tuple(i.upper() for i in (sig.issuer_fingerprint, sig.issuer_key_id) if i is not None)
        return SignatureInfo("openpgp", ids, str(sig.hash_algorithm))

    def verify(self, payload: bytes, signature: bytes, key: TrustedKey, *, namespace: str) -> None:
        sig = _load_signature(signature)
        if any(name.lower() in str(sig.hash_algorithm).lower() for name in _REFUSED_HASHES):
            raise SignatureError(f"OpenPGP signature uses a refused hash ({sig.hash_algorithm})")
        cert = load_cert(key.material)

        def store(_key_ids: Any) -> list[pysequoia.Cert]:
            return [cert]

        try:
            result = pysequoia.verify(bytes=payload, store=store, signature=sig)
            refusal = "" if result.valid_sigs else "no valid signature"
        except Exception as error:  # pysequoia raises plain exceptions with Sequoia's reason
            refusal = _reason(error)
        if not refusal:
            if cert.is_revoked:
                raise KeyRevokedError(
                    f"the OpenPGP certificate {cert_fingerprint(key.material)} is revoked"
                )
            return
        _diagnose(payload, signature, sig, key.material, refusal)

    def preverify(self, items: Sequence[Item], *, min_batch: int = MIN_BATCH) -> Iterator[int]:
        # Sequoia's objects do not cross process boundaries: OpenPGP is verified in-line.
        return iter(())

    def holds(self, key: TrustedKey, info: SignatureInfo) -> bool:
        return bool(set(info.key_ids) & cert_key_ids(key.material))

    def signing_key(self, key: TrustedKey, info: SignatureInfo) -> str:
        return signing_key_fingerprint(key.material, info.key_ids)


def _diagnose(
    payload: bytes, signature: bytes, sig: pysequoia.Sig, material: bytes, refusal: str
) -> None:
    """Sequoia refused: raise why (an expired or revoked key when the signature is sound,
    else a bad signature), or return in the one case where gpg's reading differs from
    Sequoia's: a sound signature made after the key was created but before the oldest
    self-signature the certificate still holds (gpg re-issues it when the expiry changes)."""
    ids = {i.upper() for i in (sig.issuer_fingerprint, sig.issuer_key_id) if i is not None}
    key = signing_key_state(material, ids)
    bad = SignatureError(f"OpenPGP signature does not verify: {refusal}")
    if key is None or not signature_is_sound(payload, signature_packets(signature), key.body):
        raise bad
    if load_cert(material).is_revoked or key.revoked:
        raise KeyRevokedError(f"the OpenPGP certificate {cert_fingerprint(material)} is revoked")
    created = sig.created
    expiries = [e for e in (load_cert(material).expiration, key.expires) if e is not None]
    if created is not None and any(created >= expiry for expiry in expiries):
        raise KeyExpiredError(
            f"signed on {created.date().isoformat()}, after the OpenPGP key expired on "
            f"{min(expiries).date().isoformat()}"
        )
    signature_expiry = sig.expiration
    if signature_expiry is not None and signature_expiry <= datetime.now(UTC):
        raise SignatureError(f"the OpenPGP signature expired on {signature_expiry.date()}")
    rebound = (
        created is not None
        and key.created is not None
        and key.bound_since is not None
        and key.created <= created < key.bound_since
    )
    if not rebound or not key.may_sign or key.too_weak:
        raise bad


@lru_cache(maxsize=8)
def _load_signature(signature: bytes) -> pysequoia.Sig:
    """The parsed signature (memoised: a signature is inspected, then verified)."""
    try:
        return pysequoia.Sig.from_bytes(signature_packets(signature))
    except ArmorError as error:
        raise SignatureError(f"malformed OpenPGP signature: {error}") from None
    except Exception as error:
        raise SignatureError(f"malformed OpenPGP signature: {_reason(error)}") from None


def _reason(error: Exception) -> str:
    """Sequoia's reason without the Rust backtrace pysequoia appends to it."""
    text = str(error).strip().split("\n", 1)[0].strip() or type(error).__name__
    return text if len(text) <= MAX_REASON_CHARS else text[: MAX_REASON_CHARS - 3] + "..."


@cache
def load_cert(material: bytes) -> pysequoia.Cert:
    try:
        return pysequoia.Cert.from_bytes(material)
    except Exception as error:
        raise SignatureError(f"unreadable OpenPGP certificate: {_reason(error)}") from None


def cert_fingerprint(material: bytes) -> str:
    return str(load_cert(material).fingerprint).upper()


@cache
def cert_key_ids(material: bytes) -> frozenset[str]:
    """Fingerprints and 64-bit key ids of the cert's primary key and every subkey, upper case."""
    try:
        pile = PacketPile.from_bytes(material)
    except Exception as error:
        raise SignatureError(f"unreadable OpenPGP certificate: {_reason(error)}") from None
    ids: set[str] = set()
    for packet in pile:
        for value in (packet.fingerprint, packet.key_id):
            if value:
                ids.add(str(value).upper())
    return frozenset(ids)


def signing_key_fingerprint(material: bytes, key_ids: tuple[str, ...]) -> str:
    """The fingerprint of the cert's key (primary or subkey) a signature names, as git's
    ``%GF`` prints it; the primary fingerprint when the signature names none of them."""
    fingerprints = _key_fingerprints(material)
    for key_id in key_ids:
        if key_id in fingerprints:
            return fingerprints[key_id]
    return cert_fingerprint(material)


@cache
def _key_fingerprints(material: bytes) -> dict[str, str]:
    """Key id and fingerprint -> fingerprint, for the cert's primary key and subkeys."""
    try:
        pile = PacketPile.from_bytes(material)
    except Exception as error:
        raise SignatureError(f"unreadable OpenPGP certificate: {_reason(error)}") from None
    found: dict[str, str] = {}
    for packet in pile:
        fingerprint = str(packet.fingerprint or "").upper()
        if fingerprint:
            found[fingerprint] = fingerprint
            found[str(packet.key_id or "").upper()] = fingerprint
    return found
