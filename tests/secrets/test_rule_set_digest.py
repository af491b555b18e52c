"""The rule-set digest a cache is bound to: stable for one rule set, new for any change."""

from __future__ import annotations

import dataclasses

import pytest

import gitwarden.secrets.rule_set_digest as rule_set_digest
from gitwarden.secrets.catalogue import secret_rules


def test_digest_is_the_same_for_the_same_rules() -> None:
    assert rule_set_digest.rule_set_digest() == rule_set_digest.rule_set_digest()


@pytest.mark.parametrize(
    "change",
    [{"pattern": "changed"}, {"entropy": 1.0}, {"keywords": ("other",)}, {"allow": ("x",)}],
)
def test_changing_a_rule_changes_the_digest(
    monkeypatch: pytest.MonkeyPatch, change: dict[str, object]
) -> None:
    before = rule_set_digest.rule_set_digest()
    first, *rest = secret_rules()
    changed = (dataclasses.replace(first, **change), *rest)  # type: ignore[arg-type]
    monkeypatch.setattr(rule_set_digest, "secret_rules", lambda: changed)
    rule_set_digest.rule_set_digest.cache_clear()
    try:
        assert rule_set_digest.rule_set_digest() != before
    finally:
        rule_set_digest.rule_set_digest.cache_clear()


def test_a_new_scanner_revision_changes_the_digest(monkeypatch: pytest.MonkeyPatch) -> None:
    before = rule_set_digest.rule_set_digest()
    monkeypatch.setattr(rule_set_digest, "SCANNER_REVISION", rule_set_digest.SCANNER_REVISION + 1)
    rule_set_digest.rule_set_digest.cache_clear()
    try:
        assert rule_set_digest.rule_set_digest() != before
    finally:
        rule_set_digest.rule_set_digest.cache_clear()
