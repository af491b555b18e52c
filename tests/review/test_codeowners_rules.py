"""Each CODEOWNERS rule fires on the line the forge cannot use and is silent on its fix."""

from __future__ import annotations

import pytest

from gitwarden.findings import Severity
from gitwarden.review.codeowners import MAX_CODEOWNERS_BYTES, Flavour, parse_codeowners
from gitwarden.review.codeowners_rules import CODEOWNERS_RULES, FAMILY

LONG_LINE = "* @a #" + "x" * 1018 + "\n"  # 1 KiB


@pytest.mark.parametrize(
    ("rule_id", "flavour", "firing", "silent"),
    [
        ("codeowners-invalid-owner", "github", "*.js js-owner\n", "*.js @js-owner\n"),
        ("codeowners-invalid-owner", "gitlab", "*.js @@reporter @a\n", "*.js @@developer @a\n"),
        ("codeowners-invalid-pattern", "github", "!*.lock @a\n", "*.lock @a\n"),
        ("codeowners-invalid-pattern", "gitlab", "/docs/[abc @a\n", "/docs/[abc] @a\n"),
        ("codeowners-invalid-section", "gitlab", "[Docs\n*.md @a\n", "[Docs]\n*.md @a\n"),
        ("codeowners-invalid-approvals", "gitlab", "[Docs][0] @a\n*.md\n", "[Docs][2] @a\n*.md\n"),
        ("codeowners-no-owners", "gitlab", "[Docs]\n*.md\n", "[Docs] @a\n*.md\n"),
        (
            "codeowners-too-large",
            "github",
            LONG_LINE * (MAX_CODEOWNERS_BYTES // len(LONG_LINE) + 1),
            LONG_LINE * (MAX_CODEOWNERS_BYTES // len(LONG_LINE) - 1),
        ),
    ],
)
def test_rule_fires_on_the_unusable_line_and_not_on_its_fix(
    rule_id: str, flavour: Flavour, firing: str, silent: str
) -> None:
    assert [p.rule_id for p in parse_codeowners(firing, "CODEOWNERS", flavour).problems] == [
        rule_id
    ]
    assert parse_codeowners(silent, "CODEOWNERS", flavour).problems == ()


def test_every_rule_is_in_the_family_with_a_unique_id() -> None:
    ids = [rule.id for rule in CODEOWNERS_RULES]
    assert len(set(ids)) == len(ids)
    assert {rule.family for rule in CODEOWNERS_RULES} == {FAMILY}
    assert all(rule.id.startswith("codeowners-") for rule in CODEOWNERS_RULES)


def test_unreadable_ownership_fails_the_default_gate() -> None:
    # Fail closed: everything but a miscounted approval is at least high.
    below_high = {rule.id for rule in CODEOWNERS_RULES if rule.severity < Severity.HIGH}
    assert below_high == {"codeowners-invalid-approvals"}


def test_findings_carry_the_rule_text_and_the_file() -> None:
    [problem] = parse_codeowners("*.js js-owner\n", "docs/CODEOWNERS", "github").problems
    assert problem.location.file == "docs/CODEOWNERS"
    assert problem.remediation
    assert problem.references
