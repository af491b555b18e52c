"""The SHA256 fingerprint of an OpenSSH public key line, as ssh-keygen -l prints it."""

from __future__ import annotations

import base64
import binascii
import hashlib


def ssh_fingerprint(key_line: str) -> str | None:
    """``SHA256:<unpadded base64>`` of the key blob in ``key_line``; None if it is not one."""
    fields = key_line.split()
    if len(fields) < 2:
        return None
    try:
        blob = base64.b64decode(fields[1], validate=True)
    except (binascii.Error, ValueError):
        return None
    digest = base64.b64encode(hashlib.sha256(blob).digest()).decode().rstrip("=")
    return f"SHA256:{digest}"
