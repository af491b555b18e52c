"""The bundled example repository shows every rule family firing, as the README promises."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from gitwarden.commands.scan import ScanOptions, scan
from gitwarden.report.model import Report
from gitwarden.rule_catalogue import all_rules

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "examples" / "insecure-gitops"
FAMILY_OF = {rule.id: rule.family for rule in all_rules()}


@pytest.fixture(scope="module")
def example_report() -> Report:
    return scan(EXAMPLE, options=ScanOptions(today=date(2026, 11, 23)))


@pytest.mark.parametrize(
    "family",
    [
        *("pod-security", "hardening", "sidecars", "images", "rbac", "network-policy", "input"),
        "policy",
        *("argocd", "flux", "controller-rbac", "secrets-management", "image-verification"),
        "dockerfiles",
    ],
)
def test_every_rule_family_fires_on_the_example(example_report: Report, family: str) -> None:
    assert any(example_report.rules[f.rule_id].family == family for f in example_report.active)


@pytest.mark.parametrize("engine", ["rego:", "vap:", "kyverno:"])
def test_each_policy_engine_fires_on_the_example(example_report: Report, engine: str) -> None:
    assert any(f.rule_id.startswith(engine) for f in example_report.active)


def test_example_policies_raise_no_policy_errors(example_report: Report) -> None:
    problems = {"policy-error", "policy-unsupported", "policy-params-missing"}
    assert [f.message for f in example_report.findings if f.rule_id in problems] == []


def test_example_shows_both_kinds_of_suppression(example_report: Report) -> None:
    sources = {f.suppression.source for f in example_report.findings if f.suppression}
    assert sources == {"config", "annotation"}
    assert any(f.rule_id == "suppression-expired" for f in example_report.active)


def test_example_findings_point_at_base_files_through_the_overlay(example_report: Report) -> None:
    [privileged] = [f for f in example_report.active if f.rule_id == "pss-privileged"]
    # The example lives in gitwarden's repository: paths are named from its root.
    assert privileged.location.file == "examples/insecure-gitops/apps/payments/base/deployment.yaml"
    assert (
        privileged.location.origin
        == "kustomize examples/insecure-gitops/apps/payments/overlays/prod"
    )
    assert privileged.location.resource == "Deployment/payments-prod/payments"
    line = privileged.location.line
    source = (REPO / privileged.location.file).read_text().splitlines()
    assert source[line - 1].strip() == "privileged: true"


def test_example_fails_the_gate(example_report: Report) -> None:
    assert not example_report.passed


def _rule_ids_named_in_tests() -> set[str]:
    text = "\n".join(p.read_text() for p in (REPO / "tests").rglob("test_*.py"))
    return set(re.findall(r"[a-z]+(?:-[a-z0-9]+)+", text))


def test_every_check_rule_is_named_in_a_test() -> None:
    named = _rule_ids_named_in_tests()
    missing = sorted(
        rule.id for rule in all_rules() if rule.family != "input" and rule.id not in named
    )
    assert missing == []
