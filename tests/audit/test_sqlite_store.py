from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from audit_fixtures import KeyPair, fill

from gitwarden.audit.sqlite_store import SqliteAuditStore
from gitwarden.audit.store import AuditStoreError


def test_reader_refuses_a_store_that_does_not_exist(tmp_path: Path) -> None:
    missing = tmp_path / "none" / "audit.db"
    with pytest.raises(AuditStoreError, match="no audit store"):
        SqliteAuditStore.open(missing, create=False)
    assert not missing.exists()


def test_writer_creates_the_file_and_its_private_folder(tmp_path: Path, writer: KeyPair) -> None:
    path = tmp_path / "state" / "gitwarden" / "audit.db"
    store = SqliteAuditStore.open(path, create=True)
    fill(store, writer.signing_key, 1)
    store.close()
    assert path.is_file()
    assert path.parent.stat().st_mode & 0o777 == 0o700


def test_store_uses_write_ahead_logging_so_readers_do_not_block(
    tmp_path: Path, writer: KeyPair
) -> None:
    path = tmp_path / "audit.db"
    store = SqliteAuditStore.open(path, create=True)
    fill(store, writer.signing_key, 1)
    store.close()
    with sqlite3.connect(path) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone() == ("wal",)


def test_append_gives_up_while_another_writer_holds_the_lock(
    tmp_path: Path, writer: KeyPair
) -> None:
    path = tmp_path / "audit.db"
    store = SqliteAuditStore(path, lock_timeout=0.2)
    fill(store, writer.signing_key, 1)
    blocker = sqlite3.connect(path, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    with pytest.raises(AuditStoreError, match="locked"):
        fill(store, writer.signing_key, 1)
    blocker.execute("ROLLBACK")
    blocker.close()
    fill(store, writer.signing_key, 1)
    head = store.head()
    store.close()
    assert head is not None and head.seq == 2
