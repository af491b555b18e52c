"""Every rule's examples: positives fire through both first-pass engines, negatives do not."""

from __future__ import annotations

import pytest

from gitwarden.rule_catalogue import all_rules
from gitwarden.secrets import all_secret_rules
from gitwarden.secrets.catalogue import secret_rules
from gitwarden.secrets.engine import SecretEngine

RULES = secret_rules()
ENGINES = {name: SecretEngine(RULES, name) for name in ("hyperscan", "aho-corasick")}
POSITIVES = [(r.id, text) for r in RULES for text in r.positives]
NEGATIVES = [(r.id, text) for r in RULES for text in r.negatives]


def test_catalogue_has_at_least_150_credential_formats() -> None:
    assert len(RULES) >= 150


def test_every_rule_has_keywords_and_examples_both_ways() -> None:
    incomplete = [r.id for r in RULES if not (r.keywords and r.positives and r.negatives)]
    assert incomplete == []


@pytest.mark.parametrize(("rule_id", "text"), POSITIVES)
def test_positive_example_contains_a_keyword_of_its_rule(rule_id: str, text: str) -> None:
    rule = next(r for r in RULES if r.id == rule_id)
    assert any(word.lower() in text.lower() for word in rule.keywords)


@pytest.mark.parametrize("engine", sorted(ENGINES))
@pytest.mark.parametrize(("rule_id", "text"), POSITIVES)
def test_positive_example_fires(engine: str, rule_id: str, text: str) -> None:
    assert rule_id in {m.rule.id for m in ENGINES[engine].scan(text.encode())}


@pytest.mark.parametrize("engine", sorted(ENGINES))
@pytest.mark.parametrize(("rule_id", "text"), NEGATIVES)
def test_negative_example_is_silent(engine: str, rule_id: str, text: str) -> None:
    assert rule_id not in {m.rule.id for m in ENGINES[engine].scan(text.encode())}


def test_secret_rules_are_listed_by_gitwarden_rules() -> None:
    listed = {rule.id for rule in all_rules()}
    assert {rule.id for rule in all_secret_rules()} <= listed


def test_secret_rules_belong_to_the_secrets_family() -> None:
    assert {rule.family for rule in all_secret_rules()} == {"secrets"}
