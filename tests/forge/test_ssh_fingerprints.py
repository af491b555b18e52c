from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from gitwarden.forge.ssh_fingerprints import ssh_fingerprint


@pytest.mark.parametrize("key_type", ["ed25519", "ecdsa"])
def test_fingerprint_matches_ssh_keygen(tmp_path: Path, key_type: str) -> None:
    key = tmp_path / "key"
    subprocess.run(
        ["ssh-keygen", "-q", "-t", key_type, "-N", "", "-C", "x@example.com", "-f", str(key)],
        check=True,
    )
    listed = subprocess.run(
        ["ssh-keygen", "-l", "-E", "sha256", "-f", f"{key}.pub"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()[1]
    assert ssh_fingerprint(Path(f"{key}.pub").read_text(encoding="utf-8")) == listed


@pytest.mark.parametrize("line", ["", "ssh-ed25519", "ssh-ed25519 not*base64"])
def test_a_line_that_is_not_a_key_has_no_fingerprint(line: str) -> None:
    assert ssh_fingerprint(line) is None
