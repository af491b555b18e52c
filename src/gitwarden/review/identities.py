"""Tying people to principals of the trust policy: commit authors, committers, forge users.

A commit's author is the principal whose key its signature names, and the principal whose
e-mail matches its author; both keep that principal from approving (erring towards
excluding people is the safe side of four eyes).
"""

from __future__ import annotations

from dataclasses import dataclass

from gitwarden.review.change import Change
from gitwarden.review.principals import Principals


@dataclass(frozen=True)
class ChangePeople:
    """Principal name -> the short commit id that makes them author, committer, co-author."""

    authors: dict[str, str]
    committers: dict[str, str]
    co_authors: dict[str, str]


def change_people(change: Change, principals: Principals) -> ChangePeople:
    authors: dict[str, str] = {}
    committers: dict[str, str] = {}
    co_authors: dict[str, str] = {}
    for commit in change.commits:
        short = commit.oid[:8]
        for fingerprint in commit.signer_fingerprints:
            owner = principals.owner_of_key(fingerprint)
            if owner is not None:
                authors.setdefault(owner, short)
        _tie(principals, commit.author_email, short, authors)
        _tie(principals, commit.committer_email, short, committers)
        for email in commit.co_author_emails:
            _tie(principals, email, short, co_authors)
    return ChangePeople(authors, committers, co_authors)


def _tie(principals: Principals, email: str, short: str, into: dict[str, str]) -> None:
    principal = principals.of_email(email)
    if principal is not None:
        into.setdefault(principal, short)
