from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from attestation_fixtures import KeyFiles, pem_keys, ssh_keys

from gitwarden.attestation.signing_keys import (
    KeyFileError,
    load_signing_key,
    load_verifying_key,
)


def test_key_id_is_the_fingerprint_ssh_keygen_prints(gate_keys: KeyFiles) -> None:
    printed = subprocess.run(
        ["ssh-keygen", "-l", "-f", str(gate_keys.public)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()[1]
    assert load_signing_key(gate_keys.private).key_id == printed
    assert load_verifying_key(gate_keys.public).key_id == printed


@pytest.mark.parametrize("make", [ssh_keys, pem_keys], ids=["ssh", "pem"])
def test_signature_by_a_key_file_verifies_under_its_public_file(
    tmp_path: Path, make: object
) -> None:
    keys: KeyFiles = make(tmp_path, "k")  # type: ignore[operator]
    signing = load_signing_key(keys.private)
    verifying = load_verifying_key(keys.public)
    signature = signing.sign(b"decision")
    assert verifying.key_id == signing.key_id
    assert verifying.verifies(signature, b"decision")
    assert not verifying.verifies(signature, b"other decision")


def test_non_ed25519_key_is_refused_with_how_to_make_one(tmp_path: Path) -> None:
    rsa = ssh_keys(tmp_path, "rsa", key_type="rsa")
    with pytest.raises(KeyFileError) as refused:
        load_signing_key(rsa.private)
    assert "ssh-keygen -t ed25519" in refused.value.diagnostics()
    with pytest.raises(KeyFileError, match="Ed25519"):
        load_verifying_key(rsa.public)


def test_passphrase_protected_key_is_refused(tmp_path: Path) -> None:
    private = tmp_path / "locked"
    subprocess.run(
        ["ssh-keygen", "-q", "-t", "ed25519", "-N", "secret", "-f", str(private)],
        check=True,
        capture_output=True,
    )
    with pytest.raises(KeyFileError, match="passphrase"):
        load_signing_key(private)


@pytest.mark.parametrize("content", [b"", b"not a key\n", b"\x00" * 100])
def test_garbage_is_not_a_key(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "key"
    path.write_bytes(content)
    with pytest.raises(KeyFileError):
        load_verifying_key(path)
    with pytest.raises(KeyFileError):
        load_signing_key(path)


def test_missing_or_oversized_key_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(KeyFileError, match="cannot read"):
        load_signing_key(tmp_path / "absent")
    huge = tmp_path / "huge"
    huge.write_bytes(b"A" * (1024 * 1024))
    with pytest.raises(KeyFileError, match="too large"):
        load_verifying_key(huge)
