"""The rules `gitwarden review` reports, as data."""

from __future__ import annotations

from gitwarden.findings import Severity
from gitwarden.rules import Rule

FAMILY = "review"
_DOCS = ("docs/review.md",)

RULE_UNSATISFIED = Rule(
    id="review-rule-unsatisfied",
    family=FAMILY,
    severity=Severity.HIGH,
    title="A review rule is not satisfied",
    rationale="The review policy of the target branch asks for approvals this change lacks; "
    "merging it skips the review the policy requires.",
    remediation="Get the approvals the finding lists (gitwarden approve, or a forge review).",
    references=_DOCS,
)
APPROVAL_NOT_COUNTED = Rule(
    id="review-approval-not-counted",
    family=FAMILY,
    severity=Severity.LOW,
    title="An approval does not count",
    rationale="Self-approvals, blind or stale approvals and approvals by unknown people are "
    "listed so the author knows why they are not enough.",
    remediation="Ask the approver to review the current content with a real message.",
    references=_DOCS,
)
EVIDENCE_INVALID = Rule(
    id="review-evidence-invalid",
    family=FAMILY,
    severity=Severity.MEDIUM,
    title="A recorded approval or delegation does not verify",
    rationale="A record in refs/gitwarden/approvals whose signature does not verify under the "
    "trust policy is forged, corrupt or signed by an unknown key; it counts for nothing.",
    remediation="Remove the record, or have the signer's key added to the trust policy.",
    references=_DOCS,
)
POLICY_MISSING = Rule(
    id="review-policy-missing",
    family=FAMILY,
    severity=Severity.HIGH,
    title="The target revision has no review policy",
    rationale="Without .gitwarden/review.yaml in the base revision nothing says who must "
    "approve; an unchecked change is never reported as reviewed.",
    remediation="Commit a .gitwarden/review.yaml to the target branch (see docs/review.md).",
    references=_DOCS,
)

REVIEW_RULES: tuple[Rule, ...] = (
    RULE_UNSATISFIED,
    APPROVAL_NOT_COUNTED,
    EVIDENCE_INVALID,
    POLICY_MISSING,
)
