"""The SQL audit store both back ends share: reading, and appending inside a writer lock.

A back end supplies the engine and `writer_transaction` (how it serialises appends); the rest
(schema, head, sealing, insert, queries) is the same SQLAlchemy Core for SQLite and PostgreSQL.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, select
from sqlalchemy.exc import SQLAlchemyError

from gitwarden.attestation.signing_keys import SigningKey
from gitwarden.audit.chain import link_after, prepare
from gitwarden.audit.entries import GENESIS_HASH, AuditEntry, EntryDraft, EntryKind, format_time
from gitwarden.audit.sql_schema import SCHEMA_VERSION, entries, migrate, stored_version
from gitwarden.audit.store import AuditStoreError

# Rows fetched per round trip while streaming the chain.
STREAM_BATCH = 2000
# Entries sealed under one writer lock at most: a fleet run's batch never holds it for long.
MAX_BATCH = 500

HEAD_QUERY = select(entries.c.seq, entries.c.hash).order_by(entries.c.seq.desc()).limit(1)


class SqlAuditStore(ABC):
    """An `AuditStore` over one SQLAlchemy engine."""

    def __init__(self, engine: Engine, location: str) -> None:
        self._engine = engine
        self._location = location
        self._schema_ready = False

    @property
    def location(self) -> str:
        return self._location

    @abstractmethod
    def writer_transaction(self) -> AbstractContextManager[Connection]:
        """A transaction that no other writer of this store runs at the same time."""

    def append(
        self, draft: EntryDraft, key: SigningKey, *, now: datetime | None = None
    ) -> AuditEntry:
        return self.append_many((draft,), key, now=now)[0]

    def append_many(
        self, drafts: Sequence[EntryDraft], key: SigningKey, *, now: datetime | None = None
    ) -> list[AuditEntry]:
        # Every payload is encoded (and its size checked) before the first lock is taken.
        prepared = [prepare(draft, now=now) for draft in drafts]
        sealed: list[AuditEntry] = []
        for start in range(0, len(prepared), MAX_BATCH):
            sealed.extend(self._append_batch(prepared[start : start + MAX_BATCH], key))
        return sealed

    def _append_batch(self, prepared: Sequence[AuditEntry], key: SigningKey) -> list[AuditEntry]:
        """Link and insert ``prepared`` after the head, in one transaction under the lock."""
        try:
            with self.writer_transaction() as connection:
                if not self._schema_ready:
                    migrate(connection, self.schema_version(connection))
                last = connection.execute(HEAD_QUERY).first()
                seq, prev_hash = (last.seq + 1, last.hash) if last else (1, GENESIS_HASH)
                linked = link_after(prepared, seq=seq, prev_hash=prev_hash, key=key)
                connection.execute(entries.insert(), [row_values(entry) for entry in linked])
        except SQLAlchemyError as error:
            raise AuditStoreError(
                f"{self._location}: cannot append ({failure_reason(error)})"
            ) from None
        self._schema_ready = True
        return linked

    def schema_version(self, connection: Connection) -> int:
        """The stored schema version (0: none yet); a back end may read it more cheaply."""
        return stored_version(connection)

    def head(self) -> AuditEntry | None:
        # Read to the end, so the connection goes back to the pool before this returns.
        rows = list(self._select(select(entries).order_by(entries.c.seq.desc()).limit(1)))
        return rows[0] if rows else None

    def entries(self, since: datetime | None = None) -> Iterator[AuditEntry]:
        query = select(entries).order_by(entries.c.seq)
        if since is not None:
            query = query.where(entries.c.time >= format_time(since))
        return self._select(query)

    def find(
        self,
        *,
        revision: str | None = None,
        environment: str | None = None,
        kind: EntryKind | None = None,
        repository: str | None = None,
    ) -> list[AuditEntry]:
        query = select(entries).order_by(entries.c.seq)
        if revision is not None:
            query = query.where(entries.c.revision == revision)
        if environment is not None:
            query = query.where(entries.c.environment == environment)
        if kind is not None:
            query = query.where(entries.c.kind == kind.value)
        if repository is not None:
            query = query.where(entries.c.repository == repository)
        return list(self._select(query))

    def close(self) -> None:
        self._engine.dispose()

    def _select(self, query: Any) -> Iterator[AuditEntry]:
        try:
            with self._engine.connect() as connection:
                version = self.schema_version(connection)
                if version == 0:
                    return
                if version > SCHEMA_VERSION:
                    raise AuditStoreError(
                        f"{self._location}: schema version {version} is newer than this "
                        f"gitwarden's ({SCHEMA_VERSION})",
                        hint="upgrade gitwarden to read this store",
                    )
                result = connection.execution_options(yield_per=STREAM_BATCH).execute(query)
                # The table's columns are AuditEntry's fields in their order (a test holds
                # them so): positional construction is 40% of reading 100,000 entries.
                for row in result:
                    yield AuditEntry(*row)
        except SQLAlchemyError as error:
            raise AuditStoreError(
                f"{self._location}: cannot read ({failure_reason(error)})"
            ) from None


def row_values(entry: AuditEntry) -> dict[str, Any]:
    return {
        "seq": entry.seq,
        "kind": entry.kind,
        "time": entry.time,
        "repository": entry.repository,
        "environment": entry.environment,
        "revision": entry.revision,
        "payload": entry.payload,
        "prev_hash": entry.prev_hash,
        "key_id": entry.key_id,
        "hash": entry.hash,
        "signature": entry.signature,
    }


def failure_reason(error: Exception) -> str:
    # The driver's first line names the problem; the rest is SQLAlchemy's help link.
    return str(getattr(error, "orig", None) or error).strip().splitlines()[0]
