"""Approvals: signatures besides a commit's own that count towards k-of-n thresholds.

A git commit carries one signature. Rules with a threshold above one are met by the commit's
signer plus approvals, read from two places:

- ``refs/gitwarden/approvals``: in-toto approval statements in DSSE envelopes, what
  ``gitwarden approve`` and ``gitwarden trust approve`` write. One approves a commit when its
  subject is that commit and its tree; each envelope signature is an SSH signature
  (namespace ``gitwarden-review``) or an OpenPGP signature over the DSSE pre-authentication
  encoding.
- ``refs/notes/gitwarden-approvals`` (legacy, no longer written): the note of a commit holds
  armored SSH (namespace ``gitwarden-approval``) or OpenPGP signatures over
  ``gitwarden approval v1\\ncommit <id>\\n``. Still counted when valid, and marked legacy.

Both are containers of claims: every signature is verified against the policy that governs
the commit, so a forged or unknown approval counts for nothing. Nothing here is trusted
before that; statements are parsed only to know which commit they name.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from gitwarden.attestation.approval_statements import SIGNING_NAMESPACE, approval_claim
from gitwarden.attestation.dsse import pae
from gitwarden.attestation.statement import (
    IN_TOTO_PAYLOAD_TYPE,
    AttestationError,
    statement_from_bytes,
)
from gitwarden.sources.approval_store import APPROVAL, APPROVALS_REF, stored_records
from gitwarden.sources.git_repository import GitRepository
from gitwarden.sources.object_sizes import object_sizes

NOTES_REF = "refs/notes/gitwarden-approvals"
NAMESPACE = "gitwarden-approval"
# Any armored signature block; which scheme it is, and whether it counts, the policy decides.
_ARMORED = re.compile(
    rb"-----BEGIN ([A-Z0-9 ]{1,40}) SIGNATURE-----.*?-----END \1 SIGNATURE-----\n?", re.DOTALL
)
MAX_APPROVALS_PER_COMMIT = 32
MAX_SIGNATURES_PER_ENVELOPE = 8
MAX_NOTE_BYTES = 256 * 1024


@dataclass(frozen=True)
class CommitApproval:
    """One signature that may approve ``commit``: what was signed, in which namespace, and
    where it was found. ``tree`` is the tree a DSSE approval binds (None for legacy notes,
    which name the commit only)."""

    commit: str
    payload: bytes
    signature: bytes
    namespace: str
    source: str
    tree: str | None = None

    @property
    def legacy(self) -> bool:
        return self.source == NOTES_REF


def _no_approvals() -> Mapping[str, tuple[CommitApproval, ...]]:
    return MappingProxyType({})


@dataclass(frozen=True)
class CommitApprovals:
    """Every approval found in one repository, by approved commit."""

    by_commit: Mapping[str, tuple[CommitApproval, ...]] = field(default_factory=_no_approvals)

    def of(self, commit: str) -> tuple[CommitApproval, ...]:
        return self.by_commit.get(commit, ())

    def digest(self, commit: str) -> str:
        """Stands for the approvals of ``commit`` in a cache key ("-": none)."""
        found = self.of(commit)
        if not found:
            return "-"
        text = "\n".join(sorted(f"{a.source}:{a.signature.hex()}" for a in found))
        return hashlib.sha256(text.encode()).hexdigest()[:32]


def approval_payload(commit: str) -> bytes:
    """What a legacy note signature signs."""
    return f"gitwarden approval v1\ncommit {commit}\n".encode()


def signatures_in_note(text: bytes) -> list[bytes]:
    return [m.group(0) for m in _ARMORED.finditer(text)][:MAX_APPROVALS_PER_COMMIT]


def commit_approvals(repo: GitRepository) -> CommitApprovals:
    """The DSSE approvals of ``refs/gitwarden/approvals`` and the legacy notes, by commit."""
    found: dict[str, list[CommitApproval]] = {}
    for approval in (*_statement_approvals(repo), *_note_approvals(repo)):
        kept = found.setdefault(approval.commit, [])
        if len(kept) < MAX_APPROVALS_PER_COMMIT:
            kept.append(approval)
    return CommitApprovals(MappingProxyType({c: tuple(a) for c, a in found.items()}))


def legacy_note_approvals(repo: GitRepository) -> CommitApprovals:
    """Only the approvals of the legacy notes (``gitwarden review`` reads the DSSE ones as
    evidence of its own)."""
    found: dict[str, list[CommitApproval]] = {}
    for approval in _note_approvals(repo):
        found.setdefault(approval.commit, []).append(approval)
    return CommitApprovals(MappingProxyType({c: tuple(a) for c, a in found.items()}))


def _statement_approvals(repo: GitRepository) -> list[CommitApproval]:
    approvals = []
    for stored in stored_records(repo):
        envelope = stored.envelope
        if stored.kind != APPROVAL or envelope is None:
            continue
        if envelope.payload_type != IN_TOTO_PAYLOAD_TYPE:
            continue
        try:
            claim = approval_claim(statement_from_bytes(envelope.payload))
        except AttestationError:
            continue  # not an approval; `gitwarden review` reports malformed records
        signed = pae(envelope.payload_type, envelope.payload)
        approvals += [
            CommitApproval(
                claim.head,
                signed,
                signature.sig,
                SIGNING_NAMESPACE,
                f"{APPROVALS_REF} {stored.name}",
                claim.tree,
            )
            for signature in envelope.signatures[:MAX_SIGNATURES_PER_ENVELOPE]
        ]
    return approvals


def _note_approvals(repo: GitRepository) -> list[CommitApproval]:
    notes = _approval_notes(repo)
    sizes = object_sizes(repo, sorted(set(notes.values())))
    # A note too large to hold approvals is not read: its commit simply has none from it.
    blobs = repo.read_objects(sorted(b for b, size in sizes.items() if size <= MAX_NOTE_BYTES))
    return [
        CommitApproval(commit, approval_payload(commit), signature, NAMESPACE, NOTES_REF)
        for commit, blob in sorted(notes.items())
        if blob in blobs
        for signature in signatures_in_note(blobs[blob].data)
    ]


def _approval_notes(repo: GitRepository) -> dict[str, str]:
    """Commit id -> note blob id, for every commit with a legacy note."""
    if repo.object_ids([NOTES_REF]).get(NOTES_REF) is None:
        return {}
    out = repo.run("notes", "--ref", NOTES_REF, "list")
    notes: dict[str, str] = {}
    for line in out.splitlines():
        blob, _, commit = line.partition(" ")
        if commit:
            notes[commit] = blob
    return notes
