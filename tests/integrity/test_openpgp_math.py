"""The arithmetic of OpenPGP signatures made by real gpg keys of every supported kind."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from pysequoia.packet import PacketPile

from gitwarden.integrity.openpgp_math import signature_is_sound


def gpg(home: Path, *args: str, data: bytes | None = None) -> bytes:
    return subprocess.run(
        ["gpg", "--batch", "--pinentry-mode", "loopback", "--passphrase", "", *args],
        input=data,
        check=True,
        capture_output=True,
        env={**os.environ, "GNUPGHOME": str(home)},
    ).stdout


def key_body(home: Path, email: str) -> bytes:
    exported = gpg(home, "--export", email)
    return next(p.body for p in PacketPile.from_bytes(exported) if p.key_id is not None)


@pytest.fixture(params=["ed25519", "rsa2048", "nistp256"])
def signer(request: pytest.FixtureRequest, gnupghome: Path) -> tuple[Path, str]:
    email = f"{request.param}@example.com"
    gpg(gnupghome, "--quick-gen-key", email, request.param, "sign", "never")
    return gnupghome, email


def test_gpg_signature_is_sound(signer: tuple[Path, str]) -> None:
    home, email = signer
    signature = gpg(home, "--detach-sign", "-u", email, data=b"payload\n")
    assert signature_is_sound(b"payload\n", signature, key_body(home, email))


def test_signature_over_other_data_is_not_sound(signer: tuple[Path, str]) -> None:
    home, email = signer
    signature = gpg(home, "--detach-sign", "-u", email, data=b"payload\n")
    assert not signature_is_sound(b"altered\n", signature, key_body(home, email))


def test_signature_checked_with_another_key_is_not_sound(gnupghome: Path) -> None:
    gpg(gnupghome, "--quick-gen-key", "one@example.com", "ed25519", "sign", "never")
    gpg(gnupghome, "--quick-gen-key", "two@example.com", "ed25519", "sign", "never")
    signature = gpg(gnupghome, "--detach-sign", "-u", "one@example.com", data=b"payload\n")
    assert not signature_is_sound(b"payload\n", signature, key_body(gnupghome, "two@example.com"))


@pytest.mark.parametrize("packets", [b"", b"\xc2\x01\x04", b"\x89\x00\x05\x04\x00\x01\x08\x00"])
def test_unreadable_packets_are_not_sound(gnupghome: Path, packets: bytes) -> None:
    gpg(gnupghome, "--quick-gen-key", "one@example.com", "ed25519", "sign", "never")
    assert not signature_is_sound(b"payload\n", packets, key_body(gnupghome, "one@example.com"))
