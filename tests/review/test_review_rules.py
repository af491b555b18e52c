"""The review family's rules: in the catalogue, each with its documentation."""

from __future__ import annotations

import pytest

from gitwarden.review.rules import REVIEW_RULES
from gitwarden.rule_catalogue import all_rules


@pytest.mark.parametrize("rule", REVIEW_RULES, ids=lambda rule: rule.id)
def test_every_review_rule_is_in_the_catalogue(rule: object) -> None:
    assert rule in all_rules()


def test_review_rules_point_at_the_review_guide() -> None:
    assert all(rule.references == ("docs/review.md",) for rule in REVIEW_RULES)
