"""The engine on hand-made changes: switches of four eyes, invalidate_on_push, dedup by person."""

from __future__ import annotations

from dataclasses import replace

from review_repos import NOW

from gitwarden.review.change import Change, ChangeCommit, ChangedFile
from gitwarden.review.engine import ReviewInputs, judge
from gitwarden.review.evidence import Approval, Evidence
from gitwarden.review.identities import ChangePeople
from gitwarden.review.policy import FourEyes, ReviewPolicy, ReviewRule

FIRST, HEAD, TREE = "1" * 40, "2" * 40, "t" * 40
CHANGE = Change(
    "refs/heads/main",
    "b" * 40,
    HEAD,
    TREE,
    (ChangedFile("apps/a.yaml", "M"),),
    (ChangeCommit(HEAD, "alice@example.com", "bob@example.com"), ChangeCommit(FIRST, "", "")),
)
PEOPLE = ChangePeople({"alice": "22222222"}, {"bob": "22222222"}, {})
MESSAGE = "Compared the values with the runbook."


def inputs(*approvals: Approval, policy: ReviewPolicy | None = None) -> ReviewInputs:
    policy = policy or ReviewPolicy(rules=(ReviewRule("four-eyes", approvals=1),))
    return ReviewInputs(policy, CHANGE, PEOPLE, Evidence(approvals), NOW)


def test_committers_may_approve_when_switched_off() -> None:
    policy = ReviewPolicy(rules=(ReviewRule("r"),), four_eyes=FourEyes(committers=False))
    (verdict,) = judge(inputs(Approval("bob", "bob", "git", MESSAGE, HEAD, TREE), policy=policy))
    assert verdict.satisfied


def test_an_earlier_commit_of_the_change_counts_without_invalidate_on_push() -> None:
    rule = ReviewRule("r", invalidate_on_push=False)
    approval = Approval("carol", "carol", "github", MESSAGE, head=FIRST)
    (verdict,) = judge(inputs(approval, policy=ReviewPolicy(rules=(rule,))))
    assert verdict.satisfied


def test_a_forge_approval_of_another_commit_is_stale() -> None:
    (verdict,) = judge(inputs(Approval("carol", "carol", "github", MESSAGE, head=FIRST)))
    assert [str(r) for r in verdict.rejected] == [
        "carol: approved commit 11111111…, not the current one"
    ]


def test_one_good_approval_of_a_person_is_enough_among_bad_ones() -> None:
    good = Approval("carol", "carol", "git", MESSAGE, HEAD, TREE, "refs/heads/main")
    (verdict,) = judge(inputs(replace(good, message="lgtm"), good))
    assert (verdict.counted, verdict.rejected) == (("carol",), ())


def test_an_approval_for_another_branch_does_not_count() -> None:
    other = Approval("carol", "carol", "git", MESSAGE, HEAD, TREE, "refs/heads/dev")
    (verdict,) = judge(inputs(other))
    assert not verdict.satisfied


def test_a_rule_for_another_branch_does_not_apply() -> None:
    policy = ReviewPolicy(rules=(ReviewRule("r", branches=("release/*",)),))
    assert judge(inputs(policy=policy)) == ()


def test_codeowners_without_a_reader_is_not_evaluated_and_unsatisfied() -> None:
    policy = ReviewPolicy(rules=(ReviewRule("r", approvals=0, codeowners=True),))
    (verdict,) = judge(inputs(policy=policy))
    assert not verdict.satisfied
    assert verdict.missing[0].startswith("CODEOWNERS not evaluated")
