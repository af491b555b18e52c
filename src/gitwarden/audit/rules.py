"""The rules `gitwarden audit verify` reports: each way a trail can be damaged, as data."""

from __future__ import annotations

from gitwarden.findings import Severity
from gitwarden.rules import Rule

FAMILY = "audit"
_REFERENCES = ("https://www.rfc-editor.org/rfc/rfc8785",)

ENTRY_MODIFIED = Rule(
    id="audit-entry-modified",
    family=FAMILY,
    severity=Severity.CRITICAL,
    title="Audit entry changed after it was written",
    rationale="An entry whose content no longer matches its hash was edited in the store; the "
    "decision it records cannot be trusted.",
    remediation="Restore the store from a backup or an export and find who had write access.",
    references=_REFERENCES,
)
ENTRY_DELETED = Rule(
    id="audit-entry-deleted",
    family=FAMILY,
    severity=Severity.CRITICAL,
    title="Audit entry deleted",
    rationale="The chain links each entry to the one before it; a missing link means an entry "
    "was removed, hiding a decision.",
    remediation="Restore the missing entry from a backup or an export and find who removed it.",
)
ENTRY_INSERTED = Rule(
    id="audit-entry-inserted",
    family=FAMILY,
    severity=Severity.CRITICAL,
    title="Audit entry inserted into the chain",
    rationale="An entry the next entry does not link to was added afterwards; it records a "
    "decision that was never made at that point.",
    remediation="Remove the inserted entry (keep it as evidence) and find who wrote it.",
)
ENTRIES_REORDERED = Rule(
    id="audit-entries-reordered",
    family=FAMILY,
    severity=Severity.CRITICAL,
    title="Audit entries out of order",
    rationale="Entries stored in a different order than they were chained misstate when each "
    "decision was made.",
    remediation="Restore the store from a backup or an export and find who rewrote it.",
)
TAIL_TRUNCATED = Rule(
    id="audit-tail-truncated",
    family=FAMILY,
    severity=Severity.CRITICAL,
    title="Audit trail truncated",
    rationale="The head hash recorded elsewhere is no longer in the store: the latest entries "
    "were removed or the trail was rewritten.",
    remediation="Restore the lost entries from a backup or an export; keep recording the head "
    "(`gitwarden audit head`) outside the store.",
)
SIGNATURE_INVALID = Rule(
    id="audit-signature-invalid",
    family=FAMILY,
    severity=Severity.CRITICAL,
    title="Audit entry signature does not verify",
    rationale="The entry's signature does not match its hash under the key it names: the entry "
    "was forged or re-hashed after editing.",
    remediation="Treat the entry as forged; restore the trail from a backup or an export.",
)
SIGNER_UNTRUSTED = Rule(
    id="audit-signer-untrusted",
    family=FAMILY,
    severity=Severity.HIGH,
    title="Audit entry signed by an untrusted key",
    rationale="Only the gates and recorders whose keys you pass may write the trail.",
    remediation="Pass the writer's public key with --key if it is legitimate; otherwise treat "
    "the entry as forged.",
)
SIGNATURES_UNCHECKED = Rule(
    id="audit-signatures-unchecked",
    family=FAMILY,
    severity=Severity.MEDIUM,
    title="Audit signatures not checked",
    rationale="Without trusted keys only the hash chain is checked; whoever can write the store "
    "could rewrite it consistently.",
    remediation="Pass the writers' public keys with --key PUB.",
)
STORE_EMPTY = Rule(
    id="audit-store-empty",
    family=FAMILY,
    severity=Severity.MEDIUM,
    title="Audit store holds no entries",
    rationale="An empty trail proves nothing: nothing was recorded, or everything was removed.",
    remediation="Check that the URL names the store your gates write to; pass --expect-head.",
)

AUDIT_RULES: tuple[Rule, ...] = (
    ENTRY_MODIFIED,
    ENTRY_DELETED,
    ENTRY_INSERTED,
    ENTRIES_REORDERED,
    TAIL_TRUNCATED,
    SIGNATURE_INVALID,
    SIGNER_UNTRUSTED,
    SIGNATURES_UNCHECKED,
    STORE_EMPTY,
)
