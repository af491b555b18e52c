"""`gitwarden.policy_test(target, config, options)`: run the tests kept beside policies.

Rego unit tests (``test_`` rules, as `opa test`), Gatekeeper ``gator verify`` suites and
Kyverno CLI tests (``kyverno-test.yaml``), each result one case. A failed case is a
``policy-test-failed`` finding at its line, so the report fails; a case gitwarden does not
evaluate is skipped with its reason, counted apart, never passed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from gitwarden.commands.report_assembly import assemble_report, config_for
from gitwarden.config import Config
from gitwarden.errors import UsageError
from gitwarden.findings import Location, Severity
from gitwarden.pipeline.pod_security_bridge import pod_security_evaluator
from gitwarden.policy.gator_suites import run_gator_suite
from gitwarden.policy.kyverno_tests import run_kyverno_test
from gitwarden.policy.rego_tests import run_rego_tests
from gitwarden.policy.results import PolicyResults
from gitwarden.policy.rules import POLICY_RULES, POLICY_TEST_FAILED
from gitwarden.policy.sources import ALL_NAMESPACES, PolicySource, load_policy_sources
from gitwarden.policy.suite_cases import CaseOutcome, SuiteCase
from gitwarden.policy.suite_discovery import find_suites
from gitwarden.policy.suite_files import SuiteFileError
from gitwarden.report.model import Report


@dataclass(frozen=True)
class PolicyTestOptions:
    """``fail_on`` (default: the config's, else high) and the day suppressions expire by."""

    fail_on: Severity | None = None
    today: date | None = None


@dataclass(frozen=True)
class PolicyTestResult:
    """Every case that ran, and the report of the run (failed cases are its findings)."""

    cases: tuple[SuiteCase, ...]
    report: Report

    def count(self, outcome: CaseOutcome) -> int:
        return sum(1 for case in self.cases if case.outcome is outcome)

    @property
    def passed(self) -> bool:
        """No case failed and the report passes: a failed case fails the run whatever
        ``fail_on`` says, as a failed test does in `opa test`, `gator verify`, `kyverno test`."""
        return self.report.passed and self.count(CaseOutcome.FAILED) == 0

    def summary(self) -> str:
        return (
            f"{len(self.cases)} tests, {self.count(CaseOutcome.PASSED)} passed, "
            f"{self.count(CaseOutcome.FAILED)} failed, {self.count(CaseOutcome.SKIPPED)} "
            "skipped (not evaluated by gitwarden)"
        )


def policy_test(
    target: str | Path | Sequence[str | Path],
    config: Config | None = None,
    options: PolicyTestOptions | None = None,
) -> PolicyTestResult:
    """Run the Rego tests, gator suites and Kyverno CLI tests under ``target`` (one folder
    or file, or several)."""
    options = options or PolicyTestOptions()
    folders = [Path(t) for t in ([target] if isinstance(target, str | Path) else target)]
    if not folders:
        raise UsageError("policy test needs a folder or file")
    results = PolicyResults()
    cases: list[SuiteCase] = []
    loaded = load_policy_sources(
        [(PolicySource(str(f), (ALL_NAMESPACES,)), Path.cwd()) for f in folders], None
    )
    results.findings.extend(loaded.findings)
    outcomes, rego_results = run_rego_tests(loaded.rego)
    results.extend(rego_results)
    cases.extend(
        SuiteCase(
            o.file,
            f"{o.package}.{o.name}",
            CaseOutcome.PASSED if o.passed else CaseOutcome.FAILED,
            o.reason,
            o.line,
        )
        for o in outcomes
    )
    for folder in folders:
        boundary = folder if folder.is_dir() else folder.parent
        suites = find_suites(folder)
        for path in suites.gator:
            cases.extend(_run(run_gator_suite, path, boundary, results))
        for path in suites.kyverno:
            cases.extend(_run(_kyverno_runner, path, boundary, results))
    if not cases and not results.findings:
        raise UsageError(
            f"no policy tests found in {', '.join(str(f) for f in folders)}",
            hint="write test_ rules in .rego files, gator suites (kind: Suite) or "
            "kyverno-test.yaml files",
        )
    base = folders[0] if folders[0].is_dir() else folders[0].parent
    report = assemble_report(
        "policy test",
        " ".join(str(f) for f in folders),
        results.findings,
        config=config_for(base, config),
        rules={rule.id: rule for rule in POLICY_RULES},
        fail_on=options.fail_on,
        today=options.today,
        files_scanned=len(loaded.rego) + len({c.suite for c in cases}),
    )
    return PolicyTestResult(tuple(cases), report)


def _kyverno_runner(path: Path, boundary: Path) -> list[SuiteCase]:
    return run_kyverno_test(path, boundary, pod_security_evaluator)


def _run(
    runner: Callable[[Path, Path], list[SuiteCase]],
    path: Path,
    boundary: Path,
    results: PolicyResults,
) -> list[SuiteCase]:
    try:
        cases = runner(path, boundary)
    except SuiteFileError as error:
        cases = [SuiteCase(path.as_posix(), path.name, CaseOutcome.FAILED, str(error))]
    for case in cases:
        if case.outcome is CaseOutcome.FAILED:
            results.add(
                POLICY_TEST_FAILED,
                f"Test {case.name} failed: {case.reason}",
                Location(file=case.suite, line=case.line),
            )
    return cases
