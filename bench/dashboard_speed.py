#!/usr/bin/env python3
"""Benchmark `gitwarden serve` against issue 21's target: each page under 200 ms with 100,000
audit entries, on this machine, in one run.

The store is filled with real, sealed entries (gate decisions carrying the decision predicate
over 200 repositories and 3 environments, and one fleet scan report in ten), inserted in one
transaction. The dashboard then reads it once (the start-up cost `gitwarden serve` pays before
it listens, reported separately), and each page is requested ``--requests`` times through the
ASGI app; the median, 95th percentile and maximum per page are reported. Every page's result is
checked (the decisions, the trace chain) so a fast wrong page cannot pass.

Usage::

    .venv/bin/python bench/dashboard_speed.py [--entries N] [--requests N] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from starlette.testclient import TestClient

from gitwarden.attestation.decision_predicate import (
    Approval,
    CheckResult,
    CommitRecord,
    DecisionPredicate,
    ImageRecord,
)
from gitwarden.attestation.signing_keys import SigningKey, signing_key_from_private
from gitwarden.audit.chain import seal
from gitwarden.audit.decision_entries import gate_decision_entry
from gitwarden.audit.entries import GENESIS_HASH, EntryDraft, EntryKind, parse_time
from gitwarden.audit.sql_schema import entries as entries_table
from gitwarden.audit.sql_schema import migrate
from gitwarden.audit.sql_store import SqlAuditStore
from gitwarden.audit.stores import open_store
from gitwarden.dashboard.app import Dashboard, DashboardSettings

TARGET_MS = 200.0
REPOSITORIES = 200
ENVIRONMENTS = ("dev", "staging", "prod")
FAMILIES = ("pod-security", "rbac", "images", "secrets", "hardening")


def decision_draft(number: int) -> EntryDraft:
    repository = f"git@example.com:org/app-{number % REPOSITORIES:03d}.git"
    revision = f"{number:040x}"
    allowed = number % 7 != 0
    predicate = DecisionPredicate(
        repository=repository,
        revision=revision,
        environment=ENVIRONMENTS[number % len(ENVIRONMENTS)],
        decision="allow" if allowed else "deny",
        decided_at=f"2026-{1 + number % 11:02d}-{1 + number % 28:02d}T12:00:00Z",
        gitwarden_version="0.1.0",
        reasons=() if allowed else ("1 unsigned commit",),
        checks=(
            CheckResult("signatures", "pass" if allowed else "fail", "", 0 if allowed else 1),
            CheckResult("scan", "pass"),
        ),
        commits=(CommitRecord(revision, "alice", "alice@example.org", f"change {number}"),),
        approvals=(Approval("dave", "release-manager"),),
        images=(ImageRecord("sha256:" + f"{number:064x}", "registry.example.com/app:1"),),
    )
    return gate_decision_entry(predicate, None)


def scan_draft(number: int) -> EntryDraft:
    repository = f"/srv/clones/app-{number % REPOSITORIES:03d}"
    return EntryDraft(
        EntryKind.SCAN_REPORT,
        repository,
        {
            "command": "scan",
            "target": repository,
            "by_family": {family: (number + i) % 9 for i, family in enumerate(FAMILIES)},
            "worst": [
                {
                    "rule": "pss-privileged",
                    "severity": ("critical", "high", "medium")[number % 3],
                    "title": "Privileged container",
                    "message": "Pod/tools/x runs a privileged container",
                    "file": "deploy/pod.yaml",
                    "line": 11,
                }
            ],
        },
        time=parse_time(f"2026-{1 + number % 11:02d}-{1 + number % 28:02d}T13:00:00Z"),
    )


def fill(url: str, key: SigningKey, count: int) -> None:
    store = open_store(url, create=True)
    assert isinstance(store, SqlAuditStore)
    rows = []
    previous = GENESIS_HASH
    for number in range(1, count + 1):
        draft = scan_draft(number) if number % 10 == 0 else decision_draft(number)
        entry = seal(draft, seq=number, prev_hash=previous, key=key)
        previous = entry.hash
        rows.append({column.name: getattr(entry, column.name) for column in entries_table.columns})
    with store.writer_transaction() as connection:
        migrate(connection)
        connection.execute(entries_table.insert(), rows)
    store.close()


def timed(client: TestClient, path: str, requests: int, check: Any) -> dict[str, float]:
    times = []
    for _ in range(requests):
        started = time.perf_counter()
        response = client.get(path)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (path, response.status_code)
        check(response.text)
    times.sort()
    return {
        "median_ms": round(statistics.median(times), 1),
        "p95_ms": round(times[int(0.95 * (len(times) - 1))], 1),
        "max_ms": round(times[-1], 1),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    key = signing_key_from_private(Ed25519PrivateKey.generate())
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'audit.db'}"
        started = time.perf_counter()
        fill(url, key, args.entries)
        fill_s = time.perf_counter() - started
        dashboard = Dashboard(DashboardSettings(url, keys=(key.verifying_key,), refresh_seconds=0))
        started = time.perf_counter()
        summary = dashboard.index.summary()
        startup_s = time.perf_counter() - started
        assert summary.chain.intact and summary.head_seq == args.entries
        client = TestClient(dashboard.application(), base_url="http://127.0.0.1:8780")
        # A revision deployed in the trail, and its image: both pages must find it.
        revision = f"{1:040x}"
        image = "sha256:" + f"{1:064x}"
        latest = len(
            {
                (n % REPOSITORIES, n % len(ENVIRONMENTS))
                for n in range(1, args.entries + 1)
                if n % 10
            }
        )
        pages: dict[str, tuple[str, Any]] = {
            "overview": (
                "/",
                lambda text: text.count('class="decision-row"') == latest or _fail("/"),
            ),
            "timeline": ("/timeline", lambda text: "timeline-row" in text or _fail("/timeline")),
            "trace revision": (
                f"/trace?q={revision}",
                lambda text: 'data-seq="1"' in text or _fail("trace"),
            ),
            "trace image": (
                f"/trace?q={image}",
                lambda text: 'data-seq="1"' in text or _fail("image"),
            ),
            "fleet": ("/fleet", lambda text: "open-finding" in text or _fail("/fleet")),
        }
        results = {
            name: timed(client, path, args.requests, check) for name, (path, check) in pages.items()
        }
    figures = {
        "entries": args.entries,
        "requests_per_page": args.requests,
        "fill_s": round(fill_s, 1),
        "startup_read_and_verify_s": round(startup_s, 2),
        "pages": results,
        "all_under_target": all(r["max_ms"] < TARGET_MS for r in results.values()),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}",
    }
    print(json.dumps(figures, indent=2))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n")
    return 0 if figures["all_under_target"] else 1


def _fail(page: str) -> bool:
    raise AssertionError(f"{page}: the page does not show what the trail holds")


if __name__ == "__main__":
    sys.exit(main())
