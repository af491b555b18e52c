"""`gitwarden.delegate(target, options)`: a signed, time-limited delegation of a role.

A member of a review-policy group (a product owner) lets ``to`` act for that group until the
end of ``until`` (UTC). It is stored beside the approvals; `gitwarden review` counts it only
when its signer is a member of the group in the base revision's policy.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from gitwarden.attestation.approval_statements import DelegationClaim
from gitwarden.commands.review_signatures import sign_review_statement
from gitwarden.errors import UsageError
from gitwarden.sources.approval_store import DELEGATION, record
from gitwarden.sources.git_repository import GitRepository


@dataclass(frozen=True)
class DelegateOptions:
    to: str
    role: str
    until: date
    message: str
    signing_key: Path | None = None
    gpg_key: str | None = None
    now: datetime | None = None


@dataclass(frozen=True)
class DelegateResult:
    claim: DelegationClaim
    record: str


def delegate(target: str | Path, options: DelegateOptions) -> DelegateResult:
    repo = GitRepository(Path(target))
    now = options.now or datetime.now(UTC)
    if not options.message.strip():
        raise UsageError("a delegation needs a reason (-m REASON)")
    claim = DelegationClaim(options.role, options.to, options.until, options.message, now)
    if claim.ends <= now:
        raise UsageError(f"--until {options.until} is already over")
    envelope = sign_review_statement(
        claim.statement(), key_file=options.signing_key, gpg_key=options.gpg_key
    )
    return DelegateResult(claim, record(repo, DELEGATION, envelope))
