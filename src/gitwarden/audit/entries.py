"""What the audit trail records: one entry per decision, chained to the one before it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from types import MappingProxyType
from typing import Any

from gitwarden.audit.canonical_json import canonical_text, parse_json_object
from gitwarden.errors import UsageError

ENTRY_FORMAT_VERSION = 1
# The previous hash of the first entry: no entry can hash to it.
GENESIS_HASH = "0" * 64


class EntryKind(StrEnum):
    """What produced an entry."""

    GATE_DECISION = "gate-decision"
    LEDGER_RECORD = "ledger-record"
    HOOK_DECISION = "hook-decision"
    REVIEW_VERDICT = "review-verdict"
    SCAN_REPORT = "scan-report"

    @classmethod
    def parse(cls, text: str) -> EntryKind:
        try:
            return cls(text)
        except ValueError:
            choices = ", ".join(kind.value for kind in cls)
            raise UsageError(f"unknown audit entry kind {text!r} (one of: {choices})") from None


def format_time(moment: datetime) -> str:
    """RFC 3339 in UTC with microseconds: fixed width, so text order is time order."""
    if moment.tzinfo is None:
        raise UsageError(f"audit time {moment.isoformat()} has no time zone")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_time(text: str) -> datetime:
    """Read an RFC 3339 time (``Z`` or an offset); a time without zone is refused."""
    try:
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise UsageError(f"{text!r} is not an RFC 3339 time (2026-12-01T08:00:00Z)") from None
    if moment.tzinfo is None:
        raise UsageError(f"{text!r} has no time zone: add Z for UTC")
    return moment.astimezone(UTC)


def _frozen(payload: Mapping[str, Any]) -> Mapping[str, Any]:
    return MappingProxyType(dict(payload))


@dataclass(frozen=True)
class EntryDraft:
    """What a caller appends; the store adds the chain position, time, hash and signature.

    ``payload`` is the decision itself as JSON (for a gate decision: the attestation's
    predicate); it must be encodable as RFC 8785 canonical JSON.
    """

    kind: EntryKind
    repository: str
    payload: Mapping[str, Any] = field(default_factory=lambda: _frozen({}))
    environment: str | None = None
    revision: str | None = None
    time: datetime | None = None


@dataclass(frozen=True)
class AuditEntry:
    """One sealed entry. ``payload`` is stored as canonical JSON text, so it cannot change.

    ``hash`` is SHA-256 over the canonical JSON of `hashed_content()` (everything but the
    hash, the signature and the storage position ``seq``); ``signature`` is Ed25519 over
    `signed_message()` by the key ``key_id`` names.
    """

    seq: int
    kind: str
    time: str
    repository: str
    environment: str | None
    revision: str | None
    payload: str
    prev_hash: str
    key_id: str
    hash: str
    signature: str

    @property
    def payload_data(self) -> dict[str, Any]:
        return parse_json_object(self.payload, f"audit entry {self.seq} payload")

    def hashed_content(self) -> dict[str, Any]:
        return hashed_content(
            kind=self.kind,
            time=self.time,
            repository=self.repository,
            environment=self.environment,
            revision=self.revision,
            payload=self.payload_data,
            prev_hash=self.prev_hash,
            key_id=self.key_id,
        )

    def as_json(self) -> dict[str, Any]:
        """The entry as exported (see ``audit/schemas/audit-entry.schema.json``)."""
        return {
            "format": ENTRY_FORMAT_VERSION,
            "seq": self.seq,
            "kind": self.kind,
            "time": self.time,
            "repository": self.repository,
            "environment": self.environment,
            "revision": self.revision,
            "payload": self.payload_data,
            "prev_hash": self.prev_hash,
            "key_id": self.key_id,
            "hash": self.hash,
            "signature": self.signature,
        }


def hashed_content(
    *,
    kind: str,
    time: str,
    repository: str,
    environment: str | None,
    revision: str | None,
    payload: Mapping[str, Any],
    prev_hash: str,
    key_id: str,
) -> dict[str, Any]:
    """Everything an entry's hash covers, as one JSON object."""
    return {
        "format": ENTRY_FORMAT_VERSION,
        "kind": kind,
        "time": time,
        "repository": repository,
        "environment": environment,
        "revision": revision,
        "payload": dict(payload),
        "prev_hash": prev_hash,
        "key_id": key_id,
    }


def payload_text(payload: Mapping[str, Any]) -> str:
    return canonical_text(dict(payload))
