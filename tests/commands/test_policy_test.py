"""`gitwarden.policy_test` and `gitwarden policy test`: gator suites and Kyverno CLI tests."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import gitwarden
from gitwarden.cli.main import EXIT_FINDINGS, EXIT_PASS, main
from gitwarden.commands.policy_test import PolicyTestOptions
from gitwarden.findings import Severity
from gitwarden.policy.suite_cases import CaseOutcome
from policy.gatekeeper_fixtures import REQUIRED_LABELS_TEMPLATE, constraint, deployment
from policy.policy_fixtures import write_files

SUITE = """
    kind: Suite
    apiVersion: test.gatekeeper.sh/v1alpha1
    metadata:
      name: required-labels
    tests:
      - name: owner-label
        template: template.yaml
        constraint: constraint.yaml
        cases:
          - name: labelled
            object: allowed.yaml
            assertions:
              - violations: no
          - name: unlabelled
            object: disallowed.yaml
            assertions:
              - violations: {expected}
                message: "you must provide labels"
"""


def _gator_folder(root: Path, expected: str) -> Path:
    return write_files(
        root,
        {
            "suite.yaml": SUITE.format(expected=expected),
            "template.yaml": REQUIRED_LABELS_TEMPLATE,
            "constraint.yaml": constraint(),
            "allowed.yaml": deployment(labels="{owner: shop}"),
            "disallowed.yaml": deployment(),
        },
    )


@pytest.mark.parametrize(("expected", "passes"), [("yes", True), ("1", True), ("2", False)])
def test_gator_suite_assertions_are_checked(tmp_path: Path, expected: str, passes: bool) -> None:
    result = gitwarden.policy_test(_gator_folder(tmp_path, expected))
    assert [c.outcome for c in result.cases] == [
        CaseOutcome.PASSED,
        CaseOutcome.PASSED if passes else CaseOutcome.FAILED,
    ]
    assert result.passed is passes


def test_failed_case_is_a_finding_at_its_line(tmp_path: Path) -> None:
    result = gitwarden.policy_test(_gator_folder(tmp_path, "no"))
    [finding] = result.report.findings
    assert finding.rule_id == "policy-test-failed"
    assert finding.location.file.endswith("suite.yaml")
    assert finding.location.line == 15  # the "- name: unlabelled" case


POLICY = """
    apiVersion: kyverno.io/v1
    kind: ClusterPolicy
    metadata:
      name: require-owner
    spec:
      rules:
        - name: check-owner
          match:
            any:
              - resources:
                  kinds: [Pod]
          validate:
            message: "an owner label is required"
            pattern:
              metadata:
                labels:
                  owner: "?*"
        - name: add-team
          match:
            any:
              - resources:
                  kinds: [Pod]
          mutate:
            patchStrategicMerge:
              metadata:
                labels:
                  team: x
"""
RESOURCES = """
    apiVersion: v1
    kind: Pod
    metadata: {name: good, labels: {owner: shop}}
    spec: {containers: [{name: a, image: nginx}]}
    ---
    apiVersion: v1
    kind: Pod
    metadata: {name: bad}
    spec: {containers: [{name: a, image: nginx}]}
"""
KYVERNO_TEST = """
    apiVersion: cli.kyverno.io/v1alpha1
    kind: Test
    metadata:
      name: require-owner
    policies: [../policy.yaml]
    resources: [resources.yaml]
    results:
      - policy: require-owner
        rule: check-owner
        resources: [good]
        kind: Pod
        result: pass
      - policy: require-owner
        rule: check-owner
        resources: [bad]
        kind: Pod
        result: {bad}
      - policy: require-owner
        rule: add-team
        resources: [good]
        kind: Pod
        result: pass
"""


def _kyverno_folder(root: Path, bad: str) -> Path:
    return write_files(
        root,
        {
            "policy.yaml": POLICY,
            ".kyverno-test/resources.yaml": RESOURCES,
            ".kyverno-test/kyverno-test.yaml": KYVERNO_TEST.format(bad=bad),
        },
    )


def test_kyverno_test_results_agree_and_mutate_is_skipped(tmp_path: Path) -> None:
    result = gitwarden.policy_test(_kyverno_folder(tmp_path, "fail"))
    assert [c.outcome for c in result.cases] == [
        CaseOutcome.PASSED,
        CaseOutcome.PASSED,
        CaseOutcome.SKIPPED,
    ]
    assert "mutate rule" in result.cases[2].reason
    assert result.passed


def test_kyverno_result_that_disagrees_fails_the_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _kyverno_folder(tmp_path, "pass")
    assert main(["policy", "test", str(folder)]) == EXIT_FINDINGS
    assert "3 tests, 1 passed, 1 failed, 1 skipped" in capsys.readouterr().err


def test_junit_has_one_case_per_result(tmp_path: Path) -> None:
    folder = _kyverno_folder(tmp_path / "k", "fail")
    _gator_folder(tmp_path / "g", "yes")
    output = tmp_path / "report.xml"
    arguments = ["policy", "test", str(folder), str(tmp_path / "g"), "-f", "junit", "-o"]
    assert main([*arguments, str(output)]) == EXIT_PASS
    cases = ET.parse(output).getroot().findall("testsuite/testcase")
    assert len(cases) == 5
    assert len([c for c in cases if c.find("skipped") is not None]) == 1


def test_failed_case_fails_even_with_a_lenient_fail_on(tmp_path: Path) -> None:
    folder = _gator_folder(tmp_path, "no")
    options = PolicyTestOptions(fail_on=Severity.CRITICAL)
    result = gitwarden.policy_test(folder, options=options)
    assert result.report.passed
    assert not result.passed
