"""The shared audit store: PostgreSQL through SQLAlchemy Core and psycopg 3.

Appends serialise on a transaction-scoped advisory lock taken before the head is read, so
many gates, CI runners and controllers can share one trail without forking the chain.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, create_engine, func, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from gitwarden.audit.sql_store import SqlAuditStore
from gitwarden.errors import UsageError

# One fixed 64-bit key: every gitwarden writer of a database contends for the same lock.
ADVISORY_LOCK_KEY = 0x6769747761726431  # "gitward1"
URL_PREFIXES = ("postgresql://", "postgres://", "postgresql+psycopg://")


class PostgresAuditStore(SqlAuditStore):
    """An audit store in the PostgreSQL database ``url`` names."""

    def __init__(self, url: str) -> None:
        driver_url = "postgresql+psycopg://" + url.split("://", 1)[1]
        try:
            parsed = make_url(driver_url)
        except ArgumentError as error:
            raise UsageError(f"audit store URL: {error}") from None
        engine = create_engine(parsed, pool_size=1, max_overflow=0)
        super().__init__(engine, parsed.render_as_string(hide_password=True))

    @contextmanager
    def writer_transaction(self) -> Iterator[Connection]:
        with self._engine.begin() as connection:
            connection.execute(select(func.pg_advisory_xact_lock(ADVISORY_LOCK_KEY)))
            yield connection
