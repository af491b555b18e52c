"""Agreement with the originals' own test suites: Gatekeeper's library (`gator verify` suites)
and Kyverno's policy library (`kyverno test` files), read from ../shared/conformance.

Every case must agree, be skipped with a reason gitwarden gives for what it does not evaluate
(listed in conformance_exclusions.yaml), or be a listed known disagreement; a listed
disagreement that starts to agree must be removed from the list, so it cannot go stale.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from gitwarden.policy.gator_suites import run_gator_suite
from gitwarden.policy.kyverno_tests import run_kyverno_test
from gitwarden.policy.suite_cases import CaseOutcome, SuiteCase

CONFORMANCE = Path(__file__).resolve().parents[3] / "shared" / "conformance"
EXCLUSIONS = yaml.safe_load((Path(__file__).parent / "conformance_exclusions.yaml").read_text())
GATEKEEPER = CONFORMANCE / "gatekeeper-library"
KYVERNO = CONFORMANCE / "kyverno-policies"
_ABSENT = pytest.param(
    None, marks=pytest.mark.skip(reason=f"conformance data not found at {CONFORMANCE}")
)


def _files(root: Path, name: str) -> list[Any]:
    found = sorted(root.rglob(name)) if root.is_dir() else []
    return [pytest.param(p, id=p.parent.relative_to(root).as_posix()) for p in found] or [_ABSENT]


def _disagreements(kind: str) -> list[dict[str, str]]:
    return list(EXCLUSIONS[kind]["known_disagreements"])


def _listed(case: SuiteCase, suite_id: str, kind: str) -> bool:
    return any(
        entry["suite"] == suite_id and case.name in entry["cases"] for entry in _disagreements(kind)
    )


def _allowed_skip(case: SuiteCase, kind: str) -> bool:
    return any(
        re.search(entry["reason"], case.reason) for entry in EXCLUSIONS[kind]["not_evaluated"]
    )


def _expected_results(path: Path) -> int:
    """How many results a suite file expects (gator: assertions; Kyverno: result entries)."""
    document = yaml.safe_load(path.read_text())
    if "results" in document:
        return sum(len(r.get("resources") or []) for r in document["results"] or [])
    return sum(
        len(case.get("assertions") or [{}])
        for test in document.get("tests") or []
        for case in test.get("cases") or []
    )


def _assert_agreement(cases: list[SuiteCase], suite_id: str, kind: str) -> None:
    unexplained = [
        f"{c.name}: {c.reason}"
        for c in cases
        if (c.outcome is CaseOutcome.FAILED and not _listed(c, suite_id, kind))
        or (c.outcome is CaseOutcome.SKIPPED and not _allowed_skip(c, kind))
    ]
    assert unexplained == []
    stale = [
        c.name for c in cases if c.outcome is CaseOutcome.PASSED and _listed(c, suite_id, kind)
    ]
    assert stale == [], "listed as disagreeing but agrees now: remove from the exclusions"


@pytest.mark.parametrize("suite", _files(GATEKEEPER, "suite.yaml"))
def test_gatekeeper_suite_agrees_with_gator(suite: Path) -> None:
    suite_id = suite.parent.relative_to(GATEKEEPER).as_posix()
    cases = run_gator_suite(suite, GATEKEEPER)
    assert len(cases) == _expected_results(suite)
    _assert_agreement(cases, suite_id, "gatekeeper")


@pytest.mark.parametrize("test_file", _files(KYVERNO, "kyverno-test.yaml"))
def test_kyverno_test_agrees_with_kyverno(test_file: Path) -> None:
    suite_id = test_file.parent.parent.relative_to(KYVERNO).as_posix()
    cases = run_kyverno_test(test_file, KYVERNO)
    assert len(cases) == _expected_results(test_file)
    _assert_agreement(cases, suite_id, "kyverno")
