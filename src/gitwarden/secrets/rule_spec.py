"""What a secret rule is: a credential format as data, and the gitwarden Rule it reports as.

Patterns are RE2 syntax over bytes (linear time on any input). ``keywords`` are literals, one
of which every match contains (case-insensitively): the first pass looks only for them.
Example strings are built from specs at import time so that the source holds no literal
token a push-protection scanner would block.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache, cached_property

from gitwarden.findings import Severity
from gitwarden.rules import Rule

FAMILY = "secrets"

ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
UPPER_ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
LOWER_ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789"
HEX = "0123456789abcdef"
UPPER_HEX = "0123456789ABCDEF"
BASE64 = ALNUM + "+/"
BASE64URL = ALNUM + "_-"
BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
DIGITS = "0123456789"


def fill(seed: str, length: int, alphabet: str) -> str:
    """``length`` characters of ``alphabet`` that look random but are the same every run."""
    digests = bytearray()
    counter = 0
    while len(digests) < length:
        digests += hashlib.sha256(f"{seed}:{counter}".encode()).digest()
        counter += 1
    # Each byte picks alphabet[byte % len(alphabet)]: a translation table does that in C,
    # where a Python step per character cost every scan ~20 ms building the catalogue.
    if alphabet.isascii():
        return digests[:length].translate(_byte_table(alphabet)).decode("ascii")
    return "".join(alphabet[byte % len(alphabet)] for byte in digests[:length])


@cache
def _byte_table(alphabet: str) -> bytes:
    return bytes(ord(alphabet[byte % len(alphabet)]) for byte in range(256))


@dataclass(frozen=True)
class SecretRule:
    """One credential format.

    ``pattern`` may name a group ``secret`` (the credential itself); otherwise the whole
    match is the secret. ``generic`` rules (assignments, URLs) yield to a specific rule that
    matches the same text. ``allow`` are extra RE2 patterns that mark a value as a placeholder.
    """

    id: str
    title: str
    provider: str
    pattern: str
    keywords: tuple[str, ...]
    positives: tuple[str, ...]
    negatives: tuple[str, ...]
    severity: Severity = Severity.CRITICAL
    entropy: float | None = None
    allow: tuple[str, ...] = ()
    generic: bool = False
    references: tuple[str, ...] = ()
    # The token's shape alone is too common: a keyword must also occur in the same file.
    keyword_in_file: bool = False
    # Rules this one names better where both match the same text (a GCP key file's PEM key).
    supersedes: tuple[str, ...] = ()

    @cached_property
    def rule(self) -> Rule:
        return Rule(
            id=self.id,
            family=FAMILY,
            severity=self.severity,
            title=self.title,
            rationale=(
                f"A {self.provider} credential committed to Git is readable by everyone who can "
                "clone the repository, forever: deleting it later does not remove it from "
                "history, forks or clones."
            ),
            remediation=(
                f"Revoke and rotate the {self.provider} credential now, then keep it out of Git: "
                "reference it from a secret manager (ExternalSecret), or encrypt it (SOPS, "
                "SealedSecret)."
            ),
            references=self.references,
        )
