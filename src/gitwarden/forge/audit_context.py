"""What every posture check receives: the forge's posture, the trust data, the bar to meet."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from gitwarden.findings import Location, Severity
from gitwarden.forge.posture import BranchPolicy, ForgePosture
from gitwarden.forge.trust_data import ForgeTrust
from gitwarden.rules import Rule

DEFAULT_REQUIRED_CHECK = "gitwarden"
DEFAULT_MAX_KEY_AGE_DAYS = 365
DEFAULT_KEY_WARNING_DAYS = 30


def _no_trust() -> ForgeTrust:
    return ForgeTrust()


@dataclass(frozen=True)
class AuditBar:
    """The settings the audit demands: approvals, the status check that must be required, key
    age limits (the trust policy's ``max_key_age_days`` wins when it sets one), and the CI/CD
    accounts allowed read-only access."""

    min_approvals: int = 1
    required_check: str = DEFAULT_REQUIRED_CHECK
    max_key_age_days: int = DEFAULT_MAX_KEY_AGE_DAYS
    key_warning_days: int = DEFAULT_KEY_WARNING_DAYS
    # Writers who have not pushed for this long are reported (GitHub remembers 90 days).
    inactive_days: int = 90
    # Accounts that may read without writing (CI/CD), lower-case logins.
    ci_accounts: frozenset[str] = frozenset()


@dataclass(frozen=True)
class AuditContext:
    posture: ForgePosture
    now: datetime
    bar: AuditBar = field(default_factory=AuditBar)
    trust: ForgeTrust = field(default_factory=_no_trust)

    @property
    def where(self) -> str:
        """The pseudo-file findings are filed under: ``github:owner/name``."""
        return f"{self.posture.forge}:{self.posture.project}"

    def location(self, resource: str, setting: str | None = None) -> Location:
        return Location(file=self.where, resource=resource, field_path=setting)

    @property
    def max_key_age_days(self) -> int:
        return self.trust.max_key_age_days or self.bar.max_key_age_days

    @property
    def key_warning_days(self) -> int:
        return self.trust.key_warning_days or self.bar.key_warning_days


def branch_severity(rule: Rule, branch: BranchPolicy) -> Severity:
    """Production branches get the rule's severity; the default branch alone at most medium."""
    if branch.production or rule.severity <= Severity.MEDIUM:
        return rule.severity
    return Severity.MEDIUM
