"""SSH signatures (OpenSSH PROTOCOL.sshsig) verified in-process with ``cryptography``.

Supported: ssh-ed25519, ecdsa-sha2-nistp256/384/521, RSA with rsa-sha2-256/512 (SHA-1
``ssh-rsa`` signatures are refused), and the FIDO variants sk-ssh-ed25519@openssh.com and
sk-ecdsa-sha2-nistp256@openssh.com (PROTOCOL.u2f: the authenticator signs
``SHA256(application) || flags || counter || SHA256(message)``; user presence is required,
as OpenSSH requires it unless told ``no-touch-required``), including the
webauthn-sk-ecdsa-sha2-nistp256@openssh.com signatures a security key makes through a
browser's WebAuthn API: the signed ``clientData`` JSON must start with this signature's
challenge (the base64url of the SSHSIG data) and origin, as OpenSSH checks, and the key
signs ``SHA256(application) || flags || counter || extensions || SHA256(clientData)``.
Key types outside these are an ``UnsupportedSchemeError``, never a pass.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import struct
from collections.abc import Iterator, Sequence
from functools import cache, lru_cache
from typing import Final

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

from gitwarden.integrity.batch_verification import MIN_BATCH, Item, check_ahead
from gitwarden.integrity.signature_scheme import (
    KeyFormat,
    ParsedKey,
    SignatureError,
    SignatureInfo,
    TrustedKey,
    UnsupportedSchemeError,
)
from gitwarden.integrity.ssh_wire import (
    SshPublicKey,
    WireFormatError,
    WireReader,
    parse_public_key_line,
    wire_string,
)

BEGIN: Final = b"-----BEGIN SSH SIGNATURE-----"
END: Final = b"-----END SSH SIGNATURE-----"
MAGIC: Final = b"SSHSIG"
MESSAGE_HASHES: Final = {"sha256": hashlib.sha256, "sha512": hashlib.sha512}
SK_USER_PRESENT: Final = 0x01
_UINT32: Final = struct.Struct(">I")
_CURVES: Final[dict[bytes, tuple[ec.EllipticCurve, hashes.HashAlgorithm]]] = {
    b"nistp256": (ec.SECP256R1(), hashes.SHA256()),
    b"nistp384": (ec.SECP384R1(), hashes.SHA384()),
    b"nistp521": (ec.SECP521R1(), hashes.SHA512()),
}
_RSA_HASHES: Final[dict[str, hashes.HashAlgorithm]] = {
    "rsa-sha2-256": hashes.SHA256(),
    "rsa-sha2-512": hashes.SHA512(),
}
MIN_RSA_BITS: Final = 2048
WEBAUTHN_ECDSA: Final = "webauthn-sk-ecdsa-sha2-nistp256@openssh.com"
SK_ECDSA: Final = "sk-ecdsa-sha2-nistp256@openssh.com"
SUPPORTED_KEY_TYPES: Final = frozenset(
    {
        "ssh-ed25519",
        "sk-ssh-ed25519@openssh.com",
        "ecdsa-sha2-nistp256",
        "ecdsa-sha2-nistp384",
        "ecdsa-sha2-nistp521",
        SK_ECDSA,
        "ssh-rsa",
    }
)


PreverifiedKey = tuple[str, bytes, bytes]  # namespace, signature, payload


def check(payload: bytes, signature: bytes, namespace: str) -> tuple[str | None, bytes, str]:
    """(None when ``signature`` verifies with the key it embeds, else the reason; that key;
    the signature algorithm)."""
    try:
        parsed = parse_sshsig(signature)
    except SignatureError as error:
        return str(error), b"", ""
    try:
        verify_parsed(parsed, payload, namespace)
    except SignatureError as error:
        return str(error), parsed.public_key, parsed.signature_algorithm
    return None, parsed.public_key, parsed.signature_algorithm


class SshSignatureScheme:
    """One run's SSH verifier. ``preverified`` holds outcomes computed ahead in worker
    processes (see batch_verification): None for a valid signature, else the reason it
    failed, each consumed once; ``preparsed`` the key and algorithm each signature names.
    ``verify`` still checks that the signing key is the trusted one."""

    name = "ssh"
    key_format = KeyFormat(
        "ssh_keys",
        "key",
        "an SSH public key",
        schema_name="SshKey",
        entry_description="an authorized_keys line: ssh-ed25519 AAAA... comment",
        text_alone="the key line alone",
    )

    def recognises_key(self, text: str) -> bool:
        return not text.lstrip().startswith("-----BEGIN")

    def parse_key(self, text: str) -> ParsedKey:
        try:
            key = parse_public_key_line(text)
        except WireFormatError as error:
            raise SignatureError(f"not an SSH public key: {error}") from None
        return ParsedKey(key.fingerprint, key.blob, key.line)

    def __init__(self) -> None:
        self.preverified: dict[PreverifiedKey, str | None] = {}
        self.preparsed: dict[bytes, tuple[bytes, str]] = {}

    def preverify(self, items: Sequence[Item], *, min_batch: int = MIN_BATCH) -> Iterator[int]:
        """Check ``items`` ahead in worker processes (see batch_verification)."""
        return check_ahead(items, check, self.accept, min_batch=min_batch)

    def accept(self, item: Item, outcome: tuple[str | None, bytes, str]) -> None:
        """Keep the outcome ``check`` computed elsewhere for (payload, signature, namespace)."""
        payload, signature, namespace = item
        reason, key, algorithm = outcome
        self.preverified[(namespace, signature, payload)] = reason
        self.preparsed[signature] = (key, algorithm)

    def recognises(self, signature: bytes) -> bool:
        return signature.lstrip().startswith(BEGIN)

    def inspect(self, signature: bytes) -> SignatureInfo:
        public_key, algorithm = self._signing_key(signature)
        try:
            key_type = _first_string(public_key) if public_key else ""
        except WireFormatError:
            raise SignatureError("malformed SSH public key in the signature") from None
        if key_type not in SUPPORTED_KEY_TYPES:
            raise UnsupportedSchemeError(
                f"SSH signatures by {key_type or 'unknown'} keys are not verified by gitwarden"
            )
        return SignatureInfo("ssh", (_fingerprint(public_key),), algorithm)

    def verify(self, payload: bytes, signature: bytes, key: TrustedKey, *, namespace: str) -> None:
        public_key, _ = self._signing_key(signature)
        if public_key != key.material:
            raise SignatureError("the signature was made by a different key")
        outcome = self.preverified.pop((namespace, signature, payload), False)
        if outcome is False:
            verify_parsed(parse_sshsig(signature), payload, namespace)
        elif outcome is not None:
            raise SignatureError(outcome)

    def holds(self, key: TrustedKey, info: SignatureInfo) -> bool:
        return bool(info.key_ids) and key.fingerprint == info.key_ids[0]

    def signing_key(self, key: TrustedKey, info: SignatureInfo) -> str:
        return key.fingerprint

    def _signing_key(self, signature: bytes) -> tuple[bytes, str]:
        known = self.preparsed.get(signature)
        if known is not None and known[0]:
            return known
        parsed = parse_sshsig(signature)
        return parsed.public_key, parsed.signature_algorithm


class ParsedSshSig:
    __slots__ = (
        "hash_algorithm",
        "key_type",
        "namespace",
        "public_key",
        "reserved",
        "signature_algorithm",
        "signature_blob",
    )

    def __init__(self, blob: bytes) -> None:
        if blob[:6] != MAGIC:
            raise SignatureError("not an SSH signature (magic preamble missing)")
        if len(blob) < 10 or _UINT32.unpack_from(blob, 6)[0] != 1:
            raise SignatureError("SSH signature version is not 1")
        fields: list[bytes] = []
        position = 10
        size = len(blob)
        for _ in range(5):
            if position + 4 > size:
                raise SignatureError("truncated SSH signature")
            length = _UINT32.unpack_from(blob, position)[0]
            end = position + 4 + length
            if end > size:
                raise SignatureError("truncated SSH signature")
            fields.append(blob[position + 4 : end])
            position = end
        if position != size:
            raise SignatureError("trailing bytes after the SSH signature")
        self.public_key, self.namespace, self.reserved, hash_name, self.signature_blob = fields
        self.hash_algorithm = hash_name.decode("ascii", "replace")
        self.key_type = _first_string(self.public_key)
        self.signature_algorithm = _first_string(self.signature_blob)


@lru_cache(maxsize=1024)
def _fingerprint(blob: bytes) -> str:
    return SshPublicKey("", blob).fingerprint


def _first_string(blob: bytes) -> str:
    return WireReader(blob).string().decode("ascii", "replace")


@lru_cache(maxsize=8)
def parse_sshsig(armored: bytes) -> ParsedSshSig:
    """The parsed signature (memoised: a signature is inspected, then verified)."""
    text = armored.strip()
    if not text.startswith(BEGIN) or not text.endswith(END):
        raise SignatureError("not an armored SSH signature")
    try:
        blob = base64.b64decode(b"".join(text[len(BEGIN) : -len(END)].split()), validate=True)
        return ParsedSshSig(blob)
    except (binascii.Error, ValueError, WireFormatError) as error:
        if isinstance(error, SignatureError):
            raise
        raise SignatureError(f"malformed SSH signature: {error}") from None


def signed_data(namespace: bytes, hash_algorithm: str, payload: bytes) -> bytes:
    digest = MESSAGE_HASHES[hash_algorithm](payload).digest()
    return (
        MAGIC
        + wire_string(namespace)
        + wire_string(b"")
        + wire_string(hash_algorithm.encode())
        + wire_string(digest)
    )


def verify_parsed(parsed: ParsedSshSig, payload: bytes, namespace: str) -> None:
    if parsed.namespace != namespace.encode():
        raise SignatureError(
            f"signature namespace is {parsed.namespace.decode('utf-8', 'replace')!r}, "
            f"expected {namespace!r}"
        )
    if parsed.hash_algorithm not in MESSAGE_HASHES:
        raise SignatureError(f"message hash {parsed.hash_algorithm!r} is not allowed")
    message = signed_data(parsed.namespace, parsed.hash_algorithm, payload)
    try:
        _verify_key_signature(parsed.public_key, parsed.signature_blob, message)
    except InvalidSignature:
        raise SignatureError("the signature does not match the signed data") from None
    except (WireFormatError, ValueError) as error:
        if isinstance(error, SignatureError):
            raise
        raise SignatureError(f"malformed SSH signature or key: {error}") from None


@cache
def _load_key(blob: bytes) -> tuple[str, object, bytes]:
    """The key's type, the cryptography key object and (for sk keys) its application."""
    reader = WireReader(blob)
    key_type = reader.string().decode("ascii", "replace")
    application = b""
    key: object
    if key_type in ("ssh-ed25519", "sk-ssh-ed25519@openssh.com"):
        key = ed25519.Ed25519PublicKey.from_public_bytes(reader.string())
    elif key_type.startswith("ecdsa-sha2-") or key_type == "sk-ecdsa-sha2-nistp256@openssh.com":
        curve_name = reader.string()
        if curve_name not in _CURVES or not key_type.endswith(
            curve_name.decode() + ("@openssh.com" if key_type.startswith("sk-") else "")
        ):
            raise SignatureError(f"unsupported ECDSA curve {curve_name!r} for {key_type}")
        key = ec.EllipticCurvePublicKey.from_encoded_point(_CURVES[curve_name][0], reader.string())
    elif key_type == "ssh-rsa":
        exponent, modulus = reader.mpint(), reader.mpint()
        key = rsa.RSAPublicNumbers(exponent, modulus).public_key()
        if modulus.bit_length() < MIN_RSA_BITS:
            raise SignatureError(f"RSA key of {modulus.bit_length()} bits is too short")
    else:
        raise SignatureError(f"SSH key type {key_type} is not supported")
    if key_type.startswith("sk-"):
        application = reader.string()
    if not reader.done():
        raise SignatureError("trailing bytes after the SSH public key")
    return key_type, key, application


def _verify_key_signature(public_key: bytes, signature_blob: bytes, message: bytes) -> None:
    key_type, key, application = _load_key(public_key)
    reader = WireReader(signature_blob)
    algorithm = reader.string().decode("ascii", "replace")
    raw = reader.string()
    if key_type.startswith("sk-"):
        flags, counter = reader.byte(), reader.uint32()
        webauthn = algorithm == WEBAUTHN_ECDSA and key_type == SK_ECDSA
        if algorithm != key_type and not webauthn:
            raise SignatureError(f"signature algorithm {algorithm} does not match key {key_type}")
        if not flags & SK_USER_PRESENT:
            raise SignatureError("FIDO signature made without user presence")
        extensions = b""
        signed = hashlib.sha256(message).digest()
        if webauthn:
            origin, client_data, extensions = reader.string(), reader.string(), reader.string()
            _check_client_data(client_data, origin, message)
            signed = hashlib.sha256(client_data).digest()
        message = (
            hashlib.sha256(application).digest()
            + bytes([flags])
            + counter.to_bytes(4, "big")
            + extensions
            + signed
        )
    if not reader.done():
        raise SignatureError("trailing bytes after the signature")
    if isinstance(key, ed25519.Ed25519PublicKey):
        if algorithm not in ("ssh-ed25519", "sk-ssh-ed25519@openssh.com"):
            raise SignatureError(f"signature algorithm {algorithm} does not match key {key_type}")
        key.verify(raw, message)
    elif isinstance(key, ec.EllipticCurvePublicKey):
        if not key_type.startswith("sk-") and algorithm != key_type:
            raise SignatureError(f"signature algorithm {algorithm} does not match key {key_type}")
        values = WireReader(raw)
        der = encode_dss_signature(values.mpint(), values.mpint())
        key.verify(der, message, ec.ECDSA(_hash_for_curve(key.curve)))
    elif isinstance(key, rsa.RSAPublicKey):
        if algorithm == "ssh-rsa":
            raise SignatureError("RSA signature uses SHA-1 (ssh-rsa); only rsa-sha2-256/512")
        if algorithm not in _RSA_HASHES:
            raise SignatureError(f"signature algorithm {algorithm} does not match key {key_type}")
        key.verify(raw, message, padding.PKCS1v15(), _RSA_HASHES[algorithm])
    else:  # pragma: no cover - _load_key returns only the types above
        raise SignatureError(f"SSH key type {key_type} is not supported")


def _check_client_data(client_data: bytes, origin: bytes, message: bytes) -> None:
    """The WebAuthn clientData must be a webauthn.get of this very message, from ``origin``
    (OpenSSH's check): the authenticator signed clientData's hash, not the message."""
    if b'"' in origin or b"\\" in origin:
        raise SignatureError("WebAuthn origin holds a quote or backslash")
    challenge = base64.urlsafe_b64encode(message).rstrip(b"=")
    expected = b'{"type":"webauthn.get","challenge":"' + challenge + b'","origin":"' + origin + b'"'
    if not client_data.startswith(expected):
        raise SignatureError("WebAuthn clientData is not a webauthn.get of this signed data")


def _hash_for_curve(curve: ec.EllipticCurve) -> hashes.HashAlgorithm:
    for known, algorithm in _CURVES.values():
        if known.name == curve.name:
            return algorithm
    raise SignatureError(f"unsupported curve {curve.name}")
