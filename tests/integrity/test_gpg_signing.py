"""Approvals signed by the user's gpg: a detached signature that verifies, or a clear error."""

from __future__ import annotations

from pathlib import Path

import pytest
from integrity_fixtures import gpg_key

from gitwarden.errors import UsageError
from gitwarden.integrity.gpg_signing import gpg_detach_sign
from gitwarden.integrity.openpgp import OpenPgpSignatureScheme
from gitwarden.integrity.signature_scheme import TrustedKey


def test_signature_verifies_with_the_signers_certificate(
    gnupghome: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GNUPGHOME", str(gnupghome))
    fingerprint, cert = gpg_key(gnupghome, "dora@example.com")
    signature = gpg_detach_sign(b"gitwarden approval v1\ncommit abc\n", fingerprint)
    key = TrustedKey("openpgp", fingerprint, cert.encode())
    OpenPgpSignatureScheme().verify(
        b"gitwarden approval v1\ncommit abc\n", signature, key, namespace="gitwarden-approval"
    )


def test_unknown_key_is_a_usage_error(gnupghome: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GNUPGHOME", str(gnupghome))
    with pytest.raises(UsageError, match=r"could not sign with nobody@example\.com"):
        gpg_detach_sign(b"payload", "nobody@example.com")
