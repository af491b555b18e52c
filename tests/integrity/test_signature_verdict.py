"""Each signer check maps to the verdict git's %G? would give it."""

from __future__ import annotations

import pytest

from gitwarden.integrity import rules
from gitwarden.integrity.signature_verdict import SignatureStatus, verdict_of
from gitwarden.integrity.signer_check import SignerCheck
from gitwarden.rules import Rule


@pytest.mark.parametrize(
    ("problem", "status"),
    [
        (None, SignatureStatus.VALID),
        (rules.UNSIGNED_COMMIT, SignatureStatus.UNSIGNED),
        (rules.BAD_SIGNATURE, SignatureStatus.BAD),
        (rules.UNKNOWN_SIGNER, SignatureStatus.UNKNOWN_KEY),
        (rules.REVOKED_KEY, SignatureStatus.REVOKED_KEY),
        (rules.CERTIFICATE_EXPIRED, SignatureStatus.EXPIRED_KEY),
        (rules.KEY_NOT_VALID, SignatureStatus.KEY_NOT_VALID),
    ],
)
def test_check_maps_to_its_status(problem: Rule | None, status: SignatureStatus) -> None:
    check = SignerCheck("alice", "PRIMARY", problem, signing_key="SUBKEY")
    assert verdict_of(check, "c1", "refs/heads/main", "A <a@x>").status is status


def test_verdict_key_is_the_signing_subkey_when_known() -> None:
    check = SignerCheck("alice", "PRIMARY", None, signing_key="SUBKEY")
    assert verdict_of(check, "c1", "refs/heads/main", "A <a@x>").key == "SUBKEY"
