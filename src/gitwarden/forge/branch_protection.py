"""Branch protection (classic and rulesets on GitHub, protected branches on GitLab) and tags.

Each requirement is a rule plus the test of a `BranchPolicy` that violates it. An unprotected
branch gets one finding, not one per missing setting.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from gitwarden.findings import Finding, Severity
from gitwarden.forge.rule_references import (
    GITHUB_BRANCH_PROTECTION,
    GITHUB_RULESETS,
    GITLAB_APPROVALS,
    GITLAB_PROTECTED_BRANCHES,
    GITLAB_PUSH_RULES,
    LEGITIFY,
    SCORECARD_BRANCH_PROTECTION,
)
from gitwarden.rules import Rule

if TYPE_CHECKING:
    from gitwarden.forge.audit_context import AuditBar, AuditContext
    from gitwarden.forge.posture import BranchPolicy

FAMILY = "forge"
_GITHUB_PROTECTION = "PUT /repos/{owner}/{repo}/branches/{branch}/protection"
_GITHUB_RULESET = "PUT /repos/{owner}/{repo}/rulesets/{id}"
_GITHUB_UI = "Settings → Rules → Rulesets (or Settings → Branches)"
_GITLAB_BRANCH = "PATCH /projects/:id/protected_branches/:name"
_GITLAB_BRANCH_UI = "Settings → Repository → Protected branches"
_GITLAB_APPROVALS = "POST /projects/:id/approvals"
_GITLAB_APPROVALS_UI = "Settings → Merge requests → Merge request approvals"
_GITLAB_PUSH_RULE = "PUT /projects/:id/push_rule"
_GITLAB_PUSH_RULE_UI = "Settings → Repository → Push rules"
_REFERENCES = (
    SCORECARD_BRANCH_PROTECTION,
    LEGITIFY,
    GITHUB_RULESETS,
    GITHUB_BRANCH_PROTECTION,
    GITLAB_PROTECTED_BRANCHES,
    GITLAB_APPROVALS,
    GITLAB_PUSH_RULES,
)


BRANCH_UNPROTECTED = Rule(
    id="forge-branch-unprotected",
    family=FAMILY,
    severity=Severity.CRITICAL,
    title="A branch that deploys has no protection",
    rationale="Anyone with write access can push, force-push or delete the branch the GitOps "
    "controller applies: the repository is the production control plane.",
    remediation=f"GitHub: add a ruleset targeting the branch ({_GITHUB_UI}; POST "
    "/repos/{owner}/{repo}/rulesets with enforcement: active) or classic protection "
    f"({_GITHUB_PROTECTION}). GitLab: {_GITLAB_BRANCH_UI} → Protect a branch "
    "(POST /projects/:id/protected_branches).",
    references=_REFERENCES,
)
FORCE_PUSH_ALLOWED = Rule(
    id="forge-force-push-allowed",
    family=FAMILY,
    severity=Severity.HIGH,
    title="Force pushes are allowed on a branch that deploys",
    rationale="A force push rewrites what was reviewed and signed, and erases the audit trail.",
    remediation="GitHub: ruleset rule `non_fast_forward` (Block force pushes; "
    f"{_GITHUB_RULESET}) or classic `allow_force_pushes.enabled: false` "
    f"({_GITHUB_PROTECTION}). GitLab: `allow_force_push: false` ({_GITLAB_BRANCH}; "
    f"{_GITLAB_BRANCH_UI} → Allowed to force push off).",
    references=_REFERENCES,
)
DELETION_ALLOWED = Rule(
    id="forge-branch-deletion-allowed",
    family=FAMILY,
    severity=Severity.HIGH,
    title="A branch that deploys can be deleted",
    rationale="Deleting the branch a controller tracks stops or empties production.",
    remediation=f"GitHub: ruleset rule `deletion` (Restrict deletions; {_GITHUB_RULESET}) or "
    f"classic `allow_deletions.enabled: false` ({_GITHUB_PROTECTION}). GitLab: protect the branch "
    f"({_GITLAB_BRANCH_UI}); protected branches cannot be deleted over git.",
    references=_REFERENCES,
)
REVIEWS_NOT_REQUIRED = Rule(
    id="forge-reviews-not-required",
    family=FAMILY,
    severity=Severity.HIGH,
    title="Changes reach a branch that deploys without enough approving reviews",
    rationale="Four eyes on every production change is the first control of a GitOps repository.",
    remediation="GitHub: ruleset rule `pull_request.parameters.required_approving_review_count` "
    f"({_GITHUB_RULESET}) or classic `required_pull_request_reviews."
    f"required_approving_review_count` ({_GITHUB_PROTECTION}). GitLab: `approvals_required` "
    f"of an approval rule (POST /projects/:id/approval_rules; {_GITLAB_APPROVALS_UI}).",
    references=_REFERENCES,
)
CODE_OWNER_REVIEW_OFF = Rule(
    id="forge-code-owner-review-off",
    family=FAMILY,
    severity=Severity.MEDIUM,
    title="Code owners need not approve changes to what they own",
    rationale="CODEOWNERS only protects production paths when its owners' approval is required.",
    remediation="GitHub: `pull_request.parameters.require_code_owner_review: true` (ruleset) or "
    "`required_pull_request_reviews.require_code_owner_reviews: true` (classic). GitLab: "
    f"`code_owner_approval_required: true` ({_GITLAB_BRANCH}; {_GITLAB_BRANCH_UI} → "
    "Code owner approval).",
    references=_REFERENCES,
)
STALE_REVIEWS_KEPT = Rule(
    id="forge-stale-reviews-kept",
    family=FAMILY,
    severity=Severity.MEDIUM,
    title="Approvals survive new pushes",
    rationale="An approval given before a later push approves content nobody reviewed.",
    remediation="GitHub: `pull_request.parameters.dismiss_stale_reviews_on_push: true` (ruleset) "
    "or `required_pull_request_reviews.dismiss_stale_reviews: true` (classic). GitLab: "
    f"`reset_approvals_on_push: true` ({_GITLAB_APPROVALS}; {_GITLAB_APPROVALS_UI} → "
    "Remove all approvals when commits are added).",
    references=_REFERENCES,
)
LAST_PUSH_UNAPPROVED = Rule(
    id="forge-last-push-unapproved",
    family=FAMILY,
    severity=Severity.MEDIUM,
    title="The most recent push need not be approved by someone else",
    rationale="Without it, a reviewer can push a last change to an approved request and merge "
    "it alone.",
    remediation="GitHub: `pull_request.parameters.require_last_push_approval: true` (ruleset) or "
    "`required_pull_request_reviews.require_last_push_approval: true` (classic). GitLab: "
    f"`merge_requests_disable_committers_approval: true` ({_GITLAB_APPROVALS}; "
    f"{_GITLAB_APPROVALS_UI} → Prevent approvals by users who add commits).",
    references=_REFERENCES,
)
AUTHOR_SELF_APPROVAL = Rule(
    id="forge-author-self-approval",
    family=FAMILY,
    severity=Severity.HIGH,
    title="Authors may approve their own merge requests",
    rationale="Self-approval turns four eyes into two.",
    remediation=f"GitLab: `merge_requests_author_approval: false` ({_GITLAB_APPROVALS}; "
    f"{_GITLAB_APPROVALS_UI} → Prevent approval by author).",
    references=_REFERENCES,
)
STATUS_CHECKS_MISSING = Rule(
    id="forge-status-checks-missing",
    family=FAMILY,
    severity=Severity.MEDIUM,
    title="No status check must pass before a change reaches a branch that deploys",
    rationale="Without a required check, a failing gate (tests, gitwarden) does not block the "
    "merge.",
    remediation="GitHub: ruleset rule `required_status_checks` or classic `required_status_checks."
    f"contexts` ({_GITHUB_PROTECTION}). GitLab: `only_allow_merge_if_pipeline_succeeds: "
    "true` (PUT /projects/:id; Settings → Merge requests → Pipelines must succeed).",
    references=_REFERENCES,
)
GITWARDEN_CHECK_MISSING = Rule(
    id="forge-gitwarden-check-missing",
    family=FAMILY,
    severity=Severity.MEDIUM,
    title="gitwarden's own check is not a required status check",
    rationale="gitwarden can only gate production if its verdict blocks the merge.",
    remediation="GitHub: add the gitwarden job's check name to `required_status_checks` (ruleset "
    "`required_status_checks.parameters.required_status_checks[].context`, or classic "
    "`required_status_checks.contexts`). GitLab: run gitwarden in the pipeline and require "
    "the pipeline to succeed.",
    references=_REFERENCES,
)
UNSIGNED_COMMITS_ALLOWED = Rule(
    id="forge-unsigned-commits-allowed",
    family=FAMILY,
    severity=Severity.MEDIUM,
    title="The forge accepts unsigned commits on a branch that deploys",
    rationale="gitwarden verifies signatures offline; the forge refusing unsigned pushes stops "
    "them before they land.",
    remediation=f"GitHub: ruleset rule `required_signatures` ({_GITHUB_RULESET}) or classic "
    "POST /repos/{owner}/{repo}/branches/{branch}/protection/required_signatures. GitLab: "
    f"`reject_unsigned_commits: true` ({_GITLAB_PUSH_RULE}; {_GITLAB_PUSH_RULE_UI}).",
    references=_REFERENCES,
)
LINEAR_HISTORY_OFF = Rule(
    id="forge-linear-history-off",
    family=FAMILY,
    severity=Severity.LOW,
    title="Merge commits are allowed on a branch that deploys",
    rationale="A linear history makes each deployed revision one reviewed, signed commit.",
    remediation="GitHub: ruleset rule `required_linear_history` or classic "
    "`required_linear_history.enabled: true`. GitLab: `merge_method: ff` (PUT /projects/:id; "
    "Settings → Merge requests → Fast-forward merge).",
    references=_REFERENCES,
)
ADMINS_EXEMPT = Rule(
    id="forge-admins-exempt",
    family=FAMILY,
    severity=Severity.HIGH,
    title="Administrators are exempt from the branch protection",
    rationale="A stolen admin token then bypasses every review; protection must bind everyone.",
    remediation="GitHub: classic `enforce_admins.enabled: true` (POST "
    "/repos/{owner}/{repo}/branches/"
    f"{{branch}}/protection/enforce_admins; {_GITHUB_UI} → Do not allow bypassing), or move "
    "the branch to a ruleset with an empty `bypass_actors`.",
    references=_REFERENCES,
)
BYPASS_ACTORS = Rule(
    id="forge-bypass-actors",
    family=FAMILY,
    severity=Severity.MEDIUM,
    title="Some actors may bypass the protection of a branch that deploys",
    rationale="Each bypass actor is a way around review; keep the list empty or to a "
    "break-glass role.",
    remediation=f"GitHub: remove entries from the ruleset's `bypass_actors` ({_GITHUB_RULESET}; "
    f"{_GITHUB_UI} → Bypass list) and from classic `required_pull_request_reviews."
    "bypass_pull_request_allowances`.",
    references=_REFERENCES,
)
RULESET_NOT_ENFORCED = Rule(
    id="forge-ruleset-not-enforced",
    family=FAMILY,
    severity=Severity.HIGH,
    title="A ruleset for a branch that deploys is not enforced",
    rationale="A ruleset in `evaluate` or `disabled` enforcement only reports; it protects "
    "nothing.",
    remediation=f"GitHub: set the ruleset's `enforcement: active` ({_GITHUB_RULESET}; {_GITHUB_UI} "
    "→ Enforcement status: Active).",
    references=_REFERENCES,
)
MEMBER_CHECK_OFF = Rule(
    id="forge-push-rule-member-check-off",
    family=FAMILY,
    severity=Severity.LOW,
    title="Commits by authors who are not project members are accepted",
    rationale="Only known people should author what deploys.",
    remediation=f"GitLab: `member_check: true` ({_GITLAB_PUSH_RULE}; {_GITLAB_PUSH_RULE_UI} → "
    "Check whether the commit author is a GitLab user).",
    references=_REFERENCES,
)
COMMITTER_CHECK_OFF = Rule(
    id="forge-push-rule-committer-check-off",
    family=FAMILY,
    severity=Severity.LOW,
    title="Pushed commits may name a committer other than the pusher",
    rationale="Without it, anyone can push commits that claim someone else committed them.",
    remediation=f"GitLab: `commit_committer_check: true` ({_GITLAB_PUSH_RULE}; "
    f"{_GITLAB_PUSH_RULE_UI} "
    "→ Reject unverified users).",
    references=_REFERENCES,
)
TAGS_UNPROTECTED = Rule(
    id="forge-release-tags-unprotected",
    family=FAMILY,
    severity=Severity.HIGH,
    title="Release tags (v*) can be moved or deleted",
    rationale="Controllers that deploy tags follow a moved tag to content nobody released.",
    remediation="GitHub: a tag ruleset for `refs/tags/v*` with rules `deletion` and "
    "`non_fast_forward` (or `update`), enforcement active (POST /repos/{owner}/{repo}/rulesets, "
    "target: tag). GitLab: protect `v*` (POST /projects/:id/protected_tags; Settings → Repository "
    "→ Protected tags).",
    references=_REFERENCES,
)


@dataclass(frozen=True)
class Requirement:
    """A rule, the setting it names, and when a protected branch violates it."""

    rule: Rule
    setting: str
    violated: Callable[[BranchPolicy, AuditBar], bool]
    problem: Callable[[BranchPolicy, AuditBar], str]


REQUIREMENTS = (
    Requirement(
        FORCE_PUSH_ALLOWED,
        "non_fast_forward",
        lambda b, _: b.force_push_allowed,
        lambda b, _: "force pushes are allowed",
    ),
    Requirement(
        DELETION_ALLOWED,
        "deletion",
        lambda b, _: b.deletion_allowed,
        lambda b, _: "the branch can be deleted",
    ),
    Requirement(
        REVIEWS_NOT_REQUIRED,
        "pull_request.required_approving_review_count",
        lambda b, bar: b.required_approvals < bar.min_approvals,
        lambda b, bar: (
            f"{b.required_approvals} approving review(s) required, "
            f"at least {bar.min_approvals} expected"
        ),
    ),
    Requirement(
        CODE_OWNER_REVIEW_OFF,
        "pull_request.require_code_owner_review",
        lambda b, _: not b.code_owner_review,
        lambda b, _: "code-owner review is not required",
    ),
    Requirement(
        STALE_REVIEWS_KEPT,
        "pull_request.dismiss_stale_reviews_on_push",
        lambda b, _: not b.dismiss_stale_reviews,
        lambda b, _: "approvals are kept after new pushes",
    ),
    Requirement(
        LAST_PUSH_UNAPPROVED,
        "pull_request.require_last_push_approval",
        lambda b, _: not b.last_push_approval,
        lambda b, _: "the last push need not be approved by someone else",
    ),
    Requirement(
        AUTHOR_SELF_APPROVAL,
        "merge_requests_author_approval",
        lambda b, _: b.author_may_approve is True,
        lambda b, _: "authors may approve their own merge requests",
    ),
    Requirement(
        STATUS_CHECKS_MISSING,
        "required_status_checks",
        lambda b, _: not b.status_checks,
        lambda b, _: "no status check is required",
    ),
    Requirement(
        GITWARDEN_CHECK_MISSING,
        "required_status_checks",
        lambda b, bar: (
            bool(b.status_checks)
            and b.status_checks != ("pipeline",)
            and not any(bar.required_check.lower() in check.lower() for check in b.status_checks)
        ),
        lambda b, bar: (
            f"required checks are {', '.join(b.status_checks)}; none is {bar.required_check!r}"
        ),
    ),
    Requirement(
        UNSIGNED_COMMITS_ALLOWED,
        "required_signatures",
        lambda b, _: not b.signed_commits,
        lambda b, _: "unsigned commits are accepted",
    ),
    Requirement(
        LINEAR_HISTORY_OFF,
        "required_linear_history",
        lambda b, _: not b.linear_history,
        lambda b, _: "merge commits are allowed",
    ),
    Requirement(
        ADMINS_EXEMPT,
        "enforce_admins",
        lambda b, _: b.admins_exempt,
        lambda b, _: "administrators are not bound by the classic protection",
    ),
    Requirement(
        BYPASS_ACTORS,
        "bypass_actors",
        lambda b, _: bool(b.bypass),
        lambda b, _: "may be bypassed by " + "; ".join(b.bypass),
    ),
    Requirement(
        RULESET_NOT_ENFORCED,
        "enforcement",
        lambda b, _: bool(b.unenforced),
        lambda b, _: "not enforced: " + "; ".join(b.unenforced),
    ),
    Requirement(
        MEMBER_CHECK_OFF,
        "push_rule.member_check",
        lambda b, _: b.member_check is False,
        lambda b, _: "authors who are not members are accepted",
    ),
    Requirement(
        COMMITTER_CHECK_OFF,
        "push_rule.commit_committer_check",
        lambda b, _: b.committer_check is False,
        lambda b, _: "committers other than the pusher are accepted",
    ),
)
RULES = (
    BRANCH_UNPROTECTED,
    *(requirement.rule for requirement in REQUIREMENTS),
    TAGS_UNPROTECTED,
)


def find_branch_protection_gaps(context: AuditContext) -> Iterator[Finding]:
    """Every deploying branch (and the default branch) against every requirement."""
    # Imported here: the rule catalogue reads this module's rules at every scan.
    from gitwarden.forge.audit_context import branch_severity

    for branch in context.posture.branches:
        kind = "production branch" if branch.production else "default branch"
        resource = f"branch/{branch.branch}"
        # Unread settings are reported by forge-permission-missing; say so where it matters.
        unread = f"; could not read {', '.join(branch.unknown)}" if branch.unknown else ""
        if not branch.protected:
            yield BRANCH_UNPROTECTED.finding(
                f"{kind} {branch.branch} of {context.where} has no branch protection and no "
                f"active ruleset{unread}",
                context.location(resource),
                severity=branch_severity(BRANCH_UNPROTECTED, branch),
            )
            continue
        for requirement in REQUIREMENTS:
            if requirement.violated(branch, context.bar):
                problem = requirement.problem(branch, context.bar)
                yield requirement.rule.finding(
                    f"{kind} {branch.branch} of {context.where}: {problem} (protection from: "
                    f"{', '.join(branch.sources) or 'none'}{unread})",
                    context.location(resource, requirement.setting),
                    severity=branch_severity(requirement.rule, branch),
                )


def find_unprotected_tags(context: AuditContext) -> Iterator[Finding]:
    tags = context.posture.tags
    if tags is None or (tags.protected_from_deletion and tags.protected_from_moves):
        return
    gaps = [
        what
        for what, protected in (
            ("deleted", tags.protected_from_deletion),
            ("moved", tags.protected_from_moves),
        )
        if not protected
    ]
    yield TAGS_UNPROTECTED.finding(
        f"tags {tags.pattern} of {context.where} can be {' and '.join(gaps)}",
        context.location(f"tags/{tags.pattern}"),
    )
