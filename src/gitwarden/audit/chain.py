"""Sealing an entry onto the chain, and checking one entry's own hash and signature."""

from __future__ import annotations

import base64
import binascii
import hashlib
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime
from json.encoder import encode_basestring

from gitwarden.attestation.signing_keys import SigningKey, VerifyingKey
from gitwarden.audit.entries import (
    ENTRY_FORMAT_VERSION,
    AuditEntry,
    EntryDraft,
    format_time,
    payload_text,
)
from gitwarden.errors import UsageError

# A decision with its checks, commits and approvals is a few kilobytes; refuse what is not one.
MAX_PAYLOAD_BYTES = 1024 * 1024
# Domain separation: an audit signature can never be replayed as another kind of signature.
SIGNATURE_CONTEXT = b"gitwarden-audit-entry-v1\x00"


def signed_message(entry_hash: str) -> bytes:
    """What an entry's signature signs: the context string, then the hex hash."""
    return SIGNATURE_CONTEXT + entry_hash.encode("ascii")


def prepare(draft: EntryDraft, *, now: datetime | None = None) -> AuditEntry:
    """Everything of the entry that does not depend on the chain, done before any lock.

    Encoding the payload canonically is the slow part of an append; doing it here keeps
    the writer lock (held from reading the head to commit) as short as possible.
    """
    payload = payload_text(draft.payload)
    if len(payload) > MAX_PAYLOAD_BYTES:
        raise UsageError(
            f"audit entry payload of {len(payload)} characters is larger than "
            f"{MAX_PAYLOAD_BYTES}: record a digest of large reports, not the reports"
        )
    return AuditEntry(
        seq=0,
        kind=draft.kind.value,
        time=format_time(draft.time or now or datetime.now(UTC)),
        repository=draft.repository,
        environment=draft.environment,
        revision=draft.revision,
        payload=payload,
        prev_hash="",
        key_id="",
        hash="",
        signature="",
    )


def link(prepared: AuditEntry, *, seq: int, prev_hash: str, key: SigningKey) -> AuditEntry:
    """The prepared entry at position ``seq`` after the entry hashed ``prev_hash``, signed."""
    placed = replace(prepared, seq=seq, prev_hash=prev_hash, key_id=key.key_id)
    entry_hash = hashlib.sha256(canonical_entry_bytes(placed)).hexdigest()
    signature = base64.b64encode(key.sign(signed_message(entry_hash))).decode("ascii")
    return replace(placed, hash=entry_hash, signature=signature)


def link_after(
    prepared: Sequence[AuditEntry], *, seq: int, prev_hash: str, key: SigningKey
) -> list[AuditEntry]:
    """The prepared entries chained one after another from position ``seq``, each signed."""
    linked: list[AuditEntry] = []
    for offset, entry in enumerate(prepared):
        placed = link(entry, seq=seq + offset, prev_hash=prev_hash, key=key)
        prev_hash = placed.hash
        linked.append(placed)
    return linked


def seal(
    draft: EntryDraft,
    *,
    seq: int,
    prev_hash: str,
    key: SigningKey,
    now: datetime | None = None,
) -> AuditEntry:
    """The entry ``draft`` becomes at position ``seq`` after the entry hashed ``prev_hash``."""
    return link(prepare(draft, now=now), seq=seq, prev_hash=prev_hash, key=key)


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
