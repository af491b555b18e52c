"""What the token was not allowed to read: a finding naming the scope to add, never a pass."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from gitwarden.findings import Finding, Severity
from gitwarden.rules import Rule

if TYPE_CHECKING:
    from gitwarden.forge.audit_context import AuditContext

PERMISSION_MISSING = Rule(
    id="forge-permission-missing",
    family="forge",
    severity=Severity.HIGH,
    title="The token may not read a setting the audit checks",
    rationale="A setting that could not be read could be anything; the audit does not count it "
    "as safe.",
    remediation="Give the token the scope the finding names (GitHub: Settings → Developer "
    "settings → Personal access tokens; GitLab: Preferences → Access tokens) and run the "
    "audit again, or suppress the finding with a reason if the setting is checked elsewhere.",
)
RULES = (PERMISSION_MISSING,)


def find_unreadable_settings(context: AuditContext) -> Iterator[Finding]:
    for unreadable in context.posture.unreadable:
        yield PERMISSION_MISSING.finding(
            f"could not read {unreadable.what} of {context.where} ({unreadable.endpoint} "
            f"answered {unreadable.status}): the token needs {unreadable.scope}",
            context.location(f"api/{unreadable.endpoint.removeprefix('GET ')}"),
            details={"endpoint": unreadable.endpoint, "scope": unreadable.scope},
        )
