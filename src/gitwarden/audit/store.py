"""What an audit store is: append one entry under a lock, read the chain back in order.

Two implementations share this protocol (`sqlite_store`, `postgres_store`); `stores` picks one
from a URL. A store never judges the chain: `chain_verification` does, over `entries()`.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Protocol

from gitwarden.attestation.signing_keys import SigningKey
from gitwarden.audit.entries import AuditEntry, EntryDraft, EntryKind
from gitwarden.errors import GitwardenError


class AuditStoreError(GitwardenError):
    """The audit store cannot be opened, read or written (missing, locked, newer schema...)."""


class AuditStore(Protocol):
    """An append-only, hash-chained sequence of signed entries."""

    @property
    def location(self) -> str:
        """Where the store is, for messages (a path, or a URL without its password)."""
        ...

    def append(
        self, draft: EntryDraft, key: SigningKey, *, now: datetime | None = None
    ) -> AuditEntry:
        """Seal ``draft`` after the current head and store it; concurrent appends serialise."""
        ...

    def append_many(
        self, drafts: Sequence[EntryDraft], key: SigningKey, *, now: datetime | None = None
    ) -> list[AuditEntry]:
        """Seal ``drafts`` one after another after the head, in their order, each signed.

        A batch is written under one lock and one commit (up to a bounded size per
        transaction), so a fleet run pays for the lock once, not once per entry.
        """
        ...

    def head(self) -> AuditEntry | None:
        """The last entry, or None for an empty store."""
        ...

    def entries(self, since: datetime | None = None) -> Iterator[AuditEntry]:
        """Every entry in chain order (by ``seq``); with ``since``, those at or after it."""
        ...

    def find(
        self,
        *,
        revision: str | None = None,
        environment: str | None = None,
        kind: EntryKind | None = None,
        repository: str | None = None,
    ) -> list[AuditEntry]:
        """The entries matching every given field exactly, in chain order."""
        ...

    def close(self) -> None: ...
