"""Files whose secrets are encrypted and therefore safe in Git: SOPS documents."""

from __future__ import annotations

import re

# SOPS writes its metadata (with the MAC over the encrypted values) into the file itself.
_SOPS_YAML = re.compile(r"^sops:[ \t]*$(?:\n[ \t]+.*)*?\n[ \t]+mac:[ \t]*ENC\[", re.MULTILINE)
_SOPS_JSON = re.compile(r'"sops"\s*:\s*\{[^{}]*?"mac"\s*:\s*"ENC\[', re.DOTALL)
_SOPS_DOTENV = re.compile(r"^sops_mac=ENC\[", re.MULTILINE)
_SOPS_INI = re.compile(r"^\[sops\]\s*$(?:\n.*)*?\nmac\s*=\s*ENC\[", re.MULTILINE)
_ENCRYPTED_VALUE = "ENC[AES256_GCM,"


def is_sops_encrypted(text: str) -> bool:
    """True for a file SOPS encrypted (YAML, JSON, dotenv or INI), with its MAC present."""
    if _ENCRYPTED_VALUE not in text:
        return False
    return bool(
        _SOPS_YAML.search(text)
        or _SOPS_JSON.search(text)
        or _SOPS_DOTENV.search(text)
        or _SOPS_INI.search(text)
    )
