"""`gitwarden.delegate`: a delegation needs a reason and a day still to come."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import pytest

from gitwarden.commands.delegate import DelegateOptions, delegate
from gitwarden.errors import UsageError

# The review tests' repository helpers, from their own folder.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "review"))
from review_repos import NOW, make_review_repo, ssh_key


@pytest.mark.parametrize(
    ("until", "reason", "refusal"),
    [(date(2026, 12, 24), " ", "needs a reason"), (date(2026, 11, 30), "leave", "already over")],
)
def test_delegate_refuses(tmp_path: Path, until: date, reason: str, refusal: str) -> None:
    key = ssh_key(tmp_path, "dave")
    repo = make_review_repo(tmp_path / "repo", {n: key for n in ("alice", "bob", "carol", "dave")})
    options = DelegateOptions("bob", "product-owners", until, reason, key.private, now=NOW)
    with pytest.raises(UsageError, match=refusal):
        delegate(repo, options)


def test_delegate_lasts_to_the_end_of_its_day(tmp_path: Path) -> None:
    key = ssh_key(tmp_path, "dave")
    repo = make_review_repo(tmp_path / "repo", {n: key for n in ("alice", "bob", "carol", "dave")})
    options = DelegateOptions(
        "bob", "product-owners", date(2026, 12, 1), "leave", key.private, now=NOW
    )
    claim = delegate(repo, options).claim
    assert claim.ends.isoformat() == "2026-12-02T00:00:00+00:00"
