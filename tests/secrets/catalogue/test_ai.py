"""The ai credential formats: each rule agrees with its examples."""

from __future__ import annotations

from family_examples import examples_that_disagree

from gitwarden.secrets.catalogue import ai


def test_ai_rules_agree_with_their_own_examples() -> None:
    assert examples_that_disagree(ai) == []
