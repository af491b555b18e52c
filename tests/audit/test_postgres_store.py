from __future__ import annotations

import re

import pytest
from audit_fixtures import KeyPair, fill
from postgres_cluster import PostgresCluster

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
