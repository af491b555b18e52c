"""The audit store's tables, shared by SQLite and PostgreSQL, and their migrations.

``gitwarden_audit_schema`` holds the schema version; `migrate` brings a store to
`SCHEMA_VERSION` and refuses one written by a newer gitwarden rather than guess.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import (
    BigInteger,
    Column,
    Connection,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    func,
    select,
)

from gitwarden.audit.store import AuditStoreError

SCHEMA_VERSION = 1

metadata = MetaData()

schema_versions = Table(
    "gitwarden_audit_schema",
    metadata,
    Column("version", Integer, primary_key=True, autoincrement=False),
)

entries = Table(
    "gitwarden_audit_entries",
    metadata,
    Column("seq", BigInteger, primary_key=True, autoincrement=False),
    Column("kind", String(32), nullable=False),
    Column("time", String(32), nullable=False),
    Column("repository", Text, nullable=False),
    Column("environment", Text, nullable=True),
    Column("revision", Text, nullable=True),
    Column("payload", Text, nullable=False),
    Column("prev_hash", String(64), nullable=False),
    Column("key_id", String(128), nullable=False),
    Column("hash", String(64), nullable=False),
    Column("signature", Text, nullable=False),
    Index("gitwarden_audit_entries_revision", "revision"),
    Index("gitwarden_audit_entries_time", "time"),
)


def _create_version_1(connection: Connection) -> None:
    metadata.create_all(connection, tables=[entries], checkfirst=True)


# version reached -> the step that reaches it from the version before
MIGRATIONS: dict[int, Callable[[Connection], None]] = {1: _create_version_1}


VERSION_QUERY = select(func.max(schema_versions.c.version))


def stored_version(connection: Connection) -> int:
    """The schema version of the store; 0 when no gitwarden table exists yet."""
    # The dialect's own catalogue query: no Inspector (and its reflection cache) per open.
    if not connection.dialect.has_table(connection, schema_versions.name):
        return 0
    found: int | None = connection.execute(VERSION_QUERY).scalar()
    return found or 0


def migrate(connection: Connection, version: int | None = None) -> None:
    """Create or upgrade the schema; the caller holds the writer lock and a transaction.

    ``version``: the stored version when the caller has just read it (one query saved).
    """
    if version is None:
        version = stored_version(connection)
    if version > SCHEMA_VERSION:
        raise AuditStoreError(
            f"the audit store has schema version {version}; this gitwarden knows {SCHEMA_VERSION}",
            hint="upgrade gitwarden before writing to this store",
        )
    if version == SCHEMA_VERSION:
        return
    metadata.create_all(connection, tables=[schema_versions], checkfirst=True)
    for step in range(version + 1, SCHEMA_VERSION + 1):
        MIGRATIONS[step](connection)
        connection.execute(schema_versions.insert().values(version=step))
