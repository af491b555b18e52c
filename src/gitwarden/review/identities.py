"""Tying people to principals of the trust policy: commit authors, committers, forge users.

A commit's author is the principal whose key its signature names, and the principal whose
e-mail matches its author; both keep that principal from approving (erring towards
excluding people is the safe side of four eyes).
"""

from __future__ import annotations

from dataclasses import dataclass

from gitwarden.integrity.trust_policy import TrustPolicy
from gitwarden.review.change import Change


@dataclass(frozen=True)
class ChangePeople:
    """Principal name -> the short commit id that makes them author, committer, co-author."""

    authors: dict[str, str]
    committers: dict[str, str]
    co_authors: dict[str, str]


def change_people(change: Change, policy: TrustPolicy) -> ChangePeople:
    authors: dict[str, str] = {}
    committers: dict[str, str] = {}
    co_authors: dict[str, str] = {}
    for commit in change.commits:
        short = commit.oid[:8]
        for fingerprint in commit.signer_fingerprints:
            owner = policy.key_owner(fingerprint)
            if owner is not None:
                authors.setdefault(owner[0].name, short)
        _tie(policy, commit.author_email, short, authors)
        _tie(policy, commit.committer_email, short, committers)
        for email in commit.co_author_emails:
            _tie(policy, email, short, co_authors)
    return ChangePeople(authors, committers, co_authors)


def _tie(policy: TrustPolicy, email: str, short: str, into: dict[str, str]) -> None:
    principal = policy.principal_by_email(email) if email else None
    if principal is not None:
        into.setdefault(principal.name, short)


def forge_principal(policy: TrustPolicy, forge: str, user: str) -> str | None:
    principal = policy.principal_by_forge_user(forge, user) if user else None
    return None if principal is None else principal.name
