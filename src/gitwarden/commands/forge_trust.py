"""The one place the forge audit reads the trust policy: integrity's types to forge's data.

`gitwarden.forge` is a scanner and may not import `gitwarden.integrity`; this adapter turns
the policy into `ForgeTrust`. If integrity's names move, this module is the one to fix.
A principal's forge login is its name until the trust policy records forge identities
(issue 15).
"""

from __future__ import annotations

from pathlib import Path

from gitwarden.errors import ConfigError
from gitwarden.forge.trust_data import ForgeTrust, TrustedKey, TrustedPrincipal
from gitwarden.integrity.trust_file import MAX_POLICY_BYTES, parse_trust_policy
from gitwarden.integrity.trust_policy import POLICY_PATH, TrustPolicy


def forge_trust(root: Path) -> ForgeTrust:
    """The trust policy of the working tree at ``root`` as plain data (absent: not present)."""
    path = root / POLICY_PATH
    if not path.is_file() or path.is_symlink():
        return ForgeTrust(present=False)
    if path.stat().st_size > MAX_POLICY_BYTES:
        raise ConfigError(f"is larger than {MAX_POLICY_BYTES} bytes", file=POLICY_PATH)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ConfigError("is not UTF-8", file=POLICY_PATH) from None
    return trust_from_policy(parse_trust_policy(text, POLICY_PATH))


def trust_from_policy(policy: TrustPolicy) -> ForgeTrust:
    principals = tuple(
        TrustedPrincipal(
            name=principal.name,
            login=principal.name,
            keys=tuple(
                TrustedKey(key.scheme, key.fingerprint, key.added)
                for key in principal.keys
                if policy.revocation_of(principal.name, key) is None
            ),
            signs_for=tuple(
                dict.fromkeys(
                    branch
                    for rule in policy.rules
                    if principal.name in rule.principals
                    for branch in rule.branches
                )
            ),
        )
        for principal in policy.principals
        if not any(revoked.principal == principal.name for revoked in policy.revoked)
    )
    return ForgeTrust(
        present=True,
        principals=principals,
        max_key_age_days=policy.max_key_age_days,
        key_warning_days=policy.key_age_warning_days,
    )


def signing_branches(trust: ForgeTrust) -> tuple[str, ...]:
    """The literal branches the trust policy's rules name (patterns cannot be listed)."""
    names = (
        branch.removeprefix("refs/heads/")
        for principal in trust.principals
        for branch in principal.signs_for
    )
    literal = (n for n in names if not set(n) & set("*?[") and not n.startswith("refs/"))
    return tuple(dict.fromkeys(literal))
