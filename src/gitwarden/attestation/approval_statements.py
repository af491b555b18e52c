"""What an approval and a delegation say: in-toto Statements with gitwarden predicates.

An approval's subject is the change itself (the target ref with the head commit, and the
resulting tree), so it counts for exactly the content that was reviewed. Who approved is
not written in it: that is whoever's trusted key signed the envelope.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from types import MappingProxyType

from gitwarden.attestation.statement import AttestationError, Statement, Subject

APPROVAL_PREDICATE = "https://gitwarden.dev/review/approval/v1"
DELEGATION_PREDICATE = "https://gitwarden.dev/review/delegation/v1"
MAX_MESSAGE_CHARS = 10_000
# The SSH signature namespace of approval and delegation envelopes (OpenPGP has none).
SIGNING_NAMESPACE = "gitwarden-review"


@dataclass(frozen=True)
class ApprovalClaim:
    target_ref: str
    base: str
    head: str
    tree: str
    message: str
    approved_at: datetime

    def statement(self) -> Statement:
        subjects = (
            Subject(self.target_ref, MappingProxyType({"gitCommit": self.head})),
            Subject("tree", MappingProxyType({"gitTree": self.tree})),
        )
        predicate = {
            "targetRef": self.target_ref,
            "base": self.base,
            "head": self.head,
            "tree": self.tree,
            "message": self.message,
            "approvedAt": self.approved_at.astimezone(UTC).isoformat(),
        }
        return Statement(subjects, APPROVAL_PREDICATE, MappingProxyType(predicate))


@dataclass(frozen=True)
class DelegationClaim:
    """``delegate`` acts for ``role`` (a group of the review policy) until the end of
    ``until`` (UTC)."""

    role: str
    delegate: str
    until: date
    reason: str
    delegated_at: datetime

    @property
    def ends(self) -> datetime:
        return datetime.combine(self.until, time(), tzinfo=UTC) + timedelta(days=1)

    def valid_at(self, moment: datetime) -> bool:
        return self.delegated_at <= moment < self.ends

    def statement(self) -> Statement:
        subject = Subject(
            f"delegation:{self.role}:{self.delegate}",
            MappingProxyType({"gitwardenRole": self.role}),
        )
        predicate = {
            "role": self.role,
            "delegate": self.delegate,
            "until": self.until.isoformat(),
            "reason": self.reason,
            "delegatedAt": self.delegated_at.astimezone(UTC).isoformat(),
        }
        return Statement((subject,), DELEGATION_PREDICATE, MappingProxyType(predicate))


def approval_claim(statement: Statement) -> ApprovalClaim:
    if statement.predicate_type != APPROVAL_PREDICATE:
        raise AttestationError(f"not an approval ({statement.predicate_type})")
    p = statement.predicate
    claim = ApprovalClaim(
        target_ref=_text(p, "targetRef"),
        base=_text(p, "base"),
        head=_text(p, "head"),
        tree=_text(p, "tree"),
        message=_text(p, "message", allow_empty=True)[:MAX_MESSAGE_CHARS],
        approved_at=_moment(p, "approvedAt"),
    )
    # The subject must name the same change as the predicate: one content, one claim.
    digests = {key: value for s in statement.subjects for key, value in s.digest.items()}
    if digests.get("gitCommit") != claim.head or digests.get("gitTree") != claim.tree:
        raise AttestationError("the approval's subject and predicate name different changes")
    return claim


def delegation_claim(statement: Statement) -> DelegationClaim:
    if statement.predicate_type != DELEGATION_PREDICATE:
        raise AttestationError(f"not a delegation ({statement.predicate_type})")
    p = statement.predicate
    try:
        until = date.fromisoformat(_text(p, "until"))
    except ValueError:
        raise AttestationError("the delegation's end date is not a date") from None
    return DelegationClaim(
        role=_text(p, "role"),
        delegate=_text(p, "delegate"),
        until=until,
        reason=_text(p, "reason", allow_empty=True)[:MAX_MESSAGE_CHARS],
        delegated_at=_moment(p, "delegatedAt"),
    )


def _text(predicate: object, key: str, *, allow_empty: bool = False) -> str:
    value = predicate.get(key) if hasattr(predicate, "get") else None
    if not isinstance(value, str) or (not value and not allow_empty):
        raise AttestationError(f"the statement has no {key}")
    return value


def _moment(predicate: object, key: str) -> datetime:
    try:
        moment = datetime.fromisoformat(_text(predicate, key))
    except ValueError:
        raise AttestationError(f"the statement's {key} is not a timestamp") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
