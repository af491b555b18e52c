"""The forge audit: every posture check over one `AuditContext`, and every rule they report."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from gitwarden.findings import Finding
from gitwarden.forge import access, branch_protection, keys, permissions, trust_drift
from gitwarden.forge.audit_context import AuditContext
from gitwarden.forge.rules import FORGE_RULES

__all__ = ["CHECKS", "FORGE_RULES", "audit_posture"]

CHECKS: tuple[Callable[[AuditContext], Iterator[Finding]], ...] = (
    permissions.find_unreadable_settings,
    branch_protection.find_branch_protection_gaps,
    branch_protection.find_unprotected_tags,
    access.find_access_risks,
    access.find_inactive_writers,
    access.find_two_factor_gaps,
    keys.find_stale_keys,
    trust_drift.find_trust_drift,
)


def audit_posture(context: AuditContext) -> tuple[Finding, ...]:
    return tuple(finding for check in CHECKS for finding in check(context))
