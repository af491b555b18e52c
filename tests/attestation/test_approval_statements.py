"""Approval and delegation statements: round trip, one change per claim, day-end validity."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from types import MappingProxyType

import pytest

from gitwarden.attestation.approval_statements import (
    ApprovalClaim,
    DelegationClaim,
    approval_claim,
    delegation_claim,
)
from gitwarden.attestation.statement import AttestationError, Subject

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
CLAIM = ApprovalClaim("refs/heads/main", "b" * 40, "h" * 40, "t" * 40, "read it all", NOW)


def test_an_approval_reads_back_from_its_statement() -> None:
    assert approval_claim(CLAIM.statement()) == CLAIM


def test_a_subject_naming_another_commit_is_refused() -> None:
    statement = CLAIM.statement()
    other = Subject("refs/heads/main", MappingProxyType({"gitCommit": "x" * 40}))
    with pytest.raises(AttestationError, match="different changes"):
        approval_claim(replace(statement, subjects=(other, statement.subjects[1])))


def test_a_delegation_reads_back_from_its_statement() -> None:
    claim = DelegationClaim("product-owners", "bob", date(2026, 12, 24), "leave", NOW)
    assert delegation_claim(claim.statement()) == claim


@pytest.mark.parametrize(
    ("moment", "valid"),
    [
        (NOW - timedelta(seconds=1), False),
        (NOW, True),
        (NOW.replace(day=24, hour=23, minute=59), True),
        (NOW.replace(day=25, hour=0, minute=0), False),
    ],
)
def test_a_delegation_holds_to_the_end_of_its_day(moment: object, valid: bool) -> None:
    claim = DelegationClaim("product-owners", "bob", date(2026, 12, 24), "leave", NOW)
    assert claim.valid_at(moment) is valid  # type: ignore[arg-type]


def test_an_approval_is_not_a_delegation() -> None:
    with pytest.raises(AttestationError, match="not a delegation"):
        delegation_claim(CLAIM.statement())
