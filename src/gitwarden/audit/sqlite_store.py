"""The default audit store: one SQLite file, appends serialised by ``BEGIN IMMEDIATE``.

pysqlite's own transaction handling is switched off so that SQLAlchemy's ``begin`` can issue
``BEGIN IMMEDIATE`` for appends: the write lock is taken before the head is read, so two
processes can never seal two entries onto the same head. WAL lets readers run alongside.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, create_engine, event

from gitwarden.audit.sql_store import SqlAuditStore
from gitwarden.audit.store import AuditStoreError

# How long an append waits for another writer's lock before giving up (seconds).
LOCK_TIMEOUT_SECONDS = 60.0
_IMMEDIATE = "gitwarden_begin_immediate"


class SqliteAuditStore(SqlAuditStore):
    """An audit store in the SQLite file ``path``."""

    def __init__(self, path: Path, *, lock_timeout: float = LOCK_TIMEOUT_SECONDS) -> None:
        engine = create_engine(f"sqlite+pysqlite:///{path}", connect_args={"timeout": lock_timeout})
        event.listen(engine, "connect", _take_over_transactions)
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


def _take_over_transactions(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
    finally:
        cursor.close()


def _begin(connection: Connection) -> None:
    immediate = connection.get_execution_options().get(_IMMEDIATE, False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")
