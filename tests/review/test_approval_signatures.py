"""A verifier is any callable from envelope to verified statement; refusals are its error."""

from __future__ import annotations

import pytest
from review_repos import NOW

from gitwarden.attestation.approval_statements import ApprovalClaim
from gitwarden.attestation.dsse import Envelope
from gitwarden.review.approval_signatures import (
    StatementVerifier,
    UnverifiedStatementError,
    VerifiedStatement,
)

CLAIM = ApprovalClaim("refs/heads/main", "b" * 40, "h" * 40, "t" * 40, "read it all", NOW)


def refuse_all(envelope: Envelope) -> VerifiedStatement:
    raise UnverifiedStatementError("no key")


def test_a_refusing_verifier_raises_the_review_error() -> None:
    verifier: StatementVerifier = refuse_all
    with pytest.raises(UnverifiedStatementError):
        verifier(Envelope("application/vnd.in-toto+json", CLAIM.statement().to_bytes(), ()))
