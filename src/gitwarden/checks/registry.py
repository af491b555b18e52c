"""Every built-in check family: the one list a new family is added to.

The rule catalogue of all scanners (what `gitwarden rules` prints) is assembled above the
families, in `gitwarden.rule_catalogue`.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from gitwarden.checks import (
    api_schema,
    argocd,
    controller_rbac,
    dockerfiles,
    flux,
    hardening,
    image_verification,
    images,
    network_policy,
    pod_security,
    rbac,
    secrets_management,
    sidecars,
)
from gitwarden.checks.check import Check
from gitwarden.findings import Finding
from gitwarden.rules import Rule

CHECK_FAMILIES = (
    pod_security,
    hardening,
    sidecars,
    images,
    rbac,
    network_policy,
    argocd,
    flux,
    controller_rbac,
    secrets_management,
    image_verification,
    dockerfiles,
    api_schema,
)


@cache
def all_checks() -> tuple[Check, ...]:
    return tuple(check for family in CHECK_FAMILIES for check in family.CHECKS)


def is_tool_rule_id(rule_id: str) -> bool:
    """An id a family reports from a tool's own codes (dockerfile-DL3007), not a catalogue id."""
    return any(
        pattern.match(rule_id)
        for family in CHECK_FAMILIES
        if (pattern := getattr(family, "RULE_ID_PATTERN", None)) is not None
    )


def rules_of_findings(findings: Iterable[Finding]) -> dict[str, Rule]:
    """Rules for the ids families report from a tool's own codes (dockerfile-DL3007)."""
    rules: dict[str, Rule] = {}
    for finding in findings:
        if finding.rule_id in rules:
            continue
        for family in CHECK_FAMILIES:
            pattern = getattr(family, "RULE_ID_PATTERN", None)
            if pattern is not None and pattern.match(finding.rule_id):
                rules[finding.rule_id] = family.rule_for_finding(finding)
    return rules
