"""What a signature scheme is: the protocol every scheme module implements.

The registry of schemes is ``schemes``; this module imports none of them.

A scheme recognises its armored signatures, says which key made one, and verifies it over a
payload against one trusted key. Keys are the policy's; the scheme never looks keys up
anywhere else, so a signature by a key the policy does not hold is never "valid".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


class SignatureError(ValueError):
    """The signature is malformed, uses a refused algorithm, or does not verify."""


class UnsupportedSchemeError(SignatureError):
    """The signature is in a scheme or algorithm gitwarden does not verify."""


class KeyExpiredError(SignatureError):
    """The signature is sound, but its key had expired when it was made."""


class KeyRevokedError(SignatureError):
    """The signature is sound, but its key is revoked."""


@dataclass(frozen=True)
class TrustedKey:
    """A key from the trust policy: the scheme it belongs to, its id and its public material."""

    scheme: str
    fingerprint: str
    material: bytes


@dataclass(frozen=True)
class SignatureInfo:
    """What the signature claims before it is verified: scheme, key ids it names."""

    scheme: str
    key_ids: tuple[str, ...]
    algorithm: str


class SignatureScheme(Protocol):
    name: str

    def recognises(self, signature: bytes) -> bool:
        """True when ``signature`` is armored in this scheme's format."""
        ...

    def inspect(self, signature: bytes) -> SignatureInfo:
        """The key ids the signature names; raises SignatureError when malformed."""
        ...

    def verify(self, payload: bytes, signature: bytes, key: TrustedKey, *, namespace: str) -> None:
        """Return when ``signature`` over ``payload`` verifies with ``key``; else raise."""
        ...
