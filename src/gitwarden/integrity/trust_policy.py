"""The trust policy: who may sign what, with which keys, and how many signers are needed.

Kept in the repository at ``.gitwarden/trust.yaml``. The policy that governs a commit is the
one in its (first) parent, so a change to the policy must itself satisfy the old policy's
rule for ``.gitwarden/**``.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Literal

from gitwarden.integrity.signature_scheme import TrustedKey
from gitwarden.path_patterns import glob_match, name_glob_match

POLICY_PATH = ".gitwarden/trust.yaml"
SUPPORTED_VERSION: Literal[1] = 1  # of the file's layout
DEFAULT_WARNING_DAYS = 30
RULES_MEMO_LIMIT = 100_000
SSH = "ssh"
OPENPGP = "openpgp"


@dataclass(frozen=True)
class PrincipalKey:
    """One key of one principal; ``material`` is the SSH key blob or the OpenPGP cert."""

    scheme: str
    fingerprint: str
    text: str
    material: bytes
    added: date | None = None
    valid_after: datetime | None = None
    valid_before: datetime | None = None

    def valid_at(self, moment: datetime) -> bool:
        if self.valid_after is not None and moment < self.valid_after:
            return False
        return self.valid_before is None or moment < self.valid_before

    def as_trusted(self) -> TrustedKey:
        return TrustedKey(self.scheme, self.fingerprint, self.material)


@dataclass(frozen=True)
class Principal:
    """A person or robot: their keys, and the identities that tie commits and forge accounts
    to them (e-mail addresses of commit authors and committers, forge user names)."""

    name: str
    keys: tuple[PrincipalKey, ...] = ()
    emails: tuple[str, ...] = ()
    github: str | None = None
    gitlab: str | None = None

    def forge_user(self, forge: str) -> str | None:
        return {"github": self.github, "gitlab": self.gitlab}.get(forge)


@dataclass(frozen=True)
class SigningRule:
    """Commits to ``branches`` touching ``paths`` need ``threshold`` of ``principals``."""

    branches: tuple[str, ...]
    principals: tuple[str, ...]
    paths: tuple[str, ...] = ("**",)
    threshold: int = 1

    def governs(self, ref: str, path: str) -> bool:
        return any(_ref_match(b, ref) for b in self.branches) and any(
            glob_match(p, path) for p in self.paths
        )


@dataclass(frozen=True)
class Revocation:
    """A revoked key (fingerprint) or a whole principal, with why and since when."""

    key: str | None = None
    principal: str | None = None
    reason: str = ""
    revoked_on: date | None = None


@dataclass(frozen=True)
class TrustPolicy:
    principals: tuple[Principal, ...] = ()
    rules: tuple[SigningRule, ...] = ()
    revoked: tuple[Revocation, ...] = ()
    max_key_age_days: int | None = None
    key_age_warning_days: int = DEFAULT_WARNING_DAYS
    protected_refs: tuple[str, ...] = ()
    ledger_recorders: tuple[str, ...] = ()
    _index: dict[str, tuple[Principal, PrincipalKey]] = field(
        default_factory=dict, compare=False, repr=False
    )
    _rules_memo: dict[tuple[str, str], tuple[SigningRule, ...]] = field(
        default_factory=dict, compare=False, repr=False
    )

    def __post_init__(self) -> None:
        for principal in self.principals:
            for key in principal.keys:
                self._index.setdefault(key.fingerprint, (principal, key))

    @property
    def policy_id(self) -> str:
        """A digest of what the policy says (not how the YAML is laid out)."""
        return policy_digest(self)

    def principal(self, name: str) -> Principal | None:
        return next((p for p in self.principals if p.name == name), None)

    def key_owner(self, fingerprint: str) -> tuple[Principal, PrincipalKey] | None:
        return self._index.get(fingerprint)

    def principal_by_email(self, email: str) -> Principal | None:
        """The principal with this e-mail address (compared without case), if any."""
        wanted = email.strip().lower()
        return next((p for p in self.principals if wanted in (e.lower() for e in p.emails)), None)

    def principal_by_forge_user(self, forge: str, user: str) -> Principal | None:
        """The principal whose ``forge`` user name is ``user`` (forge names ignore case)."""
        wanted = user.strip().lower()
        return next(
            (p for p in self.principals if (p.forge_user(forge) or "").lower() == wanted), None
        )

    def keys_of_scheme(self, scheme: str) -> list[tuple[Principal, PrincipalKey]]:
        return [(p, k) for p in self.principals for k in p.keys if k.scheme == scheme]

    def revocation_of(self, principal: str, key: PrincipalKey) -> Revocation | None:
        for revocation in self.revoked:
            if revocation.key is not None and revocation.key == key.fingerprint:
                return revocation
            if revocation.principal is not None and revocation.principal == principal:
                return revocation
        return None

    def rules_for(self, ref: str, path: str) -> tuple[SigningRule, ...]:
        key = (ref, path)
        found = self._rules_memo.get(key)
        if found is None:
            found = tuple(rule for rule in self.rules if rule.governs(ref, path))
            if len(self._rules_memo) < RULES_MEMO_LIMIT:
                self._rules_memo[key] = found
        return found

    def is_protected(self, ref: str) -> bool:
        patterns = self.protected_refs or (
            *(b for rule in self.rules for b in rule.branches),
            "refs/tags/*",
        )
        return any(_ref_match(pattern, ref) for pattern in patterns)

    def may_record_ledger(self, principal: str) -> bool:
        return not self.ledger_recorders or principal in self.ledger_recorders

    def key_expiry(self, key: PrincipalKey) -> datetime | None:
        """When ``key`` passes the maximum key age (None: no age limit or no added date)."""
        if self.max_key_age_days is None or key.added is None:
            return None
        added = datetime(key.added.year, key.added.month, key.added.day, tzinfo=UTC)
        return added + timedelta(days=self.max_key_age_days)


def _ref_match(pattern: str, ref: str) -> bool:
    full = pattern if pattern.startswith("refs/") else f"refs/heads/{pattern}"
    return name_glob_match(full, ref)


def policy_digest(policy: TrustPolicy) -> str:
    def when(value: date | datetime | None) -> str | None:
        return None if value is None else value.isoformat()

    identities = {
        p.name: [list(p.emails), p.github, p.gitlab]
        for p in policy.principals
        if p.emails or p.github or p.gitlab
    }
    canonical: dict[str, object] = {
        "principals": [
            [
                p.name,
                [
                    [
                        k.scheme,
                        k.fingerprint,
                        when(k.added),
                        when(k.valid_after),
                        when(k.valid_before),
                    ]
                    for k in p.keys
                ],
            ]
            for p in policy.principals
        ],
        "rules": [[r.branches, r.paths, r.principals, r.threshold] for r in policy.rules],
        "revoked": [[r.key, r.principal] for r in policy.revoked],
        "max_key_age_days": policy.max_key_age_days,
        "key_age_warning_days": policy.key_age_warning_days,
        "protected_refs": policy.protected_refs,
        "ledger_recorders": policy.ledger_recorders,
    }
    # Only when present: the digest of a policy without identities stays what it was.
    if identities:
        canonical["identities"] = identities
    text = json.dumps(canonical, sort_keys=True, separators=(",", ":"))
    return "sha256:" + hashlib.sha256(text.encode()).hexdigest()
