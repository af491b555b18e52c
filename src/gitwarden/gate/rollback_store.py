"""Where signed rollback approvals wait for the gate: one ref, ``refs/gitwarden/rollbacks``.

The ref points at a commit whose tree holds one file per envelope
(``<environment>/rollback-<sha256>.json``); each approval adds a commit, so the ref pushes
and fetches like any other (``git push origin refs/gitwarden/rollbacks``), and concurrent
writers are caught by ``update-ref``'s compare-and-swap. The store holds claims, not truth:
the gate verifies every envelope against the base's trust policy when it reads it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from gitwarden.attestation.dsse import Envelope, envelope_from_bytes
from gitwarden.attestation.statement import AttestationError
from gitwarden.errors import UsageError
from gitwarden.sources.approval_store import STORE_IDENTITY
from gitwarden.sources.git_repository import GitError, GitRepository
from gitwarden.sources.object_sizes import object_sizes

ROLLBACKS_REF = "refs/gitwarden/rollbacks"
# Bounds on what a gate reads from a ref anyone with push access can fill.
MAX_APPROVALS = 1000
MAX_APPROVAL_BYTES = 64 * 1024


@dataclass(frozen=True)
class StoredRollbackApproval:
    """One file of the store: its envelope, or why it could not be read."""

    name: str
    envelope: Envelope | None
    problem: str | None = None


def record_rollback_approval(repo: GitRepository, environment: str, envelope: Envelope) -> str:
    """Add ``envelope`` to the store under ``environment``; returns its path in the ref."""
    if not environment or "/" in environment or environment.startswith("."):
        raise UsageError(f"{environment!r} cannot name a folder of {ROLLBACKS_REF}")
    data = envelope.to_bytes()
    name = f"{environment}/rollback-{hashlib.sha256(data).hexdigest()}.json"
    old = repo.object_ids([ROLLBACKS_REF]).get(ROLLBACKS_REF)
    files = _files(repo, old) if old else {}
    files[name] = repo.write_object("blob", data)
    tree = _tree(repo, files)
    parents = ("-p", old) if old else ()
    commit = repo.run(
        "commit-tree", tree, *parents, "-m", f"gitwarden: record {name}", env=STORE_IDENTITY
    ).strip()
    repo.run("update-ref", ROLLBACKS_REF, commit, old or "0" * len(commit))
    return name


def stored_rollback_approvals(
    repo: GitRepository, environment: str
) -> tuple[StoredRollbackApproval, ...]:
    """The approvals stored for ``environment`` (a malformed one carries its problem)."""
    head = repo.object_ids([ROLLBACKS_REF]).get(ROLLBACKS_REF)
    if head is None:
        return ()
    files = {
        name: oid for name, oid in _files(repo, head).items() if name.startswith(f"{environment}/")
    }
    if len(files) > MAX_APPROVALS:
        raise GitError(
            f"{ROLLBACKS_REF} holds more than {MAX_APPROVALS} approvals for {environment}"
        )
    sizes = object_sizes(repo, list(files.values()))
    small = [oid for oid in files.values() if sizes.get(oid, 0) <= MAX_APPROVAL_BYTES]
    objects = repo.read_objects(small)
    stored = []
    for name, oid in sorted(files.items()):
        if oid not in objects:
            stored.append(StoredRollbackApproval(name, None, "too large"))
            continue
        try:
            stored.append(StoredRollbackApproval(name, envelope_from_bytes(objects[oid].data)))
        except AttestationError as error:
            stored.append(StoredRollbackApproval(name, None, error.message))
    return tuple(stored)


def _files(repo: GitRepository, commit: str) -> dict[str, str]:
    """Path -> blob id of every file in ``commit``'s tree (recursively)."""
    out = repo.run("ls-tree", "-r", "-z", "--end-of-options", commit)
    files = {}
    for line in out.split("\0"):
        meta, _, path = line.partition("\t")
        parts = meta.split(" ")
        if path and len(parts) == 3 and parts[1] == "blob":
            files[path] = parts[2]
    return files


def _tree(repo: GitRepository, files: dict[str, str]) -> str:
    """The tree of ``files`` (one level of folders: the environments)."""
    folders: dict[str, dict[str, str]] = {}
    for path, oid in files.items():
        folder, _, name = path.partition("/")
        if not name:
            continue  # not written by us: a file outside every environment's folder
        folders.setdefault(folder, {})[name] = oid
    listing = ""
    for folder, entries in sorted(folders.items()):
        inner = "".join(f"100644 blob {oid}\t{name}\n" for name, oid in sorted(entries.items()))
        subtree = repo.run("mktree", input_bytes=inner.encode()).strip()
        listing += f"040000 tree {subtree}\t{folder}\n"
    return repo.run("mktree", input_bytes=listing.encode()).strip()
