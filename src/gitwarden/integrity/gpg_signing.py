"""Signing with the user's own gpg, for approvals by OpenPGP keys.

gitwarden never runs gpg to verify (that happens in-process); signing needs the user's secret
key, which lives in their gpg agent, so the user's gpg signs, as ``git commit -S`` does. The
program is always ``gpg`` from PATH, never one a repository's config names.
"""

from __future__ import annotations

import os
import subprocess
from typing import Final

from gitwarden.errors import UsageError

GPG_TIMEOUT_SECONDS: Final = 120


def gpg_detach_sign(payload: bytes, key_id: str) -> bytes:
    """An armored detached OpenPGP signature of ``payload`` by ``key_id``."""
    try:
        done = subprocess.run(
            ["gpg", "--batch", "--armor", "--detach-sign", "--local-user", key_id],
            input=payload,
            capture_output=True,
            check=False,
            env=dict(os.environ),
            timeout=GPG_TIMEOUT_SECONDS,
        )
    except FileNotFoundError:
        raise UsageError("gpg is not installed or not on PATH") from None
    except subprocess.TimeoutExpired:
        raise UsageError(f"gpg did not sign within {GPG_TIMEOUT_SECONDS} s") from None
    if done.returncode != 0 or not done.stdout.startswith(b"-----BEGIN PGP SIGNATURE-----"):
        reason = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise UsageError(
            f"gpg could not sign with {key_id}: {reason[-1] if reason else 'no output'}"
        )
    return done.stdout
