"""Whether an OpenPGP v4 signature is mathematically sound, whatever its key's validity.

Sequoia refuses a signature for any reason at once: a bad signature, and a good one by a
key that had expired or been revoked when it signed. git's ``%G?`` tells these apart (B, Y,
R), and so must gitwarden's findings. When Sequoia refuses, this module redoes only the
arithmetic (RFC 4880 5.2.4: the hash over the data, the hashed subpackets and the trailer,
then RSA, EdDSA or ECDSA with ``cryptography``), so an expired or revoked key is named as
such only when the signature itself is sound. Anything it cannot read counts as unsound.
"""

from __future__ import annotations

from typing import Final

from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa, utils

from gitwarden.integrity.openpgp_packets import SIGNATURE_TAG, packets_of

_HASHES: Final[dict[int, type[hashes.HashAlgorithm]]] = {
    8: hashes.SHA256,
    9: hashes.SHA384,
    10: hashes.SHA512,
    11: hashes.SHA224,
}
_CURVES: Final[dict[bytes, ec.EllipticCurve]] = {
    bytes.fromhex("2a8648ce3d030107"): ec.SECP256R1(),
    bytes.fromhex("2b81040022"): ec.SECP384R1(),
    bytes.fromhex("2b81040023"): ec.SECP521R1(),
}
_ED25519_OID: Final = bytes.fromhex("2b06010401da470f01")
_RSA: Final = (1, 3)
_ECDSA: Final = 19
_EDDSA: Final = 22
_BINARY: Final = 0x00
_TEXT: Final = 0x01


def signature_is_sound(payload: bytes, packets: bytes, key_body: bytes) -> bool:
    """True when the one v4 signature in ``packets`` is a correct signature over
    ``payload`` by the public key packet body ``key_body``."""
    try:
        return _sound(payload, packets, key_body)
    except (ValueError, IndexError, InvalidSignature, UnsupportedAlgorithm):
        return False


def _sound(payload: bytes, packets: bytes, key_body: bytes) -> bool:
    found = packets_of(packets)
    signatures = [p.body for p in found or () if p.tag == SIGNATURE_TAG]
    if len(signatures) != 1:
        return False
    body = signatures[0]
    version, kind, algorithm, hash_id = body[0], body[1], body[2], body[3]
    if version != 4 or kind not in (_BINARY, _TEXT) or hash_id not in _HASHES:
        return False
    hashed_end = 6 + int.from_bytes(body[4:6], "big")
    unhashed_end = hashed_end + 2 + int.from_bytes(body[hashed_end : hashed_end + 2], "big")
    values = _mpis(body[unhashed_end + 2 :])
    data = payload if kind == _BINARY else _canonical_text(payload)
    digest_of = hashes.Hash(_HASHES[hash_id]())
    digest_of.update(data + body[:hashed_end] + b"\x04\xff" + hashed_end.to_bytes(4, "big"))
    digest = digest_of.finalize()
    if digest[:2] != body[unhashed_end : unhashed_end + 2]:
        return False
    prehashed = utils.Prehashed(_HASHES[hash_id]())
    key_algorithm, material = key_body[5], key_body[6:]
    if key_algorithm != algorithm:
        return False
    if algorithm in _RSA and len(values) == 1:
        modulus, exponent = _mpis(material)[:2]
        public = rsa.RSAPublicNumbers(exponent, modulus).public_key()
        size = (modulus.bit_length() + 7) // 8
        public.verify(values[0].to_bytes(size, "big"), digest, padding.PKCS1v15(), prehashed)
        return True
    if algorithm == _EDDSA and len(values) == 2:
        oid, point = _curve_point(material)
        if oid != _ED25519_OID or len(point) != 33 or point[0] != 0x40:
            return False
        raw = values[0].to_bytes(32, "big") + values[1].to_bytes(32, "big")
        ed25519.Ed25519PublicKey.from_public_bytes(point[1:]).verify(raw, digest)
        return True
    if algorithm == _ECDSA and len(values) == 2:
        oid, point = _curve_point(material)
        curve = _CURVES.get(oid)
        if curve is None:
            return False
        public_ec = ec.EllipticCurvePublicKey.from_encoded_point(curve, point)
        der = utils.encode_dss_signature(values[0], values[1])
        public_ec.verify(der, digest, ec.ECDSA(prehashed))
        return True
    return False


def _mpis(data: bytes) -> list[int]:
    values = []
    position = 0
    while position + 2 <= len(data):
        size = (int.from_bytes(data[position : position + 2], "big") + 7) // 8
        if position + 2 + size > len(data):
            raise ValueError("truncated MPI")
        values.append(int.from_bytes(data[position + 2 : position + 2 + size], "big"))
        position += 2 + size
    return values


def _curve_point(material: bytes) -> tuple[bytes, bytes]:
    oid = material[1 : 1 + material[0]]
    rest = material[1 + material[0] :]
    size = (int.from_bytes(rest[:2], "big") + 7) // 8
    return oid, rest[2 : 2 + size]


def _canonical_text(payload: bytes) -> bytes:
    return payload.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
