"""What runs in an environment: the revision of the last allowed gate decision in the store.

Only a decision this gate's key sealed counts (its hash recomputed, its signature verified):
an entry someone else appended to a shared store cannot move the ancestry anchor.
"""

from __future__ import annotations

from gitwarden.attestation.signing_keys import VerifyingKey
from gitwarden.audit.chain import recomputed_hash, signature_valid
from gitwarden.audit.entries import AuditEntry, EntryKind
from gitwarden.audit.store import AuditStore


def last_deployed(
    store: AuditStore, repository: str, environment: str, trusted: VerifyingKey | None = None
) -> str | None:
    """The revision the last ``allow`` decision for ``environment`` named (None: none yet);
    with ``trusted``, the last one that key sealed."""
    entries = store.find(
        kind=EntryKind.GATE_DECISION, environment=environment, repository=repository
    )
    for entry in reversed(entries):
        if trusted is not None and not _sealed_by(entry, trusted):
            continue
        predicate = entry.payload_data.get("predicate")
        if isinstance(predicate, dict) and predicate.get("decision") == "allow":
            return entry.revision
    return None


def _sealed_by(entry: AuditEntry, key: VerifyingKey) -> bool:
    return (
        entry.key_id == key.key_id
        and recomputed_hash(entry) == entry.hash
        and signature_valid(entry, key)
    )
