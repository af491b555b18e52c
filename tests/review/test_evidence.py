"""Evidence records: a Git approval binds its tree, a forge approval only a commit."""

from __future__ import annotations

from gitwarden.review.evidence import GIT, Approval, Evidence


def test_evidence_starts_empty_and_keeps_its_order() -> None:
    first = Approval("bob", "bob", GIT, "m", tree="t")
    second = Approval("github:x", None, "github", "m", head="h")
    evidence = Evidence((first, second))
    assert [a.tree for a in evidence.approvals] == ["t", None]
    assert Evidence().delegations == ()
