"""Every built-in check family, and the rule catalogue `gitwarden rules` prints."""

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
from gitwarden.input_rules import INPUT_RULES
from gitwarden.integrity.rules import ALL_INTEGRITY_RULES
from gitwarden.policy.rules import POLICY_RULES
from gitwarden.rules import Rule
from gitwarden.secrets import all_secret_rules

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


@cache
def all_rules() -> tuple[Rule, ...]:
    """Every rule gitwarden can report, input rules included, in catalogue order."""
    rules = (
        *INPUT_RULES,
        *(check.rule for check in all_checks()),
        *POLICY_RULES,
        *ALL_INTEGRITY_RULES,
        *all_secret_rules(),
    )
    ids = [rule.id for rule in rules]
    duplicates = {i for i in ids if ids.count(i) > 1}
    if duplicates:
        raise RuntimeError(f"duplicate rule ids: {sorted(duplicates)}")
    return rules


def is_known_rule_id(rule_id: str) -> bool:
    """A catalogue rule, or an id a family reports from a tool's own codes (dockerfile-DL3007)."""
    if rule_id in {rule.id for rule in all_rules()}:
        return True
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
