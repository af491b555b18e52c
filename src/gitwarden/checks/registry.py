"""Every built-in check family, and the rule catalogue `gitwarden rules` prints."""

from __future__ import annotations

from functools import cache

from gitwarden.checks import hardening, images, network_policy, pod_security, rbac, sidecars
from gitwarden.checks.check import Check
from gitwarden.input_rules import INPUT_RULES
from gitwarden.rules import Rule

CHECK_FAMILIES = (pod_security, hardening, sidecars, images, rbac, network_policy)


@cache
def all_checks() -> tuple[Check, ...]:
    return tuple(check for family in CHECK_FAMILIES for check in family.CHECKS)


@cache
def all_rules() -> tuple[Rule, ...]:
    """Every rule gitwarden can report, input rules included, in catalogue order."""
    rules = (*INPUT_RULES, *(check.rule for check in all_checks()))
    ids = [rule.id for rule in rules]
    duplicates = {i for i in ids if ids.count(i) > 1}
    if duplicates:
        raise RuntimeError(f"duplicate rule ids: {sorted(duplicates)}")
    return rules
