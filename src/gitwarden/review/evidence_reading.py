"""Turning stored records and forge approvals into evidence, each tied to a principal.

A Git record counts only once its envelope verifies under a key of the base revision's trust
policy; the principal is that key's owner, never a name written inside the record. A forge
approval is tied by the principal's forge user name.
"""

from __future__ import annotations

from collections.abc import Sequence

from gitwarden.attestation.approval_statements import approval_claim, delegation_claim
from gitwarden.attestation.statement import AttestationError
from gitwarden.review.approval_signatures import StatementVerifier, UnverifiedStatementError
from gitwarden.review.change import Change
from gitwarden.review.evidence import GIT, Approval, Delegation, Evidence, InvalidEvidence
from gitwarden.review.principals import Principals
from gitwarden.sources.approval_store import APPROVAL, StoredRecord


def git_evidence(
    records: Sequence[StoredRecord], verify: StatementVerifier, change: Change
) -> Evidence:
    """Approvals of this change's head or tree, delegations, and records that failed."""
    approvals: list[Approval] = []
    delegations: list[Delegation] = []
    invalid: list[InvalidEvidence] = []
    for stored in records:
        if stored.envelope is None:
            invalid.append(InvalidEvidence(stored.name, stored.problem or "unreadable"))
            continue
        try:
            signed = verify(stored.envelope)
            if stored.kind == APPROVAL:
                claim = approval_claim(signed.statement)
                # Approvals of other changes are not evidence about this one; earlier
                # commits of this change are (and are reported stale).
                if not _about(claim.target_ref, claim.head, claim.tree, change):
                    continue
                approvals.append(
                    Approval(
                        who=signed.principal,
                        principal=signed.principal,
                        source=GIT,
                        message=claim.message,
                        head=claim.head,
                        tree=claim.tree,
                        target_ref=claim.target_ref,
                        at=claim.approved_at,
                        key=signed.fingerprint,
                    )
                )
            else:
                delegations.append(Delegation(signed.principal, delegation_claim(signed.statement)))
        except (UnverifiedStatementError, AttestationError) as error:
            invalid.append(InvalidEvidence(stored.name, str(error)))
    return Evidence(tuple(approvals), tuple(delegations), tuple(invalid))


def forge_evidence(
    forge: str, approvals: Sequence[object], principals: Principals
) -> tuple[Approval, ...]:
    """Forge approvals (``gitwarden.forge.interface.Approval``) tied to principals."""
    tied = []
    for approval in approvals:
        user = str(getattr(approval, "user", ""))
        tied.append(
            Approval(
                who=f"{forge}:{user}",
                principal=principals.of_forge_user(forge, user),
                source=forge,
                message=str(getattr(approval, "body", "") or ""),
                head=getattr(approval, "commit", None),
                at=getattr(approval, "submitted", None),
            )
        )
    return tuple(tied)


def _about(target_ref: str, head: str, tree: str, change: Change) -> bool:
    if target_ref != change.target_ref:
        return False
    return tree == change.tree or head == change.head or head in {c.oid for c in change.commits}
