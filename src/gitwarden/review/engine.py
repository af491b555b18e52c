"""Judging one change against the review policy: rule by rule, approver by approver.

Each rule that applies (branch and ``when``) counts distinct principals; each approval is
checked in order (identity, four eyes, message, target, freshness, group) and the first
reason it fails is the one reported. A person's approvals from Git and the forge count once.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from gitwarden.review.change import Change
from gitwarden.review.evidence import Approval, Delegation, Evidence
from gitwarden.review.identities import ChangePeople
from gitwarden.review.policy import ReviewPolicy, ReviewRule

MAX_LISTED_PATHS = 3


@dataclass(frozen=True)
class RejectedApproval:
    who: str
    reason: str

    def __str__(self) -> str:
        return f"{self.who}: {self.reason}"


@dataclass(frozen=True)
class RuleVerdict:
    """One rule's outcome: whose approvals counted, whose did not and why, what is missing."""

    name: str
    satisfied: bool
    required: int
    counted: tuple[str, ...]
    rejected: tuple[RejectedApproval, ...]
    missing: tuple[str, ...]
    paths: tuple[str, ...]
    line: int = 1
    # The approvals behind ``counted`` (for the gate's record: who, which key, what was said).
    approvals: tuple[Approval, ...] = ()


@dataclass(frozen=True)
class CodeOwnersVerdict:
    """What CODEOWNERS requires of a rule's approvers: unmet requirements (empty: met)."""

    missing: tuple[str, ...]


# Given the counted approvers of a rule, what CODEOWNERS still requires.
CodeOwnersCheck = Callable[[tuple[str, ...], tuple[str, ...]], CodeOwnersVerdict]


@dataclass(frozen=True)
class ReviewInputs:
    policy: ReviewPolicy
    change: Change
    people: ChangePeople
    evidence: Evidence
    now: datetime
    codeowners: CodeOwnersCheck | None = None
    production_paths: tuple[str, ...] = ()


def judge(inputs: ReviewInputs) -> tuple[RuleVerdict, ...]:
    shape = replace(inputs.change.shape, production_paths=inputs.production_paths)
    verdicts = []
    for rule in inputs.policy.effective_rules():
        if not rule.applies_to_branch(inputs.change.target_ref):
            continue
        paths = rule.applies_to(shape)
        if not paths:
            continue
        verdicts.append(_judge_rule(inputs, rule, paths))
    return tuple(verdicts)


def _judge_rule(inputs: ReviewInputs, rule: ReviewRule, paths: tuple[str, ...]) -> RuleVerdict:
    by_person: dict[str, list[Approval]] = {}
    rejected: list[RejectedApproval] = []
    for approval in inputs.evidence.approvals:
        if approval.principal is None:
            rejected.append(
                RejectedApproval(approval.who, f"{approval.source} identity of no principal")
            )
            continue
        by_person.setdefault(approval.principal, []).append(approval)
    counted: list[str] = []
    counted_approvals: list[Approval] = []
    for person, approvals in by_person.items():
        reasons = [_reason(inputs, rule, person, approval) for approval in approvals]
        if any(reason is None for reason in reasons):
            counted.append(person)
            counted_approvals.extend(
                a for a, r in zip(approvals, reasons, strict=True) if r is None
            )
        else:
            rejected.append(RejectedApproval(person, next(r for r in reasons if r)))
    missing: list[str] = []
    short = max(0, rule.approvals - len(counted))
    if short:
        groups = f" from {' or '.join(rule.from_groups)}" if rule.from_groups else ""
        plural = "s" if short > 1 else ""
        missing.append(f"needs {short} more approver{plural}{groups} for {_listed(paths)}")
    if rule.codeowners:
        if inputs.codeowners is None:
            missing.append("CODEOWNERS not evaluated: no CODEOWNERS reader was given")
        else:
            missing.extend(inputs.codeowners(tuple(counted), paths).missing)
    return RuleVerdict(
        name=rule.name,
        satisfied=not missing,
        required=rule.approvals,
        counted=tuple(counted),
        rejected=tuple(rejected),
        missing=tuple(missing),
        paths=paths,
        line=rule.line,
        approvals=tuple(counted_approvals),
    )


def _reason(inputs: ReviewInputs, rule: ReviewRule, person: str, approval: Approval) -> str | None:
    """Why ``approval`` does not count for ``rule``; None when it counts."""
    people, policy, change = inputs.people, inputs.policy, inputs.change
    if person in people.authors:
        return "author"
    if policy.four_eyes.committers and person in people.committers:
        return f"committer of {people.committers[person]}"
    if policy.four_eyes.co_authors and person in people.co_authors:
        return f"co-author of {people.co_authors[person]}"
    message = approval.message.strip()
    if not message:
        return "approval has no message"
    if policy.is_blind(message):
        return f"message {_quoted(message)} is not a review"
    if approval.target_ref is not None and approval.target_ref != change.target_ref:
        return f"approved a change to {approval.target_ref}, not {change.target_ref}"
    stale = _staleness(rule, approval, change)
    if stale:
        return stale
    if rule.from_groups and not any(person in policy.members(g) for g in rule.from_groups):
        return _delegation_reason(inputs, rule, person)
    return None


def _staleness(rule: ReviewRule, approval: Approval, change: Change) -> str | None:
    if rule.invalidate_on_push:
        if approval.tree is not None:
            if approval.tree != change.tree:
                return f"approved tree {approval.tree[:8]}…, not the current one"
            return None
        if approval.head is None:
            return "the forge does not say which commit was approved"
        if approval.head != change.head:
            return f"approved commit {approval.head[:8]}…, not the current one"
        return None
    in_change = {c.oid for c in change.commits} | {change.head}
    if approval.head is not None and approval.head not in in_change:
        return f"approved commit {approval.head[:8]}…, which is not part of this change"
    return None


def _delegation_reason(inputs: ReviewInputs, rule: ReviewRule, person: str) -> str | None:
    groups = " or ".join(rule.from_groups)
    if not rule.delegation:
        return f"not in {groups}"
    found = _delegations_to(inputs.evidence.delegations, person, rule.from_groups, inputs.policy)
    if not found:
        return f"not in {groups}, and no delegation names them"
    if any(d.claim.valid_at(inputs.now) for d in found):
        return None
    latest = max(found, key=lambda d: d.claim.until)
    if inputs.now < latest.claim.delegated_at:
        return f"delegation by {latest.delegator} starts {latest.claim.delegated_at:%Y-%m-%d}"
    return f"delegation by {latest.delegator} for {latest.claim.role} ended {latest.claim.until}"


def _delegations_to(
    delegations: Sequence[Delegation], person: str, groups: tuple[str, ...], policy: ReviewPolicy
) -> list[Delegation]:
    # Only a member of the group (in the base revision's policy) may delegate its role.
    return [
        d
        for d in delegations
        if d.claim.delegate == person
        and d.claim.role in groups
        and d.delegator in policy.members(d.claim.role)
        and d.delegator != person
    ]


def _listed(paths: tuple[str, ...]) -> str:
    shown = ", ".join(paths[:MAX_LISTED_PATHS])
    more = len(paths) - MAX_LISTED_PATHS
    return f"{shown} and {more} more" if more > 0 else shown


def _quoted(message: str) -> str:
    text = " ".join(message.split())
    return repr(text if len(text) <= 40 else text[:40] + "…")
