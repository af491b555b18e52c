from __future__ import annotations

import multiprocessing
import os
import sqlite3
import sys
import threading
from pathlib import Path
from typing import Any

import pytest
from audit_fixtures import KeyPair, decision_draft, fill

from gitwarden.attestation.signing_keys import SigningKey, load_signing_key
from gitwarden.audit.chain_verification import verify_chain
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


def test_append_to_a_new_store_waits_for_a_connection_holding_its_lock(
    tmp_path: Path, writer: KeyPair
) -> None:
    # A store file another gate has just created, still in SQLite's default journal mode and
    # locked: switching it to WAL must wait for that lock, not fail with "database is locked".
    path = tmp_path / "audit.db"
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    release = threading.Timer(0.3, lambda: holder.execute("COMMIT"))
    release.start()
    store = SqliteAuditStore.open(path, create=True)
    fill(store, writer.signing_key, 1)
    store.close()
    release.join()
    holder.close()
    with sqlite3.connect(path) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone() == ("wal",)


WRITERS = 8


def _append_once(path: Path, key: SigningKey) -> None:
    store = SqliteAuditStore.open(path, create=True)
    try:
        store.append(decision_draft(1), key)
    finally:
        store.close()


def _intact_entries(path: Path, writer: KeyPair) -> int:
    store = SqliteAuditStore.open(path, create=False)
    verdict = verify_chain(store.entries(), keys=[writer.signing_key.verifying_key])
    store.close()
    assert verdict.problems == ()
    return verdict.entries_checked


@pytest.mark.parametrize("attempt", range(5))
def test_eight_threads_creating_a_new_store_at_once_all_append(
    tmp_path: Path, writer: KeyPair, attempt: int
) -> None:
    path = tmp_path / f"new-{attempt}" / "audit.db"
    key = writer.signing_key
    start = threading.Barrier(WRITERS)
    errors: list[AuditStoreError] = []

    def append_after_the_others_are_ready() -> None:
        start.wait()
        try:
            _append_once(path, key)
        except AuditStoreError as error:  # collected and asserted below
            errors.append(error)

    threads = [threading.Thread(target=append_after_the_others_are_ready) for _ in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert _intact_entries(path, writer) == WRITERS


def _process_appending_after(start: Any, path: Path, private: Path) -> None:
    key = load_signing_key(private)
    start.wait()
    try:
        _append_once(path, key)
    except AuditStoreError as error:
        print(error, file=sys.stderr)
        os._exit(1)
    os._exit(0)


@pytest.mark.parametrize("attempt", range(3))
def test_eight_processes_creating_a_new_store_at_once_all_append(
    tmp_path: Path, writer: KeyPair, attempt: int
) -> None:
    path = tmp_path / f"new-{attempt}" / "audit.db"
    context = multiprocessing.get_context("fork")
    start = context.Barrier(WRITERS)
    processes = [
        context.Process(target=_process_appending_after, args=(start, path, writer.private))
        for _ in range(WRITERS)
    ]
    for process in processes:
        process.start()
    for process in processes:
        process.join(timeout=120)
    assert [process.exitcode for process in processes] == [0] * WRITERS
    assert _intact_entries(path, writer) == WRITERS
