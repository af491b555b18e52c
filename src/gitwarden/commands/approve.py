"""`gitwarden.approve(target, options)`: record a signed approval of a change in Git.

The approval is an in-toto Statement (target ref, base, head, resulting tree, message) in a
DSSE envelope signed with the approver's trust-policy key, stored under
``refs/gitwarden/approvals`` (push it: ``git push origin refs/gitwarden/approvals``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from gitwarden.attestation.approval_statements import ApprovalClaim
from gitwarden.attestation.dsse import Envelope
from gitwarden.commands.review_signatures import sign_review_statement
from gitwarden.errors import UsageError
from gitwarden.sources.approval_store import APPROVAL, record
from gitwarden.sources.git_repository import GitRepository


@dataclass(frozen=True)
class ApproveOptions:
    """``change``: ``BASE..HEAD``; ``branch``: the target (default: the branch at BASE)."""

    change: str
    message: str
    signing_key: Path | None = None
    gpg_key: str | None = None
    branch: str | None = None
    now: datetime | None = None


@dataclass(frozen=True)
class ApproveResult:
    """The claim signed, its file name in the store, and the signed envelope."""

    claim: ApprovalClaim
    record: str
    envelope: Envelope


def approve(target: str | Path, options: ApproveOptions) -> ApproveResult:
    repo = GitRepository(Path(target))
    base_name, dots, head_name = options.change.partition("..")
    if not dots or not base_name or not head_name or head_name.startswith("."):
        raise UsageError(f"{options.change!r} is not a change", hint="write it BASE..HEAD")
    base = repo.resolve(base_name)
    head = repo.resolve(head_name)
    claim = ApprovalClaim(
        target_ref=_target_ref(repo, base, options.branch),
        base=base,
        head=head,
        tree=tree_of(repo, head),
        message=options.message,
        approved_at=options.now or datetime.now(UTC),
    )
    return record_approval(repo, claim, signing_key=options.signing_key, gpg_key=options.gpg_key)


def record_approval(
    repo: GitRepository,
    claim: ApprovalClaim,
    *,
    signing_key: Path | None = None,
    gpg_key: str | None = None,
) -> ApproveResult:
    """Sign ``claim`` with the approver's key and add it to ``refs/gitwarden/approvals``."""
    envelope = sign_review_statement(claim.statement(), key_file=signing_key, gpg_key=gpg_key)
    return ApproveResult(claim, record(repo, APPROVAL, envelope), envelope)


def tree_of(repo: GitRepository, commit: str) -> str:
    return repo.run("rev-parse", "--verify", "--end-of-options", f"{commit}^{{tree}}").strip()


def _target_ref(repo: GitRepository, base: str, branch: str | None) -> str:
    if branch is not None:
        return branch if branch.startswith("refs/") else f"refs/heads/{branch}"
    tips = sorted(name for name, oid in repo.refs(["refs/heads"]).items() if oid == base)
    if len(tips) == 1:
        return tips[0]
    if "refs/heads/main" in tips:
        return "refs/heads/main"
    raise UsageError(f"cannot tell the target branch of {base[:12]}", hint="name it with --branch")
