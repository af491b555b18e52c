from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from integrity_fixtures import SshKey, ssh_key


@pytest.fixture(autouse=True)
def private_state_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Caches and ledger witnesses of each test stay in its own folder."""
    state = tmp_path / "gitwarden-state"
    monkeypatch.setenv("GITWARDEN_STATE_DIR", str(state))
    return state


@pytest.fixture
def keys(tmp_path: Path) -> dict[str, SshKey]:
    folder = tmp_path / "keys"
    return {name: ssh_key(folder, name) for name in ("alice", "bob", "carol", "eve")}


@pytest.fixture
def gnupghome(tmp_path: Path) -> Path:
    home = tmp_path / "gnupg"
    home.mkdir(mode=0o700)
    return home


def gpg_key(home: Path, email: str) -> tuple[str, str]:
    """A fresh ed25519 OpenPGP key without passphrase: (fingerprint, armored public cert)."""
    env = {**os.environ, "GNUPGHOME": str(home)}
    subprocess.run(
        [
            "gpg",
            "--batch",
            "--pinentry-mode",
            "loopback",
            "--passphrase",
            "",
            "--quick-gen-key",
            email,
            "ed25519",
            "sign",
            "never",
        ],
        check=True,
        capture_output=True,
        env=env,
    )
    listing = subprocess.run(
        ["gpg", "--batch", "--with-colons", "--list-keys", email],
        check=True,
        capture_output=True,
        text=True,
        env=env,
    ).stdout
    fingerprint = next(
        line.split(":")[9] for line in listing.splitlines() if line.startswith("fpr")
    )
    cert = subprocess.run(
        ["gpg", "--batch", "--armor", "--export", fingerprint],
        check=True,
        capture_output=True,
        text=True,
        env=env,
    ).stdout
    return fingerprint, cert
