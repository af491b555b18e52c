"""The rule catalogue: every family's rules, once each, assembled above the families."""

from __future__ import annotations

import pytest

from gitwarden.checks import registry
from gitwarden.rule_catalogue import all_rules, is_known_rule_id


def test_catalogue_ids_are_unique() -> None:
    ids = [rule.id for rule in all_rules()]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize(
    "family",
    ["input", "pod-security", "rbac", "dockerfiles", "policy", "integrity", "secrets"],
)
def test_catalogue_holds_every_family(family: str) -> None:
    families = {rule.family for rule in all_rules()}
    assert any(f == family or f.startswith(family) for f in families), sorted(families)


def test_catalogue_starts_with_the_input_rules() -> None:
    assert all_rules()[0].family == "input"


@pytest.mark.parametrize(
    ("rule_id", "known"),
    [
        ("pss-privileged", True),
        ("unsigned-commit", True),
        ("dockerfile-DL3007", True),
        ("dockerfile-XX1", False),
        ("no-such-rule", False),
    ],
)
def test_known_rule_ids_are_catalogue_rules_or_tool_codes(rule_id: str, known: bool) -> None:
    assert is_known_rule_id(rule_id) is known


def test_check_registry_lists_only_check_families() -> None:
    assert {check.rule.id for check in registry.all_checks()} < {r.id for r in all_rules()}
    assert not any(rule.family == "input" for rule in (c.rule for c in registry.all_checks()))


def test_registry_no_longer_carries_the_catalogue() -> None:
    assert not hasattr(registry, "all_rules")
    assert not hasattr(registry, "is_known_rule_id")
