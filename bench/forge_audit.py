#!/usr/bin/env python3
"""Benchmark `gitwarden forge audit` on a large synthetic GitHub organisation.

Serves recorded-shape responses from a local HTTP server (pytest-httpserver): the repository,
its protection and rulesets, ``--collaborators`` collaborators over pages of 100 (``Link``
headers), and each collaborator's SSH, signing and GPG keys and latest push (four requests
per user). Then:

* a live audit against the server, saving every response (``--save-forge-data``);
* the same audit replayed from the saved responses (``--forge-data``), no HTTP at all.

Each runs ``--runs`` times; wall-clock median and the number of requests are printed. No peer
tool runs here: OpenSSF Scorecard and Legitify need the real GitHub API and a token.

Usage::

    .venv/bin/python bench/forge_audit.py [--collaborators N] [--runs N]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pytest_httpserver import HTTPServer

from gitwarden.commands.forge_audit import ForgeAuditOptions, forge_audit

REPO = "/repos/acme/gitops"
PAGE = {"per_page": "100"}
KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKZn+z/rCdP5OGkTJ2vlf440UXTBc0DqkJKIUTpN6lW0"


def _serve(server: HTTPServer, collaborators: int) -> int:
    """Register every response; returns the number of requests one audit makes."""
    base = server.url_for("").rstrip("/")
    requests = 0

    def answer(path: str, body: Any, query: dict[str, str] | None = None, **headers: str) -> None:
        nonlocal requests
        requests += 1
        server.expect_request(path, query_string=query).respond_with_json(body, headers=headers)

    answer(REPO, {"default_branch": "main", "owner": {"login": "acme", "type": "Organization"}})
    answer(f"{REPO}/rulesets", [], {**PAGE, "includes_parents": "true"})
    answer(f"{REPO}/branches/main/protection", {"enforce_admins": {"enabled": True}})
    answer(f"{REPO}/rules/branches/main", [], PAGE)
    users = [f"user{n:05d}" for n in range(collaborators)]
    pages = [users[i : i + 100] for i in range(0, len(users), 100)] or [[]]
    for number, page in enumerate(pages, start=1):
        query = {**PAGE, "affiliation": "all"} | ({"page": str(number)} if number > 1 else {})
        link = (
            f"<{base}{REPO}/collaborators?per_page=100&affiliation=all&page={number + 1}>; "
            'rel="next"'
            if number < len(pages)
            else ""
        )
        body = [{"login": u, "role_name": "write"} for u in page]
        answer(f"{REPO}/collaborators", body, query, **({"Link": link} if link else {}))
    answer(f"{REPO}/collaborators", [], {**PAGE, "affiliation": "outside"})
    answer(f"{REPO}/teams", [], PAGE)
    answer(f"{REPO}/keys", [], PAGE)
    answer("/orgs/acme", {"two_factor_requirement_enabled": True})
    answer("/orgs/acme/members", [], {**PAGE, "filter": "2fa_disabled"})
    for user in users:
        signing = [{"id": 1, "key": KEY, "title": "laptop", "created_at": "2026-09-01T00:00:00Z"}]
        answer(f"/users/{user}/ssh_signing_keys", signing, PAGE)
        answer(f"/users/{user}/keys", [{"id": 2, "key": KEY}], PAGE)
        answer(f"/users/{user}/gpg_keys", [], PAGE)
        push = [{"timestamp": "2026-11-20T00:00:00Z", "activity_type": "push"}]
        answer(f"{REPO}/activity", push, {"actor": user, "per_page": "1"})
    return requests


def _repository(root: Path) -> Path:
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    subprocess.run(
        ["git", "-C", str(root), "remote", "add", "origin", "git@github.com:acme/gitops"],
        check=True,
    )
    return root


def _time(options: ForgeAuditOptions, repository: Path, runs: int) -> tuple[float, int]:
    times = []
    findings = 0
    for _ in range(runs):
        start = time.perf_counter()
        report = forge_audit(repository, options=options)
        times.append(time.perf_counter() - start)
        findings = len(report.findings)
    return statistics.median(times), findings


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--collaborators", type=int, default=300)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    server = HTTPServer()
    server.start()
    try:
        requests = _serve(server, args.collaborators)
        with tempfile.TemporaryDirectory() as work:
            repository = _repository(Path(work) / "gitops")
            saved = Path(work) / "saved"
            now = datetime(2026, 12, 1, tzinfo=UTC)
            live = ForgeAuditOptions(
                api_url=server.url_for("").rstrip("/"),
                environment={},
                now=now,
                save_forge_data=saved,
            )
            live_time, live_findings = _time(live, repository, args.runs)
            replay = ForgeAuditOptions(forge_data=saved, now=now)
            replay_time, replay_findings = _time(replay, repository, args.runs)
    finally:
        server.stop()
    load = os.getloadavg()[0]
    print(
        f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, load average {load:.1f}"
    )
    print(f"collaborators: {args.collaborators}, requests per audit: {requests}, runs: {args.runs}")
    print(
        f"live audit (local HTTP server, saving): median {live_time:.2f} s, "
        f"{requests / live_time:.0f} requests/s, {live_findings} findings"
    )
    print(
        f"replayed audit (--forge-data):          median {replay_time:.2f} s, "
        f"{replay_findings} findings"
    )
    return 0 if live_findings == replay_findings else 2


if __name__ == "__main__":
    sys.exit(main())
