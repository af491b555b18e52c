"""Signatures checked ahead in worker processes give the same verdicts as in-line checks."""

from __future__ import annotations

from pathlib import Path

import pytest
from integrity_fixtures import ssh_key

from gitwarden.integrity.batch_verification import preverify_ssh
from gitwarden.integrity.signature_scheme import SignatureError, TrustedKey
from gitwarden.integrity.sshsig import PREPARSED, PREVERIFIED, SshSignatureScheme
from gitwarden.integrity.sshsig_signing import load_private_key, public_key_of, sign_in_process


@pytest.fixture
def signed(tmp_path: Path) -> tuple[TrustedKey, TrustedKey, bytes]:
    signer = load_private_key(ssh_key(tmp_path, "signer").private)
    other = load_private_key(ssh_key(tmp_path, "other").private)
    assert signer is not None and other is not None
    signature = sign_in_process(signer, b"payload", "git")
    trusted = TrustedKey("ssh", "", public_key_of(signer).blob)
    stranger = TrustedKey("ssh", "", public_key_of(other).blob)
    return trusted, stranger, signature


def preverified(items: list[tuple[bytes, bytes, str]]) -> None:
    PREVERIFIED.clear()
    PREPARSED.clear()
    assert list(preverify_ssh(items, min_batch=1)) == [len(items)]


def test_preverified_valid_signature_verifies(signed: tuple[TrustedKey, TrustedKey, bytes]) -> None:
    trusted, _, signature = signed
    preverified([(b"payload", signature, "git")])
    SshSignatureScheme().verify(b"payload", signature, trusted, namespace="git")


def test_preverified_altered_payload_fails(signed: tuple[TrustedKey, TrustedKey, bytes]) -> None:
    trusted, _, signature = signed
    preverified([(b"altered", signature, "git")])
    with pytest.raises(SignatureError, match="does not match"):
        SshSignatureScheme().verify(b"altered", signature, trusted, namespace="git")


def test_preverified_signature_still_needs_the_trusted_key(
    signed: tuple[TrustedKey, TrustedKey, bytes],
) -> None:
    _, stranger, signature = signed
    preverified([(b"payload", signature, "git")])
    with pytest.raises(SignatureError, match="different key"):
        SshSignatureScheme().verify(b"payload", signature, stranger, namespace="git")
