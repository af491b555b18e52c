"""Sealing an entry onto the chain, and checking one entry's own hash and signature."""

from __future__ import annotations

import base64
import binascii
from datetime import UTC, datetime

from gitwarden.attestation.signing_keys import SigningKey, VerifyingKey
from gitwarden.audit.canonical_json import canonical_bytes, sha256_hex
from gitwarden.audit.entries import (
    AuditEntry,
    EntryDraft,
    format_time,
    hashed_content,
    payload_text,
)

# Domain separation: an audit signature can never be replayed as another kind of signature.
SIGNATURE_CONTEXT = b"gitwarden-audit-entry-v1\x00"


def signed_message(entry_hash: str) -> bytes:
    """What an entry's signature signs: the context string, then the hex hash."""
    return SIGNATURE_CONTEXT + entry_hash.encode("ascii")


def seal(
    draft: EntryDraft,
    *,
    seq: int,
    prev_hash: str,
    key: SigningKey,
    now: datetime | None = None,
) -> AuditEntry:
    """The entry ``draft`` becomes at position ``seq`` after the entry hashed ``prev_hash``."""
    time = format_time(draft.time or now or datetime.now(UTC))
    payload = payload_text(draft.payload)
    content = hashed_content(
        kind=draft.kind.value,
        time=time,
        repository=draft.repository,
        environment=draft.environment,
        revision=draft.revision,
        payload=draft.payload,
        prev_hash=prev_hash,
        key_id=key.key_id,
    )
    entry_hash = sha256_hex(canonical_bytes(content))
    signature = base64.b64encode(key.sign(signed_message(entry_hash))).decode("ascii")
    return AuditEntry(
        seq=seq,
        kind=draft.kind.value,
        time=time,
        repository=draft.repository,
        environment=draft.environment,
        revision=draft.revision,
        payload=payload,
        prev_hash=prev_hash,
        key_id=key.key_id,
        hash=entry_hash,
        signature=signature,
    )


def recomputed_hash(entry: AuditEntry) -> str:
    """The hash the entry's content has now (differs from ``entry.hash`` if it was altered)."""
    return sha256_hex(canonical_bytes(entry.hashed_content()))


def signature_valid(entry: AuditEntry, key: VerifyingKey) -> bool:
    try:
        raw = base64.b64decode(entry.signature, validate=True)
    except (binascii.Error, ValueError):
        return False
    return key.verifies(raw, signed_message(entry.hash))
