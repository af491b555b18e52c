"""Sealing an entry onto the chain, and checking one entry's own hash and signature."""

from __future__ import annotations

import base64
import binascii
import hashlib
from datetime import UTC, datetime
from json.encoder import encode_basestring

from gitwarden.attestation.signing_keys import SigningKey, VerifyingKey
from gitwarden.audit.canonical_json import canonical_bytes, sha256_hex
from gitwarden.audit.entries import (
    ENTRY_FORMAT_VERSION,
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
    """The hash the entry's content has now (differs from ``entry.hash`` if it was altered).

    Fast path for verifying 100,000 entries: the stored payload already is canonical JSON
    (`seal` writes it so), so the canonical object is assembled around it instead of parsing
    and re-encoding it. A payload stored in any other form no longer matches: tampering.
    """
    try:
        return hashlib.sha256(canonical_entry_bytes(entry)).hexdigest()
    except UnicodeEncodeError:
        return ""  # a lone surrogate has no UTF-8 form: no sealed entry holds one


def _string(value: str | None) -> str:
    # Python's JSON string escaping is exactly RFC 8785's (short escapes, lowercase \u00xx).
    return "null" if value is None else encode_basestring(value)


def canonical_entry_bytes(entry: AuditEntry) -> bytes:
    """RFC 8785 of `AuditEntry.hashed_content()`, keys in their sorted order."""
    return (
        f'{{"environment":{_string(entry.environment)},"format":{ENTRY_FORMAT_VERSION},'
        f'"key_id":{_string(entry.key_id)},"kind":{_string(entry.kind)},'
        f'"payload":{entry.payload},"prev_hash":{_string(entry.prev_hash)},'
        f'"repository":{_string(entry.repository)},"revision":{_string(entry.revision)},'
        f'"time":{_string(entry.time)}}}'
    ).encode()


def signature_valid(entry: AuditEntry, key: VerifyingKey) -> bool:
    try:
        raw = base64.b64decode(entry.signature, validate=True)
    except (binascii.Error, ValueError):
        return False
    return key.verifies(raw, signed_message(entry.hash))
