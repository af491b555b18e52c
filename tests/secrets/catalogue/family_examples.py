"""What every provider family's test checks: its rules fire on their own examples, only them."""

from __future__ import annotations

from types import ModuleType

from gitwarden.secrets.catalogue import secret_rules
from gitwarden.secrets.engine import SecretEngine

ENGINE = SecretEngine(secret_rules(), "aho-corasick")


def found(text: str) -> set[str]:
    return {match.rule.id for match in ENGINE.scan(text.encode())}


def examples_that_disagree(family: ModuleType) -> list[tuple[str, str, str]]:
    """(rule, "missed"/"fired", example) for every example its own rule gets wrong."""
    wrong = []
    for rule in family.rules():
        wrong.extend((rule.id, "missed", t) for t in rule.positives if rule.id not in found(t))
        wrong.extend((rule.id, "fired", t) for t in rule.negatives if rule.id in found(t))
    return wrong
