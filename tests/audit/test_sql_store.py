"""The behaviour both back ends share, run against SQLite and a real PostgreSQL server."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from audit_fixtures import KeyPair, decision_draft, fill

from gitwarden.attestation.signing_keys import load_verifying_key
from gitwarden.audit import sql_store
from gitwarden.audit.chain import MAX_PAYLOAD_BYTES
from gitwarden.audit.chain_verification import verify_chain
from gitwarden.audit.entries import GENESIS_HASH, EntryDraft, EntryKind
from gitwarden.audit.stores import open_store
from gitwarden.errors import UsageError


def test_appends_form_a_chain_from_the_genesis_hash(store_url: str, writer: KeyPair) -> None:
    store = open_store(store_url, create=True)
    hashes = fill(store, writer.signing_key, 3)
    stored = list(store.entries())
    store.close()
    assert [entry.seq for entry in stored] == [1, 2, 3]
    assert [entry.prev_hash for entry in stored] == [GENESIS_HASH, *hashes[:2]]
    assert [entry.hash for entry in stored] == hashes


def test_head_is_the_last_entry_and_none_for_an_empty_store(
    store_url: str, writer: KeyPair
) -> None:
    store = open_store(store_url, create=True)
    assert store.head() is None
    hashes = fill(store, writer.signing_key, 4)
    head = store.head()
    store.close()
    assert head is not None
    assert (head.seq, head.hash) == (4, hashes[-1])


def test_entries_since_a_time_leave_out_the_earlier_ones(store_url: str, writer: KeyPair) -> None:
    store = open_store(store_url, create=True)
    for day in (1, 2, 3):
        moment = datetime(2026, 11, day, 12, 0, tzinfo=UTC)
        store.append(
            EntryDraft(EntryKind.SCAN_REPORT, "repo", {"day": day}, time=moment), writer.signing_key
        )
    since = list(store.entries(since=datetime(2026, 11, 2, tzinfo=UTC)))
    store.close()
    assert [entry.payload_data["day"] for entry in since] == [2, 3]


def test_find_matches_every_given_field(store_url: str, writer: KeyPair) -> None:
    store = open_store(store_url, create=True)
    key = writer.signing_key
    store.append(decision_draft(1, "prod"), key)
    store.append(decision_draft(2, "staging"), key)
    store.append(decision_draft(1, "staging"), key)
    revision = f"{1:040x}"
    found = store.find(revision=revision, environment="staging", kind=EntryKind.GATE_DECISION)
    none = store.find(revision=revision, kind=EntryKind.REVIEW_VERDICT)
    store.close()
    assert [(entry.seq, entry.environment) for entry in found] == [(3, "staging")]
    assert none == []


WORKER = """
import sys
from pathlib import Path

from gitwarden.attestation.signing_keys import load_signing_key
from gitwarden.audit.entries import EntryDraft, EntryKind
from gitwarden.audit.stores import open_store

url, key_file, worker, count = sys.argv[1], Path(sys.argv[2]), sys.argv[3], int(sys.argv[4])
key = load_signing_key(key_file)
store = open_store(url, create=True)
for number in range(count):
    draft = EntryDraft(EntryKind.GATE_DECISION, "repo", {"worker": worker, "n": number}, "prod")
    store.append(draft, key)
store.close()
"""


def test_parallel_writer_processes_never_fork_the_chain(
    store_url: str, writer: KeyPair, tmp_path: Path
) -> None:
    workers, per_worker = 8, 50
    script = tmp_path / "append_worker.py"
    script.write_text(WORKER)
    processes = [
        subprocess.Popen(
            [sys.executable, str(script), store_url, str(writer.private), str(n), str(per_worker)],
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(workers)
    ]
    errors = [process.communicate(timeout=300)[1] for process in processes]
    assert [process.returncode for process in processes] == [0] * workers, errors
    store = open_store(store_url, create=False)
    entries = list(store.entries())
    store.close()
    result = verify_chain(entries, keys=[load_verifying_key(writer.public)])
    assert result.problems == ()
    assert [entry.seq for entry in entries] == list(range(1, workers * per_worker + 1))
    written = {(entry.payload_data["worker"], entry.payload_data["n"]) for entry in entries}
    assert len(written) == workers * per_worker


def test_append_many_chains_the_batch_in_order_after_the_head(
    store_url: str, writer: KeyPair
) -> None:
    store = open_store(store_url, create=True)
    first = store.append(decision_draft(1), writer.signing_key)
    batch = store.append_many([decision_draft(n) for n in (2, 3, 4)], writer.signing_key)
    stored = list(store.entries())
    store.close()
    assert [entry.seq for entry in batch] == [2, 3, 4]
    assert [entry.prev_hash for entry in batch] == [first.hash, batch[0].hash, batch[1].hash]
    assert stored[1:] == batch
    assert verify_chain(stored, keys=[load_verifying_key(writer.public)]).problems == ()


def test_append_many_larger_than_one_transaction_stays_one_chain(
    store_url: str, writer: KeyPair, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sql_store, "MAX_BATCH", 2)
    store = open_store(store_url, create=True)
    batch = store.append_many([decision_draft(n) for n in range(1, 6)], writer.signing_key)
    stored = list(store.entries())
    store.close()
    assert [entry.seq for entry in stored] == [1, 2, 3, 4, 5]
    assert stored == batch
    assert verify_chain(stored, keys=[load_verifying_key(writer.public)]).problems == ()


def test_append_many_of_nothing_writes_nothing(store_url: str, writer: KeyPair) -> None:
    store = open_store(store_url, create=True)
    assert store.append_many([], writer.signing_key) == []
    head = store.head()
    store.close()
    assert head is None


def test_an_oversized_payload_in_a_batch_writes_none_of_it(store_url: str, writer: KeyPair) -> None:
    store = open_store(store_url, create=True)
    huge = EntryDraft(EntryKind.SCAN_REPORT, "repo", {"blob": "x" * (MAX_PAYLOAD_BYTES + 1)})
    with pytest.raises(UsageError, match="larger than"):
        store.append_many([decision_draft(1), huge], writer.signing_key)
    head = store.head()
    store.close()
    assert head is None
