"""Enforcement where pushes arrive: a pre-receive hook and the ledger record after a push.

``pre_receive`` judges every ``old new ref`` line git hands the hook: deleting a protected
ref, a non-fast-forward update (unless the ledger holds a signed accept-rewrite for exactly
that move), moving a tag, and any pushed commit that fails verification under the policy
of its parent are refused, one line per reason. ``post_receive`` records the new tips in
the ledger: git refuses ref updates while the pushed objects are still in quarantine, so
the record happens once the push is accepted.
"""

from __future__ import annotations

import shlex
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from gitwarden.errors import UsageError
from gitwarden.findings import Severity
from gitwarden.integrity import ledger
from gitwarden.integrity.ledger_store import ACCEPT_REWRITE, read_chain
from gitwarden.integrity.verification import verify_push
from gitwarden.sources.git_repository import GitRepository

ZERO = "0" * 40


def is_zero(oid: str) -> bool:
    """git's "no object" id: 40 zeros (SHA-1) or 64 (SHA-256 repositories)."""
    return bool(oid) and oid.strip("0") == ""


HOOK_MARKER = "# installed by gitwarden hook install"


@dataclass(frozen=True)
class RefUpdate:
    old: str
    new: str
    ref: str


def parse_updates(lines: Iterable[str]) -> list[RefUpdate]:
    updates = []
    for line in lines:
        parts = line.split()
        if len(parts) == 3:
            updates.append(RefUpdate(*parts))
    return updates


def _accepted_rewrites(repo: GitRepository) -> set[tuple[str, str, str]]:
    accepted = set()
    for stored in read_chain(repo):
        try:
            entry = stored.parse()
        except (ValueError, KeyError, TypeError):
            continue
        if entry.kind == ACCEPT_REWRITE:
            accepted.add(
                (
                    entry.accept.get("ref", ""),
                    entry.accept.get("from", ""),
                    entry.accept.get("to", ""),
                )
            )
    return accepted


def pre_receive(
    repo: GitRepository,
    updates: list[RefUpdate],
    fail_on: Severity,
    policy_fingerprint: str | None = None,
) -> list[str]:
    """The reasons to refuse the push; empty when it may go in. A pushed root commit (a new
    history) must carry the policy ``policy_fingerprint`` when one is pinned."""
    policy = ledger.governing_policy(repo)
    existing = list(repo.refs(["refs/heads", "refs/tags"]).values())
    reasons: list[str] = []
    accepted: set[tuple[str, str, str]] | None = None
    for update in updates:
        protected = policy.is_protected(update.ref) if policy else True
        if not protected:
            continue
        if is_zero(update.new):
            reasons.append(f"{update.ref}: deleting a protected ref is not allowed")
            continue
        if not is_zero(update.old):
            if update.ref.startswith("refs/tags/"):
                reasons.append(f"{update.ref}: moving a tag is not allowed")
                continue
            if not repo.is_ancestor(update.old, update.new):
                accepted = accepted if accepted is not None else _accepted_rewrites(repo)
                if (update.ref, update.old, update.new) not in accepted:
                    reasons.append(
                        f"{update.ref}: non-fast-forward update ({update.old[:12]} -> "
                        f"{update.new[:12]}); record `gitwarden ledger accept-rewrite` first"
                    )
                    continue
        pushed = verify_push(
            repo, update.ref, update.new, existing, policy_fingerprint=policy_fingerprint
        )
        for finding in pushed:
            if finding.severity >= fail_on:
                commit = finding.details.get("commit", "")[:12]
                where = f" {commit}" if commit else ""
                reasons.append(f"{update.ref}{where}: [{finding.rule_id}] {finding.message}")
    return reasons


def post_receive(repo: GitRepository, key_file: Path) -> None:
    ledger.record(repo, key_file)


def install(
    server: Path,
    key_file: Path | None,
    fail_on: Severity,
    policy_fingerprint: str | None = None,
) -> list[Path]:
    """Write pre-receive (and, with a recorder key, post-receive) hooks into ``server``."""
    repo = GitRepository(server)
    if repo.run("rev-parse", "--is-bare-repository").strip() != "true":
        raise UsageError(f"{server} is not a bare repository", hint="hooks go on the server")
    hooks = repo.git_dir / "hooks"
    hooks.mkdir(exist_ok=True)
    python = shlex.quote(sys.executable)
    written = []
    pre = f"exec {python} -m gitwarden hook pre-receive --fail-on {fail_on.value}"
    if policy_fingerprint is not None:
        pre += f" --policy-fingerprint {shlex.quote(policy_fingerprint)}"
    scripts = {"pre-receive": pre}
    if key_file is not None:
        key = shlex.quote(str(key_file.resolve()))
        scripts["post-receive"] = (
            f"exec {python} -m gitwarden hook post-receive --signing-key {key}"
        )
    for name, command in scripts.items():
        path = hooks / name
        if path.exists() and HOOK_MARKER not in path.read_text(encoding="utf-8", errors="replace"):
            raise UsageError(f"{path} exists and was not installed by gitwarden; remove it first")
        path.write_text(f"#!/bin/sh\n{HOOK_MARKER}\n{command}\n", encoding="utf-8")
        path.chmod(0o755)
        written.append(path)
    return written
