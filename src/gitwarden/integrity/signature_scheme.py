"""What a signature scheme is. Adding one (x509, ...) touches one new module and SCHEMES.

A scheme recognises its armored signatures, says which key made one, and verifies it over a
payload against one trusted key. Keys are the policy's; the scheme never looks keys up
anywhere else, so a signature by a key the policy does not hold is never "valid".
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Protocol


class SignatureError(ValueError):
    """The signature is malformed, uses a refused algorithm, or does not verify."""


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


def scheme_for(signature: bytes) -> SignatureScheme:
    for scheme in _schemes():
        if scheme.recognises(signature):
            return scheme
    raise SignatureError("the signature is in no supported format (SSH or OpenPGP)")


@cache
def _schemes() -> tuple[SignatureScheme, ...]:
    # Imported late: the scheme modules import this one.
    from gitwarden.integrity.schemes import SCHEMES

    return SCHEMES
