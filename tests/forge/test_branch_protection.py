from __future__ import annotations

from typing import Any

import pytest

from forge.forge_postures import HARDENED, branch, context
from gitwarden.findings import Severity
from gitwarden.forge.audit_context import AuditBar
from gitwarden.forge.branch_protection import (
    find_branch_protection_gaps,
    find_unprotected_tags,
)
from gitwarden.forge.posture import TagPolicy


def _fired(**changes: Any) -> list[str]:
    return [f.rule_id for f in find_branch_protection_gaps(context(branches=(branch(**changes),)))]


@pytest.mark.parametrize(
    ("changes", "rule_id"),
    [
        ({"force_push_allowed": True}, "forge-force-push-allowed"),
        ({"deletion_allowed": True}, "forge-branch-deletion-allowed"),
        ({"required_approvals": 0}, "forge-reviews-not-required"),
        ({"code_owner_review": False}, "forge-code-owner-review-off"),
        ({"dismiss_stale_reviews": False}, "forge-stale-reviews-kept"),
        ({"last_push_approval": False}, "forge-last-push-unapproved"),
        ({"author_may_approve": True}, "forge-author-self-approval"),
        ({"status_checks": ()}, "forge-status-checks-missing"),
        ({"status_checks": ("ci/tests",)}, "forge-gitwarden-check-missing"),
        ({"signed_commits": False}, "forge-unsigned-commits-allowed"),
        ({"linear_history": False}, "forge-linear-history-off"),
        ({"admins_exempt": True}, "forge-admins-exempt"),
        ({"bypass": ("Team:5 bypass always",)}, "forge-bypass-actors"),
        ({"unenforced": ("ruleset 'x' (evaluate)",)}, "forge-ruleset-not-enforced"),
        ({"member_check": False}, "forge-push-rule-member-check-off"),
        ({"committer_check": False}, "forge-push-rule-committer-check-off"),
    ],
)
def test_one_weakened_setting_fires_its_rule_alone(changes: dict[str, Any], rule_id: str) -> None:
    assert _fired(**changes) == [rule_id]


def test_hardened_branch_is_silent() -> None:
    assert _fired() == []


def test_unprotected_branch_is_one_critical_finding() -> None:
    findings = list(find_branch_protection_gaps(context(branches=(branch(protected=False),))))
    assert [(f.rule_id, f.severity) for f in findings] == [
        ("forge-branch-unprotected", Severity.CRITICAL)
    ]


def test_default_branch_that_does_not_deploy_is_held_to_medium() -> None:
    weak = branch(production=False, protected=False)
    findings = list(find_branch_protection_gaps(context(branches=(weak,))))
    assert findings[0].severity == Severity.MEDIUM


def test_required_approvals_follow_the_bar() -> None:
    strict = context(branches=(HARDENED,), bar=AuditBar(min_approvals=3))
    assert [f.rule_id for f in find_branch_protection_gaps(strict)] == [
        "forge-reviews-not-required"
    ]


def test_gitwarden_check_is_found_inside_a_longer_check_name() -> None:
    assert _fired(status_checks=("ci / gitwarden scan",)) == []


def test_finding_names_the_setting_path() -> None:
    finding = next(find_branch_protection_gaps(context(branches=(branch(signed_commits=False),))))
    assert (finding.location.resource, finding.location.field_path) == (
        "branch/main",
        "required_signatures",
    )


@pytest.mark.parametrize(
    ("deletion", "moves", "fires"),
    [(True, True, False), (False, True, True), (True, False, True)],
)
def test_release_tags_must_resist_deletion_and_moves(
    deletion: bool, moves: bool, fires: bool
) -> None:
    audit = context(tags=TagPolicy("v*", deletion, moves))
    found = [f.rule_id for f in find_unprotected_tags(audit)]
    assert found == (["forge-release-tags-unprotected"] if fires else [])


def test_unprotected_branch_says_what_could_not_be_read() -> None:
    hidden = branch(protected=False, unknown=("classic branch protection",))
    finding = next(find_branch_protection_gaps(context(branches=(hidden,))))
    assert finding.message.endswith("could not read classic branch protection")
