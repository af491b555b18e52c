from __future__ import annotations

from dataclasses import fields

import pytest
import sqlalchemy
from audit_fixtures import KeyPair, fill

from gitwarden.audit.entries import AuditEntry
from gitwarden.audit.sql_schema import SCHEMA_VERSION, entries
from gitwarden.audit.store import AuditStoreError
from gitwarden.audit.stores import open_store


def _engine(url: str) -> sqlalchemy.Engine:
    return sqlalchemy.create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))


def test_first_append_records_the_schema_version(store_url: str, writer: KeyPair) -> None:
    store = open_store(store_url, create=True)
    fill(store, writer.signing_key, 1)
    store.close()
    engine = _engine(store_url)
    with engine.connect() as connection:
        versions = connection.execute(
            sqlalchemy.text("SELECT version FROM gitwarden_audit_schema")
        ).scalars()
        assert list(versions) == [SCHEMA_VERSION]
    engine.dispose()


def test_store_written_by_a_newer_gitwarden_is_refused(store_url: str, writer: KeyPair) -> None:
    store = open_store(store_url, create=True)
    fill(store, writer.signing_key, 1)
    store.close()
    engine = _engine(store_url)
    with engine.begin() as connection:
        connection.execute(
            sqlalchemy.text("INSERT INTO gitwarden_audit_schema (version) VALUES (:v)"),
            {"v": SCHEMA_VERSION + 1},
        )
    engine.dispose()
    reopened = open_store(store_url, create=True)
    with pytest.raises(AuditStoreError, match="newer"):
        reopened.head()
    with pytest.raises(AuditStoreError, match="schema version"):
        fill(reopened, writer.signing_key, 1)
    reopened.close()


def test_entry_columns_are_the_entry_fields_in_their_order() -> None:
    # The stores build entries from rows by position.
    assert [column.name for column in entries.columns] == [f.name for f in fields(AuditEntry)]
