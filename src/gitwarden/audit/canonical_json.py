"""RFC 8785 canonical JSON: the one byte encoding that entry hashes are computed over."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import rfc8785

from gitwarden.errors import GitwardenError


class CanonicalJsonError(GitwardenError):
    """A value has no canonical JSON form (a float NaN, a non-string key, a set...)."""


def canonical_bytes(value: Any) -> bytes:
    """The RFC 8785 encoding of a JSON value (keys sorted by UTF-16 code units, no spaces)."""
    try:
        return rfc8785.dumps(value)
    except (rfc8785.CanonicalizationError, TypeError, ValueError) as error:
        raise CanonicalJsonError(f"cannot encode as canonical JSON: {error}") from None


def canonical_text(value: Any) -> str:
    return canonical_bytes(value).decode("utf-8")


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def parse_json_object(text: str, what: str) -> dict[str, Any]:
    """Parse stored JSON that must be an object; a damaged value is reported, not guessed."""
    try:
        value = json.loads(text)
    except ValueError as error:
        raise GitwardenError(f"{what}: not valid JSON ({error})") from None
    if not isinstance(value, dict):
        raise GitwardenError(f"{what}: expected a JSON object")
    return value
