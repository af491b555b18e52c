from __future__ import annotations

from collections.abc import Iterator

import pytest

from gitwarden.checks.check import Check, CheckContext
from gitwarden.checks.rule_declaration import FamilyRules
from gitwarden.findings import Finding, Severity


def declare(rules: FamilyRules, rule_id: str) -> None:
    rule = rules.rule(rule_id, Severity.LOW, title="t", rationale="r", remediation="m")

    @rules.finds(rule)
    def find(context: CheckContext) -> Iterator[Finding]:
        yield from ()


def test_checks_come_in_the_order_the_finders_are_written() -> None:
    rules = FamilyRules("demo")
    for rule_id in ("demo-b", "demo-a", "demo-c"):
        declare(rules, rule_id)
    assert [check.rule.id for check in rules.checks()] == ["demo-b", "demo-a", "demo-c"]


def test_rule_carries_the_family_and_leading_references() -> None:
    rules = FamilyRules("demo", leading_references=("https://standard.example",))
    rule = rules.rule(
        "demo-x", Severity.HIGH, title="t", rationale="r", remediation="m", references=("ref",)
    )
    assert rule.family == "demo"
    assert rule.references == ("https://standard.example", "ref")


def test_finder_is_returned_unchanged() -> None:
    rules = FamilyRules("demo")
    rule = rules.rule("demo-x", Severity.LOW, title="t", rationale="r", remediation="m")

    def find(context: CheckContext) -> Iterator[Finding]:
        yield from ()

    assert rules.finds(rule)(find) is find
    assert rules.checks() == (Check(rule, find),)


def test_a_rule_gets_one_finder() -> None:
    rules = FamilyRules("demo")
    declare(rules, "demo-x")
    with pytest.raises(ValueError, match="already has a finder"):
        declare(rules, "demo-x")


def test_a_rule_of_another_family_is_refused() -> None:
    rules = FamilyRules("demo")
    other = FamilyRules("other").rule(
        "other-x", Severity.LOW, title="t", rationale="r", remediation="m"
    )
    with pytest.raises(ValueError, match="belongs to other"):
        rules.finds(other)
