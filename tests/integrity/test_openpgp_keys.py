"""The signing key of a certificate as gpg reads it: creation, expiry, usage, revocation."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from gitwarden.integrity.openpgp_keys import signing_key_state


def gpg(home: Path, *args: str) -> str:
    return subprocess.run(
        ["gpg", "--batch", "--pinentry-mode", "loopback", "--passphrase", "", *args],
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, "GNUPGHOME": str(home)},
    ).stdout


def fingerprints(home: Path, email: str) -> list[str]:
    listing = gpg(home, "--with-colons", "--list-keys", email)
    return [line.split(":")[9] for line in listing.splitlines() if line.startswith("fpr")]


def test_expiry_comes_from_the_newest_self_signature(gnupghome: Path) -> None:
    gpg(gnupghome, "--quick-gen-key", "a@example.com", "ed25519", "sign", "2y")
    [primary] = fingerprints(gnupghome, "a@example.com")
    cert = gpg(gnupghome, "--armor", "--export", primary).encode()
    state = signing_key_state(cert, {primary})
    assert state is not None and state.created is not None and state.expires is not None
    assert 720 <= (state.expires - state.created).days <= 732
    assert (state.may_sign, state.revoked) == (True, False)
    assert state.bound_since is not None and state.bound_since >= state.created


def test_signing_subkey_is_found_by_its_key_id(gnupghome: Path) -> None:
    gpg(gnupghome, "--quick-gen-key", "b@example.com", "ed25519", "cert", "never")
    [primary] = fingerprints(gnupghome, "b@example.com")
    gpg(gnupghome, "--quick-add-key", primary, "ed25519", "sign", "1y")
    subkey = fingerprints(gnupghome, "b@example.com")[1]
    cert = gpg(gnupghome, "--armor", "--export", primary).encode()
    primary_state = signing_key_state(cert, {primary})
    subkey_state = signing_key_state(cert, {subkey[-16:]})
    assert primary_state is not None and subkey_state is not None
    assert (primary_state.may_sign, subkey_state.may_sign) == (False, True)
    assert subkey_state.expires is not None


def test_key_no_id_names_has_no_state(gnupghome: Path) -> None:
    gpg(gnupghome, "--quick-gen-key", "c@example.com", "ed25519", "sign", "never")
    [primary] = fingerprints(gnupghome, "c@example.com")
    cert = gpg(gnupghome, "--armor", "--export", primary).encode()
    assert signing_key_state(cert, {"0" * 16}) is None
