#!/usr/bin/env python3
"""Benchmark the audit store against issue 17's targets, on this machine, in one run.

* SQLite append latency: a decision appended to a store of the default kind (target < 20 ms),
  warm (one open store, as a long-running gate) and cold (open, append, close: what one
  `gitwarden gate` process does), plus, for scale, whole fresh processes that import
  gitwarden and record one decision (interpreter start and imports included).
* PostgreSQL, 8 writer processes appending at once over loopback to one real server (a
  throw-away cluster started by initdb + pg_ctl, fsync on), sustained appends/s (target 1,000).
* `audit verify` of 100,000 entries (target < 5 s): in-process with the writer's key, without
  keys (hash chain only), and the whole `gitwarden audit verify` command.

Every run checks its result: the chains written must verify intact.

Usage::

    .venv/bin/python bench/audit_store.py [--only sqlite|postgres|verify ...] [--appends N]
        [--processes N] [--writers W] [--per-writer N] [--entries N] [--skip-postgres]
        [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from gitwarden.attestation.signing_keys import SigningKey, signing_key_from_private
from gitwarden.audit import postgres_store
from gitwarden.audit.chain import seal
from gitwarden.audit.chain_verification import verify_chain
from gitwarden.audit.entries import GENESIS_HASH, EntryDraft, EntryKind
from gitwarden.audit.sql_schema import entries as entries_table
from gitwarden.audit.sql_schema import migrate
from gitwarden.audit.sql_store import SqlAuditStore
from gitwarden.audit.stores import open_store
from gitwarden.commands.audit import AuditVerifyOptions, audit_verify
from gitwarden.config import Config

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests" / "audit"))
from postgres_cluster import PostgresCluster, find_postgres_bin, start_cluster  # noqa: E402


def decision(number: int) -> EntryDraft:
    """A gate decision of realistic size: six checks, two commits, reasons."""
    payload = {
        "predicate_type": "https://gitwarden.dev/attestation/decision/v1",
        "predicate": {
            "repository": "git@example.com:org/deploy.git",
            "revision": f"{number:040x}",
            "environment": "prod",
            "decision": "allow" if number % 5 else "deny",
            "reasons": [] if number % 5 else ["2 unsigned commits"],
            "checks": [
                {"name": name, "result": "pass", "summary": "ok", "findings": 0}
                for name in ("signatures", "ledger", "review", "manifests", "policy", "secrets")
            ],
            "commits": [
                {"sha": f"{number:039x}{n}", "author": "alice", "signer": "alice@example.com"}
                for n in range(2)
            ],
        },
        "attestation_sha256": f"{number:064x}",
    }
    return EntryDraft(
        EntryKind.GATE_DECISION,
        "git@example.com:org/deploy.git",
        payload,
        "prod",
        f"{number:040x}",
    )


def milliseconds(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {
        "median_ms": round(statistics.median(ordered) * 1000, 2),
        "p95_ms": round(ordered[int(len(ordered) * 0.95) - 1] * 1000, 2),
        "max_ms": round(ordered[-1] * 1000, 2),
    }


def bench_sqlite_append(folder: Path, key: SigningKey, appends: int) -> dict[str, Any]:
    url = f"sqlite:///{folder / 'append.db'}"
    store = open_store(url, create=True)
    warm = []
    for number in range(appends):
        started = time.perf_counter()
        store.append(decision(number), key)
        warm.append(time.perf_counter() - started)
    store.close()
    cold = []
    for number in range(appends // 5):
        started = time.perf_counter()
        once = open_store(url, create=True)
        once.append(decision(number), key)
        once.close()
        cold.append(time.perf_counter() - started)
    check = open_store(url, create=False)
    intact = verify_chain(check.entries(), keys=[key.verifying_key]).intact
    check.close()
    return {"warm": milliseconds(warm), "cold": milliseconds(cold), "chain_intact": intact}


RECORD_ONE = """
import sys
from pathlib import Path
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from gitwarden.attestation.signing_keys import signing_key_from_private
from gitwarden.audit.entries import EntryDraft, EntryKind
from gitwarden.commands.audit import record_audit_entry

key = signing_key_from_private(Ed25519PrivateKey.from_private_bytes(Path(sys.argv[2]).read_bytes()))
draft = EntryDraft(EntryKind.GATE_DECISION, "repo", {"decision": "allow"}, "prod", "0" * 40)
record_audit_entry(sys.argv[1], draft, key)
"""


def bench_sqlite_processes(folder: Path, key: SigningKey, runs: int) -> dict[str, Any]:
    """Fresh processes each recording one decision: what a CLI run pays, imports included."""
    url = f"sqlite:///{folder / 'append.db'}"
    raw = folder / "writer.key"
    raw.write_bytes(
        key.private_key.private_bytes(
            serialization.Encoding.Raw,
            serialization.PrivateFormat.Raw,
            serialization.NoEncryption(),
        )
    )
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", RECORD_ONE, url, str(raw)], check=True)
        samples.append(time.perf_counter() - started)
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import gitwarden.commands.audit"], check=True)
    return {
        "record_one_decision": milliseconds(samples),
        "imports_only_ms": round((time.perf_counter() - started) * 1000, 1),
    }


def _writer(url: str, raw_key: bytes, count: int, barrier: Any, out: Any) -> None:
    key = signing_key_from_private(Ed25519PrivateKey.from_private_bytes(raw_key))
    store = open_store(url, create=True)
    store.append(decision(0), key)  # connect and create the schema before the clock starts
    barrier.wait()
    started = time.time()
    for number in range(count):
        store.append(decision(number), key)
    out.put((started, time.time()))
    store.close()


def _writers_run(url: str, raw: bytes, writers: int, per_writer: int) -> float:
    """Seconds from the first writer's start to the last one's end, all appending at once."""
    context = multiprocessing.get_context("fork")
    barrier = context.Barrier(writers)
    out = context.Queue()
    processes = [
        context.Process(target=_writer, args=(url, raw, per_writer, barrier, out))
        for _ in range(writers)
    ]
    for process in processes:
        process.start()
    spans = [out.get(timeout=600) for _ in processes]
    for process in processes:
        process.join()
    return max(end for _, end in spans) - min(start for start, _ in spans)


def bench_postgres_writers(
    key: SigningKey, writers: int, per_writer: int, compare_rounds: int = 0
) -> dict[str, Any]:
    bin_dir = find_postgres_bin()
    if bin_dir is None:
        return {"skipped": "no initdb/pg_ctl on this machine"}
    cluster = start_cluster(bin_dir, fsync=True)
    raw = key.private_key.private_bytes(
        serialization.Encoding.Raw,
        serialization.PrivateFormat.Raw,
        serialization.NoEncryption(),
    )
    try:
        url = cluster.new_database()
        wall = _writers_run(url, raw, writers, per_writer)
        store = open_store(url, create=False)
        result = verify_chain(store.entries(), keys=[key.verifying_key])
        store.close()
        measured: dict[str, Any] = {
            "writers": writers,
            "appends": writers * per_writer,
            "seconds": round(wall, 3),
            "appends_per_second": round(writers * per_writer / wall),
            "chain_intact": result.intact,
            "entries": result.entries_checked,
        }
        if compare_rounds:
            measured["compare_flush"] = _compare_flush(
                cluster, raw, writers, per_writer, compare_rounds
            )
        return measured
    finally:
        cluster.stop()


def _compare_flush(
    cluster: PostgresCluster, raw: bytes, writers: int, per_writer: int, rounds: int
) -> dict[str, list[int]]:
    """Appends/s with the commit's fsync outside the writer lock (as shipped) and inside it
    (as when the server refuses the flush message), alternating on one cluster."""
    shipped = postgres_store._emits_flush_messages
    rates: dict[str, list[int]] = {"fsync_outside_lock": [], "fsync_under_lock": []}
    try:
        for _ in range(rounds):
            for name in rates:
                postgres_store._emits_flush_messages = (  # type: ignore[assignment]
                    shipped if name == "fsync_outside_lock" else (lambda _connection: False)
                )
                wall = _writers_run(cluster.new_database(), raw, writers, per_writer)
                rates[name].append(round(writers * per_writer / wall))
    finally:
        postgres_store._emits_flush_messages = shipped  # type: ignore[assignment]
    return rates


def fill_bulk(store: SqlAuditStore, key: SigningKey, count: int) -> None:
    """Seal ``count`` real entries and insert them in one transaction (fast set-up)."""
    rows = []
    previous = GENESIS_HASH
    for number in range(1, count + 1):
        entry = seal(decision(number), seq=number, prev_hash=previous, key=key)
        previous = entry.hash
        rows.append({column.name: getattr(entry, column.name) for column in entries_table.columns})
    with store.writer_transaction() as connection:
        migrate(connection)
        connection.execute(entries_table.insert(), rows)


def _children_cpu() -> float:
    """CPU seconds of the finished worker processes (the signature checkers)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def bench_verify(folder: Path, key: SigningKey, count: int) -> dict[str, Any]:
    path = folder / "verify.db"
    url = f"sqlite:///{path}"
    store = open_store(url, create=True)
    assert isinstance(store, SqlAuditStore)
    fill_bulk(store, key, count)
    store.close()
    public = folder / "gate.pub"
    public.write_bytes(
        key.private_key.public_key().public_bytes(
            serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH
        )
        + b"\n"
    )
    results: dict[str, Any] = {"entries": count, "database_mb": round(path.stat().st_size / 1e6, 1)}
    for name, options in (
        ("library_with_key", AuditVerifyOptions(keys=(key.verifying_key,))),
        ("library_hash_chain_only", AuditVerifyOptions()),
    ):
        started = time.perf_counter()
        cpu = time.process_time()
        workers_cpu = _children_cpu()
        verdict = audit_verify(url, Config(), options)
        main_cpu = time.process_time() - cpu
        results[name] = {
            "seconds": round(time.perf_counter() - started, 2),
            "cpu_seconds_main_process": round(main_cpu, 2),
            "cpu_seconds_all_processes": round(main_cpu + _children_cpu() - workers_cpu, 2),
            "intact": verdict.chain.intact,
        }
    command = [
        str(Path(sys.executable).parent / "gitwarden"),
        "audit",
        "verify",
        "--audit",
        url,
        "--key",
        str(public),
    ]
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    results["cli_with_key"] = {
        "seconds": round(time.perf_counter() - started, 2),
        "exit_code": done.returncode,
    }
    return results


TARGETS = ("sqlite", "postgres", "verify")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--only",
        choices=TARGETS,
        action="append",
        help="measure only this target (repeatable; default: all three)",
    )
    parser.add_argument("--appends", type=int, default=500, help="SQLite warm appends")
    parser.add_argument(
        "--processes", type=int, default=10, help="fresh processes recording one decision"
    )
    parser.add_argument("--writers", type=int, default=8, help="PostgreSQL writer processes")
    parser.add_argument("--per-writer", type=int, default=500, help="appends per writer")
    parser.add_argument(
        "--compare-flush",
        type=int,
        default=0,
        metavar="ROUNDS",
        help="PostgreSQL: also alternate ROUNDS runs with the fsync outside / under the lock",
    )
    parser.add_argument("--entries", type=int, default=100_000, help="entries to verify")
    parser.add_argument("--skip-postgres", action="store_true", help="same as leaving it out")
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    args = parser.parse_args()
    targets = set(args.only or TARGETS)
    if args.skip_postgres:
        targets.discard("postgres")
    key = signing_key_from_private(Ed25519PrivateKey.generate())
    results: dict[str, Any] = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores",
        "python": platform.python_version(),
        "load_average_at_start": os.getloadavg(),
    }
    with tempfile.TemporaryDirectory(prefix="gitwarden-bench-audit-") as scratch:
        folder = Path(scratch)
        if "sqlite" in targets:
            results["sqlite_append"] = bench_sqlite_append(folder, key, args.appends)
            results["sqlite_append"]["processes"] = bench_sqlite_processes(
                folder, key, args.processes
            )
            print("sqlite append:", json.dumps(results["sqlite_append"]), flush=True)
        if "postgres" in targets:
            results["postgres_writers"] = bench_postgres_writers(
                key, args.writers, args.per_writer, args.compare_flush
            )
            print("postgres writers:", json.dumps(results["postgres_writers"]), flush=True)
        if "verify" in targets:
            results["verify"] = bench_verify(folder, key, args.entries)
            print("verify:", json.dumps(results["verify"]), flush=True)
    results["load_average_at_end"] = os.getloadavg()
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
