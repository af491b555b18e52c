"""The observability credential formats: each rule agrees with its examples."""

from __future__ import annotations

from family_examples import examples_that_disagree

from gitwarden.secrets.catalogue import observability


def test_observability_rules_agree_with_their_own_examples() -> None:
    assert examples_that_disagree(observability) == []
