"""What a verified review statement is, and the verifier a review is given.

The verifier (``gitwarden.commands.review_signatures``) checks a DSSE envelope against the
trust policy with the integrity package's SSH and OpenPGP verification; the review scanner
only sees its answer, so it never imports another scanner.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from gitwarden.attestation.dsse import Envelope
from gitwarden.attestation.statement import Statement


class UnverifiedStatementError(ValueError):
    """No signature of the envelope verifies under a valid key of the trust policy."""


@dataclass(frozen=True)
class VerifiedStatement:
    """The statement, and the principal whose trusted key signed it."""

    statement: Statement
    principal: str
    fingerprint: str


# Raises UnverifiedStatementError when no signature verifies.
StatementVerifier = Callable[[Envelope], VerifiedStatement]
