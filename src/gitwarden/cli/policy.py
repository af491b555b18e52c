"""`gitwarden policy test DIR`: run the Rego unit tests (`test_` rules) of policy folders."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from gitwarden.cli.output import add_output_arguments, emit, use_color
from gitwarden.errors import UsageError
from gitwarden.findings import Severity
from gitwarden.policy.rego_tests import run_rego_tests
from gitwarden.policy.rules import POLICY_RULES
from gitwarden.policy.sources import ALL_NAMESPACES, PolicySource, load_policy_sources
from gitwarden.report import get_format
from gitwarden.report.model import Report
from gitwarden.version import __version__


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "policy",
        help="work with the organisation's own policies (Rego, CEL, Kyverno)",
        description="Work with policy folders given to `gitwarden scan --policy`.",
    )
    actions = parser.add_subparsers(dest="policy_command", required=True, metavar="ACTION")
    test = actions.add_parser(
        "test",
        help="run the Rego unit tests (test_ rules) of policy folders",
        description="Run every rule named test_* in the .rego files of DIR, as `opa test` and "
        "`conftest verify` do; a failing or erroring test is a finding and fails the run.",
    )
    test.add_argument("dirs", nargs="+", type=Path, metavar="DIR", help="policy folder or file")
    add_output_arguments(test)
    test.set_defaults(handler=run_tests)


def run_tests(args: argparse.Namespace) -> bool:
    """Run the tests and write the report; True when every test passed."""
    sources = [(PolicySource(str(d), (ALL_NAMESPACES,)), Path.cwd()) for d in args.dirs]
    loaded = load_policy_sources(sources, None)
    outcomes, results = run_rego_tests(loaded.rego)
    if not outcomes and not results.findings and not loaded.findings:
        raise UsageError(
            f"no test_ rules found in {', '.join(str(d) for d in args.dirs)}",
            hint="write rules named test_* in .rego files (e.g. policy_test.rego)",
        )
    report = Report(
        command="policy test",
        target=" ".join(str(d) for d in args.dirs),
        findings=tuple([*loaded.findings, *results.findings]),
        rules={rule.id: rule for rule in POLICY_RULES},
        fail_on=Severity.HIGH,
        files_scanned=len(loaded.rego),
        tool_version=__version__,
    )
    emit(get_format(args.format).render(report, color=use_color(args.output)), args.output)
    passed = sum(1 for o in outcomes if o.passed)
    print(
        f"gitwarden: {len(outcomes)} tests, {passed} passed, {len(outcomes) - passed} failed",
        file=sys.stderr,
    )
    return report.passed
