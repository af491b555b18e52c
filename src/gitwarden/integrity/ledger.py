"""The ref-state ledger: record the tips of protected refs, and verify nothing moved unseen.

``record`` appends a signed entry with the current tip of every protected ref. ``verify``
checks the chain (sequence, hash links, signatures by allowed recorders, against a witness
of the last head seen and an optional exported copy), then every transition between entries
and from the last entry to the refs as they are now: force pushes, deletions, moved tags and
recorded commits that vanished. An ``accept-rewrite`` entry, signed like any other, is the
only way past an intended rewrite of one ref from one tip to another.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import pairwise
from pathlib import Path

from gitwarden.errors import UsageError
from gitwarden.findings import Finding, Location
from gitwarden.integrity import rules
from gitwarden.integrity.ledger_store import (
    ACCEPT_REWRITE,
    LEDGER_REF,
    NAMESPACE,
    RECORD,
    LedgerEntry,
    StoredEntry,
    append,
    import_chain,
    read_chain,
)
from gitwarden.integrity.local_state import state_file
from gitwarden.integrity.signer_check import check_signer
from gitwarden.integrity.sshsig_signing import sign_file_key, signer_public_key
from gitwarden.integrity.trust_file import parse_trust_policy
from gitwarden.integrity.trust_policy import POLICY_PATH, TrustPolicy
from gitwarden.rules import Rule
from gitwarden.sources.git_repository import GitRepository

ZERO = "0" * 40
WITNESS_FILE = "ledger-witness.json"


@dataclass(frozen=True)
class LedgerOptions:
    mirror: Path | None = None
    exported: Path | None = None
    policy_ref: str = "HEAD"
    update_witness: bool = True


def governing_policy(repo: GitRepository, policy_ref: str = "HEAD") -> TrustPolicy | None:
    name = f"{policy_ref}:{POLICY_PATH}"
    blob = repo.object_ids([name])[name]
    if blob is None:
        return None
    text = repo.read_object(blob).data.decode("utf-8", "replace")
    return parse_trust_policy(text, f"{policy_ref}:{POLICY_PATH}")


def protected_refs(repo: GitRepository, policy: TrustPolicy | None) -> dict[str, str]:
    refs = repo.refs(["refs/heads", "refs/tags"])
    if policy is None:
        return refs
    return {name: oid for name, oid in refs.items() if policy.is_protected(name)}


def record(
    repo: GitRepository,
    key_file: Path,
    *,
    kind: str = RECORD,
    accept: dict[str, str] | None = None,
    policy_ref: str = "HEAD",
    refs: dict[str, str] | None = None,
) -> LedgerEntry:
    """Append a signed entry with the tips of the protected refs (or ``refs``)."""
    chain = read_chain(repo)
    previous = chain[-1] if chain else None
    policy = governing_policy(repo, policy_ref)
    current = refs if refs is not None else protected_refs(repo, policy)
    entry = LedgerEntry(
        seq=len(chain),
        prev=previous.entry_id if previous else "",
        time=datetime.now(UTC).isoformat(timespec="seconds"),
        kind=kind,
        recorder=signer_public_key(key_file).fingerprint,
        refs=dict(sorted(current.items())),
        accept=accept or {},
    )
    body = entry.body()
    append(
        repo, body, sign_file_key(key_file, body, NAMESPACE), previous.commit if previous else None
    )
    _write_witness(repo)
    return entry


def accept_rewrite(
    repo: GitRepository, key_file: Path, ref: str, *, policy_ref: str = "HEAD"
) -> LedgerEntry:
    """Record that ``ref`` moving from its recorded tip to its current one is intended."""
    chain = read_chain(repo)
    if not chain:
        raise UsageError("the ledger is empty: record it first (gitwarden ledger record)")
    last = _last_refs(chain)
    if ref not in last:
        raise UsageError(f"{ref} is not in the ledger")
    current = repo.refs([ref]).get(ref, ZERO)
    accept = {"ref": ref, "from": last[ref], "to": current}
    refs = protected_refs(repo, governing_policy(repo, policy_ref))
    return record(
        repo, key_file, kind=ACCEPT_REWRITE, accept=accept, policy_ref=policy_ref, refs=refs
    )


def _last_refs(chain: list[StoredEntry]) -> dict[str, str]:
    for stored in reversed(chain):
        try:
            return stored.parse().refs
        except (ValueError, KeyError):
            continue
    return {}


def verify_ledger(repo: GitRepository, options: LedgerOptions | None = None) -> list[Finding]:
    """What the ledger says moved, vanished or was tampered with (the command builds the
    report)."""
    options = options or LedgerOptions()
    policy = governing_policy(repo, options.policy_ref)
    return _LedgerVerifier(repo, policy, options).run()


def _witness_path(repo: GitRepository) -> Path:
    return state_file(repo.git_dir, WITNESS_FILE)


def _write_witness(repo: GitRepository) -> None:
    chain = read_chain(repo)
    if not chain:
        return
    witness = _witness_path(repo)
    witness.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    witness.write_text(
        json.dumps({"length": len(chain), "head": chain[-1].entry_id}), encoding="utf-8"
    )


class _LedgerVerifier:
    def __init__(
        self, repo: GitRepository, policy: TrustPolicy | None, options: LedgerOptions
    ) -> None:
        self.repo = repo
        self.policy = policy
        self.options = options
        self.findings: list[Finding] = []

    def add(self, rule: Rule, message: str, ref: str = LEDGER_REF, **details: str) -> None:
        self.findings.append(rule.finding(message, Location(file=ref), details=details))

    def run(self) -> list[Finding]:
        chain = read_chain(self.repo)
        if not chain:
            self.add(rules.LEDGER_MISSING, f"{LEDGER_REF} does not exist")
            return self.findings
        entries = self.check_chain(chain)
        self.check_witness(chain)
        if self.options.exported is not None:
            self.check_export(chain, import_chain(self.options.exported))
        if entries:
            self.check_transitions(entries)
        if self.options.mirror is not None:
            self.check_mirror(self.options.mirror)
        if self.options.update_witness and not self.findings:
            _write_witness(self.repo)
        return self.findings

    def check_chain(self, chain: list[StoredEntry]) -> list[LedgerEntry]:
        entries: list[LedgerEntry] = []
        previous_id = ""
        for index, stored in enumerate(chain):
            where = {"entry": str(index), "ledger_commit": stored.commit}
            try:
                entry = stored.parse()
            except (ValueError, KeyError, TypeError) as error:
                self.add(rules.LEDGER_TAMPERED, f"entry {index} is unreadable: {error}", **where)
                return entries
            if entry.seq != index or entry.prev != previous_id:
                self.add(
                    rules.LEDGER_TAMPERED,
                    f"entry {index} (seq {entry.seq}) does not follow entry {index - 1}: the "
                    "ledger was reordered, truncated in the middle or rewritten",
                    **where,
                )
            self.check_signature(index, stored, entry)
            previous_id = stored.entry_id
            entries.append(entry)
        return entries

    def check_signature(self, index: int, stored: StoredEntry, entry: LedgerEntry) -> None:
        where = {"entry": str(index), "recorder": entry.recorder}
        if self.policy is None:
            self.add(
                rules.UNKNOWN_RECORDER,
                f"entry {index}: no trust policy at {self.options.policy_ref} names recorders",
                **where,
            )
            return
        moment = int(datetime.fromisoformat(entry.time).timestamp()) if entry.time else 0
        check = check_signer(
            stored.body,
            stored.signature or None,
            self.policy,
            signed_at=moment,
            namespace=NAMESPACE,
        )
        if check.problem is not None:
            rule = (
                rules.UNKNOWN_RECORDER
                if check.problem in (rules.UNKNOWN_SIGNER, rules.REVOKED_KEY)
                else rules.LEDGER_TAMPERED
            )
            self.add(rule, f"entry {index}: {check.reason}", **where)
        elif check.principal and not self.policy.may_record_ledger(check.principal):
            self.add(
                rules.UNKNOWN_RECORDER,
                f"entry {index}: signed by {check.principal}, who is not a ledger recorder",
                **where,
            )

    def check_witness(self, chain: list[StoredEntry]) -> None:
        witness = _witness_path(self.repo)
        if not witness.is_file():
            return
        try:
            seen = json.loads(witness.read_text(encoding="utf-8"))
            length, head = int(seen["length"]), str(seen["head"])
        except (OSError, ValueError, KeyError, TypeError):
            return
        ids = [e.entry_id for e in chain]
        if len(chain) < length:
            self.add(
                rules.LEDGER_TAMPERED,
                f"the ledger has {len(chain)} entries but {length} were seen before: truncated",
            )
        elif ids[length - 1] != head:
            self.add(rules.LEDGER_TAMPERED, f"entry {length - 1} differs from the one seen before")

    def check_export(self, chain: list[StoredEntry], exported: list[StoredEntry]) -> None:
        if len(chain) < len(exported):
            self.add(
                rules.LEDGER_TAMPERED,
                f"the ledger has {len(chain)} entries, the export {len(exported)}: truncated",
            )
        for index, (mine, theirs) in enumerate(zip(chain, exported, strict=False)):
            if mine.entry_id != theirs.entry_id:
                self.add(rules.LEDGER_TAMPERED, f"entry {index} differs from the exported copy")
                return

    def check_transitions(self, entries: list[LedgerEntry]) -> None:
        accepted = {
            (e.accept.get("ref", ""), e.accept.get("from", ""), e.accept.get("to", ""))
            for e in entries
            if e.kind == ACCEPT_REWRITE
        }
        records = [e for e in entries if e.kind in (RECORD, ACCEPT_REWRITE)]
        for before, after in pairwise(records):
            for ref, old in before.refs.items():
                new = after.refs.get(ref, ZERO)
                self.judge_move(
                    ref, old, new, accepted, f"between entries {before.seq} and {after.seq}"
                )
        current = protected_refs(self.repo, self.policy)
        last = records[-1].refs
        for ref, old in last.items():
            self.judge_move(ref, old, current.get(ref, ZERO), accepted, "since the last entry")
            if not self.repo.object_ids([old]).get(old):
                self.add(
                    rules.HISTORY_LOST,
                    f"{ref}: recorded {old[:12]} is not in the repository any more",
                    ref,
                    recorded=old,
                )

    def judge_move(
        self, ref: str, old: str, new: str, accepted: set[tuple[str, str, str]], when: str
    ) -> None:
        if old == new or (ref, old, new) in accepted:
            return
        details = {"recorded": old, "current": new}
        if new == ZERO:
            self.add(
                rules.REF_DELETED, f"{ref} was deleted {when} (was {old[:12]})", ref, **details
            )
        elif ref.startswith("refs/tags/"):
            self.add(
                rules.TAG_MOVED, f"{ref} moved {when} from {old[:12]} to {new[:12]}", ref, **details
            )
        elif not self.repo.object_ids([old]).get(old) or not self.repo.is_ancestor(old, new):
            self.add(
                rules.FORCE_PUSH,
                f"{ref} was force-pushed {when}: {new[:12]} does not "
                f"descend from the recorded {old[:12]}",
                ref,
                **details,
            )

    def check_mirror(self, mirror_path: Path) -> None:
        mirror = GitRepository(mirror_path)
        mine = protected_refs(self.repo, self.policy)
        theirs = protected_refs(mirror, self.policy)
        for ref, oid in sorted(theirs.items()):
            current = mine.get(ref)
            if current is None:
                self.add(
                    rules.MIRROR_DIVERGENCE,
                    f"{ref} exists in the mirror ({oid[:12]}) but not in the repository",
                    ref,
                    mirror=oid,
                )
            elif not self.repo.object_ids([oid]).get(oid):
                self.add(
                    rules.MIRROR_DIVERGENCE,
                    f"{ref}: the mirror holds {oid[:12]}, which the repository lost",
                    ref,
                    mirror=oid,
                    current=current,
                )
            elif oid != current and not self.repo.is_ancestor(oid, current):
                self.add(
                    rules.MIRROR_DIVERGENCE,
                    f"{ref}: the repository's {current[:12]} does "
                    f"not contain the mirror's {oid[:12]}",
                    ref,
                    mirror=oid,
                    current=current,
                )
        for ref, oid in sorted(mine.items()):
            if ref not in theirs:
                self.add(
                    rules.MIRROR_DIVERGENCE,
                    f"{ref} ({oid[:12]}) is not in the mirror: the mirror never saw it",
                    ref,
                    current=oid,
                )
