"""Every requirement the config accepts has its policy; ancestry always comes first."""

from __future__ import annotations

from gitwarden.config import GATE_REQUIREMENTS, EnvironmentSettings
from gitwarden.gate.requirement_registry import REQUIREMENTS, environment_policy


def test_every_accepted_requirement_has_a_policy_of_that_name() -> None:
    assert {name: REQUIREMENTS[name].name for name in GATE_REQUIREMENTS} == {
        name: name for name in GATE_REQUIREMENTS
    }


def test_the_environment_policy_is_ancestry_then_the_requirements_in_order() -> None:
    prod = EnvironmentSettings("prod", ("main",), require=("secrets", "signatures"))
    policy = environment_policy(prod)
    assert [r.name for r in policy.requirements] == ["ancestry", "secrets", "signatures"]
