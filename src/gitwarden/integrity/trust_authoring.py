"""Changing the trust policy without hand-editing YAML: init, add, allow, revoke.

Each function takes the policy and returns a new one; ``load``/``save`` read and write
``.gitwarden/trust.yaml`` in a working tree. Committing the change is left to the user: the
commit must satisfy the current policy's rule for ``.gitwarden/**``.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

from gitwarden.errors import ConfigError, UsageError
from gitwarden.integrity.schemes import SchemeSet
from gitwarden.integrity.signature_scheme import SignatureError
from gitwarden.integrity.trust_file import dump_trust_policy, parse_trust_policy
from gitwarden.integrity.trust_policy import (
    POLICY_PATH,
    Principal,
    PrincipalKey,
    Revocation,
    SigningRule,
    TrustPolicy,
)


def policy_file(repo: Path) -> Path:
    return repo / POLICY_PATH


def load(repo: Path) -> TrustPolicy:
    path = policy_file(repo)
    if not path.is_file():
        raise UsageError(f"{path}: no trust policy", hint="create one with `gitwarden trust init`")
    try:
        return parse_trust_policy(path.read_text(encoding="utf-8"), str(path))
    except UnicodeDecodeError:
        raise ConfigError("is not UTF-8 text", file=str(path)) from None


def save(repo: Path, policy: TrustPolicy) -> Path:
    path = policy_file(repo)
    path.parent.mkdir(parents=True, exist_ok=True)
    text = dump_trust_policy(policy)
    parse_trust_policy(text, str(path))  # never write what we could not read back
    path.write_text(text, encoding="utf-8")
    return path


def as_utc(moment: datetime | None) -> datetime | None:
    """A user-given time; one without a zone is taken as UTC."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)


def init(max_key_age_days: int | None = None) -> TrustPolicy:
    return TrustPolicy(max_key_age_days=max_key_age_days)


def read_key(path: Path, *, added: date | None = None) -> PrincipalKey:
    """A public key of any scheme (an SSH public key, an armored OpenPGP certificate)."""
    try:
        text = path.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError) as error:
        raise UsageError(f"--key {path}: cannot read ({error})") from None
    added = added or datetime.now(UTC).date()
    schemes = SchemeSet()
    scheme = schemes.for_key(text)
    if scheme is None:
        kinds = " nor ".join(s.key_format.description for s in schemes.schemes)
        raise UsageError(f"--key {path}: neither {kinds}")
    try:
        parsed = scheme.parse_key(text)
    except SignatureError as error:
        raise UsageError(f"--key {path}: {error}") from None
    return PrincipalKey(scheme.name, parsed.fingerprint, parsed.text, parsed.material, added)


def add_key(policy: TrustPolicy, name: str, key: PrincipalKey) -> TrustPolicy:
    owner = policy.key_owner(key.fingerprint)
    if owner is not None:
        raise UsageError(f"key {key.fingerprint} already belongs to {owner[0].name}")
    principals = list(policy.principals)
    existing = policy.principal(name)
    if existing is None:
        principals.append(Principal(name, (key,)))
    else:
        principals[principals.index(existing)] = replace(existing, keys=(*existing.keys, key))
    return replace(policy, principals=tuple(principals), _index={})


def set_identities(
    policy: TrustPolicy,
    name: str,
    *,
    emails: tuple[str, ...] = (),
    github: str | None = None,
    gitlab: str | None = None,
) -> TrustPolicy:
    """Add e-mail addresses and set forge user names of principal ``name``; an identity
    that already belongs to another principal is refused (it would tie one person's commits
    or reviews to two principals)."""
    existing = policy.principal(name)
    if existing is None:
        raise UsageError(f"no principal named {name!r}", hint="add a key for it first")
    for email in emails:
        other = policy.principal_by_email(email)
        if other is not None and other.name != name:
            raise UsageError(f"e-mail {email} already belongs to {other.name}")
    for forge, user in (("github", github), ("gitlab", gitlab)):
        other = policy.principal_by_forge_user(forge, user) if user else None
        if other is not None and other.name != name:
            raise UsageError(f"{forge} user {user} already belongs to {other.name}")
    updated = replace(
        existing,
        emails=tuple(dict.fromkeys((*existing.emails, *emails))),
        github=github or existing.github,
        gitlab=gitlab or existing.gitlab,
    )
    principals = tuple(updated if p is existing else p for p in policy.principals)
    return replace(policy, principals=principals, _index={})


def allow(
    policy: TrustPolicy,
    name: str,
    branch: str,
    paths: tuple[str, ...] = ("**",),
    threshold: int | None = None,
) -> TrustPolicy:
    if policy.principal(name) is None:
        raise UsageError(f"no principal named {name!r}", hint="add it with `gitwarden trust add`")
    rules = list(policy.rules)
    for index, rule in enumerate(rules):
        if rule.branches == (branch,) and rule.paths == paths:
            names = rule.principals if name in rule.principals else (*rule.principals, name)
            new_threshold = threshold if threshold is not None else rule.threshold
            rules[index] = replace(rule, principals=names, threshold=new_threshold)
            break
    else:
        rules.append(SigningRule((branch,), (name,), paths, threshold or 1))
    for rule in rules:
        if not 1 <= rule.threshold <= len(rule.principals):
            raise UsageError(
                f"threshold {rule.threshold} for {', '.join(rule.branches)} needs at least "
                f"that many principals (has {len(rule.principals)})"
            )
    return replace(policy, rules=tuple(rules), _index={})


def revoke(policy: TrustPolicy, name_or_key: str, reason: str = "") -> TrustPolicy:
    """Revoke a whole principal by name, or one key by fingerprint or public key file."""
    today = datetime.now(UTC).date()
    if policy.principal(name_or_key) is not None:
        revocation = Revocation(principal=name_or_key, reason=reason, revoked_on=today)
    else:
        fingerprint = name_or_key
        candidate = Path(name_or_key)
        if candidate.is_file():
            fingerprint = read_key(candidate).fingerprint
        if policy.key_owner(fingerprint) is None:
            raise UsageError(f"{name_or_key}: neither a principal nor a key of the policy")
        revocation = Revocation(key=fingerprint, reason=reason, revoked_on=today)
    return replace(policy, revoked=(*policy.revoked, revocation), _index={})
