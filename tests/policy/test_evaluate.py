"""`evaluate_policies` dispatches through the registry: wanted engines, in registry order."""

from __future__ import annotations

import sys
import types
from collections.abc import Iterator

import pytest

from gitwarden.findings import Location, Severity
from gitwarden.policy import evaluate as evaluate_module
from gitwarden.policy.engine import PolicyEngine, PolicyInputs
from gitwarden.policy.evaluate import evaluate_policies
from gitwarden.policy.results import PolicyResults
from gitwarden.policy.rules import policy_rule
from gitwarden.policy.sources import LoadedPolicies
from k8s_fixtures import load_objects

OBJECTS = "apiVersion: example.test/v1\nkind: First\nmetadata: {name: a}\n"


def engine_module(name: str) -> types.ModuleType:
    """A module whose `evaluate` reports one finding named after the module."""

    def evaluate(inputs: PolicyInputs) -> PolicyResults:
        results = PolicyResults()
        rule = policy_rule(f"test:{name}", Severity.LOW, name, "test")
        results.add(rule, f"{name} ran on {len(inputs.subjects)}", Location(file="x.yaml"))
        return results

    module = types.ModuleType(name)
    module.evaluate = evaluate  # type: ignore[attr-defined]
    return module


@pytest.fixture
def registry(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for name in ("first_engine", "second_engine", "idle_engine"):
        monkeypatch.setitem(sys.modules, name, engine_module(name))
    monkeypatch.setattr(
        evaluate_module,
        "POLICY_ENGINES",
        {
            "second": PolicyEngine("second_engine", kinds=frozenset({"First"})),
            "idle": PolicyEngine("idle_engine", kinds=frozenset({"Other"})),
            "first": PolicyEngine("first_engine", kinds=frozenset({"First"})),
        },
    )
    yield


@pytest.mark.usefixtures("registry")
def test_wanted_engines_run_in_registry_order_after_the_sources_findings() -> None:
    loaded = LoadedPolicies()
    source_problem = policy_rule("test:source", Severity.HIGH, "source", "test").finding(
        "unreadable", Location(file="p.rego")
    )
    loaded.findings.append(source_problem)
    results = evaluate_policies(load_objects(OBJECTS), loaded)
    assert [f.rule_id for f in results.findings] == [
        "test:source",
        "test:second_engine",
        "test:first_engine",
    ]
    assert set(results.rules) == {"test:second_engine", "test:first_engine"}
