"""The shared audit store: PostgreSQL through SQLAlchemy Core and psycopg 3.

Appends serialise on a transaction-scoped advisory lock taken before the head is read, so
many gates, CI runners and controllers can share one trail without forking the chain.

Throughput is one over the time that lock is held, so that stretch is kept to the work that
depends on the previous entry:

* the payload is encoded before (`prepare`), the append runs in psycopg's pipeline mode (lock
  and head read sent together, then insert and commit together), with statements compiled
  once per store from the same Core tables;
* the commit that releases the lock does not wait for the disk (``synchronous_commit`` off for
  that one transaction); right after it, outside the lock, a second transaction that writes a
  WAL record (an empty transactional logical-decoding message) commits at the server's own
  ``synchronous_commit`` level. PostgreSQL flushes its write-ahead log in order, so that flush
  makes the entry durable, and `append` returns only after it: an appended entry is as
  durable as before, the lock no longer covers an ``fsync``, and concurrent writers' flushes
  are grouped by the server. A crash can lose only entries whose `append` had not returned
  yet, always a suffix of the chain (a later entry's flush covers every earlier one). A reader
  may see such an entry a few milliseconds before it is on disk; `audit head` taken in that
  window and followed by a server crash shows up as a truncated tail, never as a clean chain.
  A server that refuses the message (old version, revoked function) keeps the old way: the
  commit under the lock waits for the disk.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any, cast

import psycopg
from sqlalchemy import Connection, bindparam, create_engine, func, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from gitwarden.attestation.signing_keys import SigningKey
from gitwarden.audit.chain import link_after
from gitwarden.audit.entries import GENESIS_HASH, AuditEntry
from gitwarden.audit.sql_schema import entries, migrate
from gitwarden.audit.sql_store import HEAD_QUERY, SqlAuditStore, failure_reason, row_values
from gitwarden.audit.store import AuditStoreError
from gitwarden.errors import UsageError

# One fixed 64-bit key: every gitwarden writer of a database contends for the same lock.
ADVISORY_LOCK_KEY = 0x6769747761726431  # "gitward1"
URL_PREFIXES = ("postgresql://", "postgres://", "postgresql+psycopg://")

_LOCK = select(func.pg_advisory_xact_lock(bindparam("lock_key")))
_COMMIT_WITHOUT_WAITING = "SET LOCAL synchronous_commit TO off"
# Writes one WAL record and nothing else; logical decoding consumers skip unknown prefixes.
_FLUSH = "SELECT pg_logical_emit_message(true, 'gitwarden-audit-flush', '')"


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
        head = HEAD_QUERY.compile(dialect=engine.dialect)
        self._lock_sql, self._head_sql = str(lock), str(head)
        self._head_params = head.params
        self._insert_sql = str(entries.insert().compile(dialect=engine.dialect))
        self._flush_after_unlock = False

    @contextmanager
    def writer_transaction(self) -> Iterator[Connection]:
        with self._engine.begin() as connection:
            connection.execute(_LOCK, {"lock_key": ADVISORY_LOCK_KEY})
            yield connection

    def _append_batch(self, prepared: Sequence[AuditEntry], key: SigningKey) -> list[AuditEntry]:
        try:
            if not self._schema_ready:
                with self.writer_transaction() as connection:
                    migrate(connection)
                    self._flush_after_unlock = _emits_flush_messages(connection)
                self._schema_ready = True
            with self._engine.connect() as connection:
                raw = cast("psycopg.Connection[Any]", connection.connection.driver_connection)
                return self._append_pipelined(raw, prepared, key)
        except (SQLAlchemyError, psycopg.Error) as error:
            raise AuditStoreError(
                f"{self._location}: cannot append ({failure_reason(error)})"
            ) from None

    def _append_pipelined(
        self, raw: psycopg.Connection[Any], prepared: Sequence[AuditEntry], key: SigningKey
    ) -> list[AuditEntry]:
        try:
            with raw.pipeline(), raw.cursor() as cursor, raw.cursor() as head_cursor:
                if self._flush_after_unlock:
                    cursor.execute(_COMMIT_WITHOUT_WAITING)
                cursor.execute(self._lock_sql, {"lock_key": ADVISORY_LOCK_KEY})
                # A statement of its own: its snapshot is taken after the lock is granted.
                head_cursor.execute(self._head_sql, self._head_params)
                last = head_cursor.fetchone()
                seq, prev_hash = (last[0] + 1, last[1]) if last else (1, GENESIS_HASH)
                linked = link_after(prepared, seq=seq, prev_hash=prev_hash, key=key)
                cursor.executemany(self._insert_sql, [row_values(entry) for entry in linked])
                raw.commit()  # the lock is released here
        except BaseException:
            raw.rollback()
            raise
        if self._flush_after_unlock:
            self._wait_until_durable(raw, linked)
        return linked

    def _wait_until_durable(self, raw: psycopg.Connection[Any], linked: list[AuditEntry]) -> None:
        try:
            with raw.cursor() as cursor:
                cursor.execute(_FLUSH)
            raw.commit()
        except psycopg.Error as error:
            raw.rollback()
            # The entries are in the chain, but the disk may not have them yet: fail closed.
            seqs = f"{linked[0].seq}" if len(linked) == 1 else f"{linked[0].seq}-{linked[-1].seq}"
            raise AuditStoreError(
                f"{self._location}: entry {seqs} was written but could not be confirmed on "
                f"disk ({failure_reason(error)})"
            ) from None


def _emits_flush_messages(connection: Connection) -> bool:
    """Whether this server and role may send `_FLUSH` (probed once per store, in a savepoint)."""
    try:
        with connection.begin_nested():
            connection.exec_driver_sql(_FLUSH)
    except SQLAlchemyError:
        return False
    return True
