"""A digest of everything that decides what a secret scan finds: the version and every rule.

Caches are bound to it, so a new or changed rule (or a new gitwarden) rescans everything.
"""

from __future__ import annotations

import hashlib
from functools import cache

from gitwarden.secrets.catalogue import secret_rules
from gitwarden.secrets.kubernetes_rules import KUBERNETES_RULES
from gitwarden.version import __version__

# Bump when the scanning code (not a rule) changes what a blob yields, e.g. a new fallback:
# caches written before then must not vouch for blobs the new code would flag.
SCANNER_REVISION = 2


@cache
def rule_set_digest() -> str:
    digest = hashlib.sha256(f"gitwarden {__version__} {SCANNER_REVISION}\0".encode())
    for rule in secret_rules():
        fields = (
            rule.id,
            rule.pattern,
            repr(rule.entropy),
            *rule.allow,
            *rule.keywords,
            *rule.supersedes,
            repr((rule.generic, rule.keyword_in_file)),
        )
        digest.update("\0".join(fields).encode() + b"\n")
    for kubernetes_rule in KUBERNETES_RULES:
        digest.update(kubernetes_rule.id.encode() + b"\n")
    return digest.hexdigest()[:32]
