"""What runs in an environment: the revision of the last allowed gate decision in the store."""

from __future__ import annotations

from gitwarden.audit.entries import EntryKind
from gitwarden.audit.store import AuditStore


def last_deployed(store: AuditStore, repository: str, environment: str) -> str | None:
    """The revision the last ``allow`` decision for ``environment`` named (None: none yet)."""
    entries = store.find(
        kind=EntryKind.GATE_DECISION, environment=environment, repository=repository
    )
    for entry in reversed(entries):
        predicate = entry.payload_data.get("predicate")
        if isinstance(predicate, dict) and predicate.get("decision") == "allow":
            return entry.revision
    return None
