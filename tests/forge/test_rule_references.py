from __future__ import annotations

from gitwarden.forge.audit import FORGE_RULES
from gitwarden.forge.rule_references import SCORECARD_BRANCH_PROTECTION


def test_branch_rules_cite_scorecard() -> None:
    branch_rules = [rule for rule in FORGE_RULES if rule.id.startswith("forge-branch")]
    assert branch_rules
    assert all(SCORECARD_BRANCH_PROTECTION in rule.references for rule in branch_rules)


def test_every_reference_is_an_https_url() -> None:
    assert all(ref.startswith("https://") for rule in FORGE_RULES for ref in rule.references)
