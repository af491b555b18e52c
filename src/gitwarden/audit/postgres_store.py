"""The shared audit store: PostgreSQL through SQLAlchemy Core and psycopg 3.

Appends serialise on a transaction-scoped advisory lock taken before the head is read, so
many gates, CI runners and controllers can share one trail without forking the chain.

The lock is held from the head read to the commit, so that stretch is kept to the fewest
round trips: the append runs in psycopg's pipeline mode (lock and head read sent together,
then insert and commit together), with statements compiled from the same Core tables.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any, cast

import psycopg
from sqlalchemy import Connection, bindparam, create_engine, func, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from gitwarden.attestation.signing_keys import SigningKey
from gitwarden.audit.chain import link, prepare
from gitwarden.audit.entries import GENESIS_HASH, AuditEntry, EntryDraft
from gitwarden.audit.sql_schema import entries, migrate
from gitwarden.audit.sql_store import SqlAuditStore, failure_reason, row_values
from gitwarden.audit.store import AuditStoreError
from gitwarden.errors import UsageError

# One fixed 64-bit key: every gitwarden writer of a database contends for the same lock.
ADVISORY_LOCK_KEY = 0x6769747761726431  # "gitward1"
URL_PREFIXES = ("postgresql://", "postgres://", "postgresql+psycopg://")

_LOCK = select(func.pg_advisory_xact_lock(bindparam("lock_key")))
_HEAD = select(entries.c.seq, entries.c.hash).order_by(entries.c.seq.desc()).limit(1)


class PostgresAuditStore(SqlAuditStore):
    """An audit store in the PostgreSQL database ``url`` names."""

    def __init__(self, url: str) -> None:
        driver_url = "postgresql+psycopg://" + url.split("://", 1)[1]
        try:
            parsed = make_url(driver_url)
        except ArgumentError as error:
            raise UsageError(f"audit store URL: {error}") from None
        # One connection per writer process; a little headroom for a read inside an iteration.
        engine = create_engine(parsed, pool_size=1, max_overflow=2)
        super().__init__(engine, parsed.render_as_string(hide_password=True))
        lock = _LOCK.compile(dialect=engine.dialect)
        head = _HEAD.compile(dialect=engine.dialect)
        self._lock_sql, self._head_sql = str(lock), str(head)
        self._head_params = head.params
        self._insert_sql = str(entries.insert().compile(dialect=engine.dialect))

    @contextmanager
    def writer_transaction(self) -> Iterator[Connection]:
        with self._engine.begin() as connection:
            connection.execute(_LOCK, {"lock_key": ADVISORY_LOCK_KEY})
            yield connection

    def append(
        self, draft: EntryDraft, key: SigningKey, *, now: datetime | None = None
    ) -> AuditEntry:
        prepared = prepare(draft, now=now)
        try:
            if not self._schema_ready:
                with self.writer_transaction() as connection:
                    migrate(connection)
                self._schema_ready = True
            with self._engine.connect() as connection:
                raw = cast("psycopg.Connection[Any]", connection.connection.driver_connection)
                return self._append_pipelined(raw, prepared, key)
        except (SQLAlchemyError, psycopg.Error) as error:
            raise AuditStoreError(
                f"{self._location}: cannot append ({failure_reason(error)})"
            ) from None

    def _append_pipelined(
        self, raw: psycopg.Connection[Any], prepared: AuditEntry, key: SigningKey
    ) -> AuditEntry:
        try:
            with raw.pipeline(), raw.cursor() as cursor, raw.cursor() as head_cursor:
                cursor.execute(self._lock_sql, {"lock_key": ADVISORY_LOCK_KEY})
                # A statement of its own: its snapshot is taken after the lock is granted.
                head_cursor.execute(self._head_sql, self._head_params)
                last = head_cursor.fetchone()
                seq, prev_hash = (last[0] + 1, last[1]) if last else (1, GENESIS_HASH)
                entry = link(prepared, seq=seq, prev_hash=prev_hash, key=key)
                cursor.execute(self._insert_sql, row_values(entry))
                raw.commit()
        except BaseException:
            raw.rollback()
            raise
        return entry
