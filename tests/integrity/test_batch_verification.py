"""Signatures checked ahead in worker processes give the same verdicts as in-line checks."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from integrity_fixtures import ssh_key

from gitwarden.integrity.batch_verification import ChecksAhead
from gitwarden.integrity.signature_scheme import SignatureError, TrustedKey
from gitwarden.integrity.sshsig import SshSignatureScheme
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


def preverified(items: list[tuple[bytes, bytes, str]]) -> SshSignatureScheme:
    """A run's SSH verifier holding the outcomes of ``items``, checked in worker processes."""
    scheme = SshSignatureScheme()
    assert list(scheme.preverify(items, min_batch=1)) == [len(items)]
    return scheme


def test_preverified_valid_signature_verifies(signed: tuple[TrustedKey, TrustedKey, bytes]) -> None:
    trusted, _, signature = signed
    preverified([(b"payload", signature, "git")]).verify(
        b"payload", signature, trusted, namespace="git"
    )


def test_preverified_altered_payload_fails(signed: tuple[TrustedKey, TrustedKey, bytes]) -> None:
    trusted, _, signature = signed
    scheme = preverified([(b"altered", signature, "git")])
    with pytest.raises(SignatureError, match="does not match"):
        scheme.verify(b"altered", signature, trusted, namespace="git")


def test_preverified_signature_still_needs_the_trusted_key(
    signed: tuple[TrustedKey, TrustedKey, bytes],
) -> None:
    _, stranger, signature = signed
    scheme = preverified([(b"payload", signature, "git")])
    with pytest.raises(SignatureError, match="different key"):
        scheme.verify(b"payload", signature, stranger, namespace="git")


def test_outcomes_checked_ahead_stay_in_their_own_run(
    signed: tuple[TrustedKey, TrustedKey, bytes],
) -> None:
    trusted, _, signature = signed
    preverified([(b"altered", signature, "git")])  # another run's outcome: "does not match"
    with pytest.raises(SignatureError, match="does not match"):
        SshSignatureScheme().verify(b"altered", signature, trusted, namespace="git")
    fresh = SshSignatureScheme()
    assert fresh.preverified == {}


def test_concurrent_runs_do_not_see_each_others_outcomes(
    signed: tuple[TrustedKey, TrustedKey, bytes],
) -> None:
    """Two runs in threads: one holds a forged "valid" outcome, the other must not use it."""
    from concurrent.futures import ThreadPoolExecutor

    trusted, _, signature = signed
    planted = SshSignatureScheme()
    planted.preverified[("git", signature, b"altered")] = None  # as if it had verified

    def honest_run() -> str:
        try:
            SshSignatureScheme().verify(b"altered", signature, trusted, namespace="git")
        except SignatureError as error:
            return str(error)
        return "valid"

    def planted_run() -> str:
        planted.verify(b"altered", signature, trusted, namespace="git")
        return "valid"

    with ThreadPoolExecutor(max_workers=2) as pool:
        honest = [pool.submit(honest_run) for _ in range(8)]
        forged = pool.submit(planted_run)
        outcomes = {future.result() for future in honest}
    assert forged.result() == "valid"
    assert outcomes == {"the signature does not match the signed data"}


def test_waiting_for_an_item_advances_its_batch_only_as_far_as_needed() -> None:
    progress: list[int] = []

    def ready() -> Iterator[int]:
        for done in (2, 4):
            progress.append(done)
            yield done

    ahead = ChecksAhead()
    ahead.add(["a", "b", "c", "d"], ready())
    ahead.wait_for("b")
    assert progress == [2]
    ahead.wait_for("not-checked-ahead")
    ahead.wait_for("c")
    assert progress == [2, 4]
