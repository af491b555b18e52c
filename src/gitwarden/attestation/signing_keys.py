"""Ed25519 keys for attestations and the audit trail: an SSH key file or a PEM key.

Every key is named by its OpenSSH fingerprint (``SHA256:...``, what ``ssh-keygen -l`` prints),
so the key id in an envelope or an audit entry can be compared with the user's own tools.
"""

from __future__ import annotations

import base64
import hashlib
import struct
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from gitwarden.errors import GitwardenError

# A key file is a few hundred bytes; anything much larger is not a key.
MAX_KEY_FILE_BYTES = 64 * 1024


class KeyFileError(GitwardenError):
    """A key file cannot be used: unreadable, not Ed25519, encrypted or malformed."""


@dataclass(frozen=True, eq=False)
class VerifyingKey:
    """A trusted Ed25519 public key and its fingerprint."""

    public_key: Ed25519PublicKey
    key_id: str

    def verifies(self, signature: bytes, message: bytes) -> bool:
        try:
            self.public_key.verify(signature, message)
        except InvalidSignature:
            return False
        return True


@dataclass(frozen=True, eq=False)
class SigningKey:
    """An Ed25519 private key; ``key_id`` is its public key's fingerprint."""

    private_key: Ed25519PrivateKey
    key_id: str

    def sign(self, message: bytes) -> bytes:
        return self.private_key.sign(message)

    @property
    def verifying_key(self) -> VerifyingKey:
        return VerifyingKey(self.private_key.public_key(), self.key_id)


def fingerprint(public_key: Ed25519PublicKey) -> str:
    """The OpenSSH fingerprint: SHA-256 of the SSH wire encoding, unpadded base64."""
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    name = b"ssh-ed25519"
    blob = struct.pack(">I", len(name)) + name + struct.pack(">I", len(raw)) + raw
    digest = base64.b64encode(hashlib.sha256(blob).digest()).decode().rstrip("=")
    return f"SHA256:{digest}"


def signing_key_from_private(private_key: Ed25519PrivateKey) -> SigningKey:
    return SigningKey(private_key, fingerprint(private_key.public_key()))


def verifying_key_from_public(public_key: Ed25519PublicKey) -> VerifyingKey:
    return VerifyingKey(public_key, fingerprint(public_key))


def load_signing_key(path: Path) -> SigningKey:
    """Read an OpenSSH or PEM (PKCS#8) Ed25519 private key without a passphrase."""
    data = _read_key_file(path)
    key: object
    try:
        if b"BEGIN OPENSSH PRIVATE KEY" in data:
            key = serialization.load_ssh_private_key(data, password=None)
        else:
            key = serialization.load_pem_private_key(data, password=None)
    except TypeError:
        raise KeyFileError(
            f"{path}: the key is protected by a passphrase",
            hint="use an unencrypted key file readable only by the signer (chmod 600)",
        ) from None
    except (ValueError, UnsupportedAlgorithm) as error:
        raise KeyFileError(f"{path}: not a usable private key ({error})") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise KeyFileError(
            f"{path}: only Ed25519 keys are supported",
            hint="create one with: ssh-keygen -t ed25519 -f FILE",
        )
    return signing_key_from_private(key)


def load_verifying_key(path: Path) -> VerifyingKey:
    """Read an Ed25519 public key: an OpenSSH line (``ssh-ed25519 AAAA...``) or PEM."""
    data = _read_key_file(path)
    key: object
    try:
        if data.lstrip().startswith(b"-----BEGIN"):
            key = serialization.load_pem_public_key(data)
        else:
            key = serialization.load_ssh_public_key(data.strip().split(b"\n")[0])
    except (ValueError, UnsupportedAlgorithm) as error:
        raise KeyFileError(f"{path}: not a usable public key ({error})") from None
    if not isinstance(key, Ed25519PublicKey):
        raise KeyFileError(f"{path}: only Ed25519 public keys are supported")
    return verifying_key_from_public(key)


def _read_key_file(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_KEY_FILE_BYTES:
            raise KeyFileError(f"{path}: {size} bytes is too large for a key file")
        return path.read_bytes()
    except OSError as error:
        raise KeyFileError(f"{path}: cannot read the key ({error.strerror})") from None
