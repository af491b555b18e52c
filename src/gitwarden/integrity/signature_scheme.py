"""What a signature scheme is: the protocol every scheme module implements.

The registry of schemes is ``schemes``; this module imports none of them.

A scheme recognises its armored signatures, says which key made one, and verifies it over a
payload against one trusted key. Keys are the policy's; the scheme never looks keys up
anywhere else, so a signature by a key the policy does not hold is never "valid".
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
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


@dataclass(frozen=True)
class KeyFormat:
    """How the scheme's keys are written in the trust policy: the principal's list of them
    (``ssh_keys``), the entry's field (``key``) and what the text is, for messages.

    The rest is how the trust policy's published JSON Schema shows an entry to editors: its
    name, what its text is, and what an entry written as the text alone is (defaults are
    made from the fields above)."""

    list_field: str
    entry_field: str
    description: str
    schema_name: str = ""
    entry_description: str = ""
    text_alone: str = ""


@dataclass(frozen=True)
class ParsedKey:
    """A public key read from its text: id, the material ``verify`` uses, canonical text."""

    fingerprint: str
    material: bytes
    text: str


class SignatureScheme(Protocol):
    name: str
    key_format: KeyFormat

    def recognises_key(self, text: str) -> bool:
        """True when ``text`` looks like one of this scheme's public keys."""
        ...

    def parse_key(self, text: str) -> ParsedKey:
        """The public key in ``text``; raises SignatureError saying what is wrong."""
        ...

    def recognises(self, signature: bytes) -> bool:
        """True when ``signature`` is armored in this scheme's format."""
        ...

    def inspect(self, signature: bytes) -> SignatureInfo:
        """The key ids the signature names; raises SignatureError when malformed."""
        ...

    def verify(self, payload: bytes, signature: bytes, key: TrustedKey, *, namespace: str) -> None:
        """Return when ``signature`` over ``payload`` verifies with ``key``; else raise."""
        ...

    def preverify(
        self, items: Sequence[tuple[bytes, bytes, str]], *, min_batch: int = ...
    ) -> Iterator[int]:
        """Start checking (payload, signature, namespace) items ahead; the iterator yields
        how many of them (from the start) are checked. Nothing when checked in-line."""
        ...

    def holds(self, key: TrustedKey, info: SignatureInfo) -> bool:
        """True when ``key`` is (or, for a certificate, contains) a key ``info`` names."""
        ...

    def signing_key(self, key: TrustedKey, info: SignatureInfo) -> str:
        """The fingerprint of the key in ``key`` that made the signature (git's ``%GF``)."""
        ...
