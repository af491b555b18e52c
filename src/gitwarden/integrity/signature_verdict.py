"""The verdict on one commit's own signature, in the terms git's ``%G?`` uses.

Findings say what is wrong; a verdict says what the signature is, for every commit, valid
ones included: the adoption report counts them and the conformance test compares them with
git's. Approvals and path rules are not part of it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from gitwarden.integrity import rules
from gitwarden.integrity.signer_check import SignerCheck


class SignatureStatus(StrEnum):
    VALID = "valid"  # git: G (or U, Y when gpg does not trust or no longer trusts the key)
    BAD = "bad"  # git: B
    UNKNOWN_KEY = "unknown-key"  # git: E (the key is not in the keyring)
    UNSIGNED = "unsigned"  # git: N
    REVOKED_KEY = "revoked-key"  # git: R
    EXPIRED_KEY = "expired-key"  # git: Y for a signature made after the key expired
    KEY_NOT_VALID = "key-not-valid"  # the policy's validity window or key age
    UNSUPPORTED = "unsupported"  # a scheme gitwarden does not verify (webauthn-sk-*)
    UNCHECKED = "unchecked"  # no readable policy: nothing to check the signature against


_BY_RULE = {
    rules.UNSIGNED_COMMIT.id: SignatureStatus.UNSIGNED,
    rules.BAD_SIGNATURE.id: SignatureStatus.BAD,
    rules.UNKNOWN_SIGNER.id: SignatureStatus.UNKNOWN_KEY,
    rules.REVOKED_KEY.id: SignatureStatus.REVOKED_KEY,
    rules.CERTIFICATE_EXPIRED.id: SignatureStatus.EXPIRED_KEY,
    rules.KEY_NOT_VALID.id: SignatureStatus.KEY_NOT_VALID,
    rules.KEY_TOO_OLD.id: SignatureStatus.KEY_NOT_VALID,
    rules.UNSUPPORTED_SIGNATURE_SCHEME.id: SignatureStatus.UNSUPPORTED,
}


@dataclass(frozen=True)
class SignatureVerdict:
    """``key``: the fingerprint of the key that made the signature (git's ``%GF``), or the
    key id the signature names when no trusted key matched."""

    commit: str
    ref: str
    status: SignatureStatus
    key: str | None
    author: str


def verdict_of(check: SignerCheck, commit: str, ref: str, author: str) -> SignatureVerdict:
    status = SignatureStatus.VALID if check.problem is None else _BY_RULE[check.problem.id]
    key = check.signing_key or check.key
    return SignatureVerdict(commit, ref, status, key, author)
