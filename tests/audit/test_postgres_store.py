from __future__ import annotations

import re
import uuid

import pytest
import sqlalchemy
from audit_fixtures import KeyPair, fill
from postgres_cluster import PostgresCluster

from gitwarden.attestation.signing_keys import load_verifying_key
from gitwarden.audit.chain_verification import verify_chain
from gitwarden.audit.postgres_store import PostgresAuditStore
from gitwarden.audit.store import AuditStoreError
from gitwarden.audit.stores import open_store


def test_location_never_shows_the_password() -> None:
    store = PostgresAuditStore("postgresql://gate:s3cret@db.internal:5432/audit")
    assert "s3cret" not in store.location
    assert "db.internal:5432/audit" in store.location
    store.close()


def test_short_postgres_scheme_reaches_the_same_server(
    postgres: PostgresCluster, writer: KeyPair
) -> None:
    url = postgres.new_database()
    store = open_store(url.replace("postgresql://", "postgres://", 1), create=True)
    fill(store, writer.signing_key, 2)
    store.close()
    reader = open_store(url, create=False)
    head = reader.head()
    reader.close()
    assert head is not None and head.seq == 2


def test_unreachable_server_is_an_error_naming_the_store(writer: KeyPair) -> None:
    store = open_store("postgresql://nobody@127.0.0.1:1/none", create=True)
    with pytest.raises(AuditStoreError, match=re.escape("127.0.0.1:1/none")):
        fill(store, writer.signing_key, 1)
    store.close()


def test_role_refused_the_flush_message_still_appends_an_intact_chain(
    postgres: PostgresCluster, writer: KeyPair
) -> None:
    # Without the WAL message, the commit under the lock waits for the disk instead.
    url = postgres.new_database()
    role = f"gate_{uuid.uuid4().hex[:8]}"
    admin = sqlalchemy.create_engine(
        url.replace("postgresql://", "postgresql+psycopg://", 1), isolation_level="AUTOCOMMIT"
    )
    with admin.connect() as connection:
        connection.exec_driver_sql(f"CREATE ROLE {role} LOGIN")
        connection.exec_driver_sql(f"GRANT CREATE ON SCHEMA public TO {role}")
        connection.exec_driver_sql(
            "REVOKE EXECUTE ON FUNCTION pg_logical_emit_message(boolean, text, text) FROM PUBLIC"
        )
    admin.dispose()
    store = open_store(url.replace("postgres@", f"{role}@", 1), create=True)
    fill(store, writer.signing_key, 3)
    entries = list(store.entries())
    store.close()
    assert [entry.seq for entry in entries] == [1, 2, 3]
    assert verify_chain(entries, keys=[load_verifying_key(writer.public)]).problems == ()
