"""The adoption report: counts per author and key, each commit once."""

from __future__ import annotations

from gitwarden.integrity.adoption import adoption_of
from gitwarden.integrity.signature_verdict import SignatureStatus, SignatureVerdict

ALICE = "Alice <alice@example.com>"
BOB = "Bob <bob@example.com>"


def verdict(
    commit: str,
    status: SignatureStatus,
    author: str,
    key: str | None = None,
    ref: str = "refs/heads/main",
) -> SignatureVerdict:
    return SignatureVerdict(commit, ref, status, key, author)


def test_commit_reached_from_two_refs_is_counted_once() -> None:
    adoption = adoption_of(
        [
            verdict("c1", SignatureStatus.UNSIGNED, ALICE),
            verdict("c1", SignatureStatus.UNSIGNED, ALICE, ref="refs/heads/release"),
        ]
    )
    assert adoption.commits == 1
    assert [(e.author, e.commits) for e in adoption.entries] == [(ALICE, 1)]


def test_unknown_keys_are_grouped_per_key_and_valid_commits_are_not_listed() -> None:
    adoption = adoption_of(
        [
            verdict("c1", SignatureStatus.UNKNOWN_KEY, BOB, "KEY1"),
            verdict("c2", SignatureStatus.UNKNOWN_KEY, BOB, "KEY2"),
            verdict("c3", SignatureStatus.UNKNOWN_KEY, BOB, "KEY1"),
            verdict("c4", SignatureStatus.VALID, ALICE, "KEY3"),
        ]
    )
    assert [(e.key, e.commits) for e in adoption.entries] == [("KEY1", 2), ("KEY2", 1)]
    assert dict(adoption.by_status) == {SignatureStatus.UNKNOWN_KEY: 3, SignatureStatus.VALID: 1}


def test_text_lists_each_group_with_its_count() -> None:
    text = adoption_of([verdict("c1", SignatureStatus.UNSIGNED, ALICE)]).as_text()
    assert f"1  unsigned    {ALICE}" in text
