"""Where signed approvals and delegations live: one ref, ``refs/gitwarden/approvals``.

The ref points at a commit whose tree holds one file per envelope (``approval-<sha256>.json``,
``delegation-<sha256>.json``); each record adds a commit, so the ref pushes and fetches like
any other (``git push origin refs/gitwarden/approvals``) and concurrent writers are caught by
``update-ref``'s compare-and-swap. The store holds claims, not truth: every envelope is
verified against the trust policy when read.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from gitwarden.attestation.dsse import Envelope, envelope_from_bytes
from gitwarden.attestation.statement import AttestationError
from gitwarden.sources.git_repository import GitError, GitRepository
from gitwarden.sources.object_sizes import object_sizes

APPROVALS_REF = "refs/gitwarden/approvals"
APPROVAL = "approval"
DELEGATION = "delegation"
MAX_RECORDS = 20_000
MAX_RECORD_BYTES = 256 * 1024
# The store's commits are bookkeeping; who approved is the signature inside each record.
STORE_IDENTITY = {
    "GIT_AUTHOR_NAME": "gitwarden",
    "GIT_AUTHOR_EMAIL": "gitwarden@localhost",
    "GIT_COMMITTER_NAME": "gitwarden",
    "GIT_COMMITTER_EMAIL": "gitwarden@localhost",
}


@dataclass(frozen=True)
class StoredRecord:
    kind: str
    name: str
    envelope: Envelope | None
    problem: str | None = None


def record(repo: GitRepository, kind: str, envelope: Envelope) -> str:
    """Add ``envelope`` to the store; returns its file name."""
    data = envelope.to_bytes()
    name = f"{kind}-{hashlib.sha256(data).hexdigest()}.json"
    blob = repo.write_object("blob", data)
    old = repo.object_ids([APPROVALS_REF]).get(APPROVALS_REF)
    entries = _entries(repo, old) if old else {}
    entries[name] = blob
    listing = "".join(f"100644 blob {oid}\t{path}\n" for path, oid in sorted(entries.items()))
    tree = repo.run("mktree", input_bytes=listing.encode()).strip()
    parents = ("-p", old) if old else ()
    commit = repo.run(
        "commit-tree", tree, *parents, "-m", f"gitwarden: record {name}", env=STORE_IDENTITY
    ).strip()
    repo.run("update-ref", APPROVALS_REF, commit, old or "0" * len(commit))
    return name


def stored_records(repo: GitRepository) -> tuple[StoredRecord, ...]:
    """Every record in the store, parsed (a malformed one carries its problem)."""
    head = repo.object_ids([APPROVALS_REF]).get(APPROVALS_REF)
    if head is None:
        return ()
    entries = _entries(repo, head)
    if len(entries) > MAX_RECORDS:
        raise GitError(f"{APPROVALS_REF} holds more than {MAX_RECORDS} records")
    sizes = object_sizes(repo, list(entries.values()))
    small = [oid for oid in entries.values() if sizes.get(oid, 0) <= MAX_RECORD_BYTES]
    objects = repo.read_objects(small)
    records = []
    for name, oid in sorted(entries.items()):
        kind = name.partition("-")[0]
        if kind not in (APPROVAL, DELEGATION):
            continue
        if oid not in objects:
            records.append(StoredRecord(kind, name, None, "record too large"))
            continue
        try:
            records.append(StoredRecord(kind, name, envelope_from_bytes(objects[oid].data)))
        except AttestationError as error:
            records.append(StoredRecord(kind, name, None, error.message))
    return tuple(records)


def _entries(repo: GitRepository, commit: str) -> dict[str, str]:
    out = repo.run("ls-tree", "-z", "--end-of-options", commit)
    entries = {}
    for line in out.split("\0"):
        meta, _, path = line.partition("\t")
        parts = meta.split(" ")
        if path and len(parts) == 3 and parts[1] == "blob":
            entries[path] = parts[2]
    return entries
