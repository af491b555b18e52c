"""The default audit store: one SQLite file, appends serialised by ``BEGIN IMMEDIATE``.

pysqlite's own transaction handling is switched off so that SQLAlchemy's ``begin`` can issue
``BEGIN IMMEDIATE`` for appends: the write lock is taken before the head is read, so two
processes can never seal two entries onto the same head. WAL lets readers run alongside.

Durability: ``synchronous`` stays at SQLite's default (FULL), so every commit waits for the
write-ahead log to reach the disk: an entry reported as appended survives a power cut. NORMAL
would save one ``fsync`` per append (about 0.2 ms here) and could lose the last decisions.

Many gates may create the same store at once (threads of one process, or processes). The
journal mode is persistent, so it is switched to WAL once, by whichever connection first finds
the file in another mode; that switch needs an exclusive lock and SQLite does not wait for it
(its busy handler is not used), so it is retried until the lock timeout. The tables are created
inside the ``BEGIN IMMEDIATE`` transaction of the first append, serialised like any append.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, create_engine, event
from sqlalchemy.exc import OperationalError

from gitwarden.audit.sql_schema import VERSION_QUERY
from gitwarden.audit.sql_store import SqlAuditStore
from gitwarden.audit.store import AuditStoreError

# How long an append waits for another writer's lock before giving up (seconds).
LOCK_TIMEOUT_SECONDS = 60.0
# Pause between two attempts to switch a new store to WAL while another connection holds it.
_WAL_RETRY_SECONDS = 0.005
_IMMEDIATE = "gitwarden_begin_immediate"


class SqliteAuditStore(SqlAuditStore):
    """An audit store in the SQLite file ``path``."""

    def __init__(self, path: Path, *, lock_timeout: float = LOCK_TIMEOUT_SECONDS) -> None:
        engine = create_engine(f"sqlite+pysqlite:///{path}", connect_args={"timeout": lock_timeout})

        def on_connect(dbapi_connection: Any, _record: Any) -> None:
            dbapi_connection.isolation_level = None  # SQLAlchemy's begin issues BEGIN itself
            _use_write_ahead_log(dbapi_connection, lock_timeout)

        event.listen(engine, "connect", on_connect)
        event.listen(engine, "begin", _begin)
        super().__init__(engine, str(path))

    @classmethod
    def open(cls, path: Path, *, create: bool) -> SqliteAuditStore:
        """Open the store; a reader (``create=False``) refuses a file that does not exist."""
        if path.is_dir():
            raise AuditStoreError(f"{path}: is a folder, not an audit store")
        if not path.exists():
            if not create:
                raise AuditStoreError(
                    f"no audit store at {path}",
                    hint="nothing was appended yet, or pass --audit URL / set GITWARDEN_AUDIT_URL",
                )
            try:
                path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            except OSError as error:
                raise AuditStoreError(f"{path.parent}: cannot create ({error.strerror})") from None
        return cls(path)

    @contextmanager
    def writer_transaction(self) -> Iterator[Connection]:
        with self._engine.connect() as connection:
            connection.execution_options(**{_IMMEDIATE: True})
            with connection.begin():
                yield connection

    def schema_version(self, connection: Connection) -> int:
        # One query on the usual path (an existing store); a failed statement leaves a
        # SQLite transaction open, so the missing table of a new store costs nothing more.
        try:
            found: int | None = connection.execute(VERSION_QUERY).scalar()
        except OperationalError as error:
            if "no such table" not in str(error.orig):
                raise
            return 0
        return found or 0


def _use_write_ahead_log(dbapi_connection: Any, lock_timeout: float) -> None:
    deadline = time.monotonic() + lock_timeout
    cursor = dbapi_connection.cursor()
    try:
        while True:
            try:
                (mode,) = cursor.execute("PRAGMA journal_mode").fetchone()
                if str(mode).lower() == "wal":
                    return
                # A file system without shared memory keeps the old mode: the store still
                # works, its readers just wait for writers.
                cursor.execute("PRAGMA journal_mode=WAL").fetchone()
                return
            except sqlite3.OperationalError as error:
                # Another connection is creating or switching the same new file right now.
                if "locked" not in str(error) or time.monotonic() >= deadline:
                    raise
                time.sleep(_WAL_RETRY_SECONDS)
    finally:
        cursor.close()


def _begin(connection: Connection) -> None:
    immediate = connection.get_execution_options().get(_IMMEDIATE, False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")
