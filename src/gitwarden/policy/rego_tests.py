"""Rego unit tests: every rule named ``test_*`` must hold, as in `opa test`, `conftest verify`."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

import regorus

from gitwarden.findings import Location
from gitwarden.policy.rego import load_rego, parse_failure
from gitwarden.policy.results import PolicyResults
from gitwarden.policy.rules import POLICY_TEST_FAILED
from gitwarden.policy.sources import RegoModule


@dataclass(frozen=True)
class RegoTestResult:
    """One ``test_`` rule: where it is, and whether it held (or why not)."""

    package: str
    name: str
    file: str
    line: int
    passed: bool
    reason: str = ""


def run_rego_tests(modules: Sequence[RegoModule]) -> tuple[list[RegoTestResult], PolicyResults]:
    """Run every test rule of every package; failures and load errors are findings."""
    results = PolicyResults()
    bundle = load_rego(modules, results)
    outcomes: list[RegoTestResult] = []
    for package in sorted(bundle.packages.values(), key=lambda p: p.name):
        for name in package.tests():
            file, line = package.rules[name]
            outcome = _run_test(bundle.engine, package.name, name, file, line)
            outcomes.append(outcome)
            if not outcome.passed:
                results.add(
                    POLICY_TEST_FAILED,
                    f"Test {package.name}.{name} failed: {outcome.reason}.",
                    Location(file=outcome.file, line=outcome.line),
                )
    return outcomes, results


def _run_test(
    engine: regorus.Engine, package: str, name: str, file: str, line: int
) -> RegoTestResult:
    try:
        answer = json.loads(engine.eval_query_as_json(f"data.{package}.{name}"))
    except RuntimeError as error:
        failure = parse_failure(error)
        where = (failure.file, failure.line) if failure.file else (file, line)
        return RegoTestResult(package, name, *where, False, f"error: {failure.text}")
    values = [
        expression.get("value")
        for result in answer.get("result", [])
        for expression in result.get("expressions", [])
    ]
    if not values:
        return RegoTestResult(package, name, file, line, False, "undefined (a condition was false)")
    if any(value is False for value in values):
        return RegoTestResult(package, name, file, line, False, "false")
    return RegoTestResult(package, name, file, line, True)
