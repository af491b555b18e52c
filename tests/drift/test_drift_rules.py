"""The drift rules join the catalogue, each with its own id."""

from __future__ import annotations

from gitwarden.drift.rules import DRIFT_RULES
from gitwarden.findings import Severity
from gitwarden.rule_catalogue import all_rules


def test_every_drift_rule_is_in_the_catalogue() -> None:
    catalogue = {rule.id for rule in all_rules()}
    assert {rule.id for rule in DRIFT_RULES} <= catalogue


def test_what_was_not_read_fails_the_default_gate() -> None:
    [rule] = [r for r in DRIFT_RULES if r.id == "drift-not-compared"]
    assert rule.severity >= Severity.HIGH


def test_an_unhealthy_controller_is_high() -> None:
    [rule] = [r for r in DRIFT_RULES if r.id == "drift-controller-unhealthy"]
    assert rule.severity == Severity.HIGH
